"""Wagtail's public read API v2 at /api/v2/: pages (with each type's api_fields), images, documents."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class ContentPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, with the related rows a page type's api_fields read fetched once
    per listing (the model's ``api_queryset``; used when one ``type`` is asked for, as ``fields``
    beyond the common ones need)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        api_queryset = getattr(queryset.model, "api_queryset", None)
        return api_queryset(queryset) if api_queryset else queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ContentPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
