from django.urls import path

from . import views

urlpatterns = [path("elections/", views.watch, name="election-watch")]
