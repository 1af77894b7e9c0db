"""Keeping the search index in sync with Wagtail's page life cycle.

Only publishing, unpublishing, moving, deleting and restricting who may view a page (a
password, login or group restriction on it or an ancestor) change what the public can find, so
the index listens to those signals, not to every draft save. Deleting needs no handler for the
embedded tables: a page's search document is deleted with it (on_delete=CASCADE).

With an external engine (ELASTICSEARCH_URL), each change is passed on to it after the
embedded tables are written, once the transaction has committed (search/sync.py): with short
timeouts, and queued for a retry if the cluster is slow or down, so publishing never fails
or hangs because of it. A deleted page is removed from the engine by a post_delete handler.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import sync
from .indexing import index_page, remove_page

logger = logging.getLogger(__name__)


def _after_commit(action, *args):
    def run():
        try:
            action(*args)
        except Exception:  # an editor's publish must never fail because of search
            logger.exception("Søkeindeksen kunne ikke oppdateres for side %s", args[0] if args else "")

    transaction.on_commit(run)


def on_published(sender, instance, **kwargs):
    _after_commit(index_page, instance)
    _after_commit(sync.sync_page, instance.pk)


def on_unpublished(sender, instance, **kwargs):
    _after_commit(remove_page, instance.pk)
    _after_commit(sync.remove_page, instance.pk)


def _reindex_subtree(page):
    """``page`` and every live page below it: written if public, removed if not."""
    for descendant in Page.objects.descendant_of(page, inclusive=True).live().specific():
        _after_commit(index_page, descendant)
        _after_commit(sync.sync_page, descendant.pk)


def on_moved(sender, instance, **kwargs):
    _reindex_subtree(instance)


def on_view_restriction_changed(sender, instance, **kwargs):
    """A restriction added or lifted hides the page and its subpages from search, or shows them."""
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the page itself is deleted
    if page is not None:
        _reindex_subtree(page)


def on_deleted(sender, instance, **kwargs):
    if sync.enabled():
        _after_commit(sync.remove_page, instance.pk)


def connect():
    page_published.connect(on_published, dispatch_uid="kb_search_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="kb_search_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="kb_search_moved")
    post_delete.connect(on_deleted, sender=Page, dispatch_uid="kb_search_deleted")
    post_save.connect(on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="kb_search_restricted")
    post_delete.connect(on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="kb_search_unrestricted")
