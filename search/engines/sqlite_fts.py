"""SQLite FTS5 as the embedded default's text index: one row per search document, four
columns (title, summary, structured fields, body) of pre-analysed tokens, which decides what
matches; ranked by bm25 per column with the column weights of search/documents.py.

FTS5's bm25 over a multi-column table normalises by the length of the whole row, so a long
body pulls down a title match; the Elasticsearch backend (BM25 per field) does not. So each
column is also kept in a one-column FTS5 table of its own (only for documents where it is not
empty, as a field is counted in Elasticsearch), and the score is the weighted sum of the
columns' own bm25: per-column length normalisation and document frequencies, as in the engine.

A word in most documents would have every match scored in all four tables, although where a
word is in more than half of a table's rows FTS5's idf is 1e-6 and that table can only break
ties. So a one-word query with many matches is ranked by pruning (``_pruned``, MaxScore): an
upper bound per table from capped counts of the query's phrases (sqlite_bm25.py), the table
with the highest bound scored in full (only for documents holding its strongest phrases when
the others' bounds allow), the others only for the documents that can still reach the window
(the second in the first one's statement, so its thousands of candidates stay in SQLite),
and the last few in Python with FTS5's own arithmetic. The result is the full ranking's, bit for
bit; whenever the bounds cannot prove that, the full statement ranks.

A query word of four letters or more is also a prefix («bolig»*); the tables keep prefix
indexes for the shortest such words (``PREFIX_LENGTHS``), so FTS5 reads one doclist for them
instead of merging those of every indexed word they begin, in every statement that names them.

The tables are created by migrations 0004 and 0006, with prefix indexes since 0009 (only on
SQLite). FTS5 is compiled into the sqlite3 of Python 3.11 on Debian; ``check_available`` says
clearly when it is not.
"""

import json
import threading
from contextlib import contextmanager

from django.db import connection

from . import sqlite_bm25
from .tokens import COLUMN_WEIGHTS, COLUMNS

TABLE = "kb_search_fulltext"
DOCUMENTS = "kb_search_searchdocument"
NEAR_DISTANCE = 10
# Below this many rows holding a query word (over the column tables), rank them all.
PRUNE_MIN_MATCHES = 5_000
# At most this many rows of a column are scored here (sqlite_bm25.scores) rather than by FTS5.
PYTHON_SCORED_MAX = 60
# Tokens and prefixes are counted up to half a table's rows (from there idf is 1e-6) and this
# share of the rows beyond: a ranking carried over a publish (sqlite_carry) then still knows
# the phrase is in half the rows after that many changed documents, without counting again
# (which cost 6-10 ms for «bolig» at 50 000 in the first carry; the room costs about 0.2 ms).
CLAMP_ROOM = 64  # half plus a 64th of the rows

# Prefix indexes for query words of these lengths (the shortest have the most indexed words
# beginning with them to merge: 22 for «bolig» at 50 000 practices; migration 0009).
PREFIX_LENGTHS = (4, 5, 6)
OPTIONS = (
    f"tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\", prefix = '{' '.join(map(str, PREFIX_LENGTHS))}'"
)
CREATE_SQL = f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({', '.join(COLUMNS)}, {OPTIONS})"
COLUMN_TABLES = tuple(f"{TABLE}_{column}" for column in COLUMNS)
AUTOMERGE = 4  # FTS5's default: merge when a level has this many segments
# Pages one step of the merge after a rebuild writes (``optimize``): a short hold of the write lock.
MERGE_PAGES = 500
CREATE_COLUMN_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(tokens, {OPTIONS})" for table in COLUMN_TABLES
]
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
FTS5_MISSING = (
    "SQLite-versjonen Python bruker her er bygget uten FTS5 (fulltekstsøk), som det innebygde søket "
    "trenger. Bruk en Python/SQLite med FTS5 (PRAGMA compile_options skal vise ENABLE_FTS5) eller "
    "PostgreSQL (DATABASE_URL)."
)


# Where a caller collects the statistics a ranking was made with (sqlite_carry.observing).
_observer = threading.local()


def _observe(**statistics):
    sink = getattr(_observer, "sink", None)
    if sink is not None:
        sink.update(statistics)


class FTS5Unavailable(RuntimeError):
    pass


def has_fts5(cursor):
    options = {row[0] for row in cursor.execute("PRAGMA compile_options").fetchall()}
    return "ENABLE_FTS5" in options


def check_available(cursor):
    if not has_fts5(cursor):
        raise FTS5Unavailable(FTS5_MISSING)


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def _alternative(alternative):
    kind, value = alternative
    if kind == "prefix":
        return _quote(value) + "*"
    if kind == "phrase":
        return _quote(" ".join(value))
    return _quote(value)


def match_expression(match):
    """The FTS5 query: OR within a group, AND across groups; a NEAR group that every match of
    the main expression may also satisfy raises the bm25 score of close words."""
    expression = " AND ".join("(" + " OR ".join(_alternative(a) for a in group) + ")" for group in match.groups)
    if match.near:
        expression = f"({expression}) OR NEAR({' '.join(_quote(t) for t in match.near)}, {NEAR_DISTANCE})"
    return expression


def score_expression(match):
    """The FTS5 query a column table is scored by: any alternative of any group (a column
    need not hold every query word; the main table decides what matches), and the proximity
    group."""
    alternatives = dict.fromkeys(_alternative(a) for group in match.groups for a in group)
    expression = " OR ".join(alternatives)
    if match.near:
        expression += f" OR NEAR({' '.join(_quote(t) for t in match.near)}, {NEAR_DISTANCE})"
    return expression


def _matching_among(column, match, ids):
    """``column IN (the documents matching match, among ids)`` and its parameters, or ("", [])
    when neither is needed: with one group and no proximity a column table holds a query word
    exactly when the document matches, so the main table need not be asked again."""
    if ids is None and len(match.groups) == 1 and not match.near:
        return "", []
    condition = f"{column} IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"
    params = [match_expression(match)]
    if ids is not None:
        # The unary plus keeps SQLite from looking up each id in the full-text index.
        condition += f" AND +{TABLE}.rowid IN (SELECT value FROM json_each(%s))"
        params.append(json.dumps(list(ids)))
    return condition + ")", params


def _phrases(match):
    """The phrases FTS5's bm25 sums over for ``score_expression(match)``, in its order: each
    alternative once, then the proximity group's tokens (("near", token))."""
    alternatives = {}
    for group in match.groups:
        for alternative in group:
            alternatives.setdefault(_alternative(alternative), alternative)
    return [*alternatives.values(), *(("near", token) for token in match.near)]


def _has_rows(cursor, table):
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table}_docsize)")
    return bool(cursor.fetchone()[0])


def column_totals(cursor):
    """Each column table's (rows, tokens) as FTS5's bm25 counts them now (None for an empty
    table), or None when a table with rows has no totals to read (then FTS5 must rank)."""
    if connection.in_atomic_block:
        # FTS5 keeps a transaction's row and token totals in memory until a savepoint.
        cursor.execute("SAVEPOINT kb_fulltext_totals")
        cursor.execute("RELEASE kb_fulltext_totals")
    totals = sqlite_bm25.table_totals(cursor, COLUMN_TABLES)
    if any(total is None and _has_rows(cursor, t) for total, t in zip(totals, COLUMN_TABLES, strict=True)):
        return None
    return totals


def _phrase_counts(cursor, phrases, totals):
    """Per column table, per phrase: (a lower bound of the rows holding it, whether exact).
    Tokens and prefixes are counted up to half the table's rows (from there their idf is 1e-6
    whatever the rest) and a little beyond (CLAMP_ROOM); a proximity token as the token (FTS5
    counts a phrase of a NEAR group alone); a phrase of several tokens counts 0."""
    counted = list(
        dict.fromkeys(
            _alternative(("term" if kind == "near" else kind, value))
            for kind, value in phrases
            if kind in ("term", "prefix", "near")
        )
    )
    parts, params = [], []
    for table, total in zip(COLUMN_TABLES, totals, strict=True):
        for expression in counted:
            if total is None:
                parts.append("0")
                continue
            parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH %s LIMIT %s))")
            params.extend([expression, _count_cap(total[0])])
    found = ()
    if parts:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        found = cursor.fetchone()
    counts = []
    for index, total in enumerate(totals):
        of = dict(zip(counted, found[index * len(counted) : (index + 1) * len(counted)], strict=True))
        cap = _count_cap(total[0]) if total is not None else 0
        column = []
        for kind, value in phrases:
            if kind in ("term", "prefix", "near"):
                n = of[_alternative(("term" if kind == "near" else kind, value))]
                column.append((n, n < cap))
            else:
                column.append((0, False))
        counts.append(column)
    return counts


def _count_cap(rows):
    """How far ``_phrase_counts`` counts a phrase in a table of ``rows`` rows."""
    return (rows + 1) // 2 + rows // CLAMP_ROOM + 1


def _exact_idfs(phrases, rows, column):
    """Each phrase's idf as FTS5 computes it, or None if one is not known exactly (then FTS5
    scores that column): a counted token's, or 1e-6 for a phrase in half the rows or more."""
    idfs = []
    for (kind, _value), (count, exact) in zip(phrases, column, strict=True):
        if kind == "near":
            return None
        if sqlite_bm25.is_clamped(rows, count):
            idfs.append(sqlite_bm25.CLAMPED_IDF)
        elif exact:
            idfs.append(sqlite_bm25.idf(rows, count))
        else:
            return None
    return idfs


def _strong_phrases(phrases, bounds, rest):
    """The phrases of a column that documents must hold to be scored in it at all: all but the
    weakest, as long as what the weakest and the other columns may add together stays below half
    of the column's and the others' bounds and the weakest add no more than the others (the floor
    must exceed it; measured: otherwise it mostly does not, and the scan is wasted). Empty if none
    can be left out."""
    by_bound = sorted((index for index in range(len(phrases)) if bounds[index] > 0.0), key=lambda i: bounds[i])
    limit, weak = min((sum(bounds) + rest) / 2, 2 * rest), rest
    left_out = 0
    for index in by_bound[:-1]:
        if weak + bounds[index] > limit:
            break
        weak += bounds[index]
        left_out += 1
    strong = [phrases[index] for index in by_bound[left_out:]]
    if not left_out or any(kind not in ("term", "prefix") for kind, _value in strong):
        return []
    return strong


def _widened(bound, scale):
    """``bound`` with room for the rounding of sums of doubles around ``scale``."""
    return bound * (1 + 1e-9) + 1e-9 * (1.0 + abs(scale))


def _ids(concatenated):
    """The ids of a ``group_concat`` of integers ([] for None: there were none)."""
    return json.loads(f"[{concatenated}]") if concatenated else []


def _total(column_values):
    """A document's score as SQLite's ``sum()`` makes it: its column scores in column order."""
    total = 0.0
    for value in column_values:
        if value is not None:
            total += value
    return total


# Up to this many ids, ``matching_ids(match, ids)`` reads their texts instead of asking FTS5,
# which merges the lists of every word of a prefix even for one row (10 ms at 50 000).
FEW_IDS = 64


def _matching_few(match, ids):
    """The ``ids`` matching a one-group ``match`` of tokens and prefixes, from their rows of the
    main table (a row matches when one of its tokens is a term or starts with a prefix), or None
    (more ids, another kind of query, or a text FTS5's tokenizer does not split at the spaces)."""
    ids = list(ids)
    if len(ids) > FEW_IDS or len(match.groups) != 1 or match.near:
        return None
    if not all(sqlite_bm25.exact_phrase(alternative) for alternative in match.groups[0]):
        return None
    terms = {value for kind, value in match.groups[0] if kind == "term"}
    prefixes = tuple(value for kind, value in match.groups[0] if kind == "prefix")
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {', '.join(f'c{index}' for index in range(len(COLUMNS)))} FROM {TABLE}_content "
            "WHERE id IN (SELECT value FROM json_each(%s))",
            [json.dumps(ids)],
        )
        rows = cursor.fetchall()
    found = []
    for pk, *texts in rows:
        if not all(isinstance(text, str) and sqlite_bm25.PLAIN_TEXT.fullmatch(text) for text in texts):
            return None
        words = " ".join(texts).split()
        if not terms.isdisjoint(words) or any(word.startswith(prefixes) for word in words):
            found.append(pk)
    return found


class SQLiteFullText:
    vendor = "sqlite"

    def replace(self, rows, keep_unchanged=False):
        """Write (document id, four token lists) rows, replacing what the documents had;
        ``keep_unchanged``: leave a document whose stored columns are already these as it is."""
        rows = [(pk, tuple(" ".join(tokens) for tokens in columns)) for pk, columns in rows]
        if not rows:
            return
        with connection.cursor() as cursor:
            if keep_unchanged:
                cursor.execute(
                    f"SELECT rowid, {', '.join(COLUMNS)} FROM {TABLE} WHERE rowid IN (SELECT value FROM json_each(%s))",
                    [json.dumps([pk for pk, _columns in rows])],
                )
                stored = {pk: tuple(columns) for pk, *columns in cursor.fetchall()}
                rows = [(pk, columns) for pk, columns in rows if stored.get(pk) != columns]
                if not rows:
                    return
            self._delete(cursor, [pk for pk, _columns in rows])
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s)",
                [(pk, *columns) for pk, columns in rows],
            )
            for index, table in enumerate(COLUMN_TABLES):
                cursor.executemany(
                    f"INSERT INTO {table} (rowid, tokens) VALUES (%s, %s)",
                    [(pk, columns[index]) for pk, columns in rows if columns[index]],
                )

    def delete(self, ids):
        ids = list(ids)
        if ids:
            with connection.cursor() as cursor:
                self._delete(cursor, ids)

    @staticmethod
    def _delete(cursor, ids):
        for table in (TABLE, *COLUMN_TABLES):
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT value FROM json_each(%s))", [json.dumps(ids)])

    def delete_all(self):
        with connection.cursor() as cursor:
            for table in (TABLE, *COLUMN_TABLES):
                cursor.execute(f"DELETE FROM {table}")

    @contextmanager
    def rebuilding(self):
        """While a rebuild writes: FTS5 merges no segments on its own (``automerge`` 0), and
        ``optimize`` merges them all once at the end. Every transaction writes a new segment per
        table, and FTS5 merged them four at a time as it went, so a posting written by a rebuild
        from an emptied index was rewritten a few times over before the final merge (the commits
        of a rebuild from an emptied index at 10 000 practices 2.4 → 1.9 s, the final merge
        1.1 → 1.2 s). Stored in each table's config, so it holds for every connection meanwhile
        (FTS5 reloads its config when a statement like this one changes it); if the process dies
        before the end, FTS5's crisis merge (16 segments on a level) still bounds the segments,
        and the next rebuild puts it back."""
        self._set_automerge(0)
        try:
            yield
        finally:
            self._set_automerge(AUTOMERGE)

    @staticmethod
    def _set_automerge(segments):
        with connection.cursor() as cursor:
            for table in (TABLE, *COLUMN_TABLES):
                cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', %s)", [segments])

    def optimize(self):
        """Merge each table's index into one segment (after a full rebuild). Rewriting a row
        leaves its old postings behind in older segments (with delete markers) until FTS5 merges
        them, so after ``search_reindex`` every query read the index about twice over: a new
        search for «bolig» at 10 000 practices took 18.7 ms in the engine before, 11.4 after
        (0.35 s CPU to merge at 10 000; measured).

        In steps of MERGE_PAGES pages, each its own short write (FTS5's ``merge`` with a negative
        count merges across levels until one segment is left), not in one ``optimize`` that holds
        the write lock while it rewrites a whole table (0.5 s for the widest at 10 000, 2.6 s at
        50 000): a publish meanwhile waits at most one step (about 0.1 s at both sizes, measured).
        A step that merged nothing changes fewer than two rows (FTS5's documented test)."""
        connection.ensure_connection()
        raw = connection.connection
        with connection.cursor() as cursor:
            for table in (TABLE, *COLUMN_TABLES):
                while True:
                    before = raw.total_changes
                    cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', %s)", [-MERGE_PAGES])
                    if raw.total_changes - before < 2:
                        break

    def matching_ids(self, match, ids=None):
        """Ids of the documents matching ``match`` (optionally only among ``ids``)."""
        if ids is not None:
            found = _matching_few(match, ids)
            if found is not None:
                return found
        # One row of comma-separated ids: cheaper than a Python row per match (10 000 for a
        # common word); read as a JSON array, faster than int() per id (measured).
        sql, params = f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(match)]
        if ids is not None:
            sql += " AND rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(ids)))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()[0]
        return _ids(found)

    def ranked(self, match, limit, offset=0, ids=None):
        """[(document id, score)] best first (ties by title), optionally only among ``ids``:
        the weighted sum of each column table's bm25 over the documents matching ``match``.

        The sums are made once; only the documents scoring at least the last wanted one are
        joined with their titles for the order of ties (not every match). A common word is
        ranked by pruning (``_pruned``) to the same result."""
        return self._ranked(match, limit, offset, ids)[0]

    def ranked_and_matching(self, match, limit):
        """(``ranked(match, limit)``, ``matching_ids(match)``), from one statement when the
        ranking is not pruned, or None when the ranking cannot tell which documents match (more
        than one group, or proximity)."""
        if len(match.groups) > 1 or match.near:
            return None
        rows, found = self._ranked(match, limit, 0, None, with_ids=True)
        return None if found is None else (rows, found)

    def _ranked(self, match, limit, offset, ids, with_ids=False):
        wanted = limit + offset
        pruned = self._pruned(match, wanted, ids) if wanted > 0 else None
        if pruned is not None:
            return pruned[offset:], (self.matching_ids(match) if with_ids else None)
        return self._ranked_fully(match, limit, offset, ids, with_ids)

    def _ranked_fully(self, match, limit, offset, ids, with_ids=False):
        scoring = score_expression(match)
        parts, params = [], []
        for weight, table in zip(COLUMN_WEIGHTS, COLUMN_TABLES, strict=True):
            parts.append(f"SELECT rowid AS id, {weight} * -bm25({table}) AS s FROM {table} WHERE {table} MATCH %s")
            params.append(scoring)
        among, matched = _matching_among("part.id", match, ids)  # a condition on the scored rows
        among = f" WHERE {among}" if among else ""
        wanted = limit + offset
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH s AS MATERIALIZED (SELECT part.id AS id, sum(part.s) AS s "
                f"FROM ({' UNION ALL '.join(parts)}) part{among} GROUP BY part.id), "
                "cut AS (SELECT s FROM s ORDER BY s DESC LIMIT 1 OFFSET %s) "
                f"SELECT s.id, s.s, (SELECT s FROM cut){', (SELECT group_concat(id) FROM s)' if with_ids else ''} "
                f"FROM s JOIN {DOCUMENTS} d ON d.page_id = s.id "
                "WHERE s.s >= coalesce((SELECT s FROM cut), -1e308) "
                "ORDER BY s.s DESC, d.title_sort, d.page_id LIMIT %s",
                [*params, *matched, max(0, wanted - 1), wanted],
            )
            rows = cursor.fetchall()
        if not rows or (len(rows) < wanted and rows[0][2] is not None):
            # Fewer than wanted although there were that many sums: a scored id without a
            # document row hid one below the cut. Ask again without the cut.
            return self._ranked_all(parts, params, among, matched, wanted)[offset:], None
        found = _ids(rows[0][3]) if with_ids else None
        return [(row[0], row[1]) for row in rows[offset:]], found

    @staticmethod
    def _ranked_all(parts, params, among, matched, wanted):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT part.id, sum(part.s) AS score FROM ({' UNION ALL '.join(parts)}) part "
                f"JOIN {DOCUMENTS} d ON d.page_id = part.id{among} "
                "GROUP BY part.id ORDER BY score DESC, min(d.title_sort), part.id LIMIT %s",
                [*params, *matched, wanted],
            )
            return cursor.fetchall()

    def _pruned(self, match, wanted, ids):
        """The best ``wanted`` as ``_ranked_fully`` gives them, [(id, score)], with bm25 of most
        matches never computed; None when the bounds cannot prove that (then rank fully).

        MaxScore over the four column tables: the column with the highest bound is scored for
        all its matches; the ``wanted``-th best of those sums is a floor the ``wanted``-th best
        total reaches. A document whose sum plus the bounds of the columns not yet scored stays
        below the floor cannot be in the window (nor can a document missing from that column,
        when the other columns' bounds together stay below it). The other columns are scored,
        in order of their bounds, only for the documents still in reach; each column scored
        raises the floor and narrows them. Totals are summed in column order as SQLite's
        ``sum()`` adds the column rows, so scores and ties are bit for bit the full ranking's."""
        if len(match.groups) > 1 or match.near:
            return None  # several words: their columns' scans cost more than pruning saves (measured)
        phrases = _phrases(match)
        with connection.cursor() as cursor:
            if not connection.get_autocommit():
                return self._prune(cursor, match, wanted, ids, phrases)
            # Several statements: one read transaction, so that they all see the same index.
            cursor.execute("BEGIN DEFERRED")
            try:
                return self._prune(cursor, match, wanted, ids, phrases)
            finally:
                cursor.execute("COMMIT")

    def _prune(self, cursor, match, wanted, ids, phrases):
        totals = column_totals(cursor)
        if totals is None:
            return None
        counts = _phrase_counts(cursor, phrases, totals)
        _observe(totals=totals, counts=counts)  # (sqlite_carry: a ranking carried over a publish)
        rows = [max((n for n, _exact in column), default=0) for column in counts]  # at least, per column
        if sum(rows) < PRUNE_MIN_MATCHES:
            return None  # few matches: ranking them all is as cheap
        bounds, idfs, each_phrase = [], [], []
        for weight, total, column in zip(COLUMN_WEIGHTS, totals, counts, strict=True):
            if total is None:  # an empty column table holds no match
                bounds.append(0.0)
                idfs.append(None)
                each_phrase.append([0.0] * len(phrases))
                continue
            each_phrase.append(sqlite_bm25.phrase_bounds(total[0], column, weight))
            bounds.append(sum(each_phrase[-1]))
            idfs.append(_exact_idfs(phrases, total[0], column))
        order = [index for index in sorted(range(len(COLUMNS)), key=lambda i: -bounds[i]) if bounds[index] > 0.0]
        # The second column is scored in the statement of the first, for the documents it leaves
        # (no round trip of thousands of ids; measured), and only those within reach of the
        # floor of both come back. (Its reach widened for any floor: at most the sum of bounds.)
        following = (
            (order[1], _widened(sum(bounds[index] for index in order[2:]), sum(bounds))) if len(order) > 1 else None
        )
        found = None
        for essential in range(1, max(2, len(order))) if order else ():
            if essential > 1 and 4 * sum(rows[index] for index in order[:essential]) > sum(rows):
                break  # a quarter of the matches or more scored in full: hardly cheaper (measured)
            # The first columns by bound, scored for all their matches; the rest must stay below the floor.
            rest = _widened(sum(bounds[index] for index in order[essential:]), bounds[order[0]])
            if sum(bounds[index] for index in order[:essential]) < 2 * rest:
                continue  # the floor would hardly rise above the rest (measured: a scan wasted)
            if essential == 1:
                # Only the documents holding the first column's strongest phrases, if the others' bounds allow.
                strong = _strong_phrases(phrases, each_phrase[order[0]], rest)
                if strong:
                    weak = _widened(
                        sum(b for p, b in zip(phrases, each_phrase[order[0]], strict=True) if p not in strong), rest
                    )
                    found = self._essential(cursor, match, ids, order[:1], wanted, rest, strong, weak + rest, following)
                    if found is not None:
                        break
            found = self._essential(
                cursor, match, ids, order[:essential], wanted, rest, following=following if essential == 1 else None
            )
            if found is not None:
                break
        if found is None:
            return None
        floor, values, scored = found
        fresh = True  # the floor and reach of the columns scored so far are the statement's
        for index in order:
            if index in scored:
                continue
            if not fresh:
                still = _widened(sum(bounds[other] for other in order if other not in scored), floor)
                totals_now = {pk: _total(column_values) for pk, column_values in values.items()}
                floor = sorted(totals_now.values(), reverse=True)[wanted - 1]
                values = {pk: scores for pk, scores in values.items() if totals_now[pk] + still >= floor}
            for pk, score in self._column_scores(cursor, match, phrases, index, idfs[index], totals[index], values):
                values[pk][index] = score
            scored.add(index)
            fresh = False
        cursor.execute(
            f"SELECT page_id, title_sort FROM {DOCUMENTS} WHERE page_id IN (SELECT value FROM json_each(%s))",
            [json.dumps(list(values))],
        )
        titles = dict(cursor.fetchall())
        ranked = sorted(
            ((pk, _total(column_values)) for pk, column_values in values.items() if pk in titles),
            key=lambda row: (-row[1], titles[row[0]] is not None, titles[row[0]] or "", row[0]),
        )
        # The floors were taken with documents that may have no search document: the window
        # is proved only if as many as wanted with one reach the last (highest) floor.
        if sum(1 for _pk, score in ranked if score >= floor) < wanted:
            return None
        return ranked[:wanted]

    def _essential(self, cursor, match, ids, columns, wanted, rest, strong=(), outside=None, following=None):
        """(floor, {id: [score per column or None]}, the columns scored): the ``columns`` scored
        for all their matches, the floor the ``wanted``-th best of their sums reaches, and the
        documents whose sum is within ``rest`` of it; None if that does not bound the window
        (fewer matches than wanted, or a floor not above ``rest``, which documents outside
        ``columns`` may reach). ``strong``: only the documents holding one of these phrases in
        the (one) column are scored; the floor must then be above ``outside``, what the others
        may reach. ``following``: (column, what the columns after it may add): that column is
        scored too for those documents, the floor raised to the ``wanted``-th best of both
        columns' sums, and only the documents within reach of it are returned."""
        scoring = score_expression(match)
        bar = rest if outside is None else outside  # what the floor must be above
        parts, params = [], []
        for index in columns:
            table = COLUMN_TABLES[index]
            condition, condition_params = _matching_among(f"+{table}.rowid", match, ids)
            condition = f" AND {condition}" if condition else ""
            if strong:
                condition += f" AND +{table}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"
                condition_params.append(" OR ".join(_alternative(phrase) for phrase in strong))
            parts.append(
                f"SELECT rowid AS id, {index} AS c, {COLUMN_WEIGHTS[index]} * -bm25({table}) AS s "
                f"FROM {table} WHERE {table} MATCH %s{condition}"
            )
            params += [scoring, *condition_params]
        if len(columns) == 1:
            summed = f"SELECT id, s, s AS s{columns[0]} FROM ({parts[0]})"
        else:
            each = ", ".join(f"max(CASE WHEN c = {index} THEN s END) AS s{index}" for index in columns)
            summed = f"SELECT id, sum(s) AS s, {each} FROM ({' UNION ALL '.join(parts)}) GROUP BY id"
        each = ", ".join(f"p.s{index}" for index in columns)
        if following is None:
            cursor.execute(
                f"WITH p AS MATERIALIZED ({summed}), cut AS (SELECT s FROM p ORDER BY s DESC LIMIT 1 OFFSET %s) "
                f"SELECT (SELECT s FROM cut), (SELECT s FROM cut), 0, p.id, {each} "
                "FROM p WHERE p.s >= (SELECT s FROM cut) - %s",
                [*params, wanted - 1, rest],
            )
        else:
            (index, after), table = following, COLUMN_TABLES[following[0]]
            columns = [*columns, index]
            # The two scores side by side (grouped: a join of the two would not use an index), and
            # their sum as _total makes it (for two values the order does not matter). None at
            # all when the floor does not bound the window; the second column only for more
            # documents than are scored in Python (else ``b`` is NULL for all, nothing raised).
            cursor.execute(
                f"WITH p AS MATERIALIZED ({summed}), cut AS (SELECT s FROM p ORDER BY s DESC LIMIT 1 OFFSET %s), "
                "c AS MATERIALIZED (SELECT id, s FROM p WHERE (SELECT s FROM cut) > %s "
                "AND p.s >= (SELECT s FROM cut) - %s), "
                "many AS MATERIALIZED (SELECT count(*) > %s AS yes FROM c), "
                f"n AS (SELECT rowid AS id, {COLUMN_WEIGHTS[index]} * -bm25({table}) AS s "
                f"FROM {table} WHERE (SELECT yes FROM many) AND {table} MATCH %s AND +rowid IN (SELECT id FROM c)), "
                "t AS MATERIALIZED (SELECT id, max(a) AS a, max(b) AS b, max(a) + coalesce(max(b), 0.0) AS total "
                "FROM (SELECT id, s AS a, NULL AS b FROM c UNION ALL SELECT id, NULL, s FROM n) GROUP BY id), "
                "raised AS (SELECT total FROM t ORDER BY total DESC LIMIT 1 OFFSET %s) "
                "SELECT (SELECT s FROM cut), CASE WHEN (SELECT yes FROM many) THEN (SELECT total FROM raised) "
                "ELSE (SELECT s FROM cut) END, (SELECT yes FROM many), id, a, b "
                "FROM t WHERE NOT (SELECT yes FROM many) OR total + %s >= (SELECT total FROM raised)",
                [*params, wanted - 1, bar, rest, PYTHON_SCORED_MAX, scoring, wanted - 1, after],
            )
        rows = cursor.fetchall()
        if not rows or not rows[0][0] > bar:
            return None
        if following is not None and not rows[0][2]:  # few documents: the following column is left to _column_scores
            columns = columns[:-1]
            rows = [row[:-1] for row in rows]
        values = {}
        for _first_floor, _floor, _both, pk, *scores in rows:
            values[pk] = column_values = [None] * len(COLUMNS)
            for index, score in zip(columns, scores, strict=True):
                column_values[index] = score
        return rows[0][1], values, set(columns)

    @staticmethod
    def _column_scores(cursor, match, phrases, index, idfs, totals, candidates):
        """(id, weighted bm25) of the ``candidates`` holding a query word in column ``index``:
        computed here for a few rows when every input is exact, else by FTS5."""
        table, weight = COLUMN_TABLES[index], COLUMN_WEIGHTS[index]
        if idfs is not None and len(candidates) <= PYTHON_SCORED_MAX:
            found = sqlite_bm25.scores(cursor, table, phrases, idfs, totals, candidates, weight)
            if found is not None:
                return found.items()
        cursor.execute(
            f"SELECT rowid, {weight} * -bm25({table}) FROM {table} WHERE {table} MATCH %s "
            "AND +rowid IN (SELECT value FROM json_each(%s))",
            [score_expression(match), json.dumps(list(candidates))],
        )
        return cursor.fetchall()

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return cursor.fetchone()[0]

    def present(self, tokens):
        """The positions in ``tokens`` (a list) of those some document holds now: one statement,
        one index lookup each."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT key FROM json_each(%s) WHERE EXISTS (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH value)",
                [json.dumps([_quote(token) for token in tokens])],
            )
            return [key for (key,) in cursor.fetchall()]


ENGINE = SQLiteFullText()
