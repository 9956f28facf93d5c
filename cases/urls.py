"""Catalogue data endpoints and country browsing. The catalogue page itself is a Wagtail page."""

from django.urls import path

from . import exports, feeds, navigator, stix, views

urlpatterns = [
    path("cases/export.csv", exports.export_csv, name="cases-export-csv"),
    path("cases/export.json", exports.export_json, name="cases-export-json"),
    path("cases/export.stix.json", stix.export_stix, name="cases-export-stix"),
    path("cases/export.navigator.json", navigator.export_navigator, name="cases-export-navigator"),
    path("cases/feed.atom", feeds.case_feed, name="cases-feed"),
    path("countries/", views.country_index, name="country-index"),
    path("countries/<slug:slug>/", views.country_detail, name="country-detail"),
]
