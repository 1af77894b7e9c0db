"""The public search pages, with Norwegian addresses: /sok/, /stikkord/<slug>/, /lover/…

Mounted before Wagtail's page tree in kunnskapsbase/urls.py. Tag slugs may hold æ, ø and å
(«tett-oppfølging»), so they are matched as any text without a slash."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("sok/", views.search_page, name="search"),
    path("stikkord/<str:slug>/", views.tag_page, name="tag"),
    path("lover/", views.law_index, name="law_index"),
    path("lover/<str:law_slug>/", views.law_page, name="law"),
    path("lover/<str:law_slug>/<str:paragraph>/", views.provision_page, name="provision"),
]
