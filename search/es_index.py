"""The Elasticsearch/OpenSearch index: mapping and analysis, the client, and index + alias management.

One index per environment: documents live in ``{prefix}-pages-{timestamp}`` behind the alias
``{prefix}-pages`` (prefix from ``ELASTICSEARCH_INDEX_PREFIX``). Searches and page-by-page
updates go through the alias; ``rebuild`` loads a new timestamped index in bulk and swaps the
alias over to it in one atomic request, so search never sees a half-built index.

What a page is indexed under comes from the same analysis as the database backend
(search.analysis): its stems (``terms``), its synonym groups' keys (``synonyms``) and, for
scoring, those terms again per weight class as whitespace-separated text (``weighted.w8`` …),
so both backends match exactly the same documents and the engine ranks them by BM25 over
our own terms. The texts are also indexed with a real Norwegian analyzer (standard
tokenizer, lowercase, Norwegian stop words, the ``stemmer`` filter with language
``norwegian``) and an ASCII-folded sub-field, for highlighting and phrase proximity.

Client compatibility: the elasticsearch 8.x Python client talks to Elasticsearch 8.x natively
and to Elasticsearch 9.x through its REST compatibility (the client sends
``compatible-with=8``). OpenSearch 2.x/3.x rejects those compatibility media types and does
not send the ``X-Elastic-Product`` header the client insists on; when the cluster's
``GET /`` says ``version.distribution == "opensearch"`` the client is built with
``PlainJsonNode``, which sends plain ``application/json`` instead and accepts the answer.
"""

import collections
import concurrent.futures
import contextlib
import dataclasses
import datetime
import itertools
import logging
import re
import threading
import time

from django.conf import settings
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT
from elasticsearch import Elasticsearch, helpers
from elasticsearch_dsl import Date, Document, Index, Integer, Keyword, MetaField, Object, Text, analyzer, token_filter

from .analysis import index_terms, stopwords
from .backends.base import FACETS
from .documents import WEIGHT_BODY, WEIGHT_STRUCTURED, WEIGHT_SUMMARY, WEIGHT_TITLE
from .params import MAX_PAGE, MAX_PAGE_SIZE

logger = logging.getLogger(__name__)

# Every facet value a document carries (FACETS, plus «paragraph» for a § cited without its law).
FACET_FIELDS = (*FACETS, "paragraph")
LABEL_SEPARATOR = "\u001f"  # facet_labels.* hold "value<US>label", so one aggregation gives both
# Highlight markers: private-use characters, replaced by <mark> after the text is escaped.
MARK_START, MARK_END = "\ue000", "\ue001"
# Weight classes of search.documents: a text of weight w is indexed in weighted.w<class>.
WEIGHT_CLASSES = {WEIGHT_TITLE: "w8", WEIGHT_SUMMARY: "w4", WEIGHT_STRUCTURED: "w2", WEIGHT_BODY: "w1"}
WEIGHTED_FIELDS = [f"weighted.{name}^{weight:g}" for weight, name in WEIGHT_CLASSES.items()]
INDEX_NAME_RE_TEMPLATE = r"^{alias}-\d{{20}}$"
BULK_CHUNK_SIZE = 500
MAX_RESULT_WINDOW = MAX_PAGE * MAX_PAGE_SIZE
BULK_IN_FLIGHT = 2  # bulk requests under way while the next chunk is prepared

# --- analysis ----------------------------------------------------------------------------

norwegian_stop = token_filter("kb_norwegian_stop", "stop", stopwords=sorted(stopwords()))
norwegian_stemmer = token_filter("kb_norwegian_stemmer", "stemmer", language="norwegian")
edge_grams = token_filter("kb_edge_grams", "edge_ngram", min_gram=1, max_gram=30)

norwegian = analyzer(
    "kb_norwegian", type="custom", tokenizer="standard", filter=["lowercase", norwegian_stop, norwegian_stemmer]
)
norwegian_folded = analyzer(
    "kb_norwegian_folded", type="custom", tokenizer="standard", filter=["lowercase", norwegian_stop, "asciifolding"]
)
autocomplete_index = analyzer(
    "kb_autocomplete", type="custom", tokenizer="standard", filter=["lowercase", "asciifolding", edge_grams]
)
autocomplete_search = analyzer(
    "kb_autocomplete_search", type="custom", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
# Our own analysed terms (search.analysis), already stemmed and folded: split on spaces only.
own_terms = analyzer("kb_terms", type="custom", tokenizer="whitespace")


def norwegian_text():
    return Text(analyzer=norwegian, fields={"folded": Text(analyzer=norwegian_folded)})


class PageDocument(Document):
    """A page as the engine sees it; ``_id`` is the page id."""

    page_id = Integer()
    page_type = Keyword()
    title = Text(
        analyzer=norwegian,
        fields={
            "folded": Text(analyzer=norwegian_folded),
            "autocomplete": Text(analyzer=autocomplete_index, search_analyzer=autocomplete_search),
        },
    )
    title_sort = Keyword()
    url = Keyword(index=False)
    summary = norwegian_text()
    body = norwegian_text()
    published = Date()
    year = Integer()
    # The terms of search.analysis.index_terms: stems, and synonym group keys ("=housing first").
    terms = Keyword()
    synonyms = Keyword()
    weighted = Object(properties={name: Text(analyzer=own_terms) for name in WEIGHT_CLASSES.values()})
    # Facets: values to filter on, "value<US>label" to count.
    facets = Object(properties={facet: Keyword() for facet in FACET_FIELDS})
    facet_labels = Object(properties={facet: Keyword() for facet in FACET_FIELDS})
    # Law references: the laws cited, and each law with its paragraph ("sosialtjenesteloven:27").
    laws = Keyword()
    law_paragraphs = Keyword()

    class Meta:
        dynamic = MetaField("strict")


def encode_term(term):
    """A term as one whitespace-free token: synonym keys have spaces ("=housing first")."""
    return term.replace(" ", "_")


def weight_class(weight):
    """The weight class a text of ``weight`` is scored in: the largest one not above it."""
    eligible = [w for w in WEIGHT_CLASSES if w <= weight]
    return WEIGHT_CLASSES[max(eligible)] if eligible else WEIGHT_CLASSES[min(WEIGHT_CLASSES)]


def _clean(text):
    return (text or "").replace(MARK_START, "").replace(MARK_END, "")


def es_source(document):
    """The engine's JSON for a search.documents.Document."""
    weighted = {name: [] for name in WEIGHT_CLASSES.values()}
    terms, synonyms = set(), set()
    for text, weight in document.texts:
        counts, _vocabulary = index_terms(text)
        tokens = weighted[weight_class(weight)]
        for term, count in counts.items():
            term = term[:80]
            (synonyms if term.startswith("=") else terms).add(term)
            tokens.extend([encode_term(term)] * count)
    facets, facet_labels = {}, {}
    laws, paragraphs = [], []
    for facet, value, label in dict.fromkeys(document.facets):
        if facet not in FACET_FIELDS:
            logger.warning("Ukjent fasett %r for side %s blir ikke indeksert", facet, document.page_id)
            continue
        value, label = value.casefold()[:150], label[:255]  # as the embedded index stores them
        facets.setdefault(facet, []).append(value)
        facet_labels.setdefault(facet, []).append(f"{value}{LABEL_SEPARATOR}{label}")
        if facet == "law":
            (paragraphs if ":" in value else laws).append(value)
    return {
        "page_id": document.page_id,
        "page_type": document.page_type,
        "title": _clean(document.title),
        "title_sort": document.title.casefold()[:255],
        "url": document.url,
        "summary": _clean(document.summary),
        "body": _clean(document.body_text),
        "published": document.published.isoformat() if document.published else None,
        "year": document.year,
        "terms": sorted(terms),
        "synonyms": sorted(synonyms),
        "weighted": {name: " ".join(tokens) for name, tokens in weighted.items()},
        "facets": facets,
        "facet_labels": facet_labels,
        "laws": laws,
        "law_paragraphs": paragraphs,
    }


# --- names -------------------------------------------------------------------------------


def prefix():
    return (getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "kunnskapsbase").strip().lower()


def alias_name():
    return f"{prefix()}-pages"


def new_index_name():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name()}-{stamp}"


def is_our_index(name):
    return re.match(INDEX_NAME_RE_TEMPLATE.format(alias=re.escape(alias_name())), name) is not None


# --- the client --------------------------------------------------------------------------

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
# Circuit breaker: after a connection failure the cluster is left alone for a while, so that
# neither searches nor publishing wait for timeouts one after another.
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
    from elastic_transport import ConnectionError as TransportConnectionError
    from elastic_transport import ConnectionTimeout, TransportError
    from elasticsearch import ApiError

    if isinstance(error, (TransportConnectionError, ConnectionTimeout)):
        return True
    if isinstance(error, ApiError):
        return error.meta.status >= 500 or error.meta.status == 429
    return isinstance(error, TransportError)


# --- index and alias management ----------------------------------------------------------


def index_definition(name, loading=False):
    index = Index(name)
    # The deepest page the site offers (page × page size) must not be refused by the engine
    # (10 000 by default): page 501 of 20 would be. Engines collect at most as many hits as
    # there are documents, so a high limit costs nothing for ordinary pages.
    index_settings = {"number_of_shards": 1, "max_result_window": MAX_RESULT_WINDOW}
    replicas = getattr(settings, "ELASTICSEARCH_REPLICAS", "")
    if loading:
        index_settings.update({"refresh_interval": "-1"})
    if replicas not in ("", None):
        index_settings["number_of_replicas"] = int(replicas)
    index.settings(**index_settings)
    index.document(PageDocument)
    return index


def create_index(client, name, loading=False):
    index_definition(name, loading=loading).create(using=client)
    return name


def our_indices(client):
    """{index name: [aliases]} for this environment's timestamped indexes."""
    found = client.indices.get_alias(index=f"{alias_name()}-*", ignore_unavailable=True, allow_no_indices=True).body
    return {name: sorted(data.get("aliases", {})) for name, data in found.items() if is_our_index(name)}


def current_index(client):
    alias = alias_name()
    if not client.indices.exists_alias(name=alias):
        return None
    names = sorted(client.indices.get_alias(name=alias).body)
    return names[0] if names else None


def swap_alias(client, new_index):
    """Point the alias at ``new_index`` in one atomic request; returns the indexes it left."""
    alias = alias_name()
    old = sorted(name for name, aliases in our_indices(client).items() if alias in aliases and name != new_index)
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    if client.indices.exists(index=alias) and not client.indices.exists_alias(name=alias):
        # A concrete index squats the alias's name (written to before any alias existed).
        actions.append({"remove_index": {"index": alias}})
    actions.append({"add": {"index": new_index, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    return old


def delete_old_indices(client, keep):
    removed = []
    for name in sorted(our_indices(client)):
        if name != keep:
            client.indices.delete(index=name, ignore_unavailable=True)
            removed.append(name)
    return removed


def ensure_index(client=None):
    """Create an empty index behind the alias if there is none (first start, tests)."""
    client = client or connection().for_bulk()
    existing = current_index(client)
    if existing:
        return existing
    name = create_index(client, new_index_name())
    swap_alias(client, name)
    return name


def index_action(document, index=None):
    return {"_op_type": "index", "_index": index or alias_name(), "_id": str(document.page_id),
            "_source": es_source(document)}


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _send_chunk(client, chunk):
    ok, _errors = helpers.bulk(client, chunk, chunk_size=len(chunk), raise_on_error=True, max_retries=2,
                               initial_backoff=1)
    return ok


def bulk_load(client, actions, progress=None, total=0):
    """Send ``actions`` in chunks of BULK_CHUNK_SIZE, the next chunk being prepared (pages read
    and analysed, in this thread and its database connection) while the cluster indexes the
    previous ones (at most BULK_IN_FLIGHT requests at a time). Raises on any failed document."""
    done = 0
    in_flight = collections.deque()
    with concurrent.futures.ThreadPoolExecutor(max_workers=BULK_IN_FLIGHT, thread_name_prefix="kb-bulk") as pool:
        try:
            for chunk in _chunks(actions, BULK_CHUNK_SIZE):
                in_flight.append(pool.submit(_send_chunk, client, chunk))
                while len(in_flight) >= BULK_IN_FLIGHT or (in_flight and in_flight[0].done()):
                    done += in_flight.popleft().result()
                    if progress:
                        progress(done, total)
            while in_flight:
                done += in_flight.popleft().result()
                if progress:
                    progress(done, total)
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise
    return done


@dataclasses.dataclass
class RebuildResult:
    index: str
    count: int
    seconds: float
    load_seconds: float
    removed: list
    caught_up: int
    distribution: str
    version: str

    @property
    def rate(self):
        return self.count / self.load_seconds if self.load_seconds else 0.0


def rebuild(progress=None, conn=None):
    """Build a new index from every searchable page, swap the alias to it, delete the old ones.

    The alias keeps serving the old index until the new one is complete; if loading fails,
    the new index is deleted and nothing changes. Pages published, unpublished or deleted
    while the index was built are caught up after the swap.
    """
    from django.db.models import Max
    from django.utils import timezone

    from .documents import SEARCHABLE_MODELS, document_for
    from .indexing import searchable_pages
    from .models import IndexQueueEntry, SearchDocument

    conn = conn or connection()
    client = conn.for_bulk()
    started_at = timezone.now()
    queue_mark = IndexQueueEntry.objects.aggregate(last=Max("id"))["last"] or 0
    started = time.perf_counter()
    name = create_index(client, new_index_name(), loading=True)
    total = sum(model.objects.live().public().count() for model in SEARCHABLE_MODELS)
    try:
        actions = (index_action(document_for(page), name) for page in searchable_pages())
        done = bulk_load(client, actions, progress, total)
        load_seconds = time.perf_counter() - started
        client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
        client.indices.refresh(index=name)
        old = swap_alias(client, name)
    except BaseException:
        try:
            client.indices.delete(index=name, ignore_unavailable=True)
        except Exception:
            logger.exception("Kunne ikke slette den halvferdige indeksen %s", name)
        raise
    removed = delete_old_indices(client, keep=name)
    mark_up()
    # Catch up: pages whose state changed while the index was built, and queued failures.
    IndexQueueEntry.objects.filter(id__lte=queue_mark, updated_at__lt=started_at).delete()
    known_ids = set(SearchDocument.objects.values_list("pk", flat=True))
    caught_up = catch_up(client, name, since=started_at, known_ids=known_ids)
    return RebuildResult(
        index=name,
        count=done,
        seconds=time.perf_counter() - started,
        load_seconds=load_seconds,
        removed=sorted(set(old) | set(removed)),
        caught_up=caught_up,
        distribution=conn.info.distribution,
        version=conn.info.version,
    )


def indexed_ids(client, index=None):
    return {
        int(hit["_id"])
        for hit in helpers.scan(client, index=index or alias_name(), query={"query": {"match_all": {}}}, _source=False,
                                size=1000)
    }


def catch_up(client, index, since, known_ids):
    """Bring the new index in line with pages changed since ``since``: those missing from it
    or no longer searchable, and those republished meanwhile. Returns how many were fixed."""
    from wagtail.models import Page

    from .sync import page_actions

    in_index = indexed_ids(client, index)
    republished = set(Page.objects.filter(last_published_at__gte=since).values_list("pk", flat=True))
    stale = (known_ids - in_index) | (in_index - known_ids) | (republished & (known_ids | in_index))
    if not stale:
        return 0
    actions = page_actions(sorted(stale), index=index)
    ok, errors = helpers.bulk(client, actions, raise_on_error=False, stats_only=False)
    for error in errors:
        status = next(iter(error.values()), {}).get("status")
        if status != 404:
            logger.warning("Innhenting etter ny indeks feilet: %s", error)
    client.indices.refresh(index=index)
    return len(stale)


def cluster_status(url=None):
    """For /healthz/: reachable?, distribution, version, index and document count. Asks the
    cluster every time (with the short sync timeout), through the cached connection."""
    url = url or settings.ELASTICSEARCH_URL
    try:
        conn = connection(url)
        client = conn.for_sync()
        version = client.info().body.get("version", {})
        status = {
            "ok": True,
            "distribution": (version.get("distribution") or "elasticsearch").lower(),
            "version": str(version.get("number", "")),
        }
    except Exception as error:
        mark_down(url)
        return {"ok": False, "error": type(error).__name__}
    mark_up(url)
    try:
        status["index"] = current_index(client)
        if status["index"]:
            status["documents"] = client.count(index=alias_name()).body["count"]
        else:  # searches would fail over to the database until search_reindex has run
            status.update(ok=False, documents=0, error=f"ingen indeks bak aliaset {alias_name()}: kjør search_reindex")
    except Exception as error:
        status["ok"] = False
        status["error"] = type(error).__name__
    return status
