"""Search engines: the storage-level indexes the search backends (search/backends/) query.

fulltext.py with sqlite_fts.py and postgres_fts.py: full text in the site's own database
(SQLite FTS5, PostgreSQL tsvector), fed with one analysed token stream (tokens.py).
elasticsearch/: the Elasticsearch/OpenSearch cluster (mapping, client, index management,
writes and the bulk rebuild). Imports run one way: service → backends → engines; an engine
never imports a backend, the service or search/sync.py.
"""
