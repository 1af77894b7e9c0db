"""Search engines: the storage-level indexes the search backends (search/backends/) query.

fulltext.py with sqlite_fts.py and postgres_fts.py: full text in the site's own database
(SQLite FTS5, PostgreSQL tsvector), fed with one analysed token stream (tokens.py);
sqlite_bm25.py scores FTS5's bm25 in Python for a few rows, and sqlite_carry.py carries a
remembered SQLite ranking over a publish where it proves the result exact.
elasticsearch/: the Elasticsearch/OpenSearch cluster (mapping, client, index management,
writes and the bulk rebuild). Imports run one way: service → backends → engines; an engine
never imports a backend, the service or search/sync.py.
"""
