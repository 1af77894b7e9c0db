"""Background tasks keeping search current, so no editor's request waits on the index.

search/signals.py enqueues these once the editor's transaction has committed; the worker
(``manage.py db_worker``, started by ``make run``; docs/drift.md for production) runs them:

- ``index_pages_task``: bring pages' entries in the embedded index up to date (written if live
  and public, removed otherwise), store their «Les også» lists (search/read_also.py), refresh the
  lists that named a page that left search, and pass the pages on to the external engine;
- ``reindex_subtree_task``, ``reindex_citing_task``, ``reindex_places_task``: find the pages a
  move, a view restriction, a law or provision, or a municipality or county concerns, and
  enqueue ``index_pages_task`` for them in batches of ``INDEX_BATCH_SIZE``;
- ``sync_engine_task``: the external engine's update (search/sync.py). django-tasks has no
  retries of its own: pages the engine could not take are tried again after
  ``SEARCH_SYNC_RETRY_DELAY * 4 ** (attempt - 1)`` seconds, up to ``SEARCH_SYNC_MAX_ATTEMPTS``
  attempts; they also stay in the retry queue (``manage.py search_retry_queue``).

Every task takes page ids, never objects, and reads the pages' current state when it runs, so
running one late, twice or out of order leaves the index as it should be. After the index has
changed, the anonymous page cache is made stale (kunnskapsbase/page_cache.py).
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from kunnskapsbase import page_cache

from . import read_also, sync
from .indexing import index_page, remove_page
from .models import ReadAlso

logger = logging.getLogger(__name__)

INDEX_BATCH_SIZE = 100
MISSING = "missing"


def batches(ids, size=INDEX_BATCH_SIZE):
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def enqueue_in_batches(page_ids, read_also_lists=False):
    """``index_pages_task`` for ``page_ids``, ``INDEX_BATCH_SIZE`` at a time. Returns the count."""
    count = 0
    for batch in batches(page_ids):
        index_pages_task.enqueue(batch, read_also_lists=read_also_lists)
        count += len(batch)
    return count


def _index_one(page_id, read_also_lists):
    """Bring one page's embedded entry and «Les også» list up to date; True if it is in search.
    ``read_also_lists``: True computes the page's list (a publish), ``"missing"`` only if it has
    none (a page back in search after a move or a lifted restriction), False leaves it (a law or
    a municipality changed: what the page is about did not)."""
    page = Page.objects.filter(pk=page_id).first()
    entry = index_page(page) if page is not None else remove_page(page_id)
    if entry is not None:
        if read_also_lists is True or (
            read_also_lists == MISSING and not ReadAlso.objects.filter(page_id=page_id).exists()
        ):
            read_also.refresh(page_id)
        return True
    for reader in read_also.readers(page_id):  # lists that named a page which has left search
        read_also.refresh(reader)
    if page is not None:
        read_also.refresh(page_id)  # an unpublished page keeps no list
    return False


@task()
def index_pages_task(page_ids, read_also_lists=True):
    """Index (or remove) these pages in the embedded index and then the external engine."""
    found, removed = 0, []
    for page_id in page_ids:
        try:
            if _index_one(page_id, read_also_lists):
                found += 1
            else:
                removed.append(page_id)
        except Exception:  # one page's failure must not keep the others stale
            logger.exception("Søkeindeksen kunne ikke oppdateres for side %s", page_id)
    page_cache.bump()
    if sync.enabled():
        sync_engine_task.enqueue(list(page_ids), removed=removed)
    return {"pages": len(page_ids), "in_search": found}


def retry_delay(attempt):
    """Seconds to wait before attempt ``attempt + 1`` of an engine update."""
    return settings.SEARCH_SYNC_RETRY_DELAY * 4 ** (attempt - 1)


@task()
def sync_engine_task(page_ids, attempt=1, removed=()):
    """Bring these pages up to date in the external engine (``removed``: those that left
    search, for the retry queue's record); retry the failures with back-off."""
    removed = set(removed)
    failed = [
        page_id for page_id in page_ids
        if not sync.try_sync_page(page_id, action="delete" if page_id in removed else "index")
    ]
    if failed:
        backend = sync_engine_task.get_backend()
        if attempt >= settings.SEARCH_SYNC_MAX_ATTEMPTS or not backend.supports_defer:
            # (A backend that cannot wait, the tests' immediate one, would only hammer a cluster
            # that is down: the retry queue has the pages.)
            logger.error(
                "Søkemotoren tok ikke imot %s side(r) etter %s forsøk; de ligger i køen (search_retry_queue)",
                len(failed), attempt,
            )
        else:
            delay = retry_delay(attempt)
            logger.warning(
                "Søkemotoren tok ikke imot %s side(r) (forsøk %s av %s); nytt forsøk om %s sekunder",
                len(failed), attempt, settings.SEARCH_SYNC_MAX_ATTEMPTS, int(delay),
            )
            run_after = timezone.now() + datetime.timedelta(seconds=delay)
            sync_engine_task.using(run_after=run_after).enqueue(
                failed, attempt=attempt + 1, removed=sorted(removed.intersection(failed))
            )
    return {"pages": len(page_ids), "failed": len(failed), "attempt": attempt}


@task()
def reindex_subtree_task(page_id):
    """``page_id`` and every page below it (a move or a view restriction changes them all)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return {"pages": 0}
    ids = Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    return {"pages": enqueue_in_batches(ids, read_also_lists=MISSING)}


def _citing(provision_ids):
    """The live pages citing these provisions or any provision they replaced."""
    from practices.models import LegalProvision, PracticeLegalReference, ReportLegalReference

    seen = set(provision_ids)
    frontier = set(seen)
    while frontier:  # predecessors: their citers' entries hold this provision as a successor
        frontier = set(LegalProvision.objects.filter(replaced_by__in=frontier).values_list("pk", flat=True)) - seen
        seen |= frontier
    page_ids = set()
    for reference in (PracticeLegalReference, ReportLegalReference):
        page_ids.update(reference.objects.filter(provision__in=seen).values_list("page_id", flat=True))
    return Page.objects.filter(pk__in=page_ids).live().values_list("pk", flat=True)


@task()
def reindex_citing_task(provision_ids=(), law_id=None):
    """The pages citing these provisions (or every provision of law ``law_id``)."""
    from practices.models import LegalProvision

    ids = set(provision_ids)
    if law_id is not None:
        ids |= set(LegalProvision.objects.filter(law_id=law_id).values_list("pk", flat=True))
    return {"pages": enqueue_in_batches(_citing(ids))}


def _with_predecessors(model, ids):
    """``ids`` and every unit that (through any number of changes) became one of them."""
    name = model._meta.model_name
    seen, frontier = set(ids), set(ids)
    while frontier:
        frontier = set(model.successors.through.objects.filter(
            **{f"to_{name}__in": frontier}
        ).values_list(f"from_{name}_id", flat=True)) - seen
        seen |= frontier
    return seen


@task()
def reindex_places_task(municipality_ids=(), county_ids=()):
    """The live pages whose municipality or county is one of these, or became one of them: a
    page is found under the municipalities and counties of today."""
    from practices.models import County, Municipality, PracticePage, ReportPage

    counties = _with_predecessors(County, county_ids)
    in_counties = Municipality.objects.filter(county__in=counties).values_list("pk", flat=True)
    municipalities = _with_predecessors(Municipality, set(municipality_ids) | set(in_counties))
    page_ids = set()
    for model in (PracticePage, ReportPage):
        found = model.objects.live().filter(Q(municipalities__in=municipalities) | Q(county__in=counties))
        page_ids.update(found.values_list("pk", flat=True))
    return {"pages": enqueue_in_batches(page_ids)}


@task()
def refresh_read_also_task(page_ids):
    """Compute these pages' «Les også» lists again (after a full rebuild of the index)."""
    for page_id in page_ids:
        read_also.refresh(page_id)
    page_cache.bump()
    return {"pages": len(page_ids)}


def enqueue_read_also_for_all():
    """Every practice's «Les også» list, in the background, ``INDEX_BATCH_SIZE`` at a time: after
    ``search_reindex``, demo content or a first bootstrap. Returns the number of pages."""
    from .models import SearchDocument

    ids = list(SearchDocument.objects.filter(page_type=read_also.PAGE_TYPE).values_list("pk", flat=True))
    for batch in batches(ids):
        refresh_read_also_task.enqueue(batch)
    return len(ids)
