"""A full rebuild (search.indexing.reindex: pages read in batches with their relations
prefetched, texts analysed with cached word entries, rows written in bulk) writes exactly the
index that indexing each page on its own writes (search.indexing.index_page, as publishing
does): the same documents, facet values, weighted terms, vocabulary and full-text tokens;
and reading the next batch in a thread of its own (as a rebuild outside a transaction does)
gives what reading it in turn gives."""

import multiprocessing
import threading

import pytest
from django.db import connection

from search.engines import sqlite_fts
from search.engines.fulltext import engine
from search.indexing import (
    _ahead,
    _analysing,
    _Balance,
    _in_process,
    _read_ahead,
    analysed_batches,
    batches,
    index_page,
    reindex,
    searchable_pages,
)
from search.models import SearchDocument, SearchFacetValue, SearchTerm, SearchVocabulary


def index_content():
    fields = [f.attname for f in SearchDocument._meta.concrete_fields if f.name != "indexed_at"]
    content = {
        "documents": list(SearchDocument.objects.order_by("pk").values_list(*fields)),
        "facets": sorted(SearchFacetValue.objects.values_list("document_id", "facet", "value", "label")),
        "terms": sorted(SearchTerm.objects.values_list("document_id", "term", "weight")),
        "vocabulary": sorted(SearchVocabulary.objects.values_list("word", "stem")),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in (sqlite_fts.TABLE, *sqlite_fts.COLUMN_TABLES):
                cursor.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid")
                content[table] = cursor.fetchall()
        else:
            cursor.execute("SELECT document_id, vector::text FROM kb_search_fulltext ORDER BY document_id")
            content["fulltext"] = cursor.fetchall()
    return content


def test_a_rebuild_writes_what_indexing_each_page_on_its_own_writes(db):
    pages = list(searchable_pages())
    for page in pages:
        index_page(page.page_ptr)  # as publishing does: the page as Wagtail loads it, nothing prefetched
    one_by_one = index_content()
    assert len(one_by_one["documents"]) == len(pages) > 10
    assert any(facet == "county" for _pk, facet, _value, _label in one_by_one["facets"])
    assert any(facet == "law" for _pk, facet, _value, _label in one_by_one["facets"])

    SearchDocument.objects.all().delete()
    assert reindex() == len(pages)
    assert index_content() == one_by_one


def terms_in_row_order():
    """Each document's (term, weight) rows in order of row id: the order «Les også» breaks ties by."""
    rows = {}
    ordered = SearchTerm.objects.order_by("document_id", "id")
    for pk, term, weight in ordered.values_list("document_id", "term", "weight"):
        rows.setdefault(pk, []).append((term, weight))
    return rows


def test_a_rebuild_over_an_index_rewrites_exactly_the_documents_whose_rows_are_not_what_it_would_write(db):
    pages = list(searchable_pages())
    for page in pages:
        index_page(page.page_ptr)
    fresh, fresh_order = index_content(), terms_in_row_order()
    weight_changed, reordered, text_missing = (page.pk for page in pages[:3])
    term = SearchTerm.objects.filter(document_id=weight_changed).order_by("id").first()
    SearchTerm.objects.filter(pk=term.pk).update(weight=term.weight + 1)
    # The same rows in another order of row id (as an older build may have written them).
    rows = list(SearchTerm.objects.filter(document_id=reordered).order_by("-id"))
    SearchTerm.objects.filter(document_id=reordered).delete()
    SearchTerm.objects.bulk_create(SearchTerm(document_id=reordered, term=r.term, weight=r.weight) for r in rows)
    engine().delete([text_missing])
    assert index_content() != fresh and terms_in_row_order() != fresh_order
    ids_before = dict(SearchTerm.objects.values_list("id", "document_id"))

    assert reindex() == len(pages)
    assert index_content() == fresh
    assert terms_in_row_order() == fresh_order
    ids_after = dict(SearchTerm.objects.values_list("id", "document_id"))
    rewritten = {pk for term_id, pk in ids_after.items() if ids_before.get(term_id) != pk}
    assert rewritten == {weight_changed, reordered}  # every other document's rows are the ones it had


def analysed_content(analysed):
    """What ``analysed_batches`` yields, as comparable values (a document row's fields but its time)."""
    fields = [f.attname for f in SearchDocument._meta.concrete_fields if f.name != "indexed_at"]
    return [
        (
            count,
            [
                ([getattr(row, name) for name in fields], facets, list(weights.items()), list(words.items()), columns)
                for row, facets, weights, words, columns in rows
            ],
        )
        for count, rows in analysed
    ]


def test_the_next_batch_read_in_a_thread_of_its_own_is_the_batch_read_in_turn(db):
    # A rebuild outside a transaction reads and analyses the next batch in a second thread
    # (with its own connection, which sees the committed seed pages) while it writes one.
    in_turn = analysed_content(analysed_batches(batch_size=7))
    ahead = analysed_content(_ahead(analysed_batches(batch_size=7)))
    assert len(in_turn) > 3
    assert ahead == in_turn


@pytest.mark.parametrize("share", [0, 3, 7])
def test_the_documents_the_reading_child_analyses_and_those_left_to_the_rebuild_are_analysed_in_turn(db, share):
    # The reading child analyses the first ``share`` documents of each batch (search.indexing._Balance),
    # the rebuild the rest: together, in the order they were read, what analysing in turn gives.
    in_turn = analysed_content(analysed_batches(batch_size=7))
    shared = multiprocessing.get_context("fork").Value("i", share, lock=False)
    split = analysed_content(_analysing(_read_ahead(7, shared)))
    assert len(in_turn) > 3
    assert split == in_turn


def test_the_child_analyses_as_many_documents_as_make_reading_and_writing_take_as_long():
    balance = _Balance(batch_size=500)
    assert balance.share.value == 0  # nothing known yet: the first batch comes soonest
    # Reading a batch takes 1 s, writing it 0.5 s, analysing a document 2 ms (1 s a batch):
    # the child analyses 125 (1 + 0.25) and this process 375 (0.5 + 0.75).
    balance.read(500, 1.0, 0, 0.0, 500, 1.0)
    balance.written(0.5)
    assert balance.share.value == 125
    # Writing gets dearer (an emptied index): the child takes more, never more than a batch.
    for _ in range(10):
        balance.read(500, 1.0, 125, 0.25, 375, 0.75)
        balance.written(5.0)
    assert balance.share.value == 500
    # Reading gets dearer: the child leaves all the analysis to the rebuild.
    for _ in range(10):
        balance.read(500, 5.0, 500, 1.0, 0, 0.0)
        balance.written(0.5)
    assert balance.share.value == 0


def test_a_municipality_added_to_a_page_while_a_rebuild_reads_reaches_the_page_in_a_later_batch(db):
    # The counties, municipalities and provisions are read once and reused (search.indexing._Taxonomy):
    # a page linked meanwhile to one read since gets it all the same, with its county and successors.
    from practices.models import County, Municipality, PracticePage

    pages = batches(batch_size=2)
    first = next(pages)
    last = PracticePage.objects.live().public().order_by("pk").last()
    assert last.pk not in {page.pk for page in first}
    county = County.objects.create(number="99", name="Nyfylke")
    added = Municipality.objects.create(number="9901", name="Nykommune", county=county)
    PracticePage.municipalities.through.objects.create(practicepage_id=last.pk, municipality_id=added.pk)
    seen = {page.pk: page for batch in pages for page in batch}
    names = [m.name for m in seen[last.pk].municipalities.all()]
    assert "Nykommune" in names
    assert "Nyfylke" in [c.name for c in seen[last.pk].current_counties()]


def endless():
    number = 0
    while True:
        number += 1
        yield number


def test_a_failure_while_reading_ahead_reaches_the_rebuild_and_stops_the_thread(db):
    def failing():
        yield 1
        raise ValueError("lesing feilet")

    items = _ahead(failing())
    assert next(items) == 1
    with pytest.raises(ValueError, match="lesing feilet"):
        next(items)

    items = _ahead(endless())
    assert [next(items) for _ in range(3)] == [1, 2, 3]
    items.close()  # the rebuild failed while writing: the reading thread ends too
    assert not any(thread.name == "search-reindex-reader" for thread in threading.enumerate())


def test_the_next_batches_read_in_a_child_process_arrive_in_order_and_its_failure_reaches_the_rebuild(db):
    # How a rebuild outside a transaction reads ahead by default (search.indexing.READ_AHEAD).
    def failing():
        yield from [(1, ["a"]), (2, ["b"])]
        raise ValueError("lesing feilet")

    items = _in_process(failing)
    assert [next(items), next(items)] == [(1, ["a"]), (2, ["b"])]
    with pytest.raises(RuntimeError, match="lesing feilet"):
        next(items)

    items = _in_process(endless)
    assert [next(items) for _ in range(3)] == [1, 2, 3]
    items.close()  # the rebuild failed while writing: the reading process ends too
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("fails", [False, True])
def test_a_rebuild_leaves_the_garbage_collector_and_the_connection_as_it_found_them(db, fails):
    """While a rebuild writes, the cyclic garbage collector only runs once a batch, and an SQLite
    connection keeps more pages in memory; afterwards (also after a failure) both are as before."""
    import gc

    from search import indexing

    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size() if connection.vendor == "sqlite" else None
    during = []

    def progress(done, total):
        during.append((gc.isenabled(), cache_size() if connection.vendor == "sqlite" else None))
        if fails:
            raise RuntimeError("avbrutt")

    assert gc.isenabled()
    if fails:
        with pytest.raises(RuntimeError, match="avbrutt"):
            reindex(progress, batch_size=5)
    else:
        reindex(progress, batch_size=5)
    assert during and all(not collecting for collecting, _size in during)
    if connection.vendor == "sqlite":
        assert {size for _collecting, size in during} == {-indexing.REBUILD_CACHE_KIB}
        assert cache_size() == before != -indexing.REBUILD_CACHE_KIB
    assert gc.isenabled()
