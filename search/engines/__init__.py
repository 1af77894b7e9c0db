"""Search engines: the storage-level indexes the search backends (search/backends/) query.

elasticsearch/: the Elasticsearch/OpenSearch cluster (mapping, client, index management,
writes and the bulk rebuild). Imports run one way: service → backends → engines; an engine
never imports a backend, the service or search/sync.py.
"""
