"""Search engines: the storage-level indexes the search backends query (full text in the
site's database: fulltext.py with sqlite_fts.py and postgres_fts.py)."""
