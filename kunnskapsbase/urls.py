"""URL configuration: admin, public API v2, documents, and Wagtail's page tree for everything else."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from practices import media_privacy
from search import health as search_health
from search.admin_search import admin_search_urls

from .api import api_router
from .api_validation import api_not_found
from .openapi import schema_view
from .openapi.reference import reference_view
from .seo import robots_txt, sitemap

# 503 with Retry-After when the database is down, the plain 500 page otherwise (kunnskapsbase/outage.py).
handler500 = "kunnskapsbase.outage.server_error"

urlpatterns = [
    path("healthz/", search_health.healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # The admin's page search finds pages by their words (search/admin_search.py): before the admin.
    path("admin/pages/", include(admin_search_urls())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/schema/", schema_view, name="openapi-schema"),
    path("api/dokumentasjon/", reference_view, name="api-reference"),  # the same document, readable
    path("api/search/", include("search.api_urls")),
    path("api/v2/", api_router.urls),
    re_path(r"^api/(?:[\s\S]*/)?\Z", api_not_found),  # an unknown API address answers in JSON too
]

if settings.MEDIA_URL.startswith("/"):
    # Uploaded images and their renditions, served only when the requester may see them: drafts'
    # images stay private (practices/media_privacy.py). The web server must not serve MEDIA_ROOT.
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_privacy.serve_media, name="media"))

urlpatterns += [
    path("varsler/", include("search.alerts.urls")),  # «Varsle meg om nye treff» (search/alerts/)
    path("", include("search.opendata_urls")),  # feeds, export, /statistikk/: before the page tree
    path("", include("search.overview_urls")),  # /stikkord/, /fylker/…
    path("del-ditt-eksempel/", include("practices.submissions.urls")),  # public submissions, no account
    path("", include("search.urls")),  # /sok/, /stikkord/…, /lover/…: before the page tree
    # Wagtail's front-end addresses, its page view finding the page without the home page's own
    # row (practices/page_serving.py).
    path("", include("practices.page_serving")),
]
