"""Elasticsearch/OpenSearch, split by idea:

- ``mapping``: what a page looks like in the engine (analysis, fields, the JSON of a document);
- ``client``: the connection to the cluster (Elasticsearch or OpenSearch) and its circuit breaker;
- ``indices``: index names, the alias and its atomic swap, the cluster's status;
- ``pages``: which pages the engine holds, read in batches, and their current documents;
- ``writes``: putting documents in and taking them out, with external versions;
- ``rebuild``: a new index bulk-loaded behind the alias, then swapped in.

Searching is search/backends/elasticsearch.py; keeping the index in step with the page life
cycle is search/sync.py. Both import from here; nothing here imports them.
"""
