"""manage.py load_population FILE: population figures from SSB's table 07459 (CSV as the
statbank exports it) into the municipality register, and the practice examples' municipality
size derived anew (practices/population.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.population import PopulationFileError, load_population


def _names(items, limit=10):
    names = [str(item) for item in items]
    shown = ", ".join(names[:limit])
    return shown + (f" og {len(names) - limit} til" if len(names) > limit else "")


class Command(BaseCommand):
    help = "Leser innbyggertall fra SSBs tabell 07459 (CSV) inn i kommuneregisteret."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV-fil lastet ned fra SSBs statistikkbank (tabell 07459)")

    def progress(self, done, total):
        self.stdout.write(f"    {done}/{total} kommuner")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan ikke lese {path}: {error.strerror or error}") from None
        self.stdout.write(f"Leser innbyggertall fra {path} …")
        try:
            report = load_population(data, progress=self.progress)
        except PopulationFileError as error:
            raise CommandError(str(error)) from None

        self.stdout.write(f"    {len(report.updated)} kommuner oppdatert, {report.unchanged} uendret")
        if report.newer_kept:
            self.stdout.write(
                f"    {len(report.newer_kept)} hoppet over fordi en redaktør har registrert tall for et senere år: "
                + _names(f"{m.name} ({m.population_year})" for m in report.newer_kept)
            )
        if report.missing:
            self.stdout.write(f"    {len(report.missing)} hoppet over uten tall i filen: {_names(report.missing)}")
        if report.unknown:
            self.stdout.write(
                self.style.WARNING(
                    f"    {len(report.unknown)} ukjente kommunenumre (ikke i kommuneregisteret): "
                    + _names(report.unknown)
                )
            )
        if report.passed_over:
            self.stdout.write(f"    {report.passed_over} rader som ikke gjelder kommuner (land, fylker) ble ikke lest")
        self.stdout.write(f"    Kommunestørrelse regnet ut på nytt for {report.sizes_changed} praksiseksempler")
        self.stdout.write(self.style.SUCCESS("Ferdig."))
