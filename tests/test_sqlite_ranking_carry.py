"""On SQLite a remembered ranking is carried over a publish only where it is proved exact
(search/engines/sqlite_carry.py): after any sequence of edits, a carried ranking is the start of
the full ranking FTS5 gives afresh, the same documents in the same order with the same scores to
the last bit, ties (equal scores, equal titles) included; when it cannot be proved, it is not
carried. And it is carried in the common case (one document changed in a collection where the
word is common), through the search backend as a visitor's search uses it.

Random small collections are written straight into the full-text tables (emptied inside the
test's transaction) for documents of the seed content, as in test_sqlite_pruned_ranking.py."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from search import indexing, snapshot
from search.analysis import query_terms
from search.backends import database
from search.engines import sqlite_carry, sqlite_fts
from search.engines.fulltext import Match, compile_match, engine
from search.models import SearchDocument
from tests.factories import PracticePageFactory
from tests.test_sqlite_pruned_ranking import ALTERNATIVES, WORDS, documents  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")


@st.composite
def cases(draw):
    """A collection, rounds of edits and a query, from a few words (so that phrases are often in
    about half the rows, where idf is clamped or not, and scores tie or nearly tie). An edit: a
    document (by index) gets new columns and a title, or loses its full-text rows (None)."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True) | st.just(WORDS))
    columns = st.lists(st.sampled_from(words), max_size=5)
    row = st.tuples(columns, columns, columns, columns)
    collection = draw(st.lists(row, min_size=8, max_size=18))
    edit = st.tuples(st.integers(0, 17), st.none() | row, st.sampled_from(["a", "b", "c"]))
    rounds = draw(st.lists(st.lists(edit, min_size=1, max_size=2), min_size=1, max_size=6))
    alternatives = [a for a in ALTERNATIVES if any(w.startswith(a[1]) for w in words)] or ALTERNATIVES
    query = draw(st.lists(st.sampled_from(alternatives), min_size=1, max_size=3, unique=True))
    return collection, rounds, query


def write_rows(ids, collection):
    rows = zip(ids, collection, strict=False)
    sqlite_fts.ENGINE.replace([(pk, tuple(tuple(column) for column in columns)) for pk, columns in rows])


def full(match, limit):
    return [tuple(row) for row in sqlite_fts.ENGINE._ranked_fully(match, limit, 0, None)[0]]


def fresh(match, limit):
    rows, statistics = sqlite_carry.ranked(match, limit)
    return [tuple(row) for row in rows], len(rows) < limit, statistics, {}, None


def assert_counts(match, statistics, ids):
    """The carried statistics' counts are FTS5's (a lower bound where not exact), and rows kept
    as ``Holders`` are exactly the rows holding the phrase."""
    phrases = sqlite_fts._phrases(match)
    with connection.cursor() as cursor:
        for index, table in enumerate(sqlite_fts.COLUMN_TABLES):
            for position, phrase in enumerate(phrases):
                cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [sqlite_fts._alternative(phrase)])
                holding = {row[0] for row in cursor.fetchall()}
                count, exact = statistics.counts[index][position]
                assert count == len(holding) if exact else count <= len(holding)
                holders = statistics.holders[index][position] if statistics.holders else None
                if holders is not None:
                    event("counted from the changed documents" if holders.since else "rows listed")
                    assert holders.count == len(holding)
                    assert {pk for pk in ids if holders.holds(pk)} == holding


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=cases(),
    titles=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3),
    wanted=st.integers(1, 4),
    margin=st.integers(0, 6),
    read_texts=st.booleans(),
)
def test_a_carried_ranking_is_the_fresh_ranking(
    documents,  # noqa: F811
    monkeypatch,
    case,
    titles,
    wanted,
    margin,
    read_texts,
):
    collection, rounds, query = case
    monkeypatch.setattr(sqlite_fts, "PRUNE_MIN_MATCHES", 0)  # small collections: counted all the same
    with monkeypatch.context() as patched:  # (the fixture lasts for all the examples)
        if not read_texts:  # as for a text FTS5 does not split at the spaces: scored and counted by FTS5
            patched.setattr(sqlite_carry, "_read", lambda *args: None)
        carry_rounds(documents, collection, rounds, query, titles, wanted, margin)


def carry_rounds(documents, collection, rounds, query, titles, wanted, margin):  # noqa: F811
    sqlite_fts.ENGINE.delete_all()
    ids = documents[: len(collection)]
    write_rows(ids, collection)
    for index, pk in enumerate(documents):
        SearchDocument.objects.filter(pk=pk).update(title_sort=titles[index % len(titles)])
    match = Match(groups=(tuple(query),))
    limit = wanted + margin
    rows, complete, statistics, known, outside = fresh(match, limit)
    for edit in rounds:
        changed = set()
        for index, columns_now, title in edit:
            pk = documents[index]
            changed.add(pk)
            if columns_now is None:
                sqlite_fts.ENGINE.delete([pk])
            else:
                write_rows([pk], [columns_now])
            SearchDocument.objects.filter(pk=pk).update(title_sort=title)
        carried = None
        if statistics is not None:
            carried = sqlite_carry.carried(match, rows, complete, statistics, known, changed, wanted, limit, outside)
        event("carried" if carried is not None else "ranked anew")
        if carried is None:
            rows, complete, statistics, known, outside = fresh(match, limit)
            continue
        rows, complete, statistics, known, outside = [tuple(row) for row in carried[0]], *carried[1:]
        assert_counts(match, statistics, documents)
        everything = full(match, 1000)
        assert rows == everything[: len(rows)]  # the start of the full ranking, to the bit
        assert len(rows) >= min(wanted, len(everything))
        assert not complete or rows == everything
        assert rows[:wanted] == full(match, wanted)


def test_one_changed_document_in_a_common_word_is_carried(documents, monkeypatch):  # noqa: F811
    """The common case: the word in most documents, one changed at a time, each carried."""
    monkeypatch.setattr(sqlite_fts, "PRUNE_MIN_MATCHES", 0)
    sqlite_fts.ENGINE.delete_all()
    collection = [
        (["bolig"] * (1 + n % 3) + ["leie"] * (n % 4), ["bol", "nav"][: 1 + n % 2], ["bol"], ["bol"] * n)
        for n in range(len(documents))
    ]
    write_rows(documents, collection)
    match = Match(groups=((("term", "bolig"), ("term", "bol")),))
    rows, complete, statistics, known, outside = fresh(match, 12)
    assert statistics is not None and not complete
    carried = 0
    for step in range(6):
        pk = documents[step * 3 % len(documents)]
        write_rows([pk], [(["leie", "nav"][: 1 + step % 2], ["nav"], ["bol"], ["bol"] * (step + 1))])
        answer = sqlite_carry.carried(match, rows, complete, statistics, known, {pk}, 3, 12, outside)
        if answer is None:
            rows, complete, statistics, known, outside = fresh(match, 12)
            continue
        carried += 1
        rows, complete, statistics, known, outside = [tuple(row) for row in answer[0]], *answer[1:]
        assert rows == full(match, 1000)[: len(rows)]
    assert carried >= 5


def test_a_search_after_a_publish_carries_the_ranking(db, monkeypatch):
    """Through the backend: publish, index, search; the ranking is carried (not ranked anew)
    and is the fresh one."""
    monkeypatch.setattr(snapshot, "REBUILD_SHARE", 1.0)  # a small collection: patched, so carried
    monkeypatch.setattr(sqlite_fts, "PRUNE_MIN_MATCHES", 0)
    database._match_cache.clear()
    pages = [
        PracticePageFactory(title=f"Vrimlestue {'i Åsen' if n % 3 else ''}", summary="Vrimlestue.", slug=f"v-{n}")
        for n in range(30)
    ]
    found = compile_match(tuple(query_terms("vrimlestue")))
    database._ranking(snapshot.current(), found, 5)
    before = dict(database.carry_counts)
    for n, page in enumerate(pages[:4]):
        page.summary = "Om vrimlestue og vrimlestue." if n % 2 else "Ingen ting."
        page.save_revision().publish()
        indexing.index_page(page)
        snap = snapshot.current()
        assert database._ranking(snap, found, 5) == engine().ranked(found, 5)
        # Only the newest version's window is kept (with its listed rows), not one per publish.
        assert [key[1] for key in database._match_cache if key[:1] == ("carry",) and key[2] == found.key] == [
            snap.version
        ]
    assert database.carry_counts["carried"] - before["carried"] >= 3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases(), among=st.lists(st.integers(0, 20), max_size=20))
def test_the_changed_documents_match_as_fts5_says(documents, monkeypatch, case, among):  # noqa: F811
    """``matching_ids`` among a few ids (after a publish) reads their texts: the same ids as FTS5."""
    collection, _rounds, query = case
    sqlite_fts.ENGINE.delete_all()
    write_rows(documents, collection)
    match = Match(groups=(tuple(query),))
    ids = [documents[index] if index < len(documents) else 10**9 + index for index in among]
    found = sqlite_fts.ENGINE.matching_ids(match, ids=ids)
    assert sqlite_fts._matching_few(match, ids) is not None
    with monkeypatch.context() as patched:
        patched.setattr(sqlite_fts, "FEW_IDS", -1)  # FTS5 asked
        assert sorted(found) == sorted(sqlite_fts.ENGINE.matching_ids(match, ids=ids))


def test_the_first_carry_does_not_count_a_word_in_most_rows_again(documents, monkeypatch):  # noqa: F811
    """The fresh ranking counts a word a little beyond half the rows (sqlite_fts.CLAMP_ROOM), so
    the first carry after it knows the word is still in half of them (idf 1e-6) without
    counting it again (which was most of that carry's cost at 50 000 practices)."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(sqlite_fts, "PRUNE_MIN_MATCHES", 0)
    sqlite_fts.ENGINE.delete_all()
    write_rows(documents, [(["bol"] * (1 + n), ["bol"], ["bol", "nav"], ["bol"] * 3) for n in range(len(documents))])
    match = Match(groups=((("term", "bol"),),))
    rows, complete, statistics, known, outside = fresh(match, 6)
    write_rows(documents[:1], [(["nav"], ["bol"], ["bol"], ["bol"])])
    with CaptureQueriesContext(connection) as statements:
        answer = sqlite_carry.carried(match, rows, complete, statistics, known, {documents[0]}, 3, 6)
    assert answer is not None
    assert [tuple(row) for row in answer[0]] == full(match, 1000)[: len(answer[0])]
    assert not [s["sql"] for s in statements.captured_queries if "count(*)" in s["sql"]]
