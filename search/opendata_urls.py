"""Feeds, open-data export and the statistics page, mounted before search.urls and the page tree:
/sok/feed/, /sok/eksport.csv, /sok/eksport.json, /statistikk/."""

from django.urls import path

from . import export, feeds, statistics

urlpatterns = [
    path("sok/feed/", feeds.search_feed, name="search_feed"),
    path("sok/eksport.csv", export.export_csv, name="export_csv"),
    path("sok/eksport.json", export.export_json, name="export_json"),
    path("statistikk/", statistics.statistics_page, name="statistics"),
]
