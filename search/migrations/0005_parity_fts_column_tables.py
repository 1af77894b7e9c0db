"""SQLite only: one FTS5 table per column of kb_search_fulltext, so each column is ranked by
bm25 with its own length normalisation (search/engines/sqlite_fts.py), filled from the
existing full-text table so no reindex is needed."""

from django.db import migrations

# Written out here (not imported from search/engines/) so the migration stays as it was.
COLUMNS = ("title", "summary", "structured", "body")
TOKENIZE = "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\""


def create_column_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for column in COLUMNS:
        table = f"kb_search_fulltext_{column}"
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(tokens, {TOKENIZE})")
        schema_editor.execute(
            f"INSERT INTO {table} (rowid, tokens) SELECT rowid, {column} FROM kb_search_fulltext "
            f"WHERE {column} <> ''"
        )


def drop_column_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP TABLE IF EXISTS kb_search_fulltext_{column}")


class Migration(migrations.Migration):

    dependencies = [
        ("kb_search", "0004_fts_fulltext_engines"),
    ]

    operations = [migrations.RunPython(create_column_tables, drop_column_tables)]
