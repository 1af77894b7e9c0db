"""Addresses of the overview pages: /stikkord/, /fylker/ and /fylker/<fylke>/."""

from django.urls import path

from . import overview_views

app_name = "ways_in"

urlpatterns = [
    path("stikkord/", overview_views.tag_index, name="tags"),
    path("fylker/", overview_views.county_index, name="counties"),
    path("fylker/<slug:slug>/", overview_views.county_page, name="county"),
]
