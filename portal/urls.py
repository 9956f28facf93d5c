"""The public URL contract (see ARCHITECTURE.md): Django views first, Wagtail's page tree last."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.password_reset import ThrottledPasswordResetView
from accounts.throttle import collection_password, page_password
from api import urls as api_urls
from cases import urls as cases_urls
from elections import urls as elections_urls
from search import urls as search_urls

from . import media, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    # Wagtail's password reset and page/collection password forms, counted against the lockout (accounts/).
    path("admin/password_reset/", ThrottledPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        collection_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Image renditions pass a release check (portal/media.py); nothing else under MEDIA_URL is served.
    path(f"{settings.MEDIA_URL.strip('/')}/images/<path:name>", media.serve_rendition, name="image-rendition"),
    path("", include(api_urls)),
]

if settings.PORTAL_DJANGO_ADMIN:
    # A second sign-in form, without the second factor: development only.
    urlpatterns.insert(0, path("django-admin/", admin.site.urls))

# The public pages in three languages: English at /, French at /fr/, Spanish at /es/. Data endpoints
# (exports, feeds) answer under every prefix too; their field names never change with the language.
urlpatterns += i18n_patterns(
    # The scripts' own strings (static/js/*.js) in the page's language: Django's gettext for JavaScript.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("search/", include(search_urls)),
    path("", include(cases_urls)),
    path("", include(elections_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
