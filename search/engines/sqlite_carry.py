"""Carrying a remembered SQLite ranking over a publish, only where it is proved exact.

FTS5's bm25 (sqlite_bm25.py) depends on the collection: each column table's row count N, its
average row length and each phrase's document count n (idf). A write moves them, so every
score may move. After the documents C changed, the remembered window (the first rows of the
full ranking, with the statistics it was made with) is brought to the new index like this:

- the statistics anew: the row and token totals (one record per table); a phrase's idf is
  known without counting when it was in at least half the rows and still is, whatever C did
  (its count at least the old lower bound minus |C|: idf is then 1e-6); else its rows are
  listed (up to a little over half the rows) once, and kept (``Holders``): after that a carry
  counts it from the rows of C alone, as read for scoring (the count moves by each changed
  document that holds it now and did not before, or the reverse);
- the rows of the window that did not change, and those of C that match, scored exactly with
  those statistics (sqlite_fts ``_column_scores``: in Python with FTS5's arithmetic, or by FTS5)
  and ordered as the engine orders (score, title, id);
- a ceiling for every other document: it did not change, so its old score was at most the
  window's last (or, for a window a carry made, the ceiling that carry proved for the documents
  it left out, below all its rows: the rows tied at the window's end are then not lost), and
  each of its terms ``idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))`` grew at most
  by the factor idf'/idf * max(1, avgdl'/avgdl), or is at most its largest possible value
  ``idf' * (k1 + 1)`` (whichever bound is lower, per table and phrase);
- the rows scoring above the ceiling (widened for rounding) are the new ranking's first rows,
  exactly; fewer than wanted, and it is ranked anew.

A window that held every match has no other document to bound. All of it is read in the
caller's one read transaction (search/backends/database.py), checked against the index version.
"""

import json
from array import array
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from . import sqlite_bm25, sqlite_fts
from .tokens import COLUMN_WEIGHTS

# A phrase not known to be in half a table's rows is counted up to this share above half of
# them: the room lets later publishes prove it still is without counting again.
COUNT_ROOM = 8  # half plus an eighth of the rows
# Listed rows are counted again (and listed anew) once this many documents changed since.
MAX_CHANGED_SINCE = 1_024


@dataclass(frozen=True)
class Holders:
    """The rows of a column table holding a phrase: the ids its count listed (sorted, shared by
    every later version) and the documents changed since (id: whether its row holds it now)."""

    listed: array
    since: dict
    count: int

    @classmethod
    def of(cls, ids):
        ids = sorted(ids)
        return cls(array("q", ids), {}, len(ids))

    def holds(self, pk):
        if pk in self.since:
            return self.since[pk]
        at = bisect_left(self.listed, pk)
        return at < len(self.listed) and self.listed[at] == pk

    def after(self, now):
        """These after the documents ``now`` (id: whether its row holds the phrase now) changed;
        None when too many changed since the rows were listed (then they are listed anew)."""
        count = self.count + sum(int(holds) - int(self.holds(pk)) for pk, holds in now.items())
        since = {**self.since, **now}
        return Holders(self.listed, since, count) if len(since) <= MAX_CHANGED_SINCE else None


@dataclass(frozen=True)
class Statistics:
    """What a ranking's scores were made with: per column table, (rows, tokens) or None (empty),
    and per phrase of ``sqlite_fts._phrases(match)`` (a lower bound of its rows, whether exact);
    ``holders``: per column table, per phrase, its ``Holders`` or None (not listed)."""

    totals: tuple
    counts: tuple
    holders: tuple = None

    def idfs(self, phrases):
        """Per column table, each phrase's idf (None: the table is empty); None if one is not
        known exactly."""
        found = []
        for total, column in zip(self.totals, self.counts, strict=True):
            if total is None:
                found.append(None)
                continue
            idfs = sqlite_fts._exact_idfs(phrases, total[0], column)
            if idfs is None:
                return None
            found.append(idfs)
        return found


@contextmanager
def observing():
    """Collects the statistics the engine ranks with (``sqlite_fts._observe``) in a dict."""
    sink, previous = {}, getattr(sqlite_fts._observer, "sink", None)
    sqlite_fts._observer.sink = sink
    try:
        yield sink
    finally:
        sqlite_fts._observer.sink = previous


def statistics_of(seen, match):
    """Statistics from what ``observing`` collected, or None (not a ranking that can be carried)."""
    if "counts" not in seen:
        return None
    found = Statistics(tuple(seen["totals"]), tuple(tuple(column) for column in seen["counts"]))
    return found if found.idfs(sqlite_fts._phrases(match)) is not None else None


def ranked(match, limit):
    """(rows, Statistics or None): the engine's ranking and what it was made with."""
    with observing() as seen:
        rows = sqlite_fts.ENGINE.ranked(match, limit)
    return rows, statistics_of(seen, match)


def ranked_and_matching(match, limit):
    """(rows, matching ids, Statistics or None), or None: ``ranked_and_matching`` of the engine."""
    with observing() as seen:
        answer = sqlite_fts.ENGINE.ranked_and_matching(match, limit)
    return None if answer is None else (*answer, statistics_of(seen, match))


def _counts(cursor, phrases, old, totals, changed, holding):
    """(counts, holders) of the new Statistics: a phrase counted from its old ``Holders`` and
    ``holding(pk, table index, phrase position)`` of the ``changed`` (None: not known), or proved
    to be in half a table's rows by the old lower bound less the changed, or else listed (one
    statement for all; counted where ``holding`` is None). None if a phrase cannot be counted."""
    counts, holders, wanted, parts, params = [], [], [], [], []
    for index, (table, total) in enumerate(zip(sqlite_fts.COLUMN_TABLES, totals, strict=True)):
        column, kept = [], []
        counts.append(column)
        holders.append(kept)
        for position, (kind, value) in enumerate(phrases):
            if kind not in ("term", "prefix"):
                return None
            kept.append(None)
            if total is None:
                column.append((0, True))
                continue
            listed = old.holders[index][position] if old.holders is not None else None
            if listed is not None and holding is not None:
                now = listed.after({pk: holding(pk, index, position) for pk in changed})
                if now is not None:
                    column.append((now.count, True))
                    kept[position] = now
                    continue
            before = old.counts[index][position][0] if old.totals[index] is not None else 0
            if sqlite_bm25.is_clamped(total[0], before - len(changed)):
                column.append((before - len(changed), False))
                continue
            limit = total[0] // 2 + total[0] // COUNT_ROOM + 1
            # Listed only where the next carry can count from them (else counted: cheaper).
            rows = f"SELECT rowid FROM {table} WHERE {table} MATCH %s LIMIT %s"
            parts.append(
                f"(SELECT group_concat(rowid) FROM ({rows}))" if holding else f"(SELECT count(*) FROM ({rows}))"
            )
            params += [sqlite_fts._alternative((kind, value)), limit]
            wanted.append((index, position, limit))
            column.append(None)
    if parts:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        for (index, position, limit), found in zip(wanted, cursor.fetchone(), strict=True):
            ids = sqlite_fts._ids(found) if holding else None
            count = len(ids) if holding else found
            counts[index][position] = (count, count < limit)
            if holding and count < limit:
                holders[index][position] = Holders.of(ids)
    return tuple(map(tuple, counts)), tuple(map(tuple, holders))


def ceiling(last, old, new, phrases):
    """An upper bound of the score under ``new`` of any document that did not change and
    scored at most ``last`` under ``old`` (module docstring), widened for rounding."""
    old_idfs, new_idfs = old.idfs(phrases), new.idfs(phrases)
    pairs = []  # (growth factor, largest possible value) per table and phrase
    for weight, before, after, idfs_before, idfs_after in zip(
        COLUMN_WEIGHTS, old.totals, new.totals, old_idfs, new_idfs, strict=True
    ):
        if before is None or after is None:
            continue  # empty before: only changed documents have rows there; empty now: adds nothing
        stretch = max(1.0, (after[1] / after[0]) / (before[1] / before[0]))
        for idf_before, idf_after in zip(idfs_before, idfs_after, strict=True):
            pairs.append((stretch * idf_after / idf_before, weight * idf_after * (sqlite_bm25.K1 + 1.0)))
    best = sum(largest for _growth, largest in pairs)  # every term at its largest
    for growth, _largest in pairs:
        best = min(best, growth * last + sum(largest for other, largest in pairs if other > growth))
    return sqlite_fts._widened(best, last)


def _read(cursor, phrases, totals, ids):
    """({id: (title_sort, per column table (length, each phrase's frequency) or None)} of the
    documents ``ids`` that have a search document, {id: the same per column table} of all the
    ``ids`` with a row holding a phrase), from the tables' own rows (one statement); None if a
    text is not one FTS5 splits at the spaces (sqlite_bm25.PLAIN_TEXT) or a phrase is not a
    token or prefix (then FTS5 scores)."""
    if not all(sqlite_bm25.exact_phrase(phrase) for phrase in phrases):
        return None
    if not ids:
        return {}, {}
    parts = [
        f"SELECT {index}, c.id, c.c0, s.sz FROM {table}_content c JOIN {table}_docsize s ON s.id = c.id "
        "WHERE c.id IN (SELECT value FROM json_each(%s))"
        for index, (table, total) in enumerate(zip(sqlite_fts.COLUMN_TABLES, totals, strict=True))
        if total is not None
    ]
    parts.append(
        f"SELECT -1, page_id, title_sort, NULL FROM {sqlite_fts.DOCUMENTS} "
        "WHERE page_id IN (SELECT value FROM json_each(%s))"
    )
    cursor.execute(" UNION ALL ".join(parts), [json.dumps(ids)] * len(parts))
    columns, titles = {}, {}
    for index, pk, text, size in cursor.fetchall():
        if index < 0:
            titles[pk] = text
            continue
        row = sqlite_bm25.row_frequencies(text, size, phrases)
        if row is None:
            return None
        length, frequencies = row
        if any(frequency > 0.0 for frequency in frequencies):
            columns.setdefault(pk, [None] * len(totals))[index] = (length, frequencies)
    empty = (None,) * len(totals)
    return {pk: (title, tuple(columns.get(pk, empty))) for pk, title in titles.items()}, columns


def _scores(columns, idfs, totals):
    """Per column table, weight times the row's bm25 (None: no row holding a phrase), with
    FTS5's operations in FTS5's order (sqlite_bm25.row_bm25, as sqlite_bm25.scores)."""
    found = []
    for weight, column, column_idfs, total in zip(COLUMN_WEIGHTS, columns, idfs, totals, strict=True):
        if column is None:
            found.append(None)
            continue
        length, frequencies = column
        average = float(total[1]) / float(total[0])
        found.append(weight * -(-1.0 * sqlite_bm25.row_bm25(length, frequencies, column_idfs, average)))
    return found


def carried(match, rows, complete, old, known, changed, wanted, limit, outside=None):
    """(rows, complete, Statistics, known, outside) of the remembered ranking ``rows`` (the first
    of the full ranking, or all of it when ``complete``, made with ``old``) after the documents
    ``changed``, exactly as the engine would rank now; None when that cannot be proved (rank
    anew). ``known``: what ``_read`` read of documents of the window before (not read again).
    ``outside``: the highest score any document not in ``rows`` had (None: the last row's, as
    in a fresh ranking, where others may tie with it); a carry gives its ceiling, below all
    the rows it kept, so the rows tied at the end of the window are not lost at the next one."""
    phrases = sqlite_fts._phrases(match)
    kept = [pk for pk, _score in rows if pk not in changed]
    if not kept and not complete:
        return None
    fulltext = sqlite_fts.ENGINE
    with connection.cursor() as cursor:
        totals = sqlite_fts.column_totals(cursor)
        if totals is None:
            return None
        # With one group and no proximity a document matches exactly when a column table holds
        # a phrase (what ``_read`` finds), so the changed are not asked of the main table: FTS5
        # merges the lists of every word of a prefix even for one row (30 ms at 50 000).
        one_group = len(match.groups) == 1 and not match.near
        changing = sorted(set(changed) if one_group else set(fulltext.matching_ids(match, ids=sorted(changed))))
        candidates = kept + changing
        known = {pk: known[pk] for pk in candidates if pk in known and pk not in changed}
        read = _read(cursor, phrases, totals, [pk for pk in candidates if pk not in known])
        holding = None
        if read is not None and one_group:  # every changed document read (none is in ``known``)
            rows_of = read[1]

            def holding(pk, index, position):
                column = rows_of.get(pk, (None,) * len(totals))[index]
                return column is not None and column[1][position] > 0.0

        answer = _counts(cursor, phrases, old, totals, changed, holding)
        if answer is None:
            return None
        new = Statistics(tuple(totals), *answer)
        idfs = new.idfs(phrases)
        if idfs is None:
            return None
        if read is None and one_group:
            candidates = kept + sorted(set(fulltext.matching_ids(match, ids=changing)))
        if read is not None:
            known.update(read[0])
            titles = {pk: title for pk, (title, _columns) in known.items()}
            values = {pk: _scores(columns, idfs, totals) for pk, (_title, columns) in known.items()}
        else:  # scored by sqlite_fts (in Python or by FTS5), nothing kept for the next time
            known = {}
            values = {pk: [None] * len(totals) for pk in candidates}
            for index, total in enumerate(totals):
                if total is not None and candidates:
                    for pk, score in fulltext._column_scores(
                        cursor, match, phrases, index, idfs[index], total, candidates
                    ):
                        values[pk][index] = score
            cursor.execute(
                f"SELECT page_id, title_sort FROM {sqlite_fts.DOCUMENTS} "
                "WHERE page_id IN (SELECT value FROM json_each(%s))",
                [json.dumps(candidates)],
            )
            titles = dict(cursor.fetchall())
    if any(pk not in titles or all(value is None for value in values[pk]) for pk in kept):
        return None  # a document of the window changed without being recorded
    scored = [pk for pk in candidates if pk in titles and any(value is not None for value in values[pk])]
    merged = sorted(
        ((pk, sqlite_fts._total(values[pk])) for pk in scored),
        key=lambda row: (-row[1], titles[row[0]] is not None, titles[row[0]] or "", row[0]),
    )
    if not complete:
        top = ceiling(rows[-1][1] if outside is None else outside, old, new, phrases)
        merged = [row for row in merged if row[1] > top]
        if len(merged) < wanted:
            return None
        outside = top  # every document left out scores at most this now
    if len(merged) > limit:  # the first left out is the highest of those (ties with the last allowed)
        merged, complete, outside = merged[:limit], False, merged[limit][1]
    return merged, complete, new, {pk: known[pk] for pk, _score in merged if pk in known}, outside
