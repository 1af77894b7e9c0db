"""SQLite only: FTS5 prefix indexes on the full-text tables (search/engines/sqlite_fts.py).

A query word of four letters or more also matches the indexed words it begins («bolig»*,
search/analysis.py ``QueryTerm.prefix``). Without a prefix index FTS5 reads the doclist of every
token starting with it and merges them (22 tokens and 90 000 postings for «bolig» at 50 000
practices) in each statement that names the prefix; with one, the prefix of a length the table
indexes is one doclist. The tables are created anew with the option and refilled from their own
stored column texts (the same tokens, so the same matches, positions and bm25 statistics).
Nothing happens on PostgreSQL."""

from django.db import migrations

# Written out here (not imported from search/engines/) so the migration stays as it was.
TOKENIZE = "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\""
PREFIX = "prefix = '4 5 6'"
TABLES = {
    "kb_search_fulltext": ("title", "summary", "structured", "body"),
    **{f"kb_search_fulltext_{column}": ("tokens",) for column in ("title", "summary", "structured", "body")},
}


def _recreate(schema_editor, options):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, columns in TABLES.items():
        stored = ", ".join(f"c{index}" for index in range(len(columns)))
        schema_editor.execute(f"CREATE TEMP TABLE kb_fulltext_kept AS SELECT id, {stored} FROM {table}_content")
        schema_editor.execute(f"DROP TABLE {table}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(columns)}, {options})")
        schema_editor.execute(
            f"INSERT INTO {table} (rowid, {', '.join(columns)}) SELECT id, {stored} FROM kb_fulltext_kept ORDER BY id"
        )
        schema_editor.execute("DROP TABLE kb_fulltext_kept")


def add_prefix_indexes(apps, schema_editor):
    _recreate(schema_editor, f"{TOKENIZE}, {PREFIX}")


def remove_prefix_indexes(apps, schema_editor):
    _recreate(schema_editor, TOKENIZE)


class Migration(migrations.Migration):
    dependencies = [
        ("kb_search", "0008_pgrank_vector_storage"),
    ]

    operations = [migrations.RunPython(add_prefix_indexes, remove_prefix_indexes)]
