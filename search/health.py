"""/healthz/: can the site serve, and how is search?

200 when the database answers — the site can serve pages and search, from the database
backend if need be — with ``"status": "degraded"`` when the search engine is unreachable or
behind (failed updates waiting in the queue); 503 only when the database is down.

    {"status": "ok", "database": {"ok": true},
     "search": {"backend": "elasticsearch", "ok": true, "distribution": "opensearch",
                "version": "3.8.0", "queue": 0}}

Cheap enough for a load balancer: one ``SELECT 1``, one count, and with an external engine
one ``GET /`` with the short sync timeout.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.error("Helsesjekk: databasen svarer ikke: %s", error)
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def search_status(database_ok=True):
    from .sync import backlog

    queue = backlog() if database_ok else None
    if not getattr(settings, "ELASTICSEARCH_URL", ""):
        return {"backend": "database", "ok": database_ok, "distribution": None, "version": None, "queue": queue}
    from .engines.elasticsearch.indices import cluster_status

    cluster = cluster_status()
    status = {
        "backend": "elasticsearch",
        "ok": cluster["ok"],
        "distribution": cluster.get("distribution"),
        "version": cluster.get("version"),
        "queue": queue,
    }
    if "index" in cluster:
        status["index"] = cluster["index"]
        status["documents"] = cluster.get("documents")
    if not cluster["ok"]:
        status["error"] = cluster.get("error", "")
        status["fallback"] = "database"
    return status


@never_cache
@require_GET
def healthz(request):
    database = database_status()
    search = search_status(database["ok"])
    if not database["ok"]:
        overall, code = "down", 503
    elif search["ok"] and not search["queue"]:
        overall, code = "ok", 200
    else:
        overall, code = "degraded", 200
    return JsonResponse({"status": overall, "database": database, "search": search}, status=code)
