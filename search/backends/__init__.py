"""Search backends: one contract (base.py), the embedded database backend (database.py), and
the Elasticsearch/OpenSearch backend (elasticsearch.py), chosen when ELASTICSEARCH_URL is set."""

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "search.backends.database.DatabaseBackend"
ELASTICSEARCH_BACKEND = "search.backends.elasticsearch.ElasticsearchBackend"


class BackendUnavailable(Exception):
    """The backend cannot answer now (cluster unreachable, slow or failing): the search
    service answers from the database backend instead, with a notice."""


def get_backend():
    explicit = getattr(settings, "KB_SEARCH_BACKEND", None)
    if explicit:
        return import_string(explicit)()
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        return import_string(ELASTICSEARCH_BACKEND)()
    return import_string(DEFAULT_BACKEND)()
