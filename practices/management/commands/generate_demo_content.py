"""manage.py generate_demo_content --practices N [--seed S] [--clear]: synthetic practice
examples for load tests and demonstrations (see practices/demo_content.py)."""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kunnskapsbase.progress import Progress
from practices import demo_content


class Command(BaseCommand):
    help = (
        "Lager syntetiske praksiseksempler til demo og ytelsestester (slug «demo-…», stikkord «demodata») "
        "og bygger søkeindeksen på nytt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=0, metavar="N", help="Antall praksiseksempler å lage")
        parser.add_argument(
            "--seed", type=int, default=None, help="Frø for tilfeldighetene (samme frø gir samme sider)"
        )
        parser.add_argument("--clear", action="store_true", help="Slett tidligere genererte demosider først")
        parser.add_argument("--skip-index", action="store_true", help="Ikke bygg søkeindeksen til slutt")

    def handle(self, *args, practices, seed, clear, skip_index, **options):
        if practices < 0:
            raise CommandError("--practices kan ikke være negativt.")
        if not practices and not clear:
            raise CommandError("Oppgi hvor mange sider som skal lages, f.eks. --practices 1000 (eller --clear).")
        if seed is None:
            seed = random.SystemRandom().randrange(1_000_000)
        started = time.perf_counter()

        removed = 0
        if clear:
            self.stdout.write("Sletter tidligere demosider …")
            removed = demo_content.clear(Progress(self.stdout, "    "))
            self.stdout.write(f"    {removed} demosider slettet")

        result = None
        if practices:
            self.stdout.write(f"Lager {practices} praksiseksempler (frø {seed}) …")
            try:
                result = demo_content.generate(practices, seed=seed, progress=Progress(self.stdout, "    "))
            except demo_content.DemoContentError as error:
                raise CommandError(str(error)) from error

        indexed, index_seconds = None, 0.0
        # Deleted pages take their search documents with them; only new pages need indexing.
        if practices and not skip_index:
            from search.indexing import reindex

            self.stdout.write("Bygger søkeindeksen …")
            index_started = time.perf_counter()
            indexed = reindex(Progress(self.stdout, "    "))
            from search.tasks import enqueue_read_also_for_all

            enqueue_read_also_for_all()  # «Les også», by the background worker
            index_seconds = time.perf_counter() - index_started

        elapsed = time.perf_counter() - started
        lines = ["Ferdig."]
        if clear:
            lines.append(f"  Slettet:  {removed} demosider")
        if result:
            lines.append(
                f"  Opprettet: {result.created} praksiseksempler (nr. {result.first_number}–"
                f"{result.first_number + result.created - 1}, frø {seed}) på {result.seconds:.1f} s, "
                f"{result.pages_per_second:.0f} sider/s"
            )
        if indexed is not None:
            lines.append(f"  Søkeindeks: {indexed} sider indeksert på {index_seconds:.1f} s")
            if getattr(settings, "ELASTICSEARCH_URL", ""):
                lines.append(
                    "  Søkemotorens indeks (ELASTICSEARCH_URL) er ikke oppdatert: "
                    "kjør «manage.py search_reindex --elasticsearch-only»."
                )
        elif practices:
            lines.append("  Søkeindeksen er ikke oppdatert (--skip-index): kjør «manage.py search_reindex».")
        lines.append(f"  Tid totalt: {elapsed:.1f} s")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
