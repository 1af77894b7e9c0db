"""URLs of the public JSON search API, mounted at /api/search/."""

from django.urls import path, re_path

from . import api

app_name = "search_api"

urlpatterns = [
    path("", api.search, name="search"),
    path("autocomplete/", api.autocomplete, name="autocomplete"),
    re_path(r"^.+$", api.not_found),
]
