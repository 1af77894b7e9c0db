"""PostgreSQL full-text search as the database index's text engine: a tsvector per search
document with weights A-D (title, summary, structured fields, body), a GIN index, ranked by
ts_rank_cd (cover density: words close together rank higher).

The vector is written as a tsvector literal of pre-analysed tokens (search/engines/tokens.py)
rather than with to_tsvector('norwegian', …) and unaccent: the project's own analysis
already stems, folds and maps synonyms and nynorsk forms, and only this way do SQLite, PostgreSQL
and Elasticsearch agree on what a query finds. A literal is not parsed (it is the ``simple``
configuration with nothing to do); queries are tsquery literals of the same tokens, with
``|``, ``&``, ``:*`` for prefixes and ``<->`` for phrases. Table and index: migration 0004; storage:
migration 0008; the read queries are SQL functions with their own planner settings: migration 0007.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db import connection

from .tokens import COLUMN_WEIGHTS

TABLE = "kb_search_fulltext"
DOCUMENTS = "kb_search_searchdocument"
WEIGHT_LETTERS = "ABCD"  # by column: title A … body D
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_TOKEN = 256  # and most positions kept per lexeme
COLUMN_GAP = 100  # no phrase spans two columns
# ts_rank_cd takes weights as {D, C, B, A}; the same proportions as the FTS5 columns.
RANK_WEIGHTS = "{" + ",".join(str(w / COLUMN_WEIGHTS[0]) for w in reversed(COLUMN_WEIGHTS)) + "}"
RANK_NORMALIZATION = 1  # divided by 1 + log(document length), as bm25 favours shorter texts

CREATE_SQL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    # No foreign key: Django's flush truncates the documents table without knowing this one.
    # Rows of removed documents are deleted with them (search/indexing.py); an orphan left by a
    # deleted page is never returned (ranking joins the documents; the snapshot knows no such id).
    "document_id integer PRIMARY KEY, vector tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_vector ON {TABLE} USING gin (vector)",
    # Vectors in the table's own pages, uncompressed (migration 0008): no TOAST fetch when ranking.
    f"ALTER TABLE {TABLE} SET (toast_tuple_target = 8160)",
    f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STORAGE MAIN",
]
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"


def vector_literal(columns):
    """A tsvector literal: 'token':1A,5A 'other':2B … (tokens need no quoting: see tokens.encode)."""
    positions = defaultdict(list)
    position = 0
    for letter, tokens in zip(WEIGHT_LETTERS, columns, strict=True):
        if position + len(tokens) < MAX_POSITION:
            # Each token one position on (the usual case): the labels made in one go.
            labels = [f"{number}{letter}" for number in range(position + 1, position + len(tokens) + 1)]
            for token, label in zip(tokens, labels, strict=True):
                positions[token].append(label)
            position += len(tokens)
        else:  # positions stop at PostgreSQL's largest
            for token in tokens:
                position = min(position + 1, MAX_POSITION)
                positions[token].append(f"{position}{letter}")
        position = min(position + COLUMN_GAP, MAX_POSITION)
    # The first positions of each token (in document order) are kept.
    return " ".join(
        f"'{token}':{','.join(found[:MAX_POSITIONS_PER_TOKEN])}" for token, found in positions.items()
    )


def _alternative(alternative):
    kind, value = alternative
    if kind == "prefix":
        return f"'{value}':*"
    if kind == "phrase":
        return "(" + " <-> ".join(f"'{token}'" for token in value) + ")"
    return f"'{value}'"


def query_literal(match):
    return " & ".join("(" + " | ".join(_alternative(a) for a in group) + ")" for group in match.groups)


class PostgresFullText:
    vendor = "postgresql"

    def replace(self, rows, keep_unchanged=False):
        """Write (document id, four token lists) rows, replacing what the documents had. A
        vector equal to the stored one is not written again (no new row version, no GIN
        update), whatever ``keep_unchanged`` says: the result is the same."""
        rows = [(pk, vector_literal(columns)) for pk, columns in rows]
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (document_id, vector) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector "
                f"WHERE {TABLE}.vector IS DISTINCT FROM EXCLUDED.vector",
                rows,
            )

    @contextmanager
    def rebuilding(self):
        """Nothing to set for a rebuild here (the SQLite engine stops FTS5's merging meanwhile)."""
        yield

    def delete(self, ids):
        ids = list(ids)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = ANY(%s)", [ids])

    def delete_all(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def matching_ids(self, match, ids=None):
        """Ids of the documents matching ``match`` (optionally only among ``ids``), from the GIN
        index alone (no vector read), as one array (migration 0007: kb_search_matching)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kb_search_matching(%s::tsquery, %s::integer[])",
                [query_literal(match), None if ids is None else list(ids)],
            )
            return cursor.fetchone()[0]

    def ranked(self, match, limit, offset=0, ids=None):
        """[(id, score)] by score, then title, then id: ``limit`` from ``offset``. Each matching
        vector is read once; only the best by score (with ties) are joined to the documents for
        the tie-break (migration 0007: kb_search_ranked)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT document_id, score FROM kb_search_ranked(%s::tsquery, %s::real[], %s, %s, %s::integer[])",
                [
                    query_literal(match),
                    RANK_WEIGHTS,
                    RANK_NORMALIZATION,
                    limit + offset,
                    None if ids is None else list(ids),
                ],
            )
            return cursor.fetchall()[offset:]

    def rescored(self, match, rows, ids):
        """``rows`` [(id, score)] from ``ranked`` (none of them in ``ids``) with those of the
        documents ``ids`` that match scored and merged in, in ``ranked``'s order (score, then
        title in the database's collation, then id): one statement. ts_rank_cd scores a
        document from its vector and the query alone, so the scores are those ``ranked`` gives."""
        query = query_literal(match)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.document_id, r.score FROM ("
                "SELECT k.document_id, k.score FROM unnest(%s::integer[], %s::real[]) AS k(document_id, score) "
                f"UNION ALL SELECT f.document_id, ts_rank_cd(%s::real[], f.vector, %s::tsquery, %s) FROM {TABLE} f "
                "WHERE f.document_id = ANY(%s::integer[]) AND f.vector @@ %s::tsquery"
                f") r JOIN {DOCUMENTS} d ON d.page_id = r.document_id "
                "ORDER BY r.score DESC, d.title_sort, d.page_id",
                [
                    [pk for pk, _score in rows],
                    [score for _pk, score in rows],
                    RANK_WEIGHTS,
                    query,
                    RANK_NORMALIZATION,
                    list(ids),
                    query,
                ],
            )
            return cursor.fetchall()

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return cursor.fetchone()[0]

    def present(self, tokens):
        """The positions in ``tokens`` (a list) of those some document holds now: one statement,
        a GIN lookup each."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT position - 1 FROM unnest(%s::tsquery[]) WITH ORDINALITY AS wanted(query, position) "
                f"WHERE EXISTS (SELECT 1 FROM {TABLE} WHERE vector @@ wanted.query)",
                [[_alternative(("term", token)) for token in tokens]],
            )
            return [position for (position,) in cursor.fetchall()]


ENGINE = PostgresFullText()
