"""PostgreSQL only: keep the tsvectors in the table's own pages, uncompressed, instead of
compressed in the TOAST table.

A vector is about 2.4 kB, just over the 2 kB at which PostgreSQL compresses a row and moves the
value out of line, so ranking a common word fetched 10 000 values through the TOAST index and
decompressed each one: reading all 10 000 vectors took 43-52 ms that way against 18 ms from
the table's pages (measured alone on a busy machine; the ranking as a whole gained 10-15 %). With ``toast_tuple_target`` at its
largest and storage MAIN, a row is compressed only above about 8 kB and moved out of line only
if it still does not fit in a page. Existing rows are rewritten once (``|| ''`` gives the same
vector as a new value, stored by the new rules). Nothing happens on SQLite."""

from django.db import migrations

STORE_INLINE = [
    "ALTER TABLE kb_search_fulltext SET (toast_tuple_target = 8160)",
    "ALTER TABLE kb_search_fulltext ALTER COLUMN vector SET STORAGE MAIN",
    "UPDATE kb_search_fulltext SET vector = vector || ''::tsvector",
]
STORE_TOASTED = [
    "ALTER TABLE kb_search_fulltext RESET (toast_tuple_target)",
    "ALTER TABLE kb_search_fulltext ALTER COLUMN vector SET STORAGE EXTENDED",
]


def store_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STORE_INLINE:
            schema_editor.execute(statement)


def store_toasted(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STORE_TOASTED:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("kb_search", "0007_pgrank_search_functions"),
    ]

    operations = [migrations.RunPython(store_inline, store_toasted)]
