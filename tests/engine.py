"""The search engine the Elasticsearch backend is tested against, as pytest fixtures.

By default the tests start ``osmem-server`` (an in-memory OpenSearch-compatible engine
whose wheel bundles its binary; a test extra), once per session. With ``ELASTICSEARCH_URL``
set, they run against that cluster instead, in indexes of their own
(``kb-test-<random>-pages-…``, deleted at the end), e.g. Elasticsearch in a container
(docs/elasticsearch.md).

In CI (``CI`` set) these tests are required: if the engine cannot be started the tests
error loudly instead of being skipped. Elsewhere they are skipped with the reason.

Every other test keeps the database backend: the session starts with
``settings.ELASTICSEARCH_URL`` emptied, and the engine fixtures set it per test.
"""

import os
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

EXTERNAL_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
TEST_PREFIX = f"kb-test-{uuid.uuid4().hex[:8]}"


@dataclass
class Engine:
    url: str
    kind: str  # "osmem" or "external"
    prefix: str
    server: object = None


@pytest.fixture(scope="session", autouse=True)
def _database_backend_unless_asked():
    """The site's own settings may name a cluster; tests use it only through the fixtures below."""
    original = django_settings.ELASTICSEARCH_URL
    django_settings.ELASTICSEARCH_URL = ""
    yield
    django_settings.ELASTICSEARCH_URL = original


def _start_osmem():
    from osmem_server import OsmemServer

    return OsmemServer.start(japanese=False, startup_timeout=60)


@pytest.fixture(scope="session")
def search_engine():
    """A running engine: ELASTICSEARCH_URL's cluster, or an osmem-server started here."""
    from search.engines.elasticsearch import client as engine_client

    if EXTERNAL_URL:
        engine = Engine(url=EXTERNAL_URL, kind="external", prefix=TEST_PREFIX)
        yield engine
        _delete_test_indices(engine)
        engine_client.forget_connections()
        return
    try:
        server = _start_osmem()
    except Exception as error:
        message = f"Søkemotoren for testene (osmem-server) kunne ikke startes: {type(error).__name__}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message + " — testene mot søkemotoren er påkrevd i CI.", pytrace=False)
        pytest.skip(message)
    engine = Engine(url=server.url, kind="osmem", prefix=TEST_PREFIX, server=server)
    yield engine
    engine_client.forget_connections()
    server.close()


def _delete_test_indices(engine):
    from elasticsearch import Elasticsearch

    from search.engines.elasticsearch.client import PlainJsonNode

    client = Elasticsearch(engine.url, node_class=PlainJsonNode, request_timeout=30)
    try:
        names = client.indices.get_alias(index=f"{TEST_PREFIX}*", allow_no_indices=True, ignore_unavailable=True).body
        for name in names:
            client.indices.delete(index=name, ignore_unavailable=True)
    finally:
        client.close()


def engine_settings(engine, prefix):
    return override_settings(
        ELASTICSEARCH_URL=engine.url,
        ELASTICSEARCH_INDEX_PREFIX=prefix,
        ELASTICSEARCH_TIMEOUT=10.0,
        ELASTICSEARCH_SYNC_TIMEOUT=10.0,
    )


@pytest.fixture(scope="session")
def seed_index(search_engine, django_db_setup, django_db_blocker):
    """The seed content indexed once in the engine (read-only for the tests using it)."""
    from search.engines.elasticsearch import client as engine_client
    from search.engines.elasticsearch import rebuild

    prefix = f"{search_engine.prefix}-seed"
    with django_db_blocker.unblock(), engine_settings(search_engine, prefix):
        engine_client.forget_connections()
        result = rebuild.rebuild()
    engine_client.forget_connections()
    return {"prefix": prefix, "result": result}


@pytest.fixture
def es_seed(seed_index, search_engine, db):
    """Settings pointing at the shared seed index, for tests that only read."""
    from search.engines.elasticsearch import client as engine_client

    engine_client.forget_connections()
    with engine_settings(search_engine, seed_index["prefix"]):
        yield search_engine
    engine_client.forget_connections()


@pytest.fixture
def es_fresh(search_engine, db):
    """Settings pointing at an index of this test's own, built from the (test) database, for
    tests that publish, unpublish, move or delete pages."""
    from search.engines.elasticsearch import client as engine_client
    from search.engines.elasticsearch import indices, rebuild

    prefix = f"{search_engine.prefix}-{uuid.uuid4().hex[:8]}"
    engine_client.forget_connections()
    with engine_settings(search_engine, prefix):
        rebuild.rebuild()
        yield search_engine
        try:
            client = engine_client.connection().for_bulk()
            for name in indices.our_indices(client):
                client.indices.delete(index=name, ignore_unavailable=True)
        except Exception:
            pass
    engine_client.forget_connections()


def refresh():
    """Make what was just written searchable (the engine refreshes every second)."""
    from search.engines.elasticsearch import client as engine_client
    from search.engines.elasticsearch import indices

    engine_client.connection().for_bulk().indices.refresh(index=indices.alias_name())


@pytest.fixture(params=["database", "elasticsearch"])
def either_backend(request, db):
    """Each test once on the database backend and once on the engine's seed index."""
    from search.backends.database import DatabaseBackend
    from search.backends.elasticsearch import ElasticsearchBackend

    if request.param == "database":
        return DatabaseBackend()
    request.getfixturevalue("es_seed")
    return ElasticsearchBackend()
