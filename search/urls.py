"""The public search pages, with Norwegian addresses: /sok/, /stikkord/<slug>/, /lover/…

Mounted before Wagtail's page tree in kunnskapsbase/urls.py. Tag slugs may hold æ, ø and å
(«tett-oppfølging»), so they are matched as any text without a slash or control character
(PostgreSQL refuses NUL in a query; such an address is simply not found)."""

from django.urls import path, register_converter

from . import views


class SegmentConverter:
    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SegmentConverter, "segment")

app_name = "search"

urlpatterns = [
    path("sok/", views.search_page, name="search"),
    path("stikkord/<segment:slug>/", views.tag_page, name="tag"),
    path("lover/", views.law_index, name="law_index"),
    path("lover/<segment:law_slug>/", views.law_page, name="law"),
    path("lover/<segment:law_slug>/<segment:paragraph>/", views.provision_page, name="provision"),
]
