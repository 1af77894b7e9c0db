"""manage.py search_reindex: rebuild the search index from every live, public page.

Backend-neutral: it calls ``search.indexing.reindex`` and reports what the index holds.
Publishing, unpublishing, moving and deleting pages keep the index current on their own
(search/signals.py); this is for a new or emptied index, after bulk changes (demo content,
an import with signals off) or after changing how documents are analysed.

With ELASTICSEARCH_URL set it then rebuilds the cluster's index without downtime: a new
index ``{prefix}-pages-<timestamp>`` is bulk-loaded, the alias ``{prefix}-pages`` is swapped
to it in one atomic request and the old indexes are deleted
(search/engines/elasticsearch/rebuild.py). Pages are read and sent in batches, so memory stays
flat however many there are.
``--elasticsearch-only`` rebuilds only that; ``--skip-elasticsearch`` only the tables.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kunnskapsbase.progress import Progress


def index_statistics():
    """What the embedded index holds: documents, (document, term) rows, distinct terms, facet values."""
    from search.models import SearchDocument, SearchFacetValue, SearchTerm, SearchVocabulary

    return {
        "documents": SearchDocument.objects.count(),
        "terms": SearchTerm.objects.count(),
        "distinct_terms": SearchTerm.objects.values("term").distinct().count(),
        "facet_values": SearchFacetValue.objects.count(),
        "words": SearchVocabulary.objects.count(),
    }


class Command(BaseCommand):
    help = "Bygger søkeindeksen på nytt fra alle publiserte, offentlige sider."

    def add_arguments(self, parser):
        # With ELASTICSEARCH_URL set, the cluster's index is rebuilt too (after the embedded
        # tables, which stay the source the results are loaded from).
        parser.add_argument(
            "--elasticsearch-only", action="store_true",
            help="Bygg bare søkemotorens indeks (Elasticsearch/OpenSearch), ikke tabellene i databasen.",
        )
        parser.add_argument(
            "--skip-elasticsearch", action="store_true",
            help="Bygg bare tabellene i databasen, selv om ELASTICSEARCH_URL er satt.",
        )

    def handle(self, *args, elasticsearch_only=False, skip_elasticsearch=False, **options):
        if elasticsearch_only:
            if not settings.ELASTICSEARCH_URL:
                raise CommandError("ELASTICSEARCH_URL er ikke satt: det finnes ingen søkemotor å bygge indeksen i.")
            self.rebuild_elasticsearch()
            return
        self.rebuild_embedded()
        if settings.ELASTICSEARCH_URL and not skip_elasticsearch:
            self.rebuild_elasticsearch()

    def rebuild_elasticsearch(self):
        """A new timestamped index, bulk-loaded, then the alias swapped to it atomically and
        the old indexes deleted: search keeps answering from the old index meanwhile."""
        from search.engines.elasticsearch.client import mark_up
        from search.engines.elasticsearch.indices import alias_name
        from search.engines.elasticsearch.rebuild import rebuild

        self.stdout.write(f"Bygger søkemotorens indeks ({settings.ELASTICSEARCH_URL}) …")
        mark_up()
        try:
            result = rebuild(Progress(self.stdout))
        except Exception as error:
            raise CommandError(
                f"Søkemotorens indeks kunne ikke bygges: {type(error).__name__}: {error}. "
                "Den gamle indeksen (om noen) svarer fortsatt."
            ) from error
        removed = ", ".join(result.removed) or "ingen"
        self.stdout.write(
            self.style.SUCCESS(
                "Ferdig.\n"
                f"  Søkemotor:     {result.distribution} {result.version}\n"
                f"  Indeks:        {result.index} (alias {alias_name()})\n"
                f"  Dokumenter:    {result.count}\n"
                f"  Innhentet:     {result.caught_up} sider endret underveis\n"
                f"  Slettet:       {removed}\n"
                f"  Tid:           {result.seconds:.1f} s ({result.rate:.0f} dokumenter/s lastet)"
            )
        )

    def rebuild_embedded(self):
        from search.indexing import reindex

        self.stdout.write("Bygger søkeindeksen …")
        started = time.perf_counter()
        count = reindex(Progress(self.stdout))
        from search.tasks import enqueue_read_also_for_all

        lists = enqueue_read_also_for_all()  # «Les også» lists, by the background worker
        seconds = time.perf_counter() - started
        stats = index_statistics()
        rate = count / seconds if seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                "Ferdig.\n"
                f"  Dokumenter:    {stats['documents']}\n"
                f"  Termer:        {stats['terms']} "
                f"({stats['distinct_terms']} ulike, {stats['words']} ord i ordlisten)\n"
                f"  Fasettverdier: {stats['facet_values']}\n"
                f"  Tid:           {seconds:.1f} s ({rate:.0f} sider/s)\n"
                f"  «Les også»:    {lists} sider lagt i kø for bakgrunnsjobben"
            )
        )
