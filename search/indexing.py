"""Writing pages into the embedded search index: SearchDocument with its facet values and
weighted terms, and the database engine's full-text row (search/engines/).

``index_page`` and ``remove_page`` keep one page current; ``reindex`` rebuilds everything in
short batches. Every write records its version (search/snapshot.py) in the same transaction,
so each process's search snapshot picks up exactly the documents that changed.
"""

import gc
import heapq
import json
import multiprocessing
import queue
import threading
import time
import traceback
from operator import itemgetter

from django.db import connection, connections, transaction
from django.utils import timezone

from practices.models import ArticlePage, County, LegalProvision, Municipality, PracticePage, ReportPage

from . import snapshot
from .analysis import fold, words
from .documents import PREFETCHED_AS, SEARCHABLE_MODELS, document_for
from .engines.fulltext import engine
from .engines.tokens import analyse_document
from .models import SearchDocument, SearchFacetValue, SearchTerm, SearchVocabulary
from .rows import insert

REINDEX_BATCH_SIZE = 500
# Where a rebuild reads and analyses the next batches while it writes one: "process" (a forked
# child, on the other core) or "thread" (same process; overlaps only the database's own work).
READ_AHEAD = "process"
# The page cache of a rebuild's SQLite connection while it writes (KiB; SQLite's default is
# about 2 000): each batch's term rows go all over the term index, which outgrows the default at
# a few thousand pages (inserting them 4.4 → 3.2 s from an emptied index at 10 000, measured
# when every term of a document was a row: 70 000 per batch, 15 000 now).
REBUILD_CACHE_KIB = 16_384


def is_searchable(page):
    return page.live and not page.get_view_restrictions().exists()


def _rows(document):
    """What one document is stored as: its SearchDocument, (facet, value, label) rows,
    {term: weight}, {word: stem} and the four token lists of the full-text engine."""
    columns, weights, vocabulary, length = analyse_document(document.texts)
    row = SearchDocument(
        page_id=document.page_id,
        page_type=document.page_type,
        title=document.title,
        title_sort=document.title.casefold()[:255],
        title_folded=" ".join(fold(w) for w in words(document.title))[:255],
        url=document.url,
        summary=document.summary,
        text=document.body_text,
        published=document.published,
        year=document.year,
        county_label=document.county_label,
        municipality_size=document.municipality_size,
        data=document.data,
        length=length,
        indexed_at=timezone.now(),
    )
    facets = [(facet, value.casefold()[:150], label[:255]) for facet, value, label in dict.fromkeys(document.facets)]
    return row, facets, weights, vocabulary, columns


def _write_many(documents):
    """Replace the entries of ``documents`` (in the caller's transaction): a few statements per batch."""
    _write_analysed([_rows(document) for document in documents])


def _write_analysed(analysed, keep_unchanged=False):
    """Write documents already analysed (``_rows`` of each), replacing what they had.

    ``keep_unchanged`` (a rebuild): a document's term rows and full-text row that already hold
    exactly what it would write are left as they are (most of a rebuild's writing). A document
    keeps its ``SearchTerm.PER_DOCUMENT`` heaviest terms, heaviest first and equal weights in
    the order the analysis found them (``heapq.nlargest`` keeps that order). The term rows count
    as unchanged only with the same terms and weights in the same order of row id: «Les også»
    (SearchService.similar) takes a page's 15 heaviest terms, equal weights in row order, so a
    document's rows are either all kept or all written anew in the order a fresh write gives
    them (an index written before the rows were cut to the heaviest is cut by the next rebuild)."""
    if not analysed:
        return
    rows, facets, terms, vocabulary, fulltext = [], [], {}, {}, []
    for row, row_facets, weights, row_vocabulary, columns in analysed:
        page_id = row.page_id
        rows.append(row)
        facets += [(page_id, *facet) for facet in row_facets]
        heaviest = heapq.nlargest(SearchTerm.PER_DOCUMENT, weights.items(), key=itemgetter(1))
        terms[page_id] = [(page_id, term[:80], weight) for term, weight in heaviest]
        vocabulary.update(row_vocabulary)
        fulltext.append((page_id, columns))
    ids = [row.page_id for row in rows]
    with connection.cursor() as cursor:
        if keep_unchanged:
            kept = _stored_terms_equal(cursor, terms)
            rewritten = [pk for pk in ids if pk not in kept]
        else:
            rewritten = ids
        _delete_rows(ids, terms_of=rewritten)
        # Each field's value as Django's bulk_create prepares it (pre_save: ``indexed_at`` is
        # auto_now), without its compiler's work per row and field (a third of the writing).
        fields = SearchDocument._meta.concrete_fields
        insert(
            cursor,
            SearchDocument,
            [field.column for field in fields],
            [[field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields] for row in rows],
        )
        insert(cursor, SearchFacetValue, ("document_id", "facet", "value", "label"), facets)
        insert(
            cursor,
            SearchTerm,
            ("document_id", "term", "weight"),
            [term for pk in rewritten for term in terms[pk]],
        )
        insert(
            cursor,
            SearchVocabulary,
            ("word", "stem"),
            [(word[:80], stem[:80]) for word, stem in vocabulary.items()],
            conflict=" ON CONFLICT DO NOTHING",
        )
    engine().replace(fulltext, keep_unchanged=keep_unchanged)
    snapshot.record_changes(ids)


def _ids_condition(column, ids):
    """``column`` among ``ids`` as SQL and its one parameter (a list of any length)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]


def _stored_terms_equal(cursor, terms):
    """The documents of ``terms`` ({id: [(id, term, weight)] in writing order}) whose stored
    term rows are exactly those, in order of row id."""
    condition, params = _ids_condition("document_id", terms)
    cursor.execute(
        f"SELECT document_id, term, weight FROM {SearchTerm._meta.db_table} WHERE {condition} ORDER BY document_id, id",
        params,
    )
    stored = cursor.fetchall()
    if stored == [row for pk in sorted(terms) for row in terms[pk]]:  # nothing changed: one comparison
        return set(terms)
    by_document = {pk: [] for pk in terms}
    for row in stored:
        by_document[row[0]].append(row)
    return {pk for pk, rows in by_document.items() if rows == terms[pk]}


def _delete_rows(ids, terms_of=None):
    """Delete the documents ``ids`` with their facet and term rows (plain deletes, no collecting);
    with ``terms_of``, only the term rows of those documents."""
    SearchFacetValue.objects.filter(document_id__in=ids)._raw_delete(connection.alias)
    terms_of = ids if terms_of is None else terms_of
    if terms_of:
        SearchTerm.objects.filter(document_id__in=terms_of)._raw_delete(connection.alias)
    SearchDocument.objects.filter(pk__in=ids)._raw_delete(connection.alias)


def _write(document):
    _write_many([document])
    return SearchDocument.objects.get(pk=document.page_id)


@transaction.atomic
def index_page(page):
    """Bring one page's entry up to date: written if it is live and public, removed otherwise."""
    page = page.specific
    if not isinstance(page, SEARCHABLE_MODELS) or not is_searchable(page):
        remove_page(page.pk)
        return None
    return _write(document_for(page))


@transaction.atomic
def remove_page(page_id):
    """Take a page out of the index (its entry may already be gone with the deleted page)."""
    _delete_rows([page_id])
    engine().delete([page_id])
    snapshot.record_changes([page_id])


def _querysets():
    """Every live, public page search covers, by model. What a page's document needs from
    other tables is attached per batch: the counties, municipalities and law provisions from
    what ``_Taxonomy`` read once per rebuild, the tags and terms from the link tables
    (``_attach_terms``)."""
    yield PracticePage.objects.live().public()
    yield ReportPage.objects.live().public()
    yield ArticlePage.objects.live().public()


def _cached(model, items):
    """A queryset of ``model`` holding ``items`` (what prefetch_related leaves in an object's
    prefetch cache: its related manager's ``all()`` returns it without a query)."""
    queryset = model._base_manager.all()
    queryset._result_cache = items
    queryset._prefetch_done = True
    return queryset


def _link_pairs(field, sources=None):
    """(source id, target id) rows of the many-to-many ``field``'s link table, only those of
    ``sources`` when given: the ids alone, without an instance per link."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = through.objects.all() if sources is None else through.objects.filter(**{f"{source}_id__in": sources})
    return links.values_list(f"{source}_id", f"{target}_id")


def _linked(field, objects, rank):
    """{id: [related objects]} of the many-to-many ``field`` among ``objects`` ({id: object})
    from the pairs of its link table, each list in ``rank``'s order (the related model's own
    ordering: the order prefetch_related gives)."""
    linked = {pk: [] for pk in objects}
    for source_id, target_id in _link_pairs(field):
        if source_id in linked and target_id in rank:
            linked[source_id].append(target_id)
    return {pk: [objects[target] for target in sorted(ids, key=rank.__getitem__)] for pk, ids in linked.items()}


# How long a rebuild uses the counties, municipalities and provisions it read (``_Taxonomy``).
TAXONOMY_SECONDS = 2.0


class _Taxonomy:
    """The counties, municipalities and law provisions, read at the start of a rebuild (a few
    hundred rows) and attached to each batch's pages: the same objects and order the per-batch
    prefetch gave (each page's municipalities and each unit's successors in their model's
    ordering, a page's legal references in theirs), without a query, instances and a queryset
    per page and level (most of the cost of reading a batch). Successors and replacing
    provisions are linked to the end of their chains, so following them costs no query.
    Read again every ``TAXONOMY_SECONDS`` (a rename made meanwhile reaches the next batches,
    as it did with batches read ahead) and whenever a page refers to a row read since."""

    def __init__(self):
        self._load()

    def _load(self):
        self.loaded = time.monotonic()
        self.counties = {county.pk: county for county in County.objects.all()}
        self.municipalities = {municipality.pk: municipality for municipality in Municipality.objects.all()}
        county_field = Municipality._meta.get_field("county")
        for municipality in self.municipalities.values():
            county_field.set_cached_value(municipality, self.counties.get(municipality.county_id))
        for model, objects in ((County, self.counties), (Municipality, self.municipalities)):
            rank = {pk: position for position, pk in enumerate(objects)}
            successors = _linked(model._meta.get_field("successors"), objects, rank)
            for pk, obj in objects.items():
                obj._prefetched_objects_cache = {"successors": _cached(model, successors[pk])}
        self.municipality_rank = {pk: position for position, pk in enumerate(self.municipalities)}
        self.provisions = {provision.pk: provision for provision in LegalProvision.objects.select_related("law")}
        replaced_by = LegalProvision._meta.get_field("replaced_by")
        for provision in self.provisions.values():
            replaced_by.set_cached_value(provision, self.provisions.get(provision.replaced_by_id))

    def attach(self, model, pages):
        """Give ``pages`` (of ``model``) their county, municipalities and legal references
        (the last as a plain list under ``PREFETCHED_AS``: only search/documents.py reads it)."""
        if not hasattr(model, "municipalities"):
            return
        through = model.legal_references.rel.related_model
        references = {page.pk: [] for page in pages}
        for reference in through.objects.filter(page_id__in=references):  # (their model's ordering)
            references[reference.page_id].append(reference)
        by_page = {page.pk: [] for page in pages}
        for page_id, municipality_id in _link_pairs(model._meta.get_field("municipalities"), by_page):
            by_page[page_id].append(municipality_id)
        if time.monotonic() - self.loaded > TAXONOMY_SECONDS or not (
            {page.county_id for page in pages} - {None} <= self.counties.keys()
            and {pk for ids in by_page.values() for pk in ids} <= self.municipalities.keys()
            and {r.provision_id for listed in references.values() for r in listed} <= self.provisions.keys()
        ):
            self._load()
        provision_field = through._meta.get_field("provision")
        for page in pages:
            for reference in references[page.pk]:
                provision_field.set_cached_value(reference, self.provisions[reference.provision_id])
            page.__dict__[PREFETCHED_AS.format("legal_references")] = references[page.pk]
        county_field = model._meta.get_field("county")
        for page in pages:
            county_field.set_cached_value(page, self.counties.get(page.county_id))
        rank = self.municipality_rank
        for page in pages:
            ids = [pk for pk in by_page[page.pk] if pk in rank]  # (one deleted just now is gone)
            listed = [self.municipalities[pk] for pk in sorted(ids, key=rank.__getitem__)]
            page._prefetched_objects_cache = {"municipalities": _cached(Municipality, listed)}


def _attach_terms(model, pages):
    """Each page's tags (in the order they were added) and terms (the model's ``view_terms``:
    themes, target groups, funding sources; in their model's order) as plain lists under
    ``PREFETCHED_AS``: read as pairs of ids from the link tables, with one instance per
    distinct term of the batch. The same lists
    prefetch_related gives, without building an instance per page and term (most of the
    cost of reading a batch: a page has a dozen of them, and they are a few hundred in all)."""
    by_id = {page.pk: page for page in pages}
    through = model.tags.through
    links = through.objects.filter(content_object_id__in=by_id).order_by("pk")
    pairs = list(links.values_list("content_object_id", "tag_id"))
    tags = through._meta.get_field("tag").related_model.objects.in_bulk({tag_id for _page_id, tag_id in pairs})
    for page in pages:
        page.__dict__[PREFETCHED_AS.format("tags")] = []
    for page_id, tag_id in pairs:
        by_id[page_id].__dict__[PREFETCHED_AS.format("tags")].append(tags[tag_id])
    for name in model.view_terms:
        field = model._meta.get_field(name)
        pairs = list(_link_pairs(field, by_id))
        # The database's own order of the model (a unique name), as the prefetch query has it.
        terms = field.related_model.objects.filter(pk__in={term_id for _page_id, term_id in pairs})
        rank = {term.pk: (position, term) for position, term in enumerate(terms)}
        listed = {page.pk: [] for page in pages}
        for page_id, term_id in pairs:
            listed[page_id].append(rank[term_id])
        for page in pages:
            page.__dict__[PREFETCHED_AS.format(name)] = [term for _position, term in sorted(listed[page.pk])]


def batches(batch_size=REINDEX_BATCH_SIZE):
    """The searchable pages in lists of at most ``batch_size``, read one batch at a time (by
    primary key, so memory stays flat and no cursor stays open across the writes)."""
    taxonomy = _Taxonomy()
    for queryset in _querysets():
        last = 0
        while True:
            batch = list(queryset.filter(pk__gt=last).order_by("pk")[:batch_size])
            if not batch:
                break
            _attach_terms(queryset.model, batch)
            taxonomy.attach(queryset.model, batch)
            yield batch
            last = batch[-1].pk


def searchable_pages():
    """Every live, public page search covers (one batch in memory at a time)."""
    for batch in batches():
        yield from batch


def document_batches(batch_size=REINDEX_BATCH_SIZE):
    """(pages read, their documents) per batch: what a rebuild reads before it analyses."""
    for batch in batches(batch_size):
        for page in batch:
            # Wagtail caches the sites' root paths (for ``page.url``) on the object it is given;
            # one lookup per batch instead of one (a cache read) per page.
            page._wagtail_cached_site_root_paths = batch[0]._get_site_root_paths()
        yield len(batch), [document for document in map(document_for, batch) if document is not None]


def analysed_batches(batch_size=REINDEX_BATCH_SIZE):
    """(pages read, ``_rows`` of their documents) per batch: everything a rebuild computes
    before it writes."""
    for count, documents in document_batches(batch_size):
        yield count, [_rows(document) for document in documents]


def _read_ahead(batch_size, share):
    """What the reading child of a rebuild yields per batch: (pages read, ``_rows`` of the
    first ``share.value`` documents, the other documents, (seconds spent reading and building
    the batch, seconds spent analysing)): the child analyses as many of each batch's documents
    as the rebuild gives it (``_Balance``), the rebuild the rest."""
    started = time.perf_counter()
    for count, documents in document_batches(batch_size):
        read = time.perf_counter() - started
        analysed = min(share.value, len(documents))
        rows = [_rows(document) for document in documents[:analysed]]
        yield count, rows, documents[analysed:], (read, time.perf_counter() - started - read)
        # The batch's garbage (the collector is off in a rebuild: see ``reindex``), all of it: the
        # pages built hold cycles that outlive a collection of the young generations (collecting
        # only those let 1.2 GB pile up in a rebuild at 50 000 practices).
        gc.collect()
        started = time.perf_counter()


def _analysing(read_ahead, balance=None):
    """``analysed_batches`` of what ``_read_ahead`` yields (closed with it): the documents the
    child left are analysed here, after those it analysed (the order they were read in)."""
    try:
        for count, analysed, documents, (read, analysing) in read_ahead:
            started = time.perf_counter()
            rows = analysed + [_rows(document) for document in documents]
            if balance:
                balance.read(len(rows), read, len(analysed), analysing, len(documents), time.perf_counter() - started)
            yield count, rows
    finally:
        read_ahead.close()


class _Balance:
    """How many documents of each batch the reading child analyses (``share``, shared with it),
    so that neither process waits for the other. Reading and building a batch's documents
    (the child), and writing them (this process) cost about the same while most rows are kept;
    writing costs far more while most are written anew (a new or emptied index, a changed
    analysis), and machines, databases and load differ. So each batch's times are measured
    (averaged over the last few batches): with R the child's reading, W this process's taking
    the batch (unpickling) and writing it, and A the analysis of one document, the child
    analyses k of n documents where R + k·A = W + (n - k)·A."""

    SMOOTHING = 0.5  # the weight of the latest batch in the averages

    def __init__(self, batch_size):
        self.batch_size = batch_size
        self.share = multiprocessing.get_context("fork").Value("i", 0, lock=False)
        self.reading = self.writing = self.per_document = None
        self.documents = 0
        self.receiving = 0.0

    def received(self, seconds):
        """Taking a batch that was ready took ``seconds`` (unpickling it)."""
        self.receiving = seconds

    def _average(self, previous, latest):
        return latest if previous is None else previous + self.SMOOTHING * (latest - previous)

    def read(self, documents, reading, child_analysed, child_seconds, analysed, seconds):
        """A batch arrived: ``documents`` documents, read and built in ``reading`` seconds; the
        child analysed ``child_analysed`` of them in ``child_seconds``, this process the other
        ``analysed`` in ``seconds``."""
        self.documents = documents
        self.reading = self._average(self.reading, reading)
        if child_analysed + analysed:
            latest = (child_seconds + seconds) / (child_analysed + analysed)
            self.per_document = self._average(self.per_document, latest)

    def written(self, seconds):
        """The batch was written in ``seconds``: the child's share of the next ones."""
        self.writing = self._average(self.writing, self.receiving + seconds)
        if not self.per_document or self.reading is None:
            return
        even = (self.writing + self.documents * self.per_document - self.reading) / (2 * self.per_document)
        self.share.value = max(0, min(self.batch_size, round(even)))


_DONE = object()


def _ahead(iterable):
    """Iterate ``iterable`` in a thread of its own, one item ahead of the caller: a rebuild
    reads and analyses the next batch (Python) while this one is written (the database's
    own work, during which the thread holding the GIL lets go of it: SQLite's C code, or
    waiting for PostgreSQL). The thread has its own database connection, closed at the end."""
    items = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce():
        try:
            for item in iterable:
                while not stop.is_set():
                    try:
                        items.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put(_DONE)
        except BaseException as error:  # raised again in the caller's thread
            items.put(error)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=produce, name="search-reindex-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _produce(results, items):
    """The child process of ``_in_process``: each of ``items()``, then None (or the error).
    Only the database connections it opened itself are closed (an inherited one is the parent's)."""
    inherited = {alias: connections[alias].connection for alias in connections}
    try:
        for item in items():
            results.put(item)
        results.put(None)
    except BaseException:
        results.put(traceback.format_exc())
    finally:
        for alias in connections:
            if connections[alias].connection is not inherited.get(alias):
                connections[alias].close()
        results.close()
        results.join_thread()


def _in_process(items, received=None):
    """Iterate ``items()`` computed in a child process (forked, so it shares what this one has
    loaded), up to two items ahead of the caller; ``received(seconds)`` is told how long taking
    an item that was ready took (reading and unpickling it, this process's own work). A rebuild
    reads, builds and analyses the next batches there (Python work, which a thread could only
    interleave with the writes: one interpreter lock) while this process writes, so each runs
    on a core of its own. The child opens its own database connection; this process's is
    closed first, outside a transaction."""
    context = multiprocessing.get_context("fork")
    results = context.Queue(maxsize=2)
    if not connection.in_atomic_block:
        connections.close_all()  # never shared with the child: each opens its own
    process = context.Process(target=_produce, args=(results, items), name="search-reindex-reader", daemon=True)
    process.start()
    try:
        while True:
            ready, started = not results.empty(), time.perf_counter()
            item = results.get()
            if ready and received:
                received(time.perf_counter() - started)
            if item is None:
                return
            if isinstance(item, str):
                raise RuntimeError(f"Lesing av sidene feilet:\n{item}")
            yield item
    finally:
        if process.is_alive():
            process.terminate()
        process.join()


class _PageCache:
    """SQLite: the rebuild's connection caches REBUILD_CACHE_KIB of pages while it writes, and
    what it did before afterwards (the connection is the one opened after the reading child
    was started, so this is done at the first batch)."""

    def __init__(self):
        self.previous = None

    def enlarge(self):
        if connection.vendor == "sqlite" and self.previous is None:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self.previous = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")

    def restore(self):
        if self.previous is not None and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self.previous)}")


def reindex(progress=None, batch_size=REINDEX_BATCH_SIZE):
    """Rebuild the whole index in short transactions of ``batch_size`` pages, so search and
    publishing carry on meanwhile; ``progress(done, total)`` is called after each batch.
    Entries of pages no longer searchable are removed at the end, except those written since
    the rebuild began (a page published meanwhile). Returns the number of pages indexed.

    The next batches are read and analysed in a child process while one is written
    (``_in_process``; ``READ_AHEAD``), except inside a transaction (tests): another connection
    would not see its pages."""
    started = timezone.now()
    total = sum(model.objects.live().public().count() for model in SEARCHABLE_MODELS)
    done = 0
    balance = None
    if connection.in_atomic_block:
        analysed = analysed_batches(batch_size)
    elif READ_AHEAD == "process" and "fork" in multiprocessing.get_all_start_methods():
        # The child reads the pages and builds their documents, and analyses as many of them
        # as keeps the two processes even (``_Balance``); this process analyses the rest
        # (outside the write transaction) and writes.
        balance = _Balance(batch_size)
        analysed = _analysing(_in_process(lambda: _read_ahead(batch_size, balance.share), balance.received), balance)
    else:
        analysed = _ahead(analysed_batches(batch_size))
    # Each batch allocates a few hundred thousand small objects. The cyclic garbage collector's
    # full passes would walk everything the process had loaded before (frozen, so they do not),
    # and its automatic passes walked each batch's objects over and over while it was built
    # (14 % of the reading child's time): both processes collect once per batch instead
    # (reading from an emptied index at 10 000 practices 5.2 → 3.7 s).
    collecting = gc.isenabled()
    # This process collects only the young generations (the rows it writes hold no cycles),
    # unless it builds the pages itself (a reading thread, or inside a transaction).
    generation = 1 if balance else 2
    gc.collect()
    gc.freeze()
    gc.disable()
    page_cache = _PageCache()
    try:
        with engine().rebuilding():
            for count, rows in analysed:
                writing = time.perf_counter()
                page_cache.enlarge()
                with transaction.atomic():
                    _write_analysed(rows, keep_unchanged=True)
                if balance:
                    balance.written(time.perf_counter() - writing)
                done += count
                if progress:
                    progress(done, max(total, done))
                gc.collect(generation)
    finally:
        analysed.close()
        page_cache.restore()
        if collecting:
            gc.enable()
        gc.unfreeze()
    stale = SearchDocument.objects.filter(indexed_at__lt=started)
    while True:
        ids = list(stale.values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        with transaction.atomic():
            _delete_rows(ids)
            engine().delete(ids)
            snapshot.record_changes(ids)
    optimize = getattr(engine(), "optimize", None)  # (SQLite: the rewritten rows' old postings go)
    if optimize:
        optimize()
    if progress and not done:
        progress(0, 0)
    return done
