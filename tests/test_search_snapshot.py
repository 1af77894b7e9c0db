"""The embedded search's cheap paths give the same answers as the expensive ones: a facet
snapshot patched after publish/unpublish/retitle/delete sequences equals one rebuilt from the
index; bitsets built in one go equal ones built bit by bit; the match bits carried over after a
publish equal fresh ones; and a ranking cut at the last wanted hit is the start of the full
ranking, ties by title included.

Runs on whichever database DATABASE_URL names (SQLite by default)."""

import itertools

from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.models import County
from search import indexing, snapshot
from search.analysis import query_terms
from search.backends import database
from search.backends.base import FACETS, MAX_FACET_VALUES, BackendQuery
from search.engines.fulltext import compile_match, engine
from search.models import SearchDocument, SearchFacetValue
from tests.factories import MUNICIPALITIES, PracticePageFactory
from tests.published_edits import edit

NUMBERS = itertools.count()  # titles unique across examples (the database is kept between them)
WORDS = ["Qwertyvik", "Asdfby", "Zxcvdal", "Poiuland"]
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.sampled_from(WORDS), st.sampled_from(["housing-first", "tett-oppfolging"])),
        st.tuples(st.just("retitle"), st.integers(0, 50), st.sampled_from(WORDS)),
        st.tuples(st.just("unpublish"), st.integers(0, 50)),
        st.tuples(st.just("republish"), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("county"), st.integers(0, 50), st.sampled_from(["46", "50", "18", "56"])),
        st.tuples(st.just("move"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=6,
)


def picture(snap):
    """What a search can see in a snapshot, by document id (slots and empty values aside)."""
    live = snapshot.members(snap.all_bits, len(snap.ids))

    def ids(bits):
        test = snapshot.members(bits, len(snap.ids))
        return frozenset(snap.ids[p] for p in range(len(snap.ids)) if test(p))

    return {
        "all": ids(snap.all_bits),
        "newest_first": [snap.ids[p] for p in snap.newest_first if live(p)],
        "by_title": [snap.ids[p] for p in snap.by_title if live(p)],
        "newest_keys": {snap.ids[p]: snap.newest_key[p] for p in range(len(snap.ids)) if live(p)},
        "title_keys": {snap.ids[p]: snap.title_key[p] for p in range(len(snap.ids)) if live(p)},
        "facets": {
            (facet, value, label): ids(bits)
            for facet, options in snap.facets.items()
            for value, (label, bits) in options.items()
            if bits
        },
    }


def assert_facet_counts_exact(snap):
    """The facet counts a listing shows (no filter, no text) equal the index's counted from
    scratch: every count shown, and all values of a facet not cut at MAX_FACET_VALUES."""
    shown = database.DatabaseBackend._facet_counts(snap, snap.all_bits, {}, BackendQuery(facets=FACETS))
    rows = SearchFacetValue.objects.values_list("facet", "value").annotate(n=Count("document", distinct=True))
    index = {(facet, value): n for facet, value, n in rows}
    for facet, options in shown.items():
        assert {(facet, o.value): o.count for o in options}.items() <= index.items()
        if len(options) < MAX_FACET_VALUES:
            assert len(options) == sum(1 for f, _value in index if f == facet)


@given(actions=ACTIONS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_patched_snapshot_equals_a_rebuilt_one(db, monkeypatch, actions):
    monkeypatch.setattr(snapshot, "REBUILD_SHARE", 1.0)  # a small collection: patch, never rebuild
    pages = [PracticePageFactory(title=f"Boligkafe i {WORDS[0]} {next(NUMBERS)}")]
    snapshot.current()
    rebuild = snapshot._build
    for action in actions:
        page = pages[action[1] % len(pages)] if isinstance(action[1], int) else None
        if action[0] == "new":
            pages.append(PracticePageFactory(title=f"Bolig i {action[1]} {next(NUMBERS)}", themes=[action[2]]))
        elif action[0] == "retitle":
            edit(pages, page, "republish", title=f"Ny tittel {action[2]} {next(NUMBERS)}")
        elif action[0] == "county":  # another county facet value, the old one counts one less
            edit(pages, page, "republish", county=County.objects.get(number=action[2]))
        elif action[0] == "move":  # as the editor's move: last in its section, re-indexed
            page.move(page.get_parent(), pos="last-child")
            page.refresh_from_db()
            indexing.index_page(page)
        elif action[0] in ("unpublish", "republish") or (action[0] == "delete" and len(pages) > 1):
            edit(pages, page, action[0])
        before = snapshot._current
        monkeypatch.setattr(snapshot, "_build", lambda version: (_ for _ in ()).throw(AssertionError("rebuilt")))
        patched = snapshot.current()
        monkeypatch.setattr(snapshot, "_build", rebuild)
        assert patched is before or patched.previous == before.version
        assert picture(patched) == picture(rebuild(patched.version))
        assert patched.removed == len(patched.ids) - patched.all_bits.bit_count()
        assert_facet_counts_exact(patched)
    # The live documents the search sees are the index's, and nothing else.
    assert picture(snapshot.current())["all"] == set(SearchDocument.objects.values_list("pk", flat=True))


@given(st.lists(st.integers(0, 3000), max_size=400), st.integers(0, 200))
@settings(max_examples=200, deadline=None)
def test_a_bitset_built_in_one_go_equals_one_built_bit_by_bit(positions, extra):
    size = max(positions, default=-1) + 1 + extra
    expected = 0
    for position in positions:
        expected |= 1 << position
    assert snapshot.bits_of(positions, size) == expected


def test_match_bits_carried_over_after_a_publish_equal_fresh_ones(db):
    match = compile_match(tuple(query_terms("bolig")))
    first = PracticePageFactory(title="Boligkontor i Qwertyvik")
    database._match_cache.clear()
    snap = snapshot.current()
    database._matching_bits(snap, match)
    first.title = "Kontor i Qwertyvik"  # no longer a match in the title
    first.save_revision().publish()
    indexing.index_page(first)
    second = PracticePageFactory(title="Boligkafe i Asdfby")
    snap = snapshot.current()
    assert snap.previous is not None  # patched, so the bits are carried over
    carried = database._matching_bits(snap, match)
    assert carried == snap.bits_for(engine().matching_ids(match))
    assert carried & snap.bits_for([second.pk])


def test_a_ranking_cut_at_the_last_wanted_hit_is_the_start_of_the_full_ranking(db):
    # Identical texts score the same: the tie order (by title) must hold across the cut.
    place = MUNICIPALITIES[0]
    for name in ["Dalby", "Aslby", "Berby", "Cedby", "Ekkby"]:
        PracticePageFactory(title=f"Zorblatkafe {name}", summary="Zorblatkafe for leietakere.", place=place)
    PracticePageFactory(title="Zorblatkafe og zorblat", summary="Zorblat zorblatkafe zorblat.", place=place)
    match = compile_match(tuple(query_terms("zorblatkafe")))
    full = engine().ranked(match, 100)
    assert len(full) == 6
    for wanted in range(1, 8):
        assert engine().ranked(match, wanted) == full[:wanted]
        assert engine().ranked(match, 2, offset=wanted - 1) == full[wanted - 1 : wanted + 1]
    titles = dict(SearchDocument.objects.values_list("pk", "title_sort"))
    assert [pk for pk, _score in full] == sorted(
        (pk for pk, _score in full), key=lambda pk: (-dict(full)[pk], titles[pk], pk)
    )
    ties = [pk for pk, score in full if score == full[-1][1]]
    assert len(ties) >= 4  # the same text: a real tie, ordered by title
    # The engine's one-statement answer (SQLite) is the same ranking and the same matches.
    both = getattr(engine(), "ranked_and_matching", None)
    if both is not None:
        rows, found = both(match, 3)
        assert rows == full[:3]
        assert sorted(found) == sorted(engine().matching_ids(match))


def test_the_freshness_check_is_one_statement_and_a_publish_one_more(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = PracticePageFactory(title="Boligkafe i Qwertyvik")
    snapshot.current()
    with CaptureQueriesContext(connection) as fresh:
        assert snapshot.current() is snapshot._current
    assert len(fresh) == 1
    before = snapshot._current
    page.title = "Boligkafe i Asdfby"
    page.save_revision().publish()
    indexing.index_page(page)
    with CaptureQueriesContext(connection) as advanced:
        patched = snapshot.current()
    # The state and the changes since; the changed documents with their facet values.
    assert len(advanced) == 2
    assert patched.previous == before.version and patched.changed == {page.pk}
    assert picture(patched) == picture(snapshot._build(patched.version))


def test_a_snapshot_whose_version_is_gone_or_too_far_behind_is_rebuilt(db, monkeypatch):
    from search.models import SearchChange

    page = PracticePageFactory(title="Boligkafe i Zxcvdal")
    built = []
    rebuild = snapshot._build
    monkeypatch.setattr(snapshot, "_build", lambda version: built.append(version) or rebuild(version))
    shown = snapshot.current()
    # Its own version rolled back or pruned: the changes since cannot be trusted.
    SearchChange.objects.filter(version=shown.version[0]).delete()
    snapshot.record_changes([page.pk])
    assert snapshot.current().previous is None and built[-1] == snapshot.index_version()
    # Further behind than the changes are kept: rebuilt without reading them.
    monkeypatch.setattr(snapshot, "KEEP_CHANGES", 1)
    snapshot.record_changes([page.pk])
    snapshot.record_changes([page.pk])
    assert snapshot.current().previous is None and built[-1] == snapshot.index_version()
    # One version behind, within reach: patched.
    snapshot.record_changes([page.pk])
    assert snapshot.current().changed == {page.pk}
    # A full reindex (no document named): rebuilt.
    snapshot.record_changes([None])
    assert snapshot.current().previous is None and built[-1] == snapshot.index_version()
