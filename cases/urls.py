"""Catalogue data endpoints and country browsing. The catalogue page itself is a Wagtail page."""

from django.urls import path

from . import briefing, exports, feeds, navigator, open_data, stix, views

urlpatterns = [
    path("cases/export.csv", exports.export_csv, name="cases-export-csv"),
    path("cases/export.json", exports.export_json, name="cases-export-json"),
    path("cases/export.stix.json", stix.export_stix, name="cases-export-stix"),
    path("cases/export.navigator.json", navigator.export_navigator, name="cases-export-navigator"),
    path("cases/feed.atom", feeds.case_feed, name="cases-feed"),
    path("cases/<slug:slug>/cite.bib", open_data.case_citation, {"kind": "bib"}, name="case-cite-bib"),
    path("cases/<slug:slug>/cite.ris", open_data.case_citation, {"kind": "ris"}, name="case-cite-ris"),
    path("cases/<slug:slug>/cite.csl.json", open_data.case_citation, {"kind": "csl"}, name="case-cite-csl"),
    path("data/", open_data.data_page, name="open-data"),
    path("data/releases/<str:filename>", open_data.release_download, name="open-data-release"),
    path("countries/", views.country_index, name="country-index"),
    path("countries/<slug:slug>/", views.country_detail, name="country-detail"),
    path("countries/<slug:slug>/briefing.pdf", briefing.country_briefing, name="country-briefing"),
]
