"""When the cluster is down, slow or without an index, search answers from the database
backend with a notice, never with an error page; /healthz/ tells the database and the
search engine apart."""

import json

import pytest
from django.db import connection
from django.http import QueryDict

from search.backends import BackendUnavailable, get_backend
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.engines.elasticsearch import client as engine_client
from search.params import parse_params
from search.service import FALLBACK_NOTICE, SearchService
from tests.elasticsearch_helpers import SilentServer, refused_url
from tests.seed_content import SEED_DOCUMENTS

OKSNES = "Utvikling av de sosiale tjenestene i NAV-kontoret. Oppfølging av brukere med depositumgaranti"


def search(q="", **filters):
    querydict = QueryDict(mutable=True)
    querydict["q"] = q
    for facet, values in filters.items():
        querydict.setlist(facet, values if isinstance(values, list) else [values])
    return SearchService().search(parse_params(querydict))


def test_the_backend_follows_the_settings(db, settings):
    settings.ELASTICSEARCH_URL = ""
    assert isinstance(get_backend(), DatabaseBackend)
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9200"
    assert isinstance(get_backend(), ElasticsearchBackend)


def test_a_down_cluster_gives_database_results_with_a_notice(db, settings):
    settings.ELASTICSEARCH_URL = refused_url()
    response = search("depositumgaranti")
    assert [r.title for r in response.results] == [OKSNES]
    assert response.notices == [FALLBACK_NOTICE]
    assert response.facets["type"]  # facets too, from the fallback


def test_a_hung_cluster_answers_within_the_timeout(db, settings):
    with SilentServer() as silent:
        settings.ELASTICSEARCH_URL = silent.url
        settings.ELASTICSEARCH_TIMEOUT = 1.5
        settings.ELASTICSEARCH_SYNC_TIMEOUT = 1.5
        # The search returns (a missing timeout would hang here) with the database's results;
        # no wall-clock budget is asserted on a shared machine.
        response = search("depositumgaranti")
        asked_first = silent.new_connections()
        again = search("depositumgaranti")
        asked_again = silent.new_connections()
    assert response.notices == [FALLBACK_NOTICE] and [r.title for r in response.results] == [OKSNES]
    assert asked_first >= 1, "the first search asked the cluster"
    assert again.notices == [FALLBACK_NOTICE]
    assert asked_again == 0, "after a timeout the cluster is left alone for a while (circuit breaker)"


def test_a_missing_index_falls_back_too(db, settings, search_engine):
    engine_client.forget_connections()
    settings.ELASTICSEARCH_URL = search_engine.url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"{search_engine.prefix}-never-built"
    response = search("depositumgaranti")
    assert response.notices == [FALLBACK_NOTICE]
    assert [r.title for r in response.results] == [OKSNES]


def test_the_backend_raises_unavailable_not_transport_errors(db, settings):
    settings.ELASTICSEARCH_URL = refused_url()
    from search.backends.base import BackendQuery

    with pytest.raises(BackendUnavailable):
        ElasticsearchBackend().search(BackendQuery())
    with pytest.raises(BackendUnavailable):
        ElasticsearchBackend().title_suggestions("bolig")


def test_the_search_page_shows_the_notice(client, db, settings):
    settings.ELASTICSEARCH_URL = refused_url()
    response = client.get("/sok/", {"q": "depositumgaranti"})
    assert response.status_code == 200
    page = response.content.decode()
    assert FALLBACK_NOTICE in page
    assert "depositumgaranti" in page.lower()


def test_the_api_and_autocomplete_still_answer(client, db, settings):
    settings.ELASTICSEARCH_URL = refused_url()
    response = client.get("/api/search/", {"q": "depositumgaranti"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["notices"] == [FALLBACK_NOTICE]  # the API says so too, as /sok/ does
    response = client.get("/api/search/autocomplete/", {"q": "hjem"})
    assert response.status_code == 200


def test_no_notice_when_the_engine_answers(es_seed):
    response = search("depositumgaranti")
    assert response.notices == []
    assert [r.title for r in response.results] == [OKSNES]


# --- /healthz/ ----------------------------------------------------------------------------


def test_healthz_with_the_database_backend(client, db, settings):
    settings.ELASTICSEARCH_URL = ""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True},
        "search": {"backend": "database", "ok": True, "distribution": None, "version": None, "queue": 0},
    }


def test_healthz_with_the_engine(client, es_seed):
    data = client.get("/healthz/").json()
    assert data["status"] == "ok"
    search = data["search"]
    assert search["backend"] == "elasticsearch" and search["ok"] is True
    assert search["distribution"] in ("opensearch", "elasticsearch") and search["version"]
    assert search["queue"] == 0
    assert search["documents"] == SEED_DOCUMENTS  # the published seed pages


def test_healthz_when_the_engine_is_down(client, db, settings):
    settings.ELASTICSEARCH_URL = refused_url()
    response = client.get("/healthz/")
    assert response.status_code == 200  # the site still serves, from the database
    data = response.json()
    assert data["status"] == "degraded"
    assert data["database"] == {"ok": True}
    assert data["search"]["ok"] is False and data["search"]["fallback"] == "database"


def test_healthz_when_updates_are_queued(client, es_seed):
    from search.models import IndexQueueEntry

    IndexQueueEntry.objects.create(page_id=99999, action="index")
    data = client.get("/healthz/").json()
    assert data["status"] == "degraded" and data["search"]["ok"] is True and data["search"]["queue"] == 1


def test_healthz_is_503_only_when_the_database_is_down(client, db, monkeypatch):
    from search import health

    class DownDatabase:
        def cursor(self):
            raise connection.Database.OperationalError("database is down")

    monkeypatch.setattr(health, "connection", DownDatabase())
    response = client.get("/healthz/")
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "down" and data["database"]["ok"] is False


def test_healthz_when_the_index_was_never_built(client, db, settings, search_engine):
    engine_client.forget_connections()
    settings.ELASTICSEARCH_URL = search_engine.url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"{search_engine.prefix}-never-built"
    data = client.get("/healthz/").json()
    assert data["status"] == "degraded"
    assert data["search"]["ok"] is False and "search_reindex" in data["search"]["error"]
    assert data["search"]["distribution"] in ("opensearch", "elasticsearch")
