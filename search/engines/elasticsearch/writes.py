"""Putting page documents into the engine and taking them out, never older over newer.

Every write carries an external version (``version_type=external``): the moment, in
microseconds since the epoch, at which the page's state was read from the database. Whatever
changed the page (publishing, unpublishing, moving, a view restriction, a law it cites), a
later read sees a state at least as new, so the engine keeps the write of the latest read
and refuses an older one with a version conflict, which is success for us: the index
already holds something newer. (``last_published_at`` would not do: unpublishing, moving
and a cited law's change leave it as it was.) A delete leaves a tombstone with its version,
so an older index request arriving after it does not bring the page back either.
"""

import time

from elasticsearch import helpers

from .mapping import es_source

CONFLICT = 409
NOT_FOUND = 404


def read_version():
    """The version of a state read now: microseconds since the epoch (call it before reading)."""
    return time.time_ns() // 1000


def index_action(document, index, version):
    return {"_op_type": "index", "_index": index, "_id": str(document.page_id), "_source": es_source(document),
            "version": version, "version_type": "external"}


def delete_action(page_id, index, version):
    return {"_op_type": "delete", "_index": index, "_id": str(page_id), "version": version,
            "version_type": "external"}


def write(client, index, page_id, document, version):
    """Index ``document`` as page ``page_id`` (or delete the page when it is None) through
    ``index`` (the alias: it must exist). Returns "written", "deleted" or "newer" (the engine
    already holds a newer state, or the page was already gone); raises on anything else."""
    if document is None:
        found = client.options(ignore_status=(CONFLICT, NOT_FOUND)).delete(
            index=index, id=str(page_id), version=version, version_type="external"
        )
        return "deleted" if found.meta.status < 300 else "newer"
    written = client.options(ignore_status=CONFLICT).index(
        index=index, id=str(page_id), document=es_source(document), version=version, version_type="external",
        require_alias=True,
    )
    return "written" if written.meta.status < 300 else "newer"


def is_harmless(op, item):
    """A bulk item that failed only because nothing needed doing."""
    status = item.get("status")
    return status == CONFLICT or (op == "delete" and status == NOT_FOUND)


def bulk_write(client, actions, **options):
    """Send ``actions`` (in chunks of ``chunk_size``, helpers.bulk's default 500); returns
    (handled, {page id: error}): how many items are now as asked or already newer, and the
    items the engine refused for a real reason. Raises if a request itself fails."""
    ok, errors = helpers.bulk(client, actions, raise_on_error=False, raise_on_exception=True, stats_only=False,
                              **options)
    handled, failed = ok, {}
    for error in errors:
        ((op, item),) = error.items()
        if is_harmless(op, item):
            handled += 1
        else:
            failed[int(item["_id"])] = item.get("error") or item.get("status")
    return handled, failed
