"""The embedded default: search in the site's own database, with no search server.

Text matching and ranking happen in the database's own full-text index (SQLite FTS5 with
bm25, PostgreSQL tsvector with ts_rank_cd; search/engines/), fed with the project's
Norwegian analysis. Every query term must match (a stem, a synonym group, or, for words of
four letters or more, the start of an indexed word, so compounds are found from their first
part); quoted phrases must match as phrases. The engine returns the set of matching ids (kept
as a bitset per query and index version) and the ranked window; filters and facet counts are
bitset operations on an in-memory snapshot of the facets (search/snapshot.py), each facet
counted under the other facets' filters.
"""

import difflib
import itertools
import threading
from collections import OrderedDict
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Q

from .. import snapshot
from ..engines import sqlite_carry
from ..engines.fulltext import compile_match, engine
from ..engines.tokens import encode
from ..models import SearchDocument, SearchVocabulary
from .base import MAX_FACET_VALUES, BackendQuery, BackendResult, FacetCount, Hit, SearchBackend

# Below this many hits left by the filters, the engine ranks exactly those ids.
RANK_AMONG_MAX = 5_000
MATCH_CACHE_SIZE = 128

_match_cache = OrderedDict()  # (index version, match) -> bits of the matching documents
_match_lock = threading.Lock()


def _cached(key, compute):
    """``compute()``, remembered under ``key`` (which includes the index version, so any write
    to the index retires it) among the last MATCH_CACHE_SIZE."""
    with _match_lock:
        value = _match_cache.get(key)
        if value is not None:
            _match_cache.move_to_end(key)
            return value
    value = compute()
    _remember(key, value)
    return value


def _remember(key, value):
    with _match_lock:
        _match_cache[key] = value
        while len(_match_cache) > MATCH_CACHE_SIZE:
            _match_cache.popitem(last=False)


def _ranked_key(snap, match, wanted):
    """Where the engine's best ``wanted`` of all the matches of ``match`` are remembered."""
    return ("ranked", snap.version, match.key, wanted)


# Carrying a ranking over a publish. PostgreSQL's ts_rank_cd scores a document from its own
# vector and the query alone (no statistics of the collection), so after documents D changed,
# a remembered ranking stays exact with D taken out and those of D that still match rescored and
# merged back in (ties by title, then id, as the engine orders them). A ranking cut at a limit
# is exact down to its last row that did not change (a document below the cut may come next),
# so a margin of rows is kept beyond the wanted ones; when too few are left, it is ranked anew.
# On SQLite bm25's idf and average document length change with every write to the index, so
# every score may move: a ranking is carried only where search/engines/sqlite_carry.py proves
# the result exact (else ranked anew). An engine that rescores only the changed has ``rescored``.
CARRY_MARGIN = 20
# Carried SQLite rankings (counted, for the tests and for measuring).
carry_counts = {"carried": 0, "anew": 0}


def _carry_key(version, match):
    return ("carry", version, match.key)


def _ranking(snap, match, wanted):
    """The engine's best ``wanted`` of all the matches of ``match``, [(id, score)]: carried over
    from the snapshot's previous version when the engine allows it and enough rows are left."""
    fulltext = engine()
    if fulltext.vendor == "sqlite":
        return _bm25_ranking(snap, match, wanted)
    if not hasattr(fulltext, "rescored"):
        return fulltext.ranked(match, wanted)
    carried = _carried(fulltext, snap, match, wanted) if snap.previous else None
    if carried is None:
        limit = wanted + CARRY_MARGIN
        rows = fulltext.ranked(match, limit)
        carried = (rows, len(rows) < limit)  # fewer than asked: every match is in it
        _remember(_carry_key(snap.version, match), carried)
    return carried[0][:wanted]


def _carried(fulltext, snap, match, wanted):
    """(rows, complete) of the previous version's ranking brought to this one, or None."""
    with _match_lock:
        previous = _match_cache.get(_carry_key(snap.previous, match))
    if previous is None:
        return None
    rows, complete = previous
    kept = [(pk, score) for pk, score in rows if pk not in snap.changed]
    if not kept and not complete:
        return None
    merged = fulltext.rescored(match, kept, sorted(snap.changed))
    if not complete:  # exact only down to the last unchanged row
        last = next((n for n, (pk, _score) in enumerate(merged) if pk == kept[-1][0]), None)
        if last is None or last + 1 < wanted:  # (None: removed after this snapshot was read)
            return None
        merged = merged[: last + 1]
    limit = wanted + CARRY_MARGIN
    if len(merged) > limit:  # the start of a ranking is exact too: kept as long as a fresh one
        merged, complete = merged[:limit], False
    carried = (merged, complete)
    _remember(_carry_key(snap.version, match), carried)
    return carried


@contextmanager
def _read_transaction():
    """One SQLite read transaction (BEGIN DEFERRED: the site's writes begin IMMEDIATE, which
    would take the write lock for a search), or a savepoint inside one already open."""
    connection.ensure_connection()
    mode = connection.transaction_mode
    connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            connection.transaction_mode = mode
            yield
    finally:
        connection.transaction_mode = mode


def _bm25_ranking(snap, match, wanted):
    """``_ranking`` on SQLite: carried by sqlite_carry when it proves the result exact. Read in
    one transaction that shows the snapshot's index version (else not remembered: what the
    statistics describe must be that version, and the changes since it what the next snapshot
    lists)."""
    limit = wanted + CARRY_MARGIN
    with _read_transaction():
        current = tuple(snapshot.index_version()) == tuple(snap.version)
        carried = None
        if current and snap.previous:
            with _match_lock:
                previous = _match_cache.get(_carry_key(snap.previous, match))
            if previous is not None:
                rows, complete, statistics, known, outside = previous
                carried = sqlite_carry.carried(
                    match, rows, complete, statistics, known, snap.changed, wanted, limit, outside
                )
                carry_counts["carried" if carried is not None else "anew"] += 1
        if carried is None:
            rows, statistics = sqlite_carry.ranked(match, limit)
            carried = (rows, len(rows) < limit, statistics, {}, None)
    if current and carried[2] is not None:
        _remember(_carry_key(snap.version, match), carried)
        if snap.previous:  # carried on (or ranked anew): the previous version's is not wanted again
            with _match_lock:
                _match_cache.pop(_carry_key(snap.previous, match), None)
    return carried[0][:wanted]


def _ranked_and_matching(snap, match, wanted):
    """The engine's ``ranked_and_matching`` (None if it has none or cannot), on SQLite with a
    margin of rows and the statistics remembered for carrying the ranking over a publish."""
    fulltext = engine()
    both = getattr(fulltext, "ranked_and_matching", None)
    if both is None:
        return None
    if fulltext.vendor != "sqlite":
        return both(match, wanted)
    limit = wanted + CARRY_MARGIN
    with _read_transaction():
        current = tuple(snapshot.index_version()) == tuple(snap.version)
        answer = sqlite_carry.ranked_and_matching(match, limit)
    if answer is None:
        return None
    rows, ids, statistics = answer
    if current and statistics is not None:
        _remember(_carry_key(snap.version, match), (rows, len(rows) < limit, statistics, {}, None))
    return rows[:wanted], ids


def _matching_bits(snap, match, rank_wanted=None):
    """The documents matching ``match`` as a bitset of the snapshot. After a publish, the bits
    of the previous version are carried over and only the changed documents asked about.
    ``rank_wanted``: the search will rank all the matches for its first ``rank_wanted`` hits;
    an engine that can (``ranked_and_matching``) then answers both in one statement."""

    def compute():
        with _match_lock:
            previous = _match_cache.get(("bits", snap.previous, match.key)) if snap.previous else None
        if previous is None:
            answer = _ranked_and_matching(snap, match, rank_wanted) if rank_wanted else None
            if answer is None:
                return snap.bits_for(engine().matching_ids(match))
            rows, ids = answer
            _remember(_ranked_key(snap, match, rank_wanted), rows)
            return snap.bits_for(ids)
        changed = snap.bits_for(snap.changed)
        # Old ordinals of removed documents are kept in the snapshot, so the masks line up.
        stale = snap.slots_of(snap.changed)
        now = snap.bits_for(engine().matching_ids(match, ids=sorted(snap.changed))) if changed else 0
        return (previous & ~stale) | now

    return _cached(("bits", snap.version, match.key), compute)


class DatabaseBackend(SearchBackend):
    name = "database"

    # --- matching -------------------------------------------------------------------------

    # --- the contract ---------------------------------------------------------------------

    def search(self, query: BackendQuery) -> BackendResult:
        snap = snapshot.current()
        required = snap.all_bits
        for group in query.required:
            group_bits = 0
            for facet, value in group:
                group_bits |= snap.values_bits(facet, [value])
            required &= group_bits
        filters = {facet: snap.values_bits(facet, values) for facet, values in query.filters.items() if values}

        match = compile_match(query.terms, query.phrases) if query.terms or query.phrases else None
        # Ranked over all the matches (nothing else narrows them): the engine may answer both at once.
        ranks_all = query.sort == "relevance" and not query.required and not filters
        rank_wanted = query.offset + query.limit if ranks_all else None
        text_bits = _matching_bits(snap, match, rank_wanted) if match else None
        base = required if text_bits is None else required & text_bits
        matched = base
        for bits in filters.values():
            matched &= bits

        hits = self._window(snap, matched, match, text_bits, query)
        return BackendResult(
            total=matched.bit_count(), hits=hits, facets=self._facet_counts(snap, base, filters, query)
        )

    @staticmethod
    def _ranked(snap, match, text_bits, matched, wanted):
        """The best ``wanted`` of the matched documents, [(id, score)], from the engine. A
        document the engine has but the snapshot does not (indexed after this search began)
        is left out."""
        fulltext = engine()
        count = matched.bit_count()
        if count == 0:
            return []
        is_match = snapshot.members(matched, len(snap.ids))

        def kept(rows):
            return [(pk, score) for pk, score in rows if pk in snap.ordinal and is_match(snap.ordinal[pk])]

        if matched == text_bits:
            rows = _cached(_ranked_key(snap, match, wanted), lambda: _ranking(snap, match, wanted))
            if len(kept(rows)) == len(rows) or len(rows) < wanted:
                return kept(rows)
        elif count <= RANK_AMONG_MAX:
            ids = [snap.ids[p] for p in range(len(snap.ids)) if is_match(p)]
            return kept(fulltext.ranked(match, wanted, ids=ids))
        # Many hits left: take the engine's best in growing windows, keep those the filters let through.
        share = max(1, text_bits.bit_count()) / count
        window = int(wanted * share * 2) + 20
        while True:
            rows = fulltext.ranked(match, window)
            if len(kept(rows)) >= wanted or len(rows) < window:
                return kept(rows)[:wanted]
            window *= 4

    def _window(self, snap, matched, match, text_bits, query):
        """Only the requested window of hits, in the requested order."""
        wanted = query.offset + query.limit
        if match is not None and query.sort == "relevance":
            rows = self._ranked(snap, match, text_bits, matched, wanted)
            return [Hit(page_id=pk, score=float(score)) for pk, score in rows[query.offset : wanted]]
        order = snap.by_title if query.sort == "title" else snap.newest_first
        is_match = snapshot.members(matched, len(snap.ids))
        window = list(itertools.islice((p for p in order if is_match(p)), query.offset, wanted))
        return [Hit(page_id=snap.ids[p], score=0.0) for p in window]

    @staticmethod
    def _facet_counts(snap, base, filters, query):
        """Each facet counted under the text, the required groups and every other facet's filter."""
        counts = {}
        for facet in query.facets:
            bits = base
            for other, other_bits in filters.items():
                if other != facet:
                    bits &= other_bits
            options = []
            for value, (label, value_bits) in snap.facets.get(facet, {}).items():
                count = (bits & value_bits).bit_count()
                if count:
                    options.append(FacetCount(value=value, label=label, count=count))
            options.sort(key=lambda option: (-option.count, option.label))
            counts[facet] = options[:MAX_FACET_VALUES]
        return counts

    def title_suggestions(self, folded_prefix, limit=8):
        titles = SearchDocument.objects.filter(
            Q(title_folded__startswith=folded_prefix) | Q(title_folded__contains=" " + folded_prefix)
        ).order_by("title_sort")[:limit]
        return [{"label": d.title, "kind": "side", "url": d.url} for d in titles]

    def known_words(self, folded_words):
        """The words some indexed document holds now: the vocabulary keeps every word ever
        indexed, the engine's own index says whether its stem is still there."""
        tokens = {
            word: encode(stem)
            for word, stem in SearchVocabulary.objects.filter(word__in=folded_words).values_list("word", "stem")
        }
        wanted = sorted(set(tokens.values()) - {""})
        present = {wanted[position] for position in engine().present(wanted)} if wanted else set()
        return {word for word, token in tokens.items() if token in present}

    def similar_words(self, folded_word, limit=3):
        if len(folded_word) < 3:
            return []
        candidates = SearchVocabulary.objects.filter(word__startswith=folded_word[0]).values_list("word", flat=True)
        close = difflib.get_close_matches(folded_word, list(candidates[:20000]), n=limit * 3, cutoff=0.75)
        return [word for word in close if word in self.known_words(close)][:limit]
