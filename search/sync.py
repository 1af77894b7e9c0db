"""Keeping the external search engine (Elasticsearch/OpenSearch) in step with published pages.

Called after the embedded index tables are written (search/signals.py). An editor's publish
never fails or hangs because of the cluster: requests time out after
``ELASTICSEARCH_SYNC_TIMEOUT`` seconds (2 by default), are not retried on the spot, and a
failed update is recorded as an ``IndexQueueEntry``. The queue is worked off by
``manage.py search_retry_queue`` (cron) and, opportunistically, after the next update that
succeeds. While the cluster is known to be down (search.es_index's circuit breaker), updates
are queued at once without waiting for a timeout.

An entry only says "bring page N up to date": the page's current state decides whether it
is (re)indexed or removed, so retrying is always safe and order does not matter.
"""

import dataclasses
import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from . import es_index
from .models import IndexQueueEntry

logger = logging.getLogger(__name__)

OPPORTUNISTIC_BATCH = 100
RETRY_CHUNK_SIZE = 200


def enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def _current_document(page_id):
    """The search document of page ``page_id`` if it should be found, else None."""
    from wagtail.models import Page

    from .documents import SEARCHABLE_MODELS, document_for
    from .indexing import is_searchable

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    if not isinstance(page, SEARCHABLE_MODELS) or not is_searchable(page):
        return None
    return document_for(page)


def page_actions(page_ids, index=None):
    """Bulk actions bringing each page up to date: index it, or delete it."""
    for page_id in page_ids:
        document = _current_document(page_id)
        if document is None:
            yield {"_op_type": "delete", "_index": index or es_index.alias_name(), "_id": str(page_id)}
        else:
            yield es_index.index_action(document, index)


def _apply(client, page_id):
    document = _current_document(page_id)
    if document is None:
        client.options(ignore_status=404).delete(index=es_index.alias_name(), id=str(page_id))
    else:
        client.index(
            index=es_index.alias_name(), id=str(page_id), document=es_index.es_source(document), require_alias=True
        )


def record_failure(page_id, action, error):
    """Remember that page ``page_id`` could not be brought up to date."""
    message = f"{type(error).__name__}: {error}"[:1000]
    entry, created = IndexQueueEntry.objects.get_or_create(
        page_id=page_id, defaults={"action": action, "attempts": 1, "last_error": message}
    )
    if not created:
        IndexQueueEntry.objects.filter(pk=entry.pk).update(
            action=action, attempts=F("attempts") + 1, last_error=message, updated_at=timezone.now()
        )


def sync_page(page_id, action="index"):
    """Bring page ``page_id`` up to date in the external engine. Never raises for the
    cluster's sake; returns True on success, False if the update was queued."""
    if not enabled():
        return True
    if es_index.is_down():
        record_failure(page_id, action, RuntimeError("søkemotoren er utilgjengelig (venter før nytt forsøk)"))
        return False
    try:
        client = es_index.connection().for_sync()
        _apply(client, page_id)
    except Exception as error:
        if es_index.is_outage(error):
            es_index.mark_down()
            logger.warning("Søkemotoren svarer ikke; side %s er lagt i kø for ny indeksering: %s", page_id, error)
        else:
            logger.exception("Søkemotoren avviste oppdateringen av side %s; lagt i kø", page_id)
        record_failure(page_id, action, error)
        return False
    IndexQueueEntry.objects.filter(page_id=page_id).delete()
    if IndexQueueEntry.objects.exists():
        try:
            retry_queue(limit=OPPORTUNISTIC_BATCH, client=client)
        except Exception:
            logger.exception("Køen til søkeindeksen kunne ikke behandles nå")
    return True


def remove_page(page_id):
    return sync_page(page_id, action="delete")


@dataclasses.dataclass
class RetryResult:
    done: int = 0
    failed: int = 0
    remaining: int = 0
    error: str = ""


def retry_queue(limit=None, client=None):
    """Work off the queue, oldest first. Stops at the first sign of an outage."""
    result = RetryResult()
    if not enabled():
        result.remaining = IndexQueueEntry.objects.count()
        return result
    entries = list(IndexQueueEntry.objects.order_by("updated_at", "id")[:limit] if limit else
                   IndexQueueEntry.objects.order_by("updated_at", "id"))
    if entries:
        try:
            client = client or es_index.connection().for_sync()
            from elasticsearch import helpers

            for start in range(0, len(entries), RETRY_CHUNK_SIZE):
                chunk = entries[start : start + RETRY_CHUNK_SIZE]
                by_id = {entry.page_id: entry for entry in chunk}
                actions = list(page_actions(list(by_id)))
                _ok, errors = helpers.bulk(client, actions, raise_on_error=False, raise_on_exception=True)
                failed = {}
                for error in errors:
                    (op, item), = error.items()
                    if op == "delete" and item.get("status") == 404:
                        continue  # already gone: that is what we wanted
                    failed[int(item["_id"])] = item.get("error") or item.get("status")
                for page_id, entry in by_id.items():
                    if page_id in failed:
                        IndexQueueEntry.objects.filter(pk=entry.pk).update(
                            attempts=F("attempts") + 1, last_error=str(failed[page_id])[:1000],
                            updated_at=timezone.now()
                        )
                        result.failed += 1
                    else:
                        # Only if nothing newer was recorded meanwhile.
                        IndexQueueEntry.objects.filter(pk=entry.pk, updated_at=entry.updated_at).delete()
                        result.done += 1
            es_index.mark_up()
        except Exception as error:
            if es_index.is_outage(error):
                es_index.mark_down()
            result.error = f"{type(error).__name__}: {error}"[:500]
            logger.warning("Køen til søkeindeksen kunne ikke behandles: %s", result.error)
    result.remaining = IndexQueueEntry.objects.count()
    return result


def backlog():
    """How many pages the external index is behind by (0 without an external engine)."""
    try:
        return IndexQueueEntry.objects.count()
    except Exception:
        return 0
