"""A new index, bulk-loaded from every searchable page, then swapped in behind the alias.

The alias keeps serving the old index until the new one is complete, so search carries on
during a rebuild; if loading fails, the new index is deleted and nothing changes. Memory
stays flat: pages are read as a stream (pages.py) and sent in chunks of BULK_CHUNK_SIZE,
the next chunk being prepared while the cluster indexes the previous one. Pages published,
unpublished or deleted while the index was built are caught up after the swap.
"""

import collections
import concurrent.futures
import dataclasses
import itertools
import logging
import time

from elasticsearch import helpers

from .client import connection, mark_up
from .indices import create_index, delete_old_indices, new_index_name, swap_alias
from .pages import page_actions, searchable_count, searchable_documents
from .writes import bulk_write, index_action, read_version

logger = logging.getLogger(__name__)

BULK_CHUNK_SIZE = 500
BULK_IN_FLIGHT = 2  # bulk requests under way while the next chunk is prepared


class BulkRefused(Exception):
    """The engine refused documents of a bulk request (not a connection problem)."""


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _send_chunk(client, chunk):
    handled, failed = bulk_write(client, chunk, chunk_size=len(chunk), max_retries=2, initial_backoff=1)
    if failed:
        page_id, error = next(iter(failed.items()))
        raise BulkRefused(f"{len(failed)} dokumenter avvist, f.eks. side {page_id}: {error}")
    return handled


def bulk_load(client, actions, progress=None, total=0):
    """Send ``actions`` in chunks of BULK_CHUNK_SIZE, the next chunk being prepared (pages read
    and analysed, in this thread and its database connection) while the cluster indexes the
    previous ones (at most BULK_IN_FLIGHT requests at a time). Raises on any refused document."""
    done = 0
    in_flight = collections.deque()
    with concurrent.futures.ThreadPoolExecutor(max_workers=BULK_IN_FLIGHT, thread_name_prefix="kb-bulk") as pool:
        try:
            for chunk in _chunks(actions, BULK_CHUNK_SIZE):
                in_flight.append(pool.submit(_send_chunk, client, chunk))
                while len(in_flight) >= BULK_IN_FLIGHT or (in_flight and in_flight[0].done()):
                    done += in_flight.popleft().result()
                    if progress:
                        progress(done, total)
            while in_flight:
                done += in_flight.popleft().result()
                if progress:
                    progress(done, total)
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise
    return done


@dataclasses.dataclass
class RebuildResult:
    index: str
    count: int
    seconds: float
    load_seconds: float
    removed: list
    caught_up: int
    distribution: str
    version: str

    @property
    def rate(self):
        return self.count / self.load_seconds if self.load_seconds else 0.0


def rebuild(progress=None, conn=None):
    """Build a new index from every searchable page, swap the alias to it, delete the old ones."""
    from django.db.models import Max
    from django.utils import timezone

    from ...models import IndexQueueEntry, SearchDocument

    conn = conn or connection()
    client = conn.for_bulk()
    started_at = timezone.now()
    queue_mark = IndexQueueEntry.objects.aggregate(last=Max("id"))["last"] or 0
    started = time.perf_counter()
    name = create_index(client, new_index_name(), loading=True)
    total = searchable_count()
    try:
        actions = (index_action(document, name, read_version()) for document in searchable_documents())
        done = bulk_load(client, actions, progress, total)
        load_seconds = time.perf_counter() - started
        client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
        client.indices.refresh(index=name)
        old = swap_alias(client, name)
    except BaseException:
        try:
            client.indices.delete(index=name, ignore_unavailable=True)
        except Exception:
            logger.exception("Kunne ikke slette den halvferdige indeksen %s", name)
        raise
    removed = delete_old_indices(client, keep=name)
    mark_up()
    # Catch up: pages whose state changed while the index was built; failures recorded before
    # the rebuild started are settled by it.
    IndexQueueEntry.objects.filter(id__lte=queue_mark, updated_at__lt=started_at).delete()
    known_ids = set(SearchDocument.objects.values_list("pk", flat=True))
    caught_up = catch_up(client, name, since=started_at, known_ids=known_ids)
    return RebuildResult(
        index=name,
        count=done,
        seconds=time.perf_counter() - started,
        load_seconds=load_seconds,
        removed=sorted(set(old) | set(removed)),
        caught_up=caught_up,
        distribution=conn.info.distribution,
        version=conn.info.version,
    )


def indexed_ids(client, index):
    return {
        int(hit["_id"])
        for hit in helpers.scan(client, index=index, query={"query": {"match_all": {}}}, _source=False, size=1000)
    }


def catch_up(client, index, since, known_ids):
    """Bring ``index`` in line with pages changed since ``since``: those missing from it or no
    longer searchable, and those republished meanwhile. Returns how many were looked at."""
    from wagtail.models import Page

    in_index = indexed_ids(client, index)
    republished = set(Page.objects.filter(last_published_at__gte=since).values_list("pk", flat=True))
    stale = (known_ids - in_index) | (in_index - known_ids) | (republished & (known_ids | in_index))
    if not stale:
        return 0
    _handled, failed = bulk_write(client, page_actions(sorted(stale), index=index))
    for page_id, error in failed.items():
        logger.warning("Innhenting etter ny indeks feilet for side %s: %s", page_id, error)
    client.indices.refresh(index=index)
    return len(stale)
