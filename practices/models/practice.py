"""Practice examples (praksiseksempler): the heart of the knowledge base, and their index."""

import datetime
import logging
from collections import namedtuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, StatementBlock, StepBlock
from ..chooser_panel import AutocompletePanel
from .base import ActorPage, LegalReference, api_value, classified_edit_handler, size_from_municipalities, term_list
from .index import ListingIndexPage
from .public import public_pages
from .taxonomy import FundingSource, MunicipalitySize

# Material not reviewed for this many years counts as old: the page says so, and the admin report
# «Praksiseksempler som bør gjennomgås» lists it.
REVIEW_INTERVAL_YEARS = 2

# What a practice's age is judged by: ``kind`` is "reviewed" (last_reviewed), "source" (the
# source's published/changed date), "period" (the end, or lacking one the start, of the period
# the work took place in) or "published" (first published here); ``date`` is that date.
CurrencyBasis = namedtuple("CurrencyBasis", ["kind", "date"])


def review_cutoff(today=None):
    """Today, ``REVIEW_INTERVAL_YEARS`` years ago: material from before this date is old."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - REVIEW_INTERVAL_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - REVIEW_INTERVAL_YEARS, day=28)


class PracticeStatus(models.TextChoices):
    ONGOING = "pagar", "Pågår"
    COMPLETED = "avsluttet", "Avsluttet"
    CONTINUED = "viderefort", "Videreført"


class EvidenceLevel(models.TextChoices):
    DESCRIBED = "beskrevet", "Beskrevet praksis"
    EVALUATED = "evaluert", "Evaluert"
    EFFECT = "effektdokumentert", "Effektdokumentert"


EVIDENCE_EXPLANATIONS = {
    EvidenceLevel.DESCRIBED: "Kommunen har selv beskrevet hvordan de har jobbet og hvilke erfaringer de har gjort. "
    "Resultatene er ikke undersøkt av andre.",
    EvidenceLevel.EVALUATED: "Arbeidet er evaluert, internt eller av et eksternt fagmiljø, med en beskrevet metode.",
    EvidenceLevel.EFFECT: "Effekten av arbeidet er dokumentert i forskning, f.eks. med kontrollgruppe.",
}
EXAMPLE_IS_NOT_A_RECOMMENDATION = (
    "Et praksiseksempel viser hvordan en kommune har jobbet. Det er ikke en anbefaling eller en norm."
)


def public_pages_prefetch(relation, model):
    """Prefetch of the pages of a many-to-many ``relation`` an anonymous visitor may see, for
    ``public_page_links``: one query for a whole page of API results."""
    return Prefetch(relation, queryset=model.objects.live().public(), to_attr=f"public_{relation}")


def public_page_links(page, relation):
    """The API's links to the live, public pages of ``page``'s many-to-many ``relation``: the
    prefetched ones (``public_pages_prefetch``) or, for one page, a query of their own."""
    pages = getattr(page, f"public_{relation}", None)
    if pages is None:
        pages = getattr(page, relation).live().public()
    return [{"id": p.pk, "title": p.title, "url": p.url} for p in pages]


def similar_pages(page):
    """«Les også»: the most similar practice examples (search documents with title, url and
    summary), as the index task stored them when the page was published (search/read_also.py):
    one query. A search index that cannot answer leaves the section out; the page still shows."""
    from search.read_also import for_page  # search imports the models: import when used

    try:
        return for_page(page)
    except Exception:
        logging.getLogger(__name__).exception("«Les også» kunne ikke hentes for side %s", page.pk)
        return []


class PracticeIndexPage(ListingIndexPage):
    subpage_types = ["practices.PracticePage"]
    template = "practices/practice_index_page.html"
    listing_type = "praksis"
    listing_noun = ("praksiseksempel", "praksiseksempler")
    query_label = "Søk i praksiseksemplene"

    class Meta:
        verbose_name = "oversikt over praksiseksempler"


class PracticePageTag(TaggedItemBase):
    content_object = ParentalKey("PracticePage", on_delete=models.CASCADE, related_name="tagged_items")


class PracticePage(ActorPage):
    municipality_size = models.CharField(
        "kommunestørrelse",
        max_length=20,
        choices=MunicipalitySize.choices,
        blank=True,
        help_text="Settes automatisk ut fra kommunens innbyggertall når det er registrert.",
    )
    status = models.CharField("status", max_length=20, choices=PracticeStatus.choices, blank=True)

    description = RichTextField("beskrivelse", blank=True, features=RICH_TEXT_FEATURES)
    results = RichTextField("resultater", blank=True, features=RICH_TEXT_FEATURES)
    background = RichTextField("bakgrunn", blank=True, features=RICH_TEXT_FEATURES)
    goals = RichTextField("mål", blank=True, features=RICH_TEXT_FEATURES)
    implementation = RichTextField(
        "gjennomføring", blank=True, features=RICH_TEXT_FEATURES, help_text="Hvordan arbeidet ble gjort, i fritekst."
    )
    steps = StreamField(
        [("step", StepBlock())], blank=True, verbose_name="trinn", help_text="Hvem gjorde hva, trinn for trinn."
    )
    user_participation = RichTextField("brukermedvirkning", blank=True, features=RICH_TEXT_FEATURES)
    financing = RichTextField("finansiering", blank=True, features=RICH_TEXT_FEATURES)
    funding_sources = ParentalManyToManyField(
        FundingSource, blank=True, verbose_name="finansieringskilder", related_name="+"
    )
    success_factors = StreamField([("item", StatementBlock())], blank=True, verbose_name="suksessfaktorer")
    challenges = StreamField([("item", StatementBlock())], blank=True, verbose_name="utfordringer")
    continuation = RichTextField("videreføring", blank=True, features=RICH_TEXT_FEATURES)

    evidence_level = models.CharField(
        "dokumentasjonsnivå",
        max_length=20,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.DESCRIBED,
        help_text=" ".join(f"{label}: {EVIDENCE_EXPLANATIONS[value]}" for value, label in EvidenceLevel.choices),
    )
    resources = models.TextField("ressurser", blank=True, help_text="Bemanning og kostnad, f.eks. «to årsverk».")
    contact = models.TextField("kontakt", blank=True)
    last_reviewed = models.DateField("sist gjennomgått", null=True, blank=True)
    related_practices = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name="beslektede praksiseksempler", related_name="+"
    )
    tags = ClusterTaggableManager(through=PracticePageTag, blank=True, verbose_name="stikkord")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        ActorPage.actor_panel,
        MultiFieldPanel([FieldPanel("municipality_size"), FieldPanel("status")], heading="Størrelse og status"),
        FieldPanel("description"),
        FieldPanel("results"),
        FieldPanel("background"),
        FieldPanel("goals"),
        FieldPanel("implementation"),
        FieldPanel("steps"),
        InlinePanel("legal_references", heading="Lovgrunnlag", label="lovhenvisning"),
        FieldPanel("user_participation"),
        MultiFieldPanel([FieldPanel("financing"), AutocompletePanel("funding_sources")], heading="Finansiering"),
        FieldPanel("success_factors"),
        FieldPanel("challenges"),
        FieldPanel("continuation"),
    ]
    classification_panels = [
        FieldPanel("tags"),
        AutocompletePanel("themes"),
        AutocompletePanel("target_groups"),
        HelpPanel(EXAMPLE_IS_NOT_A_RECOMMENDATION),
        FieldPanel("evidence_level"),
        FieldPanel("resources"),
        FieldPanel("contact"),
        FieldPanel("last_reviewed"),
        AutocompletePanel("related_practices"),
        InlinePanel("attachments", heading="Vedlegg", label="vedlegg"),
        ActorPage.source_panel,
    ]
    edit_handler = classified_edit_handler(content_panels, classification_panels)

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=4),
        index.SearchField("responsible_unit", boost=2),
        index.SearchField("other_actor", boost=2),
        index.SearchField("description"),
        index.SearchField("results"),
        index.SearchField("background"),
        index.SearchField("goals"),
        index.SearchField("implementation"),
        index.SearchField("steps"),
        index.SearchField("user_participation"),
        index.SearchField("financing"),
        index.SearchField("success_factors"),
        index.SearchField("challenges"),
        index.SearchField("continuation"),
        index.RelatedFields("tags", [index.SearchField("name", boost=3)]),
        index.RelatedFields("municipalities", [index.SearchField("name", boost=2)]),
        index.RelatedFields("county", [index.SearchField("name")]),
        index.FilterField("municipality_size"),
        index.FilterField("status"),
        index.FilterField("county"),
        index.FilterField("period_start"),
    ]

    api_fields = [
        APIField("summary"),
        api_value("responsible_actor", "responsible_actor"),
        APIField("responsible_unit"),
        APIField("municipality_size"),
        api_value("county", "api_county"),
        api_value("period", "period"),
        api_value("content_date", "api_content_date"),
        APIField("status"),
        APIField("description"),
        APIField("results"),
        APIField("background"),
        APIField("goals"),
        APIField("implementation"),
        APIField("steps"),
        api_value("legal_references", "api_legal_references"),
        APIField("user_participation"),
        APIField("financing"),
        api_value("funding_sources", "api_funding_sources"),
        APIField("continuation"),
        APIField("success_factors"),
        APIField("challenges"),
        api_value("themes", "api_themes"),
        api_value("target_groups", "api_target_groups"),
        api_value("tags", "api_tags"),
        APIField("evidence_level"),
        APIField("resources"),
        APIField("contact"),
        api_value("source", "source"),
        APIField("last_reviewed"),
        api_value("related_practices", "api_related_practices"),
        api_value("attachments", "api_attachments"),
    ]

    @classmethod
    def api_queryset(cls, queryset):
        return super().api_queryset(queryset).prefetch_related(
            "funding_sources", public_pages_prefetch("related_practices", PracticePage), "attachments__document"
        )

    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types = []
    template = "practices/practice_page.html"
    view_terms = ("themes", "target_groups", "funding_sources")

    # The lists a practice's view shows below its text, each read only if the page has rows in it.
    VIEW_LISTS = ("has_attachments", "has_live_reports", "has_live_articles", "has_live_related_practices")

    @classmethod
    def _lists_query(cls, pk):
        # Reports and articles point here (their modules import this one): reached by the
        # reverse relations' models, not imported back.
        reports, articles = (cls._meta.get_field(name).related_model.objects for name in ("reports", "articles"))
        links = cls.related_practices.through.objects
        related = links.filter(from_practicepage=OuterRef("pk"), to_practicepage__live=True)
        return (
            cls._default_manager.filter(pk=pk)
            .annotate(
                has_attachments=Exists(PracticeAttachment.objects.filter(page=OuterRef("pk"))),
                has_live_reports=Exists(reports.filter(related_practice=OuterRef("pk"), live=True)),
                has_live_articles=Exists(articles.filter(related_practices=OuterRef("pk"), live=True)),
                has_live_related_practices=Exists(related),
            )
            .values_list(*cls.VIEW_LISTS)
        )

    def note_lists(self):
        """Whether the page has attachments, live reports, live articles about it and live
        related practices, in one query made once per process (practices/models/statements.py):
        asked when routing finds the page (practices/models/routing.py), so the view makes no
        query for a list it knows to be empty, as most are."""
        from .statements import page_rows

        rows = page_rows(("practice_lists",), self._lists_query, self.pk)
        for name, has in zip(self.VIEW_LISTS, rows[0] if rows else (True,) * len(self.VIEW_LISTS), strict=True):
            setattr(self, name, bool(has))

    def may_have(self, relation):
        """False when routing found the page to have no (live) rows in ``relation``
        (``note_lists``); True when it did, or did not ask."""
        return getattr(self, f"has_{relation}", True)

    class Meta:
        verbose_name = "praksiseksempel"
        verbose_name_plural = "praksiseksempler"

    @classmethod
    def autocomplete_custom_queryset_filter(cls, search_query, request=None):
        """«Beslektede praksiseksempler» in the editor: pages whose title has every word typed
        (wagtail-autocomplete then keeps the published ones only)."""
        queryset = cls.objects.order_by("title")
        for word in search_query.split()[:10]:
            queryset = queryset.filter(title__icontains=word)
        return queryset

    def clean(self):
        super().clean()
        if self.pk and any(page.pk == self.pk for page in self.related_practices.all()):
            raise ValidationError({"related_practices": "Et praksiseksempel kan ikke være beslektet med seg selv."})

    def save(self, *args, **kwargs):
        derived = size_from_municipalities(self.municipalities.all())
        if derived:
            self.municipality_size = derived
        return super().save(*args, **kwargs)

    @property
    def evidence_explanation(self):
        return EVIDENCE_EXPLANATIONS.get(self.evidence_level, "")

    # --- The table of contents -------------------------------------------------------------------

    # The page's sections in the order the template shows them: (field, anchor, heading).
    SECTIONS = (
        ("description", "beskrivelse", "Beskrivelse"),
        ("results", "resultater", "Resultater"),
        ("background", "bakgrunn", "Bakgrunn"),
        ("goals", "mal", "Mål"),
        ("implementation", "gjennomforing", "Gjennomføring"),
        ("steps", "trinn-for-trinn", "Trinn for trinn"),
        ("user_participation", "brukermedvirkning", "Brukermedvirkning"),
        ("financing", "finansiering", "Finansiering"),
        ("success_factors", "suksessfaktorer", "Suksessfaktorer"),
        ("challenges", "utfordringer", "Utfordringer"),
        ("continuation", "viderefoering", "Videreføring"),
        ("contact", "kontakt", "Kontakt"),
    )

    @property
    def table_of_contents(self):
        """[(anchor, heading)] of the sections with content: the short table of contents."""
        entries = []
        for field, anchor, heading in self.SECTIONS:
            value = getattr(self, field)
            if hasattr(value, "stream_block"):
                filled = len(value) > 0
            else:
                filled = bool(strip_tags(str(getattr(value, "source", value) or "")).replace("\u00a0", " ").strip())
            if filled:
                entries.append((anchor, heading))
        return entries

    # --- Keeping content current («Sist oppdatert», old material) ---------------------------------

    @property
    def updated_on(self):
        """«Sist oppdatert» (a date or None): the last review; else the source's latest date; else,
        unless the material is old, the latest publication here. Imported material is published on
        the day it is imported, and that day must not pass for an update of the content: an old
        example without a review or source date shows only the note on its age."""
        if self.last_reviewed:
            return self.last_reviewed
        source_dates = [day for day in (self.source_published, self.source_updated) if day]
        if source_dates:
            return max(source_dates)
        if self.is_stale:
            return None
        published = self.last_published_at or self.first_published_at
        return timezone.localdate(published) if published else None

    @property
    def currency_basis(self):
        """What the material's age is judged by (a ``CurrencyBasis``), in order: the last review;
        the source's date; the period (its end, or its start when it neither ends nor is ongoing,
        counted as 31 December); the first publication here. Imported material is first published
        when it is imported, so the content's own dates come before that."""
        if self.last_reviewed:
            return CurrencyBasis("reviewed", self.last_reviewed)
        source_dates = [day for day in (self.source_published, self.source_updated) if day]
        if source_dates:
            return CurrencyBasis("source", max(source_dates))
        year = self.period_end or (None if self.period_ongoing else self.period_start)
        if year:
            return CurrencyBasis("period", datetime.date(year, 12, 31))
        if self.first_published_at:
            return CurrencyBasis("published", timezone.localdate(self.first_published_at))
        return CurrencyBasis(None, None)

    @property
    def is_stale(self):
        """Old material: not reviewed, described or published for more than two years."""
        day = self.currency_basis.date
        return day is not None and day < review_cutoff()

    @property
    def stale_since_year(self):
        """The year old material was last reviewed or describes (None unless ``is_stale``)."""
        return self.currency_basis.date.year if self.is_stale else None

    @property
    def repealed_legal_references(self):
        """The cited provisions that have been repealed (by today), with their successors."""
        today = timezone.localdate()
        return [
            reference
            for reference in self.cited_legal_references()
            if reference.provision.repealed_on and reference.provision.repealed_on <= today
        ]

    def published_related_practices(self, request):
        """«Beslektede praksiseksempler» a visitor may see. In a preview of unsaved relations
        (modelcluster FakeQuerySets without ``live()``) the pages are filtered in Python."""
        if not self.may_have("live_related_practices"):
            return []
        related = self.related_practices.all()
        if hasattr(related, "live"):
            return public_pages(related.live(), request)
        return [page for page in related if page.live]

    @property
    def api_funding_sources(self):
        return term_list(self.funding_sources.all())

    @property
    def api_related_practices(self):
        return public_page_links(self, "related_practices")

    @property
    def api_attachments(self):
        return [{"title": a.title or a.document.title, "url": a.document.url} for a in self.attachments.all()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_for_view(request)
        context["legal_references"] = self.cited_legal_references()
        context["attachments"] = self.attachments.select_related("document") if self.may_have("attachments") else []
        # A new page's preview (before its first save) has no reports or articles yet.
        context["reports"] = (
            public_pages(self.reports.live(), request).order_by("-period_start", "title")
            if self.pk and self.may_have("live_reports")
            else []
        )
        # Articles that describe this practice (their «Beslektede praksiseksempler»): the other way back.
        context["articles"] = (
            public_pages(self.articles.live(), request).order_by("-date", "title")
            if self.pk and self.may_have("live_articles")
            else []
        )
        context["related_practices"] = self.published_related_practices(request)
        context["similar"] = similar_pages(self)
        return context


class PracticeLegalReference(LegalReference):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="legal_references")


class PracticeAttachment(Orderable):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="dokument", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("lenketekst", max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "vedlegg"
        verbose_name_plural = "vedlegg"
