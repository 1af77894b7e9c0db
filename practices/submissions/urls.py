"""Addresses of «Del ditt eksempel», mounted at /del-ditt-eksempel/ before Wagtail's page tree."""

from django.urls import path

from . import views

app_name = "contribute"

urlpatterns = [
    path("", views.start, name="start"),
    path("sendt/", views.sent, name="sent"),
    path("bekreftet/", views.confirmed, name="confirmed"),
    path("bekreft/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/", views.step_view, name="step"),
]
