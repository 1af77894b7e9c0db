"""SQLite FTS5 as the embedded default's text index: one row per search document, four
columns (title, summary, structured fields, body) of pre-analysed tokens, ranked by bm25
with the column weights of search/documents.py.

The table is created by migration 0004 (only on SQLite). FTS5 is compiled into the sqlite3
of Python 3.11 on Debian; ``check_available`` says clearly when it is not.
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


def _by_title(cursor, rows):
    """``rows`` (id, score), best first, with equal scores in title order (as the join would)."""
    if not rows:
        return []
    cursor.execute(
        f"SELECT page_id, title_sort FROM {DOCUMENTS} WHERE page_id IN (SELECT value FROM json_each(%s))",
        [json.dumps([pk for pk, _score in rows])],
    )
    titles = dict(cursor.fetchall())
    return sorted(((pk, score) for pk, score in rows if pk in titles), key=lambda r: (-r[1], titles[r[0]], r[0]))


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

    def delete(self, ids):
        ids = list(ids)
        if ids:
            with connection.cursor() as cursor:
                self._delete(cursor, ids)

    @staticmethod
    def _delete(cursor, ids):
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN (SELECT value FROM json_each(%s))", [json.dumps(ids)])

    def delete_all(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def matching_ids(self, match, ids=None):
        """Ids of the documents matching ``match`` (optionally only among ``ids``)."""
        sql, params = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(match)]
        if ids is not None:
            sql += " AND rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(ids)))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def ranked(self, match, limit, offset=0, ids=None):
        """[(document id, score)] best first (ties by title), optionally only among ``ids``.

        Ranked by score alone first (no join: cheaper), then put in title order within equal
        scores; only if equal scores straddle the end of the window is the join needed."""
        weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
        params = [match_expression(match)]
        among = ""
        if ids is not None:
            # The unary plus keeps SQLite from looking up each id in the full-text index.
            among = f" AND +{TABLE}.rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(ids)))
        wanted = offset + limit
        score = f"-bm25({TABLE}, {weights})"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {score} AS score FROM {TABLE} WHERE {TABLE} MATCH %s{among} "
                "ORDER BY score DESC LIMIT %s",
                [*params, wanted + 1],
            )
            rows = cursor.fetchall()
            if len(rows) <= wanted or rows[wanted][1] != rows[wanted - 1][1]:
                return _by_title(cursor, rows[:wanted])[offset:]
            cursor.execute(
                f"SELECT {TABLE}.rowid, {score} AS score FROM {TABLE} "
                f"JOIN {DOCUMENTS} d ON d.page_id = {TABLE}.rowid "
                f"WHERE {TABLE} MATCH %s{among} ORDER BY score DESC, d.title_sort, d.page_id LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return cursor.fetchall()

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return cursor.fetchone()[0]


ENGINE = SQLiteFullText()
