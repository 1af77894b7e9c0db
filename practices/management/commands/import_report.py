"""manage.py import_report FILE [--user NAVN] [--publish] [--update ID|SLUG] [--draft-if-edited]:
import one report from Word or Markdown.

A .docx becomes a report with its headings, text, lists, tables, images and quotes: a draft
sent into the workflow «Faglig godkjenning», unless ``--publish`` is given with a ``--user`` who
may publish reports directly (not a Godkjenner: four eyes). The same file imported again
updates the report it made (no second copy);
``--update`` names a report to update with a new version of the document. A report edited in
the admin since its last import is not overwritten (``--draft-if-edited`` saves the file's
version as a draft for review instead). A .md content file (``type: rapport``) goes through the
content importer. See docs/import-fra-word.md.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from practices.importing import REVIEW_DRAFT, STOP, ContentFileError
from practices.importing.history import ImportUserError, acting_user
from practices.importing.reports import import_report, report_index
from practices.models import ReportPage
from practices.models.report import ReportType


def edit_url(page):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('wagtailadmin_pages:edit', args=[page.pk])}"


def find_report(identifier):
    """The report with this id or slug, or CommandError."""
    reports = ReportPage.objects.all()
    page = reports.filter(pk=int(identifier)).first() if identifier.isdigit() else None
    page = page or reports.filter(slug=identifier).first()
    if page is None:
        raise CommandError(f"Fant ingen rapport med id eller slug «{identifier}».")
    return page


class Command(BaseCommand):
    help = (
        "Importerer én rapport fra et Word-dokument (.docx) eller en innholdsfil (.md) som utkast til "
        "godkjenning under rapportoversikten, eller publisert med --publish. Se docs/import-fra-word.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Word-dokument (.docx) eller Markdown-fil (.md)")
        parser.add_argument(
            "--parent", metavar="SLUG", help="Slug til rapportoversikten (standard: sidens rapportoversikt)"
        )
        parser.add_argument(
            "--user", metavar="BRUKERNAVN",
            help="Brukeren som importerer: utkastet sendes til godkjenning i brukerens navn, "
            "og --publish krever at brukeren kan publisere",
        )
        parser.add_argument(
            "--publish", action="store_true",
            help="Publiser rapporten med en gang (krever --user som kan publisere rapporter direkte; "
            "ikke en godkjenner, fire øyne)",
        )
        parser.add_argument(
            "--update", metavar="ID_ELLER_SLUG",
            help="Oppdater denne rapporten med en ny versjon av dokumentet i stedet for å lage en ny",
        )
        parser.add_argument(
            "--draft-if-edited", action="store_true",
            help="Er rapporten redigert i admin etter forrige import, lagres filens versjon som utkast til "
            "gjennomgang i stedet for at importen stopper",
        )
        parser.add_argument(
            "--report-type",
            choices=[value for value, _label in ReportType.choices],
            help="Rapporttype (standard: gjettes ut fra tittelen, ellers prosjektrapport)",
        )

    def handle(self, *args, path, parent, user, publish, update, draft_if_edited, report_type, **options):
        try:
            user = acting_user(
                user,
                publish,
                without_user="--publish krever --user BRUKERNAVN, en bruker som har lov til å publisere rapporter. "
                "Uten --publish blir rapporten et utkast som sendes til godkjenning.",
            )
        except ImportUserError as error:
            raise CommandError(str(error)) from error
        target = find_report(update) if update else None
        try:
            index = report_index(parent)
        except ContentFileError as error:
            raise CommandError(error.message) from error
        try:
            result = import_report(
                path,
                parent=index,
                publish=publish,
                user=user,
                report_type=report_type,
                progress=lambda message: self.stdout.write(message),
                target=target,
                on_edited=REVIEW_DRAFT if draft_if_edited else STOP,
            )
        except ContentFileError as error:
            raise CommandError(f"Ingenting ble importert. {error}") from error

        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Merk: {warning}"))
        page = result.page
        images = f", {result.images} bilde(r)" if result.images else ""
        if result.reused_images:
            images += f", {result.reused_images} av dem fantes fra før i bildebiblioteket og ble gjenbrukt"
        if result.action == "uendret":
            note = " Rapporten er redigert i admin etter forrige import; endringene står." if result.edit else ""
            self.stdout.write(
                self.style.SUCCESS(f"Rapport uendret: «{page.title}» er allerede importert fra denne filen.{note}")
            )
        else:
            summary = f"Rapport {result.action}: «{page.title}» ({result.state}{images}), id {page.pk}"
            self.stdout.write(self.style.SUCCESS(f"{summary}, slug «{page.slug}»."))
        self.stdout.write(f"Se gjennom og rediger: {edit_url(page)}")
