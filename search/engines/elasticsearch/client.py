"""The connection to the cluster, whichever product it is, and its circuit breaker.

Client compatibility: the elasticsearch 8.x Python client talks to Elasticsearch 8.x natively
and to Elasticsearch 9.x through its REST compatibility (the client sends
``compatible-with=8``). OpenSearch 2.x/3.x rejects those compatibility media types and does
not send the ``X-Elastic-Product`` header the client insists on; when the cluster's
``GET /`` says ``version.distribution == "opensearch"`` the client is built with
``PlainJsonNode``, which sends plain ``application/json`` instead and accepts the answer.

Circuit breaker: after a connection failure the cluster is left alone for
``ELASTICSEARCH_RETRY_AFTER`` seconds (30 by default), so that neither searches nor index
updates wait for timeouts one after another.
"""

import contextlib
import dataclasses
import re
import threading
import time

from django.conf import settings
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, HttpHeaders, TransportError, Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT
from elasticsearch import ApiError, Elasticsearch

_COMPAT_RE = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+)(\s*;\s*compatible-with=\d+)?")


class PlainJsonNode(Urllib3HttpNode):
    """A connection for OpenSearch: plain JSON instead of Elasticsearch's compatibility media
    types (which OpenSearch rejects with 406), and the product check the elasticsearch client
    makes on every response satisfied, since we chose to talk to OpenSearch."""

    def perform_request(self, method, target, body=None, headers=None, request_timeout=DEFAULT):
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value:
                    headers[name] = _COMPAT_RE.sub(r"application/\1", value)
        response = super().perform_request(method, target, body=body, headers=headers, request_timeout=request_timeout)
        with contextlib.suppress(ValueError):  # frozen headers: leave them
            response.meta.headers.setdefault("x-elastic-product", "Elasticsearch")
        return response


@dataclasses.dataclass(frozen=True)
class ClusterInfo:
    distribution: str  # "elasticsearch" or "opensearch"
    version: str
    name: str = ""


class Connection:
    """A client for one cluster, built once the cluster has said what it is."""

    def __init__(self, client, info):
        self.client = client
        self.info = info

    def for_search(self):
        return self.client.options(request_timeout=_setting("ELASTICSEARCH_TIMEOUT", 2.0))

    def for_sync(self):
        return self.client.options(request_timeout=_setting("ELASTICSEARCH_SYNC_TIMEOUT", 2.0))

    def for_bulk(self):
        return self.client.options(request_timeout=_setting("ELASTICSEARCH_BULK_TIMEOUT", 120.0))


def _setting(name, default):
    value = getattr(settings, name, None)
    return default if value in (None, "") else value


def _client_options():
    options = {"max_retries": 0, "retry_on_timeout": False}
    if getattr(settings, "ELASTICSEARCH_API_KEY", ""):
        options["api_key"] = settings.ELASTICSEARCH_API_KEY
    if getattr(settings, "ELASTICSEARCH_CA_CERTS", ""):
        options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    if not getattr(settings, "ELASTICSEARCH_VERIFY_CERTS", True):
        options["verify_certs"] = False
        options["ssl_show_warn"] = False
    return options


def detect(url, timeout=None):
    """What the cluster at ``url`` is, from its ``GET /``, asked in plain JSON (which both
    Elasticsearch and OpenSearch accept)."""
    timeout = timeout or _setting("ELASTICSEARCH_SYNC_TIMEOUT", 2.0)
    probe = Elasticsearch(url, node_class=PlainJsonNode, request_timeout=timeout, **_client_options())
    try:
        version = probe.info().body.get("version", {})
    finally:
        probe.close()
    distribution = (version.get("distribution") or "elasticsearch").lower()
    return ClusterInfo(distribution=distribution, version=str(version.get("number", "")), name=url)


_connections = {}
_lock = threading.Lock()
_down_until = {}


def connection(url=None):
    """The (cached) connection to ``url`` (default ``settings.ELASTICSEARCH_URL``).
    Raises the transport's ConnectionError/ConnectionTimeout if the cluster cannot be reached."""
    url = url or settings.ELASTICSEARCH_URL
    key = (url, getattr(settings, "ELASTICSEARCH_API_KEY", ""))
    with _lock:
        cached = _connections.get(key)
    if cached is not None:
        return cached
    info = detect(url)
    node_class = PlainJsonNode if info.distribution == "opensearch" else Urllib3HttpNode
    client = Elasticsearch(
        url,
        node_class=node_class,
        request_timeout=_setting("ELASTICSEARCH_TIMEOUT", 2.0),
        **_client_options(),
    )
    created = Connection(client, info)
    with _lock:
        return _connections.setdefault(key, created)


def forget_connections():
    """Drop cached clients and breaker state (tests, and after changing settings)."""
    with _lock:
        for conn in _connections.values():
            with contextlib.suppress(Exception):  # closing a broken client may fail; it is dropped anyway
                conn.client.close()
        _connections.clear()
        _down_until.clear()


def mark_down(url=None, seconds=None):
    seconds = _setting("ELASTICSEARCH_RETRY_AFTER", 30.0) if seconds is None else seconds
    with _lock:
        _down_until[url or settings.ELASTICSEARCH_URL] = time.monotonic() + float(seconds)


def mark_up(url=None):
    with _lock:
        _down_until.pop(url or settings.ELASTICSEARCH_URL, None)


def is_down(url=None):
    with _lock:
        until = _down_until.get(url or settings.ELASTICSEARCH_URL)
    return until is not None and time.monotonic() < until


def is_outage(error):
    """Errors that mean the cluster is unreachable, slow or overloaded (not a bad request)."""
    if isinstance(error, (TransportConnectionError, ConnectionTimeout)):
        return True
    if isinstance(error, ApiError):
        return error.meta.status >= 500 or error.meta.status == 429
    return isinstance(error, TransportError)
