"""The full-text engine's two read calls agree with each other however they are asked
(search/engines/: on PostgreSQL the SQL functions of migration 0007, which take the best by
score with ties before the title tie-break, and read "only among these ids" by a query of its
own): a window is a slice of the whole ranking, ranking among ids is the whole ranking with the
others left out, and matching among ids is the whole match with the others left out.

Runs on whichever database DATABASE_URL names (SQLite by default), on the seed content."""

import pytest

from search import indexing
from search.analysis import query_terms, quoted_phrases
from search.engines.fulltext import compile_match, engine
from search.models import SearchDocument
from tests.factories import MUNICIPALITIES, PracticePageFactory

QUERIES = ["bolig", "bolig oppfølging", "husleie", "\"tett oppfølging\"", "nav"]


def match_for(text):
    return compile_match(query_terms(text), quoted_phrases(text))


@pytest.fixture
def fulltext(db):
    assert SearchDocument.objects.exists(), "the seed content is indexed"
    return engine()


@pytest.mark.parametrize("text", QUERIES)
def test_a_window_is_a_slice_of_the_whole_ranking(fulltext, text):
    match = match_for(text)
    whole = [tuple(row) for row in fulltext.ranked(match, 10_000)]
    assert whole, f"the seeds have hits for {text!r}"
    assert sorted(pk for pk, _score in whole) == sorted(fulltext.matching_ids(match))
    for limit, offset in [(1, 0), (3, 0), (3, 2), (5, 7), (20, 0)]:
        assert [tuple(row) for row in fulltext.ranked(match, limit, offset)] == whole[offset : offset + limit]


@pytest.mark.parametrize("text", QUERIES)
def test_ranking_and_matching_among_ids_leave_the_others_out_and_keep_the_order(fulltext, text):
    match = match_for(text)
    whole = [tuple(row) for row in fulltext.ranked(match, 10_000)]
    every_id = list(SearchDocument.objects.values_list("page_id", flat=True))
    for among in (every_id[::2], every_id[1::3], [pk for pk, _score in whole[:3]], []):
        wanted = set(among)
        expected = [row for row in whole if row[0] in wanted]
        assert [tuple(row) for row in fulltext.ranked(match, 10_000, ids=among)] == expected
        assert [tuple(row) for row in fulltext.ranked(match, 2, ids=among)] == expected[:2]
        assert sorted(fulltext.matching_ids(match, ids=among)) == sorted(pk for pk, _score in expected)


def test_equal_scores_are_ordered_by_title_in_every_window(fulltext):
    """Pages with the same score come in title order, also when the window ends among them
    (the best by score are taken with their ties before the title decides)."""
    fruits = ["Eple", "Drue", "Kiwi", "Banan", "Ananas", "Fersken", "Jordbær"]
    for fruit in fruits:  # created out of title order
        page = PracticePageFactory(
            title=f"{fruit} qxvbnmkafe",
            summary="Et treffsted for leietakere.",
            place=MUNICIPALITIES[0],
            responsible_unit="Boligkontoret",
            period_start=2015,
        )
        indexing.index_page(page)
    match = match_for("qxvbnmkafe")
    whole = [tuple(row) for row in fulltext.ranked(match, 100)]
    assert len(whole) == len(fruits)
    assert len({score for _pk, score in whole}) == 1, "same text, same score"
    in_title_order = [f"{fruit} qxvbnmkafe" for fruit in sorted(fruits)]
    titles = dict(SearchDocument.objects.values_list("page_id", "title"))
    assert [titles[pk] for pk, _score in whole] == in_title_order
    for limit, offset in [(1, 0), (2, 0), (3, 1), (2, 5)]:
        assert [tuple(row) for row in fulltext.ranked(match, limit, offset)] == whole[offset : offset + limit]


@pytest.mark.parametrize("text", ["bolig", "bolig oppfølging"])
def test_a_document_gone_from_the_search_documents_never_takes_a_place_in_the_window(fulltext, text):
    """Full-text rows of a document that is no longer a search document (left behind by a page
    deleted outside the indexer) score like any other; a window still holds as many documents
    as were asked for, in the same order as without them."""
    match = match_for(text)
    whole = [tuple(row) for row in fulltext.ranked(match, 10_000)]
    best = SearchDocument.objects.select_related("page").get(page_id=whole[0][0])
    page = best.page.specific
    best.delete()  # its full-text rows stay: the best-scoring id now has no document
    try:
        for limit in (1, 3, 5):
            assert [tuple(row) for row in fulltext.ranked(match, limit)] == whole[1 : 1 + limit]
    finally:
        indexing.index_page(page)
