"""The engine's index: Norwegian analysis from portable parts, documents built from the shared
analysis, a rebuild behind an alias without downtime, and a client that speaks to
Elasticsearch in its compatibility media types and to OpenSearch in plain JSON."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from elastic_transport import HttpHeaders

from search.analysis import index_terms
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import document_for
from search.engines.elasticsearch import client as engine_client
from search.engines.elasticsearch import indices, mapping, rebuild
from search.models import SearchDocument
from tests.elasticsearch_helpers import EngineProxy
from tests.engine import engine_settings

OKSNES = "Utvikling av de sosiale tjenestene i NAV-kontoret. Oppfølging av brukere med depositumgaranti"


# --- documents and mapping -----------------------------------------------------------------


def test_documents_carry_the_shared_terms_facets_and_laws(tromso):
    source = mapping.es_source(document_for(tromso))
    expected_terms = set()
    for text, _weight in document_for(tromso).texts:
        expected_terms.update(index_terms(text)[0])
    assert set(source["terms"]) | set(source["synonyms"]) == {term[:80] for term in expected_terms}
    assert all(key.startswith("=") for key in source["synonyms"]) and source["synonyms"]
    assert "sosialtjenesteloven" in source["laws"]
    assert "sosialtjenesteloven:27" in source["law_paragraphs"]
    assert "sosialtjenesteloven:27" in source["facets"]["law"]
    assert "troms" in source["facets"]["county"]
    assert f"troms{mapping.LABEL_SEPARATOR}Troms" in source["facet_labels"]["county"]
    assert source["weighted"]["w8"].split() == ["bostedslos", "bebo", "=bostedslos"]  # the title: stems, synonym
    assert source["title_sort"] == "fra bostedsløs til beboer"


def test_synonym_keys_become_single_tokens():
    assert mapping.encode_term("=housing first") == "=housing_first"
    assert mapping.weight_class(8.0) == "w8" and mapping.weight_class(3.0) == "w2"
    assert mapping.weight_class(0.5) == "w1"


def test_the_mapping_uses_portable_norwegian_analysis():
    definition = mapping.index_definition("x").to_dict()
    analysis = definition["settings"]["analysis"]
    assert analysis["filter"]["kb_norwegian_stemmer"] == {"type": "stemmer", "language": "norwegian"}
    assert analysis["analyzer"]["kb_norwegian"]["tokenizer"] == "standard"
    assert analysis["analyzer"]["kb_norwegian"]["filter"] == ["lowercase", "kb_norwegian_stop", "kb_norwegian_stemmer"]
    assert "asciifolding" in analysis["analyzer"]["kb_norwegian_folded"]["filter"]
    assert "og" in analysis["filter"]["kb_norwegian_stop"]["stopwords"]
    properties = definition["mappings"]["properties"]
    assert properties["title"]["fields"]["folded"]["analyzer"] == "kb_norwegian_folded"
    assert properties["title"]["fields"]["autocomplete"]["analyzer"] == "kb_autocomplete"
    assert properties["terms"] == {"type": "keyword"} and properties["synonyms"] == {"type": "keyword"}
    assert set(properties["facets"]["properties"]) == set(mapping.FACET_FIELDS)
    assert properties["laws"] == {"type": "keyword"} and properties["law_paragraphs"] == {"type": "keyword"}
    assert definition["mappings"]["dynamic"] == "strict"


def test_the_engine_stems_norwegian_with_the_real_analyzer(es_seed):
    client = engine_client.connection().for_sync()
    index = indices.current_index(client)
    tokens = client.indices.analyze(index=index, analyzer="kb_norwegian", text="boligene til de bostedsløse").body
    stems = [token["token"] for token in tokens["tokens"]]
    assert stems[0] == "bol" and "til" not in stems and "de" not in stems
    folded = client.indices.analyze(index=index, analyzer="kb_norwegian_folded", text="Øvre Eiker").body
    assert [token["token"] for token in folded["tokens"]] == ["ovre", "eiker"]


def test_snippets_are_escaped_even_if_the_text_holds_markup(es_fresh, tromso, django_capture_on_commit_callbacks):
    from search.analysis import query_terms
    from search.backends.base import BackendQuery
    from tests.engine import refresh

    # Escaped markup in rich text is plain text with «<» in it once the tags are stripped.
    tromso.description = "<p>&lt;script&gt;alert('x')&lt;/script&gt; Zyxwvby &amp; co</p>"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    refresh()
    result = ElasticsearchBackend().search(BackendQuery(terms=tuple(query_terms("Zyxwvby"))))
    snippet = str(result.hits[0].snippet)
    assert "<mark>Zyxwvby</mark>" in snippet
    assert "<script" not in snippet and "&lt;script&gt;" in snippet and "&amp; co" in snippet


# --- index names, alias and rebuild --------------------------------------------------------


def test_names_have_a_prefix_per_environment(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "kunnskapsbase-staging"
    assert indices.alias_name() == "kunnskapsbase-staging-pages"
    name = indices.new_index_name()
    assert indices.is_our_index(name)
    settings.ELASTICSEARCH_INDEX_PREFIX = "kunnskapsbase"
    assert not indices.is_our_index(name)


def test_reindex_builds_a_new_index_and_swaps_the_alias(es_fresh, settings):
    client = engine_client.connection().for_bulk()
    before = indices.current_index(client)
    out = StringIO()
    call_command("search_reindex", stdout=out)
    output = out.getvalue()
    after = indices.current_index(client)
    assert after != before and indices.is_our_index(after)
    assert list(indices.our_indices(client)) == [after]  # the old index is gone
    documents = SearchDocument.objects.count()
    assert f"Dokumenter:    {documents}" in output  # embedded tables, then the engine
    assert f"[{documents}/{documents}] 100 %" in output
    assert f"(alias {indices.alias_name()})" in output and "dokumenter/s" in output
    assert before in output  # named among the deleted
    assert client.count(index=indices.alias_name()).body["count"] == documents


def test_a_failed_rebuild_leaves_the_old_index_serving(es_fresh, monkeypatch):
    client = engine_client.connection().for_bulk()
    before = indices.current_index(client)

    def broken(page):
        raise RuntimeError("en side som ikke lar seg lese")

    monkeypatch.setattr("search.documents.document_for", broken)
    with pytest.raises(CommandError, match="Den gamle indeksen"):
        call_command("search_reindex", "--elasticsearch-only", stdout=StringIO())
    assert indices.current_index(client) == before
    assert list(indices.our_indices(client)) == [before]  # the half-built one was deleted
    from search.analysis import query_terms
    from search.backends.base import BackendQuery

    assert ElasticsearchBackend().search(BackendQuery(terms=tuple(query_terms("depositumgaranti")))).total == 1


def test_elasticsearch_only_needs_a_cluster(db, settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_reindex", "--elasticsearch-only", stdout=StringIO())


def test_an_index_squatting_the_alias_name_is_replaced(search_engine, db):
    prefix = f"{search_engine.prefix}-squat"
    engine_client.forget_connections()
    with engine_settings(search_engine, prefix):
        client = engine_client.connection().for_bulk()
        client.indices.create(index=indices.alias_name())  # e.g. written to before any alias existed
        result = rebuild.rebuild()
        assert indices.current_index(client) == result.index
        assert client.indices.exists_alias(name=indices.alias_name())
        for name in indices.our_indices(client):
            client.indices.delete(index=name)
    engine_client.forget_connections()


# --- client compatibility ------------------------------------------------------------------


def test_plain_json_node_rewrites_compatibility_media_types():
    from elastic_transport import NodeConfig

    sent = {}

    class Recorder(engine_client.PlainJsonNode):
        pass

    node = Recorder(NodeConfig("http", "127.0.0.1", 9))

    def fake_super(self, method, target, body=None, headers=None, request_timeout=None):
        sent.update(headers)
        raise RuntimeError("stop")

    import elastic_transport

    original = elastic_transport.Urllib3HttpNode.perform_request
    elastic_transport.Urllib3HttpNode.perform_request = fake_super
    try:
        with pytest.raises(RuntimeError):
            node.perform_request("POST", "/_bulk", b"{}", HttpHeaders({
                "Accept": "application/vnd.elasticsearch+json; compatible-with=8",
                "Content-Type": "application/vnd.elasticsearch+x-ndjson; compatible-with=8",
            }))
    finally:
        elastic_transport.Urllib3HttpNode.perform_request = original
    assert sent["accept"] == "application/json"
    assert sent["content-type"] == "application/x-ndjson"


def test_opensearch_gets_plain_json(search_engine, seed_index, db):
    with EngineProxy(search_engine.url, "opensearch") as proxy:
        engine_client.forget_connections()
        with engine_settings(search_engine, seed_index["prefix"]):
            from django.conf import settings

            settings.ELASTICSEARCH_URL = proxy.url
            assert engine_client.connection().info.distribution == "opensearch"
            from search.analysis import query_terms
            from search.backends.base import BackendQuery

            result = ElasticsearchBackend().search(BackendQuery(terms=tuple(query_terms("depositumgaranti"))))
            assert result.total == 1 and result.facets["type"]
        engine_client.forget_connections()
    assert proxy.seen and not any("vnd.elasticsearch" in accept + ctype for _m, _p, accept, ctype in proxy.seen)


def test_the_plain_elasticsearch_client_is_refused_by_opensearch(search_engine):
    from elasticsearch import Elasticsearch

    with EngineProxy(search_engine.url, "opensearch") as proxy:
        client = Elasticsearch(proxy.url, request_timeout=5)
        with pytest.raises(Exception) as raised:  # 406, or the product check
            client.info()
        client.close()
    assert "406" in str(raised.value) or "not Elasticsearch" in str(raised.value) or "media" in str(raised.value)


def test_elasticsearch_gets_its_compatibility_headers(search_engine, seed_index, db):
    with EngineProxy(search_engine.url, "elasticsearch") as proxy:
        engine_client.forget_connections()
        with engine_settings(search_engine, seed_index["prefix"]):
            from django.conf import settings

            settings.ELASTICSEARCH_URL = proxy.url
            info = engine_client.connection().info
            assert info.distribution == "elasticsearch" and info.version == "8.15.0"
            from search.analysis import query_terms
            from search.backends.base import BackendQuery

            result = ElasticsearchBackend().search(BackendQuery(terms=tuple(query_terms("depositumgaranti"))))
            assert result.total == 1
        engine_client.forget_connections()
    searches = [entry for entry in proxy.seen if entry[1].endswith("/_search") or "/_search?" in entry[1]]
    assert searches and all("compatible-with=8" in accept for _m, _p, accept, _c in searches)


def test_a_rebuild_streams_pages_instead_of_holding_them_all(es_fresh, monkeypatch):
    """Documents are built as the chunks are sent, never all first: memory stays flat."""
    from search import documents

    built, built_when_sent = [], []
    original = documents.document_for

    def counting(page):
        built.append(page.pk)
        return original(page)

    send = rebuild._send_chunk

    def recording(client, chunk):
        built_when_sent.append(len(built))
        return send(client, chunk)

    monkeypatch.setattr(documents, "document_for", counting)
    monkeypatch.setattr(rebuild, "BULK_CHUNK_SIZE", 2)
    monkeypatch.setattr(rebuild, "_send_chunk", recording)
    result = rebuild.rebuild()
    assert result.count == SearchDocument.objects.count() > 4
    # The first chunk went out when only it had been built (not the whole collection).
    assert built_when_sent[0] == 2
    assert len(built_when_sent) == -(-result.count // 2)
