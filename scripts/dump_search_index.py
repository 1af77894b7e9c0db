#!/usr/bin/env python
"""Dump what the embedded search index holds, in a stable order, to compare two builds.

Used to check that a faster ``search_reindex`` writes exactly the same index as before: run
``search_reindex --skip-elasticsearch`` with the old code and with the new one on copies of the
same database, dump each, and compare the digests (or the files).

    DATABASE_URL=sqlite:////tmp/a.sqlite3 python scripts/dump_search_index.py /tmp/a.txt

Prints one digest line per table: the documents (every stored field but ``indexed_at``), the
facet values, the weighted terms, the vocabulary and the full-text rows (SQLite: the tokens of
each FTS5 table; PostgreSQL: the tsvector as text). Writes the rows themselves to the file.
"""

import hashlib
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskapsbase.settings.base")


def tables():
    from django.db import connection

    from search.engines import sqlite_fts
    from search.models import SearchDocument, SearchFacetValue, SearchVocabulary

    fields = [f.attname for f in SearchDocument._meta.concrete_fields if f.name != "indexed_at"]
    yield "documents", SearchDocument.objects.order_by("pk").values_list(*fields)
    yield "facets", SearchFacetValue.objects.order_by("document_id", "facet", "value", "label").values_list(
        "document_id", "facet", "value", "label"
    )
    try:
        from search.models import SearchTerm
    except ImportError:
        SearchTerm = None
    if SearchTerm is not None:
        yield "terms", SearchTerm.objects.order_by("document_id", "term").values_list("document_id", "term", "weight")
    yield "vocabulary", SearchVocabulary.objects.order_by("word").values_list("word", "stem")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in (sqlite_fts.TABLE, *sqlite_fts.COLUMN_TABLES):
                cursor.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid")
                yield table, cursor.fetchall()
        else:
            cursor.execute("SELECT document_id, vector::text FROM kb_search_fulltext ORDER BY document_id")
            yield "fulltext", cursor.fetchall()


def main(path):
    import django

    django.setup()
    with open(path, "w", encoding="utf-8") as out:
        for name, rows in tables():
            digest, count = hashlib.sha256(), 0
            for row in rows:
                line = repr(tuple(row))
                digest.update(line.encode())
                out.write(f"{name}\t{line}\n")
                count += 1
            print(f"{name}: {count} rader, {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.devnull)
