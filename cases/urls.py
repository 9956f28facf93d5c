"""Catalogue data endpoints and country browsing. The catalogue page itself is a Wagtail page."""

from django.urls import path

from . import views

urlpatterns = [
    path("countries/", views.country_index, name="country-index"),
    path("countries/<slug:slug>/", views.country_detail, name="country-detail"),
]
