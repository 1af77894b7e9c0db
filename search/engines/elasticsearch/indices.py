"""Index names, the alias searches go through, and the cluster's status for /healthz/.

One index per environment: documents live in ``{prefix}-pages-{timestamp}`` behind the alias
``{prefix}-pages`` (prefix from ``ELASTICSEARCH_INDEX_PREFIX``). Searches and page-by-page
updates go through the alias; a rebuild (rebuild.py) loads a new timestamped index and
swaps the alias over to it in one atomic request, so search never sees a half-built index.
"""

import datetime
import re

from django.conf import settings

from .client import connection, mark_down, mark_up
from .mapping import index_definition

INDEX_NAME_RE_TEMPLATE = r"^{alias}-\d{{20}}$"


# --- names -------------------------------------------------------------------------------


def prefix():
    return (getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "kunnskapsbase").strip().lower()


def alias_name():
    return f"{prefix()}-pages"


def new_index_name():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name()}-{stamp}"


def is_our_index(name):
    return re.match(INDEX_NAME_RE_TEMPLATE.format(alias=re.escape(alias_name())), name) is not None


# --- indexes and the alias ---------------------------------------------------------------


def create_index(client, name, loading=False):
    index_definition(name, loading=loading).create(using=client)
    return name


def our_indices(client):
    """{index name: [aliases]} for this environment's timestamped indexes."""
    found = client.indices.get_alias(index=f"{alias_name()}-*", ignore_unavailable=True, allow_no_indices=True).body
    return {name: sorted(data.get("aliases", {})) for name, data in found.items() if is_our_index(name)}


def current_index(client):
    alias = alias_name()
    if not client.indices.exists_alias(name=alias):
        return None
    names = sorted(client.indices.get_alias(name=alias).body)
    return names[0] if names else None


def swap_alias(client, new_index):
    """Point the alias at ``new_index`` in one atomic request; returns the indexes it left."""
    alias = alias_name()
    old = sorted(name for name, aliases in our_indices(client).items() if alias in aliases and name != new_index)
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    if client.indices.exists(index=alias) and not client.indices.exists_alias(name=alias):
        # A concrete index squats the alias's name (written to before any alias existed).
        actions.append({"remove_index": {"index": alias}})
    actions.append({"add": {"index": new_index, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    return old


def delete_old_indices(client, keep):
    removed = []
    for name in sorted(our_indices(client)):
        if name != keep:
            client.indices.delete(index=name, ignore_unavailable=True)
            removed.append(name)
    return removed


def ensure_index(client=None):
    """Create an empty index behind the alias if there is none (first start, tests)."""
    client = client or connection().for_bulk()
    existing = current_index(client)
    if existing:
        return existing
    name = create_index(client, new_index_name())
    swap_alias(client, name)
    return name


# --- status ------------------------------------------------------------------------------


def cluster_status(url=None):
    """For /healthz/: reachable?, distribution, version, index and document count. Asks the
    cluster every time (with the short sync timeout), through the cached connection."""
    url = url or settings.ELASTICSEARCH_URL
    try:
        conn = connection(url)
        client = conn.for_sync()
        version = client.info().body.get("version", {})
        status = {
            "ok": True,
            "distribution": (version.get("distribution") or "elasticsearch").lower(),
            "version": str(version.get("number", "")),
        }
    except Exception as error:
        mark_down(url)
        return {"ok": False, "error": type(error).__name__}
    mark_up(url)
    try:
        status["index"] = current_index(client)
        if status["index"]:
            status["documents"] = client.count(index=alias_name()).body["count"]
        else:  # searches would fail over to the database until search_reindex has run
            status.update(ok=False, documents=0, error=f"ingen indeks bak aliaset {alias_name()}: kjør search_reindex")
    except Exception as error:
        status["ok"] = False
        status["error"] = type(error).__name__
    return status
