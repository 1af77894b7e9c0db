"""/varsler/…: subscribing to a search, confirming, unsubscribing, and an address's subscriptions."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("ny/", views.subscribe, name="subscribe"),
    path("bekreft/<str:token>/", views.confirm, name="confirm"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mine/<str:token>/", views.manage, name="manage"),
]
