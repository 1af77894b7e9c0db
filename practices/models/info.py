"""Information pages about the site itself: «Om Kunnskapsbase», contact, privacy («Personvern»),
and the accessibility statement («Tilgjengelighetserklæring») in the form Uutilsynet asks for.

``bootstrap`` creates them once if missing (practices/site_pages.py); editors change them in
the admin like any page, and bootstrap then leaves them alone."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..blocks import RICH_TEXT_FEATURES


class InfoPage(Page):
    summary = models.TextField("ingress", blank=True)
    body = RichTextField("tekst", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    subpage_types = []
    parent_page_types = ["practices.HomePage"]
    template = "practices/info_page.html"

    class Meta:
        verbose_name = "informasjonsside"
        verbose_name_plural = "informasjonssider"


class ComplianceStatus(models.TextChoices):
    MEETS = "oppfyller", "Nettstedet oppfyller kravene"
    PARTLY = "delvis", "Nettstedet oppfyller kravene delvis"
    NOT = "ikke", "Nettstedet oppfyller ikke kravene"


class AccessibilityStatementPage(Page):
    """Uutilsynet's form: which standard, the status, known deviations, how to give feedback,
    the enforcement body and when the statement was made."""

    summary = models.TextField("ingress", blank=True)
    standard = models.CharField(
        "krav nettstedet måles mot",
        max_length=255,
        default="WCAG 2.1 nivå A og AA, slik forskrift om universell utforming av IKT-løsninger krever",
    )
    status = models.CharField(
        "status", max_length=20, choices=ComplianceStatus.choices, default=ComplianceStatus.PARTLY
    )
    deviations = RichTextField(
        "kjente avvik",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="Hva som ikke er universelt utformet, og hvorfor.",
    )
    feedback = RichTextField(
        "tilbakemelding", blank=True, features=RICH_TEXT_FEATURES,
        help_text="Hvordan brukere melder fra om feil og mangler. E-postadressen hentes fra «Tekster på nettstedet».",
    )
    enforcement = RichTextField(
        "tilsyn og klage", blank=True, features=RICH_TEXT_FEATURES,
        help_text="Tilsynsorganet: Tilsynet for universell utforming av ikt (Uutilsynet) i Digdir.",
    )
    statement_date = models.DateField("erklæringen ble laget", null=True, blank=True)
    reviewed_date = models.DateField("sist kontrollert", null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("standard"), FieldPanel("status"), FieldPanel("deviations")], heading="Status"),
        FieldPanel("feedback"),
        FieldPanel("enforcement"),
        MultiFieldPanel([FieldPanel("statement_date"), FieldPanel("reviewed_date")], heading="Datoer"),
    ]
    subpage_types = []
    parent_page_types = ["practices.HomePage"]
    max_count = 1
    template = "practices/accessibility_statement_page.html"

    class Meta:
        verbose_name = "tilgjengelighetserklæring"
        verbose_name_plural = "tilgjengelighetserklæringer"
