"""Keeping the search index in sync with Wagtail's page life cycle.

Only publishing, unpublishing, moving, deleting and restricting who may view a page (a
password, login or group restriction on it or an ancestor) change what the public can find, so
the index listens to those signals, not to every draft save. Deleting needs no handler for the
embedded tables: a page's search document is deleted with it (on_delete=CASCADE).

A page's entry also holds where it is found today (the municipalities and counties that took
over from the ones it names), so changing a municipality's or county's name, period or
successors re-indexes the pages concerned.

A page's entry also holds what it cites (law, paragraph, label, and the provisions that replaced
them), so changing a law or a provision in a way search can see re-indexes the pages citing it
or a provision it replaced.

With an external engine (ELASTICSEARCH_URL), each change is passed on to it after the
embedded tables are written, once the transaction has committed (search/sync.py): with short
timeouts, and recorded for a retry if the cluster is slow or down, so publishing never fails
or hangs because of it. A deleted page is removed from the engine by a post_delete handler.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from practices.models import (
    County,
    Law,
    LegalProvision,
    Municipality,
    PracticeLegalReference,
    PracticePage,
    ReportLegalReference,
    ReportPage,
)

from . import sync
from .indexing import index_page, remove_page

# The fields of a law and of a provision that a search document is built from.
LAW_FIELDS = ("slug", "short_name", "lovdata_id")
PROVISION_FIELDS = ("law_id", "paragraph", "title", "repealed_on", "replaced_by_id")
# The fields of a municipality and of a county that say where a page is found today.
MUNICIPALITY_FIELDS = ("name", "county_id", "valid_to")
COUNTY_FIELDS = ("name", "valid_to")

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
    _after_commit(sync.try_sync_page, instance.pk)


def on_unpublished(sender, instance, **kwargs):
    _after_commit(remove_page, instance.pk)
    _after_commit(sync.try_sync_page, instance.pk, "delete")


def _reindex_subtree(page):
    """``page`` and every live page below it: written if public, removed if not."""
    for descendant in Page.objects.descendant_of(page, inclusive=True).live().specific():
        _after_commit(index_page, descendant)
        _after_commit(sync.try_sync_page, descendant.pk)


def on_moved(sender, instance, **kwargs):
    _reindex_subtree(instance)


def on_view_restriction_changed(sender, instance, **kwargs):
    """A restriction added or lifted hides the page and its subpages from search, or shows them."""
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the page itself is deleted
    if page is not None:
        _reindex_subtree(page)


def on_deleted(sender, instance, **kwargs):
    if sync.enabled():
        _after_commit(sync.try_sync_page, instance.pk, "delete")


def _fields_before(sender, instance, fields):
    if instance.pk:
        instance._search_fields_before = sender.objects.filter(pk=instance.pk).values(*fields).first()


def _changed(instance, fields):
    before = getattr(instance, "_search_fields_before", None)
    return before is not None and before != {name: getattr(instance, name) for name in fields}


def _reindex_citing(provisions):
    """Re-index the live pages citing ``provisions`` or any provision they replaced."""
    seen = {p.pk for p in provisions}
    frontier = set(seen)
    while frontier:  # predecessors: their citers' entries hold this provision as a successor
        frontier = set(LegalProvision.objects.filter(replaced_by__in=frontier).values_list("pk", flat=True)) - seen
        seen |= frontier
    page_ids = set()
    for reference in (PracticeLegalReference, ReportLegalReference):
        page_ids.update(reference.objects.filter(provision__in=seen).values_list("page_id", flat=True))
    reindex_pages(page_ids)


def reindex_pages(page_ids):
    """Re-index these pages (the live ones; others have no entry), once the transaction commits:
    for changes made outside the page editor, such as sizes derived from new population figures."""
    for page in Page.objects.filter(pk__in=page_ids).live().specific():
        _after_commit(index_page, page)
        _after_commit(sync.try_sync_page, page.pk)


def before_law_saved(sender, instance, **kwargs):
    _fields_before(sender, instance, LAW_FIELDS)


def on_law_saved(sender, instance, created, **kwargs):
    if _changed(instance, LAW_FIELDS):
        _reindex_citing(list(instance.provisions.all()))


def before_provision_saved(sender, instance, **kwargs):
    _fields_before(sender, instance, PROVISION_FIELDS)


def on_provision_saved(sender, instance, created, **kwargs):
    if _changed(instance, PROVISION_FIELDS):
        _reindex_citing([instance])


def _with_predecessors(model, ids):
    """``ids`` and every unit that (through any number of changes) became one of them."""
    seen, frontier = set(ids), set(ids)
    while frontier:
        frontier = set(model.successors.through.objects.filter(
            **{f"to_{model._meta.model_name}__in": frontier}
        ).values_list(f"from_{model._meta.model_name}_id", flat=True)) - seen
        seen |= frontier
    return seen


def _reindex_places(municipality_ids=(), county_ids=()):
    """Re-index the live pages whose municipality or county is one of these, or became one of
    them: a page is found under the municipalities and counties of today."""
    counties = _with_predecessors(County, county_ids)
    in_counties = Municipality.objects.filter(county__in=counties).values_list("pk", flat=True)
    municipalities = _with_predecessors(Municipality, set(municipality_ids) | set(in_counties))
    page_ids = set()
    for model in (PracticePage, ReportPage):
        found = model.objects.filter(Q(municipalities__in=municipalities) | Q(county__in=counties))
        page_ids.update(found.values_list("pk", flat=True))
    reindex_pages(page_ids)


def before_municipality_saved(sender, instance, **kwargs):
    _fields_before(sender, instance, MUNICIPALITY_FIELDS)


def on_municipality_saved(sender, instance, created, **kwargs):
    if _changed(instance, MUNICIPALITY_FIELDS):
        _reindex_places(municipality_ids=[instance.pk])


def before_county_saved(sender, instance, **kwargs):
    _fields_before(sender, instance, COUNTY_FIELDS)


def on_county_saved(sender, instance, created, **kwargs):
    if _changed(instance, COUNTY_FIELDS):
        _reindex_places(county_ids=[instance.pk])


def on_successors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    ids = {instance.pk} | set(pk_set or ())
    if isinstance(instance, Municipality):
        _reindex_places(municipality_ids=ids)
    else:
        _reindex_places(county_ids=ids)


def connect():
    page_published.connect(on_published, dispatch_uid="kb_search_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="kb_search_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="kb_search_moved")
    post_delete.connect(on_deleted, sender=Page, dispatch_uid="kb_search_deleted")
    post_save.connect(on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="kb_search_restricted")
    post_delete.connect(on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid="kb_search_unrestricted")
    pre_save.connect(before_law_saved, sender=Law, dispatch_uid="kb_search_law_before")
    post_save.connect(on_law_saved, sender=Law, dispatch_uid="kb_search_law")
    pre_save.connect(before_provision_saved, sender=LegalProvision, dispatch_uid="kb_search_provision_before")
    post_save.connect(on_provision_saved, sender=LegalProvision, dispatch_uid="kb_search_provision")
    pre_save.connect(before_municipality_saved, sender=Municipality, dispatch_uid="kb_search_municipality_before")
    post_save.connect(on_municipality_saved, sender=Municipality, dispatch_uid="kb_search_municipality")
    pre_save.connect(before_county_saved, sender=County, dispatch_uid="kb_search_county_before")
    post_save.connect(on_county_saved, sender=County, dispatch_uid="kb_search_county")
    for model in (Municipality, County):
        uid = f"kb_search_{model.__name__}_successors"
        m2m_changed.connect(on_successors_changed, sender=model.successors.through, dispatch_uid=uid)
