"""Ranking per column, as Elasticsearch ranks per field (search/engines/sqlite_fts.py): on
SQLite, one FTS5 table per column of kb_search_fulltext. Compound parts became tokens of their
own («part_bol», no longer the same token as the word «bol»: search/engines/tokens.py), so the
full-text rows written before are emptied on both databases; ``manage.py bootstrap`` (which
rebuilds a full-text index that is behind) or ``manage.py search_reindex`` writes them anew."""

from django.db import migrations

# Written out here (not imported from search/engines/) so the migration stays as it was.
COLUMNS = ("title", "summary", "structured", "body")
TOKENIZE = "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\""


def per_column_ranking(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    schema_editor.execute("DELETE FROM kb_search_fulltext")
    if vendor == "sqlite":
        for column in COLUMNS:
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS kb_search_fulltext_{column} USING fts5(tokens, {TOKENIZE})"
            )


def drop_column_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for column in COLUMNS:
            schema_editor.execute(f"DROP TABLE IF EXISTS kb_search_fulltext_{column}")


class Migration(migrations.Migration):

    dependencies = [
        ("kb_search", "0005_perf_read_also"),
    ]

    operations = [migrations.RunPython(per_column_ranking, drop_column_tables)]
