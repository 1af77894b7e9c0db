"""Wagtail's public read API v2 at /api/v2/: pages (with each type's api_fields), images, documents.

Every endpoint puts ``ValidatedAPIMixin`` (kunnskapsbase/api_validation.py) in front of
Wagtail's class: bad parameters get 400 with a Norwegian JSON message, never a 500, and the
pages endpoint's ``search`` goes through the project's search service.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .api_validation import ServiceSearchFilter, ValidatedAPIMixin


class ContentPagesAPIViewSet(ValidatedAPIMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, with the related rows a page type's api_fields read fetched once
    per listing (the model's ``api_queryset``; used when one ``type`` is asked for, as ``fields``
    beyond the common ones need)."""

    search_filter = ServiceSearchFilter
    search_operators = ("and",)  # the search service finds pages with all the words

    def get_queryset(self):
        queryset = super().get_queryset()
        api_queryset = getattr(queryset.model, "api_queryset", None)
        return api_queryset(queryset) if api_queryset else queryset


class PublicImagesAPIViewSet(ValidatedAPIMixin, ImagesAPIViewSet):
    """Wagtail's images endpoint with checked parameters."""


class PublicDocumentsAPIViewSet(ValidatedAPIMixin, DocumentsAPIViewSet):
    """Wagtail's documents endpoint with checked parameters."""


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ContentPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
