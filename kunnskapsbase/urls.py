"""URL configuration: admin, public API v2, documents, and Wagtail's page tree for everything else."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search import health as search_health
from search.admin_search import admin_search_urls

from .api import api_router

urlpatterns = [
    path("healthz/", search_health.healthz, name="healthz"),
    # The admin's page search finds pages by their words (search/admin_search.py): before the admin.
    path("admin/pages/", include(admin_search_urls())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/search/", include("search.api_urls")),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("", include("search.urls")),  # /sok/, /stikkord/…, /lover/…: before the page tree
    path("", include(wagtail_urls)),
]
