"""The database engines' full-text search (SQLite FTS5, PostgreSQL tsvector; search/engines/):
phrases, compounds found from their first part, the snapshot kept current by each write
without a rebuild, the batched reindex, and a clear message when SQLite lacks FTS5.

Runs on whichever database DATABASE_URL names (SQLite by default)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.rich_text import RichText

from search import indexing, snapshot
from search.analysis import query_terms
from search.engines import sqlite_fts
from search.engines.fulltext import compile_match, engine
from search.engines.tokens import analysed_tokens, encode
from search.highlight import densest, snippet
from search.models import SearchDocument
from search.params import parse_params
from search.service import SearchService, quoted_phrases
from tests.factories import ArticlePageFactory, PracticePageFactory


def search(q="", **filters):
    data = QueryDict(mutable=True)
    if q:
        data["q"] = q
    for facet, value in filters.items():
        data[facet] = value
    return SearchService().search(parse_params(data))


def titles(response):
    return [result.title for result in response.results]


def publish(**fields):
    page = PracticePageFactory(**fields)
    indexing.index_page(page)
    return page


# --- tokens ------------------------------------------------------------------------------


def test_synonym_keys_become_one_token_each_engine_keeps_whole():
    assert encode("=housing first") == "syn_housing_first"
    tokens = analysed_tokens("Housing First i Tromsø")
    assert "syn_housing_first" in tokens
    assert all(token.replace("_", "").isalnum() for token in tokens)


# --- phrases -----------------------------------------------------------------------------


def test_a_quoted_phrase_matches_only_the_words_together_and_unquoted_close_words_rank_higher(db):
    together = publish(title="Zorblat qwimmel i Nordby", summary="Vi prøvde zorblat qwimmel med gode resultater.")
    apart = publish(
        title="Qwimmel i Sørby",
        summary="Qwimmel var nytt for oss, og etter mange måneder med prøving og feiling kom zorblat inn i arbeidet.",
    )
    assert titles(search('"zorblat qwimmel"')) == [together.title]
    assert titles(search("«zorblat qwimmel»")) == [together.title]
    assert titles(search("zorblat qwimmel")) == [together.title, apart.title]
    # The other order is not the phrase.
    assert titles(search('"qwimmel zorblat"')) == []


def test_quoted_phrases_are_read_from_the_query():
    assert quoted_phrases('"tett oppfølging" bolig') == ("tett oppfølging",)
    assert quoted_phrases("«housing first» og “tett oppfølging”") == ("housing first", "tett oppfølging")
    assert quoted_phrases('"bolig"') == ()  # one word: an ordinary term
    assert quoted_phrases('"tett oppfølging') == ()  # unclosed: no phrase


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_query_compiles_to_a_valid_match(text):
    match = compile_match(query_terms(text), quoted_phrases(text))
    if match is not None:
        assert match.groups and all(alternative[1] for group in match.groups for alternative in group)


@given(st.text(max_size=40))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_text_searches_without_an_error(db, text):
    response = search(text)
    assert response.count >= 0


# --- prefixes and compounds --------------------------------------------------------------


def test_a_compound_is_found_from_its_first_part_of_four_letters_or_more(db):
    page = publish(title="Vaktmesterordningen i Østby", summary="En egen snøbrøytingstjeneste for leietakerne.")
    assert page.title in titles(search("snøbrøyting"))
    assert page.title in titles(search("vaktmester"))
    assert page.title not in titles(search("snø"))  # three letters: no prefix search


# --- the snapshot follows each write ---------------------------------------------------------


def test_a_publish_and_an_unpublish_reach_the_next_search_without_a_rebuild(db, monkeypatch):
    before = search(county="troms")
    baseline = search("")
    snapshot.current()

    def no_rebuild(version):
        raise AssertionError("the snapshot was rebuilt, not updated")

    monkeypatch.setattr(snapshot, "_build", no_rebuild)
    page = publish(title="Kveldsåpen boligkafe i Qwertyvik")
    after = search("")
    assert after.count == baseline.count + 1
    assert titles(search("Qwertyvik boligkafe")) == [page.title]
    type_counts = {o.value: o.count for o in after.facets["type"]}
    assert type_counts["praksis"] == {o.value: o.count for o in baseline.facets["type"]}["praksis"] + 1

    page.unpublish()
    indexing.index_page(page)
    assert search("Qwertyvik").count == 0
    assert search("").count == baseline.count
    assert search(county="troms").count == before.count


def test_an_entry_deleted_by_hand_is_noticed(db):
    assert search("").count > 0
    SearchDocument.objects.all().delete()
    assert search("").count == 0


def test_a_search_checks_freshness_with_one_cheap_query(db, django_assert_max_num_queries):
    search("bolig")
    # Version row, snippets' documents, law registry: nothing that counts the index.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        search("bolig")
    sql = " ".join(q["sql"] for q in captured.captured_queries).upper()
    assert "COUNT(" not in sql and "MAX(" not in sql


# --- batched reindex -------------------------------------------------------------------------


def test_reindex_works_in_batches_and_keeps_pages_published_meanwhile(db):
    calls = []
    published = []

    def progress(done, total):
        calls.append((done, total))
        if len(calls) == 2 and not published:
            # Published while the rebuild runs, of a type the rebuild has already passed.
            page = PracticePageFactory(title="Midt i ombyggingen")
            indexing.index_page(page)
            published.append(page)

    ArticlePageFactory(title="Artikkel om bostøtte")  # one more page after the practices
    count = indexing.reindex(progress, batch_size=2)
    assert len(calls) >= 3 and calls[-1][0] == count
    assert all(b[0] > a[0] for a, b in zip(calls, calls[1:], strict=False))
    assert titles(search("ombyggingen")) == ["Midt i ombyggingen"]
    assert "Artikkel om bostøtte" in titles(search("bostøtte"))


def test_reindex_removes_entries_of_pages_no_longer_searchable(db):
    page = publish(title="Snart avpublisert Qwertyby")
    page.unpublish()  # no index update: the reindex must notice
    call_command("search_reindex", "--skip-elasticsearch", stdout=StringIO())
    assert search("Qwertyby").count == 0
    assert engine().count() >= SearchDocument.objects.count()


# --- SQLite without FTS5 ---------------------------------------------------------------------


class FakeCursor:
    def __init__(self, options):
        self.options = options

    def execute(self, sql):
        assert sql == "PRAGMA compile_options"
        return self

    def fetchall(self):
        return [(option,) for option in self.options]


def test_sqlite_without_fts5_is_reported_clearly():
    with pytest.raises(sqlite_fts.FTS5Unavailable, match="uten FTS5"):
        sqlite_fts.check_available(FakeCursor(["ENABLE_FTS4", "THREADSAFE=1"]))
    sqlite_fts.check_available(FakeCursor(["ENABLE_FTS5"]))


# --- snippets ---------------------------------------------------------------------------------


def test_a_long_text_with_many_hits_gives_a_snippet_around_the_densest_hits():
    filler = "lorem ipsum dolor " * 3000
    dense = "bolig " * 30
    text = filler + "boliger " + filler + dense + filler
    terms = query_terms("bolig")
    html = str(snippet(text, terms))
    assert html.count("<mark>") >= 30
    assert html.startswith("… ") and html.endswith(" …")


@given(st.lists(st.integers(min_value=0, max_value=5000), max_size=300, unique=True), st.integers(1, 60))
@settings(max_examples=200, deadline=None)
def test_the_densest_window_is_found_in_one_pass(positions, length):
    hits = sorted(positions)
    if not hits:
        return

    def count(first):
        return sum(1 for h in hits if first <= h < first + length)

    best = densest(hits, length)
    assert count(best) == max(count(h) for h in hits)
    assert best == next(h for h in hits if count(h) == count(best))


def test_article_body_phrase_search_through_the_api(client, db):
    page = ArticlePageFactory(
        title="Om kveldsteam",
        body=[("paragraph", RichText("<p>Kveldsteamet ga brukerne trygghet om natten.</p>"))],
    )
    indexing.index_page(page)
    response = client.get("/api/search/", {"q": '"kveldsteamet ga brukerne"'})
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == [page.title]
