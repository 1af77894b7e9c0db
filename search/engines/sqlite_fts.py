"""SQLite FTS5 as the embedded default's text index: one row per search document, four
columns (title, summary, structured fields, body) of pre-analysed tokens, which decides what
matches; ranked by bm25 per column with the column weights of search/documents.py.

FTS5's bm25 over a multi-column table normalises by the length of the whole row, so a long
body pulls down a title match; the Elasticsearch backend (BM25 per field) does not. So each
column is also kept in a one-column FTS5 table of its own (only for documents where it is not
empty, as a field is counted in Elasticsearch), and the score is the weighted sum of the
columns' own bm25: per-column length normalisation and document frequencies, as in the engine.

The tables are created by migrations 0004 and 0005 (only on SQLite). FTS5 is compiled into
the sqlite3 of Python 3.11 on Debian; ``check_available`` says clearly when it is not.
"""

import json

from django.db import connection

from .tokens import COLUMN_WEIGHTS, COLUMNS

TABLE = "kb_search_fulltext"
DOCUMENTS = "kb_search_searchdocument"
NEAR_DISTANCE = 10

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    + ", ".join(COLUMNS)
    + ", tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
)
COLUMN_TABLES = tuple(f"{TABLE}_{column}" for column in COLUMNS)
CREATE_COLUMN_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
    "tokens, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
    for table in COLUMN_TABLES
]
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
FTS5_MISSING = (
    "SQLite-versjonen Python bruker her er bygget uten FTS5 (fulltekstsøk), som det innebygde søket "
    "trenger. Bruk en Python/SQLite med FTS5 (PRAGMA compile_options skal vise ENABLE_FTS5) eller "
    "PostgreSQL (DATABASE_URL)."
)


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


class SQLiteFullText:
    vendor = "sqlite"

    def replace(self, rows):
        """Write (document id, four token lists) rows, replacing what the documents had."""
        rows = list(rows)
        if not rows:
            return
        with connection.cursor() as cursor:
            self._delete(cursor, [pk for pk, _columns in rows])
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s)",
                [(pk, *(" ".join(tokens) for tokens in columns)) for pk, columns in rows],
            )
            for index, table in enumerate(COLUMN_TABLES):
                cursor.executemany(
                    f"INSERT INTO {table} (rowid, tokens) VALUES (%s, %s)",
                    [(pk, " ".join(columns[index])) for pk, columns in rows if columns[index]],
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

    def matching_ids(self, match, ids=None):
        """Ids of the documents matching ``match`` (optionally only among ``ids``)."""
        # One row of comma-separated ids: cheaper than a Python row per match (10 000 for a
        # common word).
        sql, params = f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(match)]
        if ids is not None:
            sql += " AND rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(ids)))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()[0]
        return list(map(int, found.split(","))) if found else []

    def ranked(self, match, limit, offset=0, ids=None):
        """[(document id, score)] best first (ties by title), optionally only among ``ids``:
        the weighted sum of each column table's bm25 over the documents matching ``match``.

        The sums are made once; only the documents scoring at least the last wanted one are
        joined with their titles for the order of ties (not every match)."""
        return self._ranked(match, limit, offset, ids)[0]

    def ranked_and_matching(self, match, limit):
        """(``ranked(match, limit)``, ``matching_ids(match)``) from one statement, or None when
        the ranking cannot tell which documents match (more than one group, or proximity)."""
        if len(match.groups) > 1 or match.near:
            return None
        rows, found = self._ranked(match, limit, 0, None, with_ids=True)
        return None if found is None else (rows, found)

    def _ranked(self, match, limit, offset, ids, with_ids=False):
        scoring = score_expression(match)
        parts, params = [], []
        for weight, table in zip(COLUMN_WEIGHTS, COLUMN_TABLES, strict=True):
            parts.append(f"SELECT rowid AS id, {weight} * -bm25({table}) AS s FROM {table} WHERE {table} MATCH %s")
            params.append(scoring)
        among, matched = "", []  # a condition on the scored rows (``part``), and its parameters
        # One group, no proximity: a column table holds a query word exactly when the document
        # matches, so the main table need not be asked again.
        if ids is not None or len(match.groups) > 1 or match.near:
            among = f" WHERE part.id IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"
            matched.append(match_expression(match))
            if ids is not None:
                # The unary plus keeps SQLite from looking up each id in the full-text index.
                among += f" AND +{TABLE}.rowid IN (SELECT value FROM json_each(%s))"
                matched.append(json.dumps(list(ids)))
            among += ")"
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
        found = list(map(int, rows[0][3].split(","))) if with_ids else None
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

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return cursor.fetchone()[0]


ENGINE = SQLiteFullText()
