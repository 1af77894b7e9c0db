"""Where imported pages came from: one row per revision an import wrote.

The importers (``practices.importing``) record which file (by SHA-256) wrote which revision of
which page, by whom and how. From that they tell an unchanged file (nothing to do) from a new
version, a Word document imported before (offered as an update, not a second copy), and a page
an editor has changed in the admin since its last import (never published over).
"""

from django.conf import settings
from django.db import models


class ImportRecord(models.Model):
    class Kind(models.TextChoices):
        CONTENT_FILE = "innholdsfil", "Innholdsfil (Markdown)"
        WORD = "word", "Word-dokument"
        TEXT = "tekst", "Markdown-rapport"

    class Outcome(models.TextChoices):
        PUBLISHED = "publisert", "Publisert"
        DRAFT = "utkast", "Utkast"
        # The file's version saved beside an editor's newer edit, for a person to decide.
        REVIEW = "til-gjennomgang", "Utkast til gjennomgang (siden var redigert)"

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="side", on_delete=models.CASCADE, related_name="import_records"
    )
    revision = models.OneToOneField(
        "wagtailcore.Revision",
        verbose_name="versjon",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_record",
    )
    kind = models.CharField("kilde", max_length=20, choices=Kind.choices)
    source_name = models.CharField("filnavn", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256 av filen", max_length=64, db_index=True)
    importer_version = models.CharField("importversjon", max_length=20, blank=True)
    outcome = models.CharField("resultat", max_length=20, choices=Outcome.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importert av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("importert", auto_now_add=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "importer"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.source_name or self.sha256[:12]} → {self.page_id}"
