"""manage.py search_retry_queue: send the queued page updates to the search engine again.

For cron, e.g. every five minutes::

    */5 * * * *  cd /srv/kunnskapsbase && .venv/bin/python manage.py search_retry_queue --quiet-if-empty

Updates that failed because Elasticsearch/OpenSearch was slow or down (search/sync.py) are
retried oldest first; each brings a page to its current state (indexed, or removed). Exits
with an error (status 1) if the engine still cannot be reached, so cron and monitoring notice.
``--reconcile`` also compares the engine's index with the embedded tables and fixes any
difference (after a long outage, or a restore of the database).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Prøver oppdateringer av søkemotoren som feilet, på nytt."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Høyst så mange sider denne gangen.")
        parser.add_argument("--reconcile", action="store_true",
                            help="Sammenlign søkemotorens indeks med databasen og rett opp forskjeller.")
        parser.add_argument("--quiet-if-empty", action="store_true", help="Ingen utskrift når køen er tom.")

    def handle(self, *args, limit=None, reconcile=False, quiet_if_empty=False, **options):
        from search.engines.elasticsearch.client import connection, mark_up
        from search.engines.elasticsearch.indices import alias_name
        from search.engines.elasticsearch.rebuild import catch_up
        from search.models import IndexQueueEntry, SearchDocument
        from search.sync import retry_queue

        if not settings.ELASTICSEARCH_URL:
            waiting = IndexQueueEntry.objects.count()
            if waiting:
                self.stdout.write(f"ELASTICSEARCH_URL er ikke satt; {waiting} ventende oppdateringer blir liggende.")
            elif not quiet_if_empty:
                self.stdout.write("ELASTICSEARCH_URL er ikke satt: søket bruker databasen, ingenting å gjøre.")
            return
        mark_up()  # a command run by hand or cron should try, whatever the breaker says
        waiting = IndexQueueEntry.objects.count()
        if not waiting and not reconcile:
            if not quiet_if_empty:
                self.stdout.write("Køen er tom: søkeindeksen er à jour.")
            return
        result = retry_queue(limit=limit)
        if result.error:
            raise CommandError(
                f"Søkemotoren svarer ikke ({result.error}). {result.remaining} oppdateringer venter fortsatt."
            )
        self.stdout.write(
            f"Oppdatert: {result.done}. Feilet igjen: {result.failed}. Venter fortsatt: {result.remaining}."
        )
        if reconcile:
            from django.utils import timezone

            try:
                client = connection().for_bulk()
                fixed = catch_up(
                    client, alias_name(), since=timezone.now(),
                    known_ids=set(SearchDocument.objects.values_list("pk", flat=True)),
                )
            except Exception as error:
                message = f"Kunne ikke sammenligne med søkemotoren: {type(error).__name__}: {error}"
                raise CommandError(message) from error
            self.stdout.write(f"Avstemt mot databasen: {fixed} sider rettet.")
        if result.failed:
            warning = "Noen oppdateringer ble avvist av søkemotoren; se last_error i køen."
            self.stderr.write(self.style.WARNING(warning))
