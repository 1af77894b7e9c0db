"""On PostgreSQL a remembered ranking is carried over a publish (search/backends/database.py):
the changed documents taken out, those still matching rescored and merged back. After any
sequence of publishing, unpublishing, retitling and deleting, the carried ranking is the one the
engine computes afresh, ties by title included; when too few rows are left it is ranked anew.

PostgreSQL only: on SQLite bm25's statistics change with every write, so a ranking is carried
only where a bound proves it exact (tests/test_sqlite_ranking_carry.py)."""

import itertools

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import indexing, snapshot
from search.analysis import query_terms
from search.backends import database
from search.engines.fulltext import compile_match, engine
from tests.factories import PracticePageFactory
from tests.published_edits import edit

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="ts_rank_cd only (PostgreSQL)")

WORD = "vrimlestue"
# Titles with and without the word (a better score), and ones that tie and sort by title.
TITLES = ["Åsen", "aasen", "Zeta vrimlestue", "Ørje", "ærlig", "Bø - vrimlestue", "bø", "Vrimlestue Vrimlestue"]
SUMMARIES = ["Vrimlestue for leietakere.", "Vrimlestue og vrimlestue for alle i vrimlestue.", "Ingen treff her."]
NUMBERS = itertools.count()
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.sampled_from(TITLES), st.sampled_from(SUMMARIES)),
        st.tuples(st.just("retitle"), st.integers(0, 50), st.sampled_from(TITLES)),
        st.tuples(st.just("resummarise"), st.integers(0, 50), st.sampled_from(SUMMARIES)),
        st.tuples(st.just("unpublish"), st.integers(0, 50)),
        st.tuples(st.just("republish"), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=8,
)


def practice(title, summary):
    return PracticePageFactory(title=title, summary=summary, slug=f"vrimle-{next(NUMBERS)}")


def match():
    return compile_match(tuple(query_terms(WORD)))


def apply(action, pages):
    page = pages[action[1] % len(pages)] if isinstance(action[1], int) and pages else None
    if action[0] == "new":
        pages.append(practice(action[1], action[2]))
    elif page is None:
        return
    elif action[0] == "retitle":
        edit(pages, page, "republish", title=action[2])
    elif action[0] == "resummarise":
        edit(pages, page, "republish", summary=action[2])
    else:
        edit(pages, page, action[0])


@given(actions=ACTIONS, wanted=st.integers(1, 5), margin=st.integers(0, 3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_carried_ranking_is_the_fresh_ranking(db, monkeypatch, actions, wanted, margin):
    monkeypatch.setattr(snapshot, "REBUILD_SHARE", 1.0)  # a small collection: patched, so carried
    monkeypatch.setattr(database, "CARRY_MARGIN", margin)
    database._match_cache.clear()
    pages = [practice(TITLES[0], SUMMARIES[0]) for _ in range(3)]
    found = match()
    database._ranking(snapshot.current(), found, wanted)
    for action in actions:
        apply(action, pages)
        snap = snapshot.current()
        assert database._ranking(snap, found, wanted) == engine().ranked(found, wanted)
        # What is remembered for the next publish is an exact start of the full ranking too.
        rows, complete = database._match_cache[database._carry_key(snap.version, found)]
        full = engine().ranked(found, 1000)
        assert rows == full[: len(rows)] and (not complete or rows == full)


def test_one_publish_rescoring_only_the_changed_page(db, monkeypatch):
    database._match_cache.clear()
    pages = [practice(f"Side {n}", SUMMARIES[n % 2]) for n in range(6)]
    found = match()
    first = database._ranking(snapshot.current(), found, 3)
    assert len(first) == 3
    pages[0].title = "Vrimlestue i Åsen"  # the word in the title too: first now
    pages[0].summary = SUMMARIES[1]
    pages[0].save_revision().publish()
    indexing.index_page(pages[0])

    def not_anew(*args, **kwargs):
        raise AssertionError("ranked anew")

    monkeypatch.setattr(type(engine()), "ranked", not_anew)
    carried = database._ranking(snapshot.current(), found, 3)
    monkeypatch.undo()
    assert carried == engine().ranked(found, 3) and carried[0][0] == pages[0].pk


def test_too_few_rows_left_after_a_change_is_ranked_anew(db, monkeypatch):
    monkeypatch.setattr(database, "CARRY_MARGIN", 0)
    database._match_cache.clear()
    pages = [practice(f"Vrimlestue {n}", SUMMARIES[0]) for n in range(4)]
    found = match()
    first = database._ranking(snapshot.current(), found, 2)
    best = next(page for page in pages if page.pk == first[0][0])
    best.title = "Uten ordet"  # falls below the cut: the rows kept no longer fill the window
    best.save_revision().publish()
    indexing.index_page(best)
    calls = []
    ranked = type(engine()).ranked
    monkeypatch.setattr(type(engine()), "ranked", lambda self, *a, **k: calls.append(a) or ranked(self, *a, **k))
    assert database._ranking(snapshot.current(), found, 2) == ranked(engine(), found, 2)
    assert calls  # ranked anew
