"""/api/ (documentation), /api/v1/… (the read API) and /api/v1/schema/ (its OpenAPI 3 document)."""

from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from . import views

v1_patterns = [
    path("api/v1/cases/", views.CaseList.as_view(), name="api-case-list"),
    path("api/v1/cases/<slug:slug>/", views.CaseDetail.as_view(), name="api-case-detail"),
    path("api/v1/countries/", views.CountryList.as_view(), name="api-country-list"),
    path("api/v1/countries/<slug:slug>/", views.CountryDetail.as_view(), name="api-country-detail"),
    path("api/v1/tactics/", views.TacticList.as_view(), name="api-tactic-list"),
    path("api/v1/guides/", views.GuideList.as_view(), name="api-guide-list"),
    path("api/v1/guides/<slug:slug>/", views.GuideDetail.as_view(), name="api-guide-detail"),
]


class SchemaView(SpectacularAPIView):
    """The OpenAPI document of v1 alone (Wagtail's admin uses DRF too, for its own, private API)."""

    renderer_classes = [OpenApiJsonRenderer]
    authentication_classes = []
    patterns = v1_patterns


urlpatterns = [
    path("api/", views.docs, name="api-docs"),
    path("api/v1/schema/", SchemaView.as_view(), name="api-schema"),
    *v1_patterns,
]
