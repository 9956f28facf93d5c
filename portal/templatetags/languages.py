"""The language switcher, hreflang alternates and the "not yet translated" notice (base.html).

Every page has the same path in each language, after the language prefix (English has none): a
translated page keeps its original's slug, and a page without a translation answers there in English
(portal/translations.py). So the links are built from the request's path and keep its query
(the same filters in another language), unless the query is too long to be a real one.
"""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.absolute_urls import site_root_url
from portal.translations import language_path, unprefixed_path

register = template.Library()

# Longer queries are junk or attacks (a filter URL with every country ticked is about 1,500 characters):
# the switcher then links to the page without them rather than echo them back.
MAX_QUERY = 2000

# One sentence per language rather than a language name in a sentence: "en français", "en español".
UNTRANSLATED = {
    "fr": _("This page is not yet available in French; here it is in English."),
    "es": _("This page is not yet available in Spanish; here it is in English."),
}


@register.simple_tag(takes_context=True)
def language_versions(context):
    """[{code, name, url, absolute_url, current}] for each language, `url` being this page in it."""
    request = context.get("request")
    if request is None:
        return []
    path = unprefixed_path(request.path)
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY:
        query = ""
    active = translation.get_language()
    root = site_root_url(request)
    versions = []
    for code, name in settings.LANGUAGES:
        url = language_path(path, code) + (f"?{query}" if query else "")
        versions.append({"code": code, "name": name, "url": url, "absolute_url": root + url, "current": code == active})
    return versions


@register.simple_tag(takes_context=True)
def default_language_url(context):
    """This page's absolute URL in English: the x-default alternate."""
    request = context["request"]
    return site_root_url(request) + unprefixed_path(request.path)


@register.simple_tag
def untranslated_notice(page):
    """What to tell a visitor shown `page` in English under /fr/ or /es/ ('' when it is in their language)."""
    active = translation.get_language()
    if page is None or active not in UNTRANSLATED or not hasattr(page, "locale_id"):
        return ""
    if page.locale.language_code == active:
        return ""
    return UNTRANSLATED[active]
