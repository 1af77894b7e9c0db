"""Keeping the search index in sync with Wagtail's page life cycle.

Only publishing, unpublishing, moving, deleting and restricting who may view a page (a
password, login or group restriction on it or an ancestor) change what the public can find, so
the index listens to those signals, not to every draft save; a page's search document is deleted
with it (on_delete=CASCADE). Saving a snippet, tag or site makes cached pages stale.

A page's entry also holds where it is found today (the municipalities and counties that took
over from the ones it names), so changing a municipality's or county's name, period or
successors re-indexes the pages concerned.

A page's entry also holds what it cites (law, paragraph, label, and the provisions that replaced
them), so changing a law or a provision in a way search can see re-indexes the pages citing it
or a provision it replaced.

Nothing is indexed inside the editor's request: each handler enqueues a background task
(search/tasks.py) once the transaction has committed, with the page ids concerned, and the
worker does the work, however many pages it concerns. A handler costs a fixed number of queries.
Two things are done at once because they are cheap and must not wait: a page that leaves search
(unpublished, deleted, or newly restricted) is removed from the embedded index in the same
transaction, so it is never found after the editor's action, and the anonymous page cache is
made stale on commit (kunnskapsbase/page_cache.py), so visitors see the change at once.
"""

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from kunnskapsbase import page_cache
from practices.models import County, Law, LegalProvision, Municipality

from . import read_also, tasks
from .indexing import remove_page

# The fields of a law and of a provision that a search document is built from.
LAW_FIELDS = ("slug", "short_name", "lovdata_id")
PROVISION_FIELDS = ("law_id", "paragraph", "title", "repealed_on", "replaced_by_id")
# The fields of a municipality and of a county that say where a page is found today.
MUNICIPALITY_FIELDS = ("name", "county_id", "valid_to")
COUNTY_FIELDS = ("name", "valid_to")

logger = logging.getLogger(__name__)


def _after_commit(task, *args, **kwargs):
    """Enqueue ``task`` once the transaction commits (nothing if it is rolled back)."""

    def enqueue():
        try:
            task.enqueue(*args, **kwargs)
        except Exception:  # an editor's action must never fail because of search
            logger.exception("Oppdateringen av søkeindeksen kunne ikke legges i kø (%s %s)", task.name, args)

    transaction.on_commit(enqueue)


def _stale_pages():
    transaction.on_commit(page_cache.bump)


def on_published(sender, instance, **kwargs):
    _stale_pages()
    _after_commit(tasks.index_pages_task, [instance.pk])


def on_unpublished(sender, instance, **kwargs):
    remove_page(instance.pk)
    _stale_pages()
    _after_commit(tasks.index_pages_task, [instance.pk])


def _hide_subtree_if_restricted(page):
    """A page now behind a restriction leaves search with its subpages before the commit."""
    if page.get_view_restrictions().exists():
        for page_id in Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True):
            remove_page(page_id)


def on_moved(sender, instance, **kwargs):
    _hide_subtree_if_restricted(instance)
    _stale_pages()
    _after_commit(tasks.reindex_subtree_task, instance.pk)


def on_view_restriction_changed(sender, instance, **kwargs):
    """A restriction added or lifted hides the page and its subpages from search, or shows them."""
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the page itself is deleted
    if page is not None:
        _hide_subtree_if_restricted(page)
        _stale_pages()
        _after_commit(tasks.reindex_subtree_task, page.pk)


def before_deleted(sender, instance, **kwargs):
    """The embedded entry and the page's «Les også» rows go with the page (CASCADE); the engine
    and the lists that named it are brought up to date afterwards."""
    _stale_pages()
    _after_commit(tasks.index_pages_task, [instance.pk, *read_also.readers(instance.pk)])


def on_taxonomy_changed(sender, **kwargs):
    """A snippet, tag or setting a page shows was saved or deleted: cached pages are stale."""
    _stale_pages()


def taxonomy_models():
    """Models whose rows pages show, other than pages: the practices app's snippets and
    settings, tags and sites."""
    from django.apps import apps

    models = [model for model in apps.get_app_config("practices").get_models() if not issubclass(model, Page)]
    return [*models, apps.get_model("taggit", "Tag"), apps.get_model("wagtailcore", "Site")]


def _fields_before(sender, instance, fields):
    if instance.pk:
        instance._search_fields_before = sender.objects.filter(pk=instance.pk).values(*fields).first()


def _changed(instance, fields):
    before = getattr(instance, "_search_fields_before", None)
    return before is not None and before != {name: getattr(instance, name) for name in fields}


def reindex_pages(page_ids):
    """Re-index these pages in the background once the transaction commits: for changes made
    outside the page editor, such as sizes derived from new population figures."""
    page_ids = list(page_ids)
    _stale_pages()
    transaction.on_commit(lambda: tasks.enqueue_in_batches(page_ids))


def before_law_saved(sender, instance, **kwargs):
    _fields_before(sender, instance, LAW_FIELDS)


def on_law_saved(sender, instance, created, **kwargs):
    if _changed(instance, LAW_FIELDS):
        _stale_pages()
        _after_commit(tasks.reindex_citing_task, law_id=instance.pk)


def before_provision_saved(sender, instance, **kwargs):
    _fields_before(sender, instance, PROVISION_FIELDS)


def on_provision_saved(sender, instance, created, **kwargs):
    if _changed(instance, PROVISION_FIELDS):
        _stale_pages()
        _after_commit(tasks.reindex_citing_task, [instance.pk])


def _reindex_places(municipality_ids=(), county_ids=()):
    _stale_pages()
    _after_commit(tasks.reindex_places_task, sorted(municipality_ids), sorted(county_ids))


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
    pre_delete.connect(before_deleted, sender=Page, dispatch_uid="kb_search_deleted")
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
    for model in taxonomy_models():
        uid = f"kb_page_cache_{model._meta.label_lower}"
        post_save.connect(on_taxonomy_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(on_taxonomy_changed, sender=model, dispatch_uid=uid)
