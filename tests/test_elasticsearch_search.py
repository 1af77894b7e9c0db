"""The Elasticsearch backend answers from the engine alone: quoted phrases match word for
word, words close together rank higher, compounds are found from their first part by the
engine's own prefix query, snippets come from its highlighter, and spelling help from its
index of words — not one SQL query on the way. Writes carry external versions, so an older
state of a page never overwrites a newer one; sync_page raises on an outage so a task can
retry it."""

import pytest

from search import sync
from search.analysis import query_terms
from search.backends.base import BackendQuery
from search.backends.elasticsearch import ElasticsearchBackend
from search.engines.elasticsearch import client as engine_client
from search.engines.elasticsearch import indices
from search.engines.elasticsearch.pages import current_document
from search.engines.elasticsearch.writes import bulk_write, index_action, read_version, write
from tests.elasticsearch_helpers import refused_url
from tests.engine import refresh
from tests.factories import PracticePageFactory, rich

MARKER = "Qwxplan"


def engine_search(text, phrases=(), **options):
    query = BackendQuery(terms=tuple(query_terms(text)), phrases=tuple(phrases), **options)
    return ElasticsearchBackend().search(query)


def source(page_id):
    found = engine_client.connection().for_sync().options(ignore_status=404).get(
        index=indices.alias_name(), id=str(page_id)
    )
    return found.body.get("_source") if found.body.get("found") else None


@pytest.fixture
def two_practices(es_fresh):
    """One practice that says «tett oppfølging», one that has both words far apart (and more often)."""
    together = PracticePageFactory(
        title=f"{MARKER} i Alta",
        summary="Et prosjekt i Finnmark.",
        description=rich(f"{MARKER}: beboerne fikk tett oppfølging hver uke."),
    )
    apart = PracticePageFactory(
        title=f"{MARKER} i Vadsø",
        description=rich(
            f"{MARKER}: tett samarbeid mellom tjenestene var viktig, og et tett nettverk rundt hver bruker.",
            "Brukerne hadde mange samtaler med veilederen sin gjennom hele prosjektperioden.",
            "Oppfølging ble evaluert hvert halvår, og oppfølging i hjemmet ble prøvd ut.",
        ),
    )
    for page in (together, apart):
        sync.sync_page(page.pk)
    refresh()
    return together, apart


def test_a_quoted_phrase_matches_only_the_words_in_that_order(two_practices):
    together, apart = two_practices
    quoted = engine_search(f'{MARKER} "tett oppfølging"', phrases=["tett oppfølging"])
    assert [hit.page_id for hit in quoted.hits] == [together.pk]
    assert engine_search(f'{MARKER} "oppfølging tett"', phrases=["oppfølging tett"]).total == 0


def test_without_quotes_the_words_close_together_rank_first(two_practices):
    together, apart = two_practices
    result = engine_search(f"{MARKER} tett oppfølging")
    assert [hit.page_id for hit in result.hits] == [together.pk, apart.pk]


def test_compounds_are_found_by_the_engine_from_their_first_part(es_fresh, django_assert_num_queries):
    page = PracticePageFactory(title=f"{MARKER} i Hammerfest", description=rich("Et nytt boligkontorprosjekt."))
    sync.sync_page(page.pk)
    refresh()
    with django_assert_num_queries(0):  # the engine alone: no SQL search tables, no vocabulary
        result = engine_search(f"{MARKER} boligkontor")
    assert [hit.page_id for hit in result.hits] == [page.pk]


def test_snippets_come_from_the_engine(two_practices, django_assert_num_queries):
    together, _apart = two_practices
    with django_assert_num_queries(0):
        result = engine_search(f'{MARKER} "tett oppfølging"', phrases=["tett oppfølging"])
    snippet = str(result.hits[0].snippet)
    assert "<mark>tett</mark> <mark>oppfølging</mark>" in snippet
    # A word only in the title: the passage of the body the engine highlights is the snippet.
    with django_assert_num_queries(0):
        title_only = engine_search(f"{MARKER} Alta")
    assert [hit.page_id for hit in title_only.hits] == [together.pk]
    assert "beboerne fikk tett oppfølging" in str(title_only.hits[0].snippet)


def test_spelling_help_comes_from_the_engine(es_seed, django_assert_num_queries):
    backend = ElasticsearchBackend()
    with django_assert_num_queries(0):
        assert backend.known_words(["depositumgaranti", "depositumgarnati"]) == {"depositumgaranti"}
        assert backend.similar_words("depositumgarnati", limit=1) == ["depositumgaranti"]
        assert backend.similar_words("xq") == []


# --- external versions ----------------------------------------------------------------------


def test_an_older_state_never_overwrites_a_newer_one(es_fresh, tromso, django_capture_on_commit_callbacks):
    old_version = read_version()
    old_document = current_document(tromso.pk)
    tromso.title = "Fra bostedsløs til beboer i Zyxwvby"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    refresh()
    assert source(tromso.pk)["title"] == tromso.title
    client = engine_client.connection().for_sync()
    # A late write of the state read before the publish (a slow task, a retry) is refused...
    assert write(client, indices.alias_name(), tromso.pk, old_document, old_version) == "newer"
    # ... in a bulk request too, where the conflict counts as done, not as a failure.
    handled, failed = bulk_write(client, [index_action(old_document, indices.alias_name(), old_version)])
    assert (handled, failed) == (1, {})
    refresh()
    assert source(tromso.pk)["title"] == "Fra bostedsløs til beboer i Zyxwvby"


def test_an_older_state_does_not_bring_back_a_removed_page(es_fresh, tromso, django_capture_on_commit_callbacks):
    old_version = read_version()
    old_document = current_document(tromso.pk)
    with django_capture_on_commit_callbacks(execute=True):
        tromso.unpublish()
    refresh()
    assert source(tromso.pk) is None
    client = engine_client.connection().for_sync()
    assert write(client, indices.alias_name(), tromso.pk, old_document, old_version) == "newer"
    refresh()
    assert source(tromso.pk) is None


def test_sync_page_is_idempotent(es_fresh, tromso):
    assert sync.sync_page(tromso.pk) == "written"
    assert sync.sync_page(tromso.pk) == "written"  # a later read: a higher version
    refresh()
    assert source(tromso.pk)["title"] == "Fra bostedsløs til beboer"


# --- what a background task needs -------------------------------------------------------------


def test_sync_page_raises_on_an_outage_so_a_task_can_retry(es_fresh, settings, tromso):
    engine_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = refused_url()
    with pytest.raises(sync.EngineUnavailable):
        sync.sync_page(tromso.pk)
    with pytest.raises(sync.EngineUnavailable):  # the breaker: no new attempt for a while
        sync.sync_page(tromso.pk)
    settings.ELASTICSEARCH_URL = engine_url
    engine_client.mark_up()
    assert sync.sync_page(tromso.pk) == "written"
