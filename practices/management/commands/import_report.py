"""manage.py import_report FILE [--parent SLUG] [--publish]: import one report from Word or Markdown.

A .docx becomes a new report (a draft unless --publish) with its headings, text, lists, tables,
images and quotes; a .md content file (``type: rapport``) goes through the content importer.
See docs/import-fra-word.md.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from practices.importing import ContentFileError
from practices.importing.reports import import_report, report_index
from practices.models.report import ReportType


def edit_url(page):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('wagtailadmin_pages:edit', args=[page.pk])}"


class Command(BaseCommand):
    help = (
        "Importerer én rapport fra et Word-dokument (.docx) eller en innholdsfil (.md) som utkast "
        "under rapportoversikten. Se docs/import-fra-word.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Word-dokument (.docx) eller Markdown-fil (.md)")
        parser.add_argument(
            "--parent", metavar="SLUG", help="Slug til rapportoversikten (standard: sidens rapportoversikt)"
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publiser rapporten med en gang i stedet for å lagre et utkast"
        )
        parser.add_argument(
            "--report-type",
            choices=[value for value, _label in ReportType.choices],
            help="Rapporttype (standard: gjettes ut fra tittelen, ellers prosjektrapport)",
        )

    def handle(self, *args, path, parent, publish, report_type, **options):
        try:
            index = report_index(parent)
        except ContentFileError as error:
            raise CommandError(error.message) from error
        try:
            result = import_report(
                path,
                parent=index,
                publish=publish,
                report_type=report_type,
                progress=lambda message: self.stdout.write(message),
            )
        except ContentFileError as error:
            raise CommandError(f"Ingenting ble importert. {error}") from error

        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Merk: {warning}"))
        page = result.page
        state = "publisert" if page.live else "utkast, ikke publisert"
        images = f", {result.images} bilde(r)" if result.images else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Rapport {result.action}: «{page.title}» ({state}{images}), id {page.pk}, slug «{page.slug}»."
            )
        )
        self.stdout.write(f"Se gjennom og rediger: {edit_url(page)}")
