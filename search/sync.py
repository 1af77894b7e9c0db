"""Keeping the external search engine (Elasticsearch/OpenSearch) in step with published pages.

What a background task needs (search/tasks.py), off the editor's request:

- ``sync_page(page_id)`` brings one page to its current state in the engine (indexed, or
  removed). It is idempotent, and safe in any order: each write carries the moment the page
  was read as its external version, so an older write never overwrites a newer one
  (search/engines/elasticsearch/writes.py). It raises ``EngineUnavailable`` when the cluster
  is down, slow or overloaded, so the task can retry with back-off; other errors (a document
  the engine refuses) are raised as they are: retrying will not help.
- ``record_failure(page_id, error)`` keeps a page whose update failed for good (retries used
  up, or refused) as an ``IndexQueueEntry``: the admin dashboard shows how many there are and
  ``manage.py search_retry_queue`` (cron, or by hand) works them off with ``retry_queue``.
  A later successful update of the page removes its entry.
- ``try_sync_page(page_id)`` does both for a caller that cannot retry: never raises for the
  cluster's sake, returns False if the update was recorded as failed.

No request ever works off the queue: a retry is the task's or the command's job.
"""

import dataclasses
import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .engines.elasticsearch import client as engine_client
from .engines.elasticsearch.indices import alias_name
from .engines.elasticsearch.pages import current_document, page_actions
from .engines.elasticsearch.writes import bulk_write, read_version, write
from .models import IndexQueueEntry

logger = logging.getLogger(__name__)

RETRY_CHUNK_SIZE = 200


class EngineUnavailable(Exception):
    """The cluster is down, slow or overloaded: try again later."""


def enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def sync_page(page_id):
    """Bring page ``page_id`` up to date in the external engine; returns what was done
    ("written", "deleted", "newer" when the engine already held a newer state, or "off"
    without an engine). Raises EngineUnavailable on a transient failure."""
    if not enabled():
        return "off"
    if engine_client.is_down():
        raise EngineUnavailable("søkemotoren er utilgjengelig (venter før nytt forsøk)")
    try:
        client = engine_client.connection().for_sync()
        version = read_version()
        done = write(client, alias_name(), page_id, current_document(page_id), version)
    except Exception as error:
        if engine_client.is_outage(error):
            engine_client.mark_down()
            raise EngineUnavailable(f"{type(error).__name__}: {error}") from error
        raise
    engine_client.mark_up()
    IndexQueueEntry.objects.filter(page_id=page_id).delete()
    return done


def record_failure(page_id, error, action="index"):
    """Remember that page ``page_id`` could not be brought up to date (shown in the admin)."""
    message = f"{type(error).__name__}: {error}"[:1000]
    entry, created = IndexQueueEntry.objects.get_or_create(
        page_id=page_id, defaults={"action": action, "attempts": 1, "last_error": message}
    )
    if not created:
        IndexQueueEntry.objects.filter(pk=entry.pk).update(
            action=action, attempts=F("attempts") + 1, last_error=message, updated_at=timezone.now()
        )


def try_sync_page(page_id, action="index"):
    """sync_page for a caller without retries: a failure is recorded, never raised."""
    try:
        sync_page(page_id)
    except EngineUnavailable as error:
        logger.warning("Søkemotoren svarer ikke; side %s er registrert for ny indeksering: %s", page_id, error)
        record_failure(page_id, error, action)
        return False
    except Exception as error:
        logger.exception("Søkemotoren avviste oppdateringen av side %s", page_id)
        record_failure(page_id, error, action)
        return False
    return True


@dataclasses.dataclass
class RetryResult:
    done: int = 0
    failed: int = 0
    remaining: int = 0
    error: str = ""


def retry_queue(limit=None, client=None):
    """Work off the recorded failures, oldest first (``manage.py search_retry_queue``). Stops
    at the first sign of an outage."""
    result = RetryResult()
    if not enabled():
        result.remaining = IndexQueueEntry.objects.count()
        return result
    entries = IndexQueueEntry.objects.order_by("updated_at", "id")
    entries = list(entries[:limit] if limit else entries)
    if entries:
        try:
            client = client or engine_client.connection().for_sync()
            for start in range(0, len(entries), RETRY_CHUNK_SIZE):
                chunk = entries[start : start + RETRY_CHUNK_SIZE]
                by_id = {entry.page_id: entry for entry in chunk}
                _handled, failed = bulk_write(client, page_actions(list(by_id)))
                for page_id, entry in by_id.items():
                    if page_id in failed:
                        IndexQueueEntry.objects.filter(pk=entry.pk).update(
                            attempts=F("attempts") + 1, last_error=str(failed[page_id])[:1000],
                            updated_at=timezone.now(),
                        )
                        result.failed += 1
                    else:
                        # Only if nothing newer was recorded meanwhile.
                        IndexQueueEntry.objects.filter(pk=entry.pk, updated_at=entry.updated_at).delete()
                        result.done += 1
            engine_client.mark_up()
        except Exception as error:
            if engine_client.is_outage(error):
                engine_client.mark_down()
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
