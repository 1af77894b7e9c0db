"""Wagtail's public read API v2 at /api/v2/: pages (with each type's api_fields), images, documents,
each limited to what an anonymous visitor may see.

Every endpoint puts ``ValidatedAPIMixin`` (kunnskapsbase/api_validation.py) in front of
Wagtail's class: bad parameters get 400 with a Norwegian JSON message, never a 500, and the
pages endpoint's ``search`` goes through the project's search service.
"""

from taggit.managers import _TaggableManager
from wagtail.api.querysets import get_public_pages_queryset
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import TagsField
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from practices.media_privacy import public_media

from .api_validation import ServiceSearchFilter, ValidatedAPIMixin


class AnonymousViewPagesMixin:
    """The pages every API consumer gets are those an anonymous visitor may see (``live().public()``),
    whoever asks: a logged-in user passing a page's login restriction sees no more here."""

    def get_base_queryset(self):
        return super().get_base_queryset().public()


class PrefetchedTagsField(TagsField):
    """An item's tag names from the tags prefetched for the whole listing (Wagtail's TagsField
    queries them once per item)."""

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class PrefetchedTagsSerializerMixin:
    def build_property_field(self, field_name, model_class):
        if isinstance(getattr(model_class, field_name), _TaggableManager):
            return PrefetchedTagsField, {}
        return super().build_property_field(field_name, model_class)


class PublicImageSerializer(PrefetchedTagsSerializerMixin, ImageSerializer):
    pass


class PublicDocumentSerializer(PrefetchedTagsSerializerMixin, DocumentSerializer):
    pass


class PublicImagesAPIViewSet(ValidatedAPIMixin, ImagesAPIViewSet):
    """/api/v2/images/: only images used by a published, public page (practices/media_privacy.py)."""

    base_serializer_class = PublicImageSerializer

    def get_queryset(self):
        return public_media(super().get_queryset()).prefetch_related("tags")


class PublicDocumentsAPIViewSet(ValidatedAPIMixin, DocumentsAPIViewSet):
    """/api/v2/documents/: only documents used by a published, public page (practices/media_privacy.py)."""

    base_serializer_class = PublicDocumentSerializer

    def get_queryset(self):
        return public_media(super().get_queryset()).prefetch_related("tags")


class ContentPagesAPIViewSet(ValidatedAPIMixin, AnonymousViewPagesMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, with the related rows a page type's api_fields read fetched once
    per listing (the model's ``api_queryset``; used when one ``type`` is asked for, as ``fields``
    beyond the common ones need)."""

    search_filter = ServiceSearchFilter
    search_operators = ("and",)  # the search service finds pages with all the words

    def get_queryset(self):
        try:
            models = page_models_from_string(self.request.GET["type"]) if self.request.GET.get("type") else []
        except (LookupError, ValueError):
            models = None  # Wagtail's own answer below (400)
        if models is not None and len(models) == 1:
            # One page type: the same pages as Wagtail's ``pk IN (the public pages' ids)``, asked
            # of that type's table directly. On SQLite that subquery made counting and ordering
            # the whole collection the dearest part of a listing (93 of 75–95 ms at 10 000).
            try:
                queryset = get_public_pages_queryset(self.request, model=models[0]).public()
            except ValueError as error:
                raise BadRequestError(str(error)) from error
        else:
            queryset = super().get_queryset()
        api_queryset = getattr(queryset.model, "api_queryset", None)
        return api_queryset(queryset) if api_queryset else queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ContentPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
