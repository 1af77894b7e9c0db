"""Wagtail's page view, with the page at the address found without the home page's own row.

Wagtail routes from ``site.root_page.specific``: one query for the home page's row only to call
its ``route`` (practices/models/routing.py), which needs nothing but the tree columns the site's
query already joined in. This view finds the page the same way from the plain root page and
leaves the result where Wagtail looks for it (``request._wagtail_route_for_request``, see
``Page.route_for_request``). For an address the shortcut cannot answer, the home page itself, or
with translations on (Wagtail then routes from the root page in the request's language),
Wagtail's own routing runs as before. Access control, previews and serving are Wagtail's
``serve`` view unchanged.

``urlpatterns`` are Wagtail's front-end addresses (wagtail.urls: a page's password form, the
login) with this view in place of Wagtail's, under the same name ``wagtail_serve``; its pattern
matches every address, so it comes last."""

from django.conf import settings
from django.http import Http404
from django.urls import re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.models import Site

from .models.pages import HomePage
from .models.routing import route_by_url_path


def serve(request, path):
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) and not hasattr(request, "_wagtail_route_for_request"):
        site = Site.find_for_request(request)
        if site is not None and site.root_page.specific_class is HomePage:
            components = [component for component in path.split("/") if component]
            try:
                result = route_by_url_path(site.root_page, request, components, HomePage)
            except Http404:  # found but not live: «not found», as at the end of Wagtail's walk
                request._wagtail_route_for_request = None
            else:
                if result is not None:
                    request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)


urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", None) != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
]
