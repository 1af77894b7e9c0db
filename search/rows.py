"""Plain multi-row inserts for the search index's many simple rows (documents, facet values,
terms, vocabulary, change records): they skip the ORM, whose compiler costs more per row and
field than the database's own insert does."""

from django.db import connection

# Parameters per INSERT statement (SQLite allows 32 766, PostgreSQL 65 535).
INSERT_PARAMETERS = 3_000


def insert(cursor, model, fields, rows, conflict=""):
    """Insert ``rows`` (sequences of values in the order of ``fields``, column names) into
    ``model``'s table. On PostgreSQL a COPY (one round trip). On SQLite statements of a fixed
    number of rows, then the rest one row at a time: the sqlite3 module keeps every distinct
    statement prepared (128 of them), and a prepared statement of thousands of rows takes
    megabytes, so a statement per batch size made memory grow with every batch of a rebuild.
    ``conflict``: an ON CONFLICT clause (not with COPY: then plain INSERTs on PostgreSQL too,
    the rest in one statement, which has no statement cache to fill: a rebuild's vocabulary
    rows 0.42 → 0.20 s at 10 000 practices)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f) for f in fields)
    if connection.vendor == "postgresql" and not conflict:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, INSERT_PARAMETERS // len(fields))
    full = len(rows) - len(rows) % size
    if full:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * size)}{conflict}",
            [[value for row in rows[start : start + size] for value in row] for start in range(0, full, size)],
        )
    if full < len(rows) and connection.vendor == "postgresql":
        rest = rows[full:]
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(rest))}{conflict}",
            [value for row in rest for value in row],
        )
    elif full < len(rows):
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {one}{conflict}", rows[full:])
