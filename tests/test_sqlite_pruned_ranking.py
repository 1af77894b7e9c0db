"""The SQLite engine's pruned ranking (search/engines/sqlite_fts.py ``_pruned``: bounds per
column table, bm25 of most matches never computed, a few rows scored by sqlite_bm25) gives the
very window the full ranking gives: the same documents, the same order, the same scores to the
last bit, ties (equal scores, equal titles) included, for any window and among any ids.

Random small collections are written straight into the full-text tables (emptied inside the
test's transaction) for documents of the seed content, whose titles are made to tie."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from search.engines import sqlite_fts
from search.engines.fulltext import Match
from search.models import SearchDocument

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")

WORDS = ["bol", "bolig", "boligsosial", "boligsosialt", "part_bol", "leie", "leietaker", "nav"]
# Prefixes of lengths the tables index (sqlite_fts.PREFIX_LENGTHS: 4, 5, 6) and of others.
PREFIXES = ["bol", "leie", "bolig", "boligs", "leietak"]
ALTERNATIVES = [("term", word) for word in WORDS] + [("prefix", prefix) for prefix in PREFIXES]
GONE = 10**9  # ids with full-text rows but no search document
SIZE = 18


@pytest.fixture
def documents(db):
    """Ids of SIZE search documents: the seed content's, and documents for other pages of the
    seed tree (inside the test's transaction)."""
    for page in Page.objects.filter(depth__gt=1, search_document__isnull=True)[:SIZE]:
        SearchDocument.objects.create(page=page, page_type="side", title=page.title, title_sort="", url="/")
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True)[:SIZE])
    assert len(ids) == SIZE, "the seed tree has enough pages"
    return ids


columns = st.lists(st.sampled_from(WORDS), max_size=5)
collections = st.lists(st.tuples(columns, columns, columns, columns), min_size=1, max_size=SIZE)
# Rare words and long windows leave nothing to prune; most examples have many documents, short windows.
many = st.lists(st.tuples(columns, columns, columns, columns), min_size=10, max_size=SIZE)
queries = st.lists(st.sampled_from(ALTERNATIVES), min_size=1, max_size=3, unique=True)


def write(documents, collection, titles, gone):
    """The collection as the full-text rows of the first documents (and of ``gone`` ids
    without a document), with titles drawn from a few so that they tie."""
    fulltext = sqlite_fts.ENGINE
    fulltext.delete_all()
    ids = documents[: len(collection)]
    rows = [(pk, tuple(tuple(column) for column in row)) for pk, row in zip(ids, collection, strict=False)]
    rows += [(GONE + index, collection[index % len(collection)]) for index in range(gone)]
    fulltext.replace(rows)
    for index, pk in enumerate(ids):
        SearchDocument.objects.filter(pk=pk).update(title_sort=titles[index % len(titles)])
    return ids


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    collection=collections | many | many,
    query=queries,
    titles=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3),
    gone=st.integers(0, 2),
    limit=st.integers(1, 4) | st.integers(1, 12),
    offset=st.integers(0, 2) | st.integers(0, 12),
    python_rows=st.sampled_from([0, 5, 1000]),
    among=st.none() | st.lists(st.integers(0, SIZE - 1), max_size=SIZE),
)
def test_the_pruned_window_is_the_full_rankings_window(
    documents, monkeypatch, collection, query, titles, gone, limit, offset, python_rows, among
):
    monkeypatch.setattr(sqlite_fts, "PRUNE_MIN_MATCHES", 0)
    monkeypatch.setattr(sqlite_fts, "PYTHON_SCORED_MAX", python_rows)
    write(documents, collection, titles, gone)
    match = Match(groups=(tuple(query),))
    subset = None if among is None else [documents[index] for index in among]
    fulltext = sqlite_fts.ENGINE
    full = [tuple(row) for row in fulltext._ranked_fully(match, limit, offset, subset)[0]]
    pruned = fulltext._pruned(match, limit + offset, subset)
    event("pruned" if pruned is not None else "ranked fully")
    if pruned is not None:
        assert [tuple(row) for row in pruned[offset:]] == full
    assert [tuple(row) for row in fulltext.ranked(match, limit, offset, ids=subset)] == full
    both = fulltext.ranked_and_matching(match, limit)
    if both is not None:
        assert [tuple(row) for row in both[0]] == [
            tuple(row) for row in fulltext._ranked_fully(match, limit, 0, None)[0]
        ]
        assert sorted(both[1]) == sorted(fulltext.matching_ids(match))
    # What matches, counted here from the written words: whole words, and word starts for
    # prefixes whether or not the tables keep a prefix index of that length.
    written = [*zip(documents, collection, strict=False)]
    written += [(GONE + index, collection[index % len(collection)]) for index in range(gone)]
    holds = [
        pk
        for pk, row in written
        if any(
            word == value if kind == "term" else word.startswith(value)
            for kind, value in query
            for column in row
            for word in column
        )
    ]
    assert sorted(fulltext.matching_ids(match)) == sorted(holds)


def test_the_fulltext_tables_keep_prefix_indexes_for_short_query_words(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)",
            [sqlite_fts.TABLE, *sqlite_fts.COLUMN_TABLES],
        )
        tables = dict(cursor.fetchall())
    assert sorted(tables) == sorted([sqlite_fts.TABLE, *sqlite_fts.COLUMN_TABLES])
    for sql in tables.values():
        assert "prefix = '4 5 6'" in sql


def test_a_common_word_is_ranked_by_pruning_with_ties_broken_as_in_full(documents, monkeypatch):
    """Many documents tie on the title's score; the small scores of the columns where the word
    is in most rows (idf 1e-6), computed in Python for the few left, decide among them."""
    monkeypatch.setattr(sqlite_fts, "PRUNE_MIN_MATCHES", 0)
    collection = []
    for index in range(SIZE):
        title = ["bolig", "bol"] if index % 3 == 0 else ["leie"]
        summary = ["bol"] * (index % 4) + ["nav"] * (index % 5)
        structured = ["bol", "leie"] + ["nav"] * (index % 7)
        body = ["bol"] + ["leie"] * (index % 6) + ["bolig"] * (index % 2)
        collection.append((title, summary, structured, body))
    write(documents, collection, ["samme tittel"], 0)
    match = Match(groups=((("term", "bol"), ("prefix", "bolig")),))
    fulltext = sqlite_fts.ENGINE
    for limit, offset in [(1, 0), (3, 0), (4, 2), (6, 0), (2, 3)]:
        full = [tuple(row) for row in fulltext._ranked_fully(match, limit, offset, None)[0]]
        pruned = fulltext._pruned(match, limit + offset, None)
        assert pruned is not None, "the bounds prove this window"
        assert [tuple(row) for row in pruned[offset:]] == full


def test_a_rebuild_leaves_each_fulltext_table_in_one_segment(documents):
    """``search_reindex`` rewrites every row; FTS5 keeps the old postings in older segments
    until they are merged, and every query would read them. The rebuild merges them at the end."""
    from search import indexing

    indexing.reindex(batch_size=3)  # rows rewritten in several transactions: several segments
    with connection.cursor() as cursor:
        for table in (sqlite_fts.TABLE, *sqlite_fts.COLUMN_TABLES):
            cursor.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx")
            assert cursor.fetchone()[0] <= 1, table


def test_the_merge_after_a_rebuild_goes_in_short_steps_until_one_segment(documents, monkeypatch):
    """The merge holds SQLite's write lock for one step of MERGE_PAGES pages at a time, so a
    publish during it waits for a step, not for a whole table; the steps go on until each table
    is one segment."""
    from django.test.utils import CaptureQueriesContext

    from search import indexing

    monkeypatch.setattr(sqlite_fts, "MERGE_PAGES", 1)
    with CaptureQueriesContext(connection) as queries:
        indexing.reindex(batch_size=3)
    steps = [query["sql"] for query in queries.captured_queries if "'merge'" in query["sql"]]
    tables = (sqlite_fts.TABLE, *sqlite_fts.COLUMN_TABLES)
    assert len(steps) > 2 * len(tables), "one page a step: several steps for a table"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx")
            assert cursor.fetchone()[0] <= 1, table


def automerge(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'")
        row = cursor.fetchone()
    return row[0] if row else sqlite_fts.AUTOMERGE


@pytest.mark.parametrize("fails", [False, True])
def test_fts5_merges_nothing_while_a_rebuild_writes_and_as_usual_after_it_even_when_it_fails(documents, fails):
    """A rebuild's batches each leave a segment per table; merging them as they come rewrote
    the same postings a few times over, so FTS5 merges none until the rebuild merges them all."""
    from search import indexing

    tables = (sqlite_fts.TABLE, *sqlite_fts.COLUMN_TABLES)
    during = []

    def progress(done, total):
        during.append([automerge(table) for table in tables])
        if fails:
            raise RuntimeError("avbrutt")

    if fails:
        with pytest.raises(RuntimeError, match="avbrutt"):
            indexing.reindex(progress, batch_size=3)
    else:
        indexing.reindex(progress, batch_size=3)
    assert during and all(values == [0] * len(tables) for values in during)
    assert [automerge(table) for table in tables] == [sqlite_fts.AUTOMERGE] * len(tables) == [4] * len(tables)
