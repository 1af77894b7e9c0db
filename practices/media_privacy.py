"""Images and documents stay private until a page that uses them is published.

An image or document is public when a live page without a view restriction uses it (Wagtail's
reference index records every use: chooser fields, StreamField blocks, rich text, child objects
such as attachments) and its collection has no view restriction. Everything else – files used
only by drafts, by unpublished or login-restricted pages, or by no page at all – is seen only by
editors with access to the admin (who need it in the choosers and in previews) and, for a live page
with a view restriction, by the readers who have passed that restriction.

The rule is computed when asked, from the pages' ``live`` flags and the reference index, so it
follows publishing and unpublishing without any state of its own. It applies to:

* the public API's image and document endpoints (``public_media``, kunnskapsbase/api.py), which
  list what an anonymous visitor may see: nothing from a restricted collection;
* document downloads at /documents/… (Wagtail's serve view; the ``before_serve_document`` hook
  here, then Wagtail's own, which asks for a restricted collection's login or password);
* the files under MEDIA_URL – original images and renditions – which ``serve_media`` serves
  after the same checks; a document's raw file is served there to editors only, the public
  address of a document being its serve view.
"""

import mimetypes
import os
import posixpath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex
from wagtail.utils import sendfile_streaming_backend
from wagtail.utils.sendfile import sendfile

# How long browsers and shared caches may keep a public file: unpublishing takes effect after this.
PUBLIC_MAX_AGE = 10 * 60


def can_see_everything(user):
    """Editors with access to the admin see every image and document, published or not."""
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def _restricted_collections_q(restrictions):
    """Collections under one of ``restrictions`` (CollectionViewRestriction), or none."""
    paths = Collection.objects.filter(id__in={r.collection_id for r in restrictions}).values_list("path", flat=True)
    q = Q()
    for path in paths:
        q |= Q(collection__path__startswith=path)
    return q


def used_by_public_pages(queryset):
    """The images or documents of ``queryset`` that a live page without a view restriction uses.
    One fixed query to build (the pages' view restrictions), one to run."""
    public_pages = Page.objects.live().public().annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    used = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=public_pages,
        to_content_type=ContentType.objects.get_for_model(queryset.model),
        to_object_id=Cast(OuterRef("pk"), CharField()),
    )
    return queryset.filter(Exists(used))


def public_media(queryset):
    """The images or documents of ``queryset`` an anonymous visitor may see: used by a live,
    public page, and not in a collection with a view restriction.

    The rule is one ``id IN (subquery)`` condition on ``queryset``: Wagtail's search (the API's
    ``?search=``) accepts a queryset filtered on its ``id`` FilterField, but not one filtered by
    an ``Exists`` expression or on the collection's path."""
    restricted = _restricted_collections_q(list(CollectionViewRestriction.objects.all()))
    visible = used_by_public_pages(queryset.model.objects.all())
    if restricted:
        visible = visible.exclude(restricted)
    return queryset.filter(pk__in=visible.values("pk"))


def is_used_publicly(obj):
    """Whether a live page without a view restriction uses the image or document ``obj``."""
    return used_by_public_pages(type(obj).objects.filter(pk=obj.pk)).exists()


# A file used by this many restricted pages at most is checked against each of them.
RESTRICTED_PAGES_CHECKED = 20


def request_may_see(request, obj):
    """Whether the requester may see the image or document ``obj`` for the pages that use it:
    editors always; anyone when a public live page uses it; and a reader who has passed the view
    restriction (login, password, group) of a live page using it, whose images must show for them."""
    if can_see_everything(request.user) or is_used_publicly(obj):
        return True
    page_ids = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(type(obj)),
        to_object_id=str(obj.pk),
    ).values_list("object_id", flat=True)
    pages = Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids if pk.isdigit()])
    return any(
        all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
        for page in pages[:RESTRICTED_PAGES_CHECKED]
    )


def check_document(document, request):
    """``before_serve_document`` hook: a document no published page the requester may see uses is
    not found. Wagtail's own hook, next, asks for the login or password a collection may require."""
    if not request_may_see(request, document):
        raise Http404("Dokumentet finnes ikke.")


def index_references_now(instance, **kwargs):
    """``page_published`` receiver: record what the published page uses right away, so its images
    and documents are public as soon as the page is, even when Wagtail's own reference-index
    update runs later as a background task."""
    if ReferenceIndex.is_indexed(type(instance)):
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(instance)


# --- Files under MEDIA_URL ----------------------------------------------------------------------


def _owner(path):
    """The image or document whose file (or rendition) is ``path``, or None."""
    image_model = get_image_model()
    renditions = image_model.get_rendition_model().objects.filter(file=path).select_related("image")
    lookups = [
        lambda: image_model.objects.filter(file=path).first(),
        lambda: getattr(renditions.first(), "image", None),
        lambda: get_document_model().objects.filter(file=path).first(),
    ]
    if path.startswith("images/"):  # where Wagtail writes renditions, the files pages show
        lookups.insert(0, lookups.pop(1))
    for lookup in lookups:
        owner = lookup()
        if owner is not None:
            return owner
    return None


def _allowed(request, owner):
    if can_see_everything(request.user):
        return True
    if owner is None or isinstance(owner, get_document_model()):
        return False  # documents are downloaded from their serve view, which checks them
    if not request_may_see(request, owner):
        return False
    # A collection's view restriction (login, password, groups), as Wagtail checks it for documents.
    return all(r.accept_request(request) for r in owner.collection.get_view_restrictions())


def _file_response(request, path):
    try:
        local_path = default_storage.path(path)
    except NotImplementedError:  # a remote storage: stream from it
        local_path = None
    if local_path is not None:
        if not os.path.isfile(local_path):
            raise Http404("Filen finnes ikke.")
        # wagtail.utils.sendfile: If-Modified-Since, and X-Sendfile/X-Accel-Redirect when the
        # operator sets SENDFILE_BACKEND (otherwise Python streams the file).
        backend = None if getattr(settings, "SENDFILE_BACKEND", None) else sendfile_streaming_backend.sendfile
        mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return sendfile(request, local_path, mimetype=mimetype, backend=backend)
    return FileResponse(default_storage.open(path), content_type=mimetypes.guess_type(path)[0])


@require_safe
def serve_media(request, path):
    """A file under MEDIA_URL, if the requester may see the image (or document) it belongs to."""
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or path == "." or any(ord(char) < 32 or ord(char) == 127 for char in path):
        raise Http404("Filen finnes ikke.")  # PostgreSQL refuses NUL in a query: not a file anyway
    owner = _owner(path)
    if not _allowed(request, owner):
        raise Http404("Filen finnes ikke.")
    try:
        response = _file_response(request, path)
    except (SuspiciousFileOperation, FileNotFoundError) as error:
        raise Http404("Filen finnes ikke.") from error
    if (
        can_see_everything(request.user)
        or owner.collection.get_view_restrictions().exists()
        or not is_used_publicly(owner)  # seen for a restricted page the requester may see
    ):
        patch_cache_control(response, private=True, no_cache=True)  # not for shared caches
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
