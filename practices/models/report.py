"""Project and experience reports (prosjektrapporter, erfaringsrapporter, sluttrapporter)."""

from django.db import models
from django.db.models import Exists, OuterRef
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import body_blocks
from ..chooser_panel import AutocompletePanel
from .base import ActorPage, LegalReference, api_value, classified_edit_handler
from .index import ListingIndexPage
from .practice import PracticePage
from .public import is_public


class ReportType(models.TextChoices):
    PROJECT = "prosjektrapport", "Prosjektrapport"
    EXPERIENCE = "erfaringsrapport", "Erfaringsrapport"
    FINAL = "sluttrapport", "Sluttrapport"
    EVALUATION = "evaluering", "Evaluering"


class ReportIndexPage(ListingIndexPage):
    subpage_types = ["practices.ReportPage"]
    template = "practices/report_index_page.html"
    listing_type = "rapport"
    listing_noun = ("rapport", "rapporter")
    query_label = "Søk i rapportene"

    class Meta:
        verbose_name = "oversikt over rapporter"


class ReportPageTag(TaggedItemBase):
    content_object = ParentalKey("ReportPage", on_delete=models.CASCADE, related_name="tagged_items")


class ReportPage(ActorPage):
    report_type = models.CharField("rapporttype", max_length=20, choices=ReportType.choices)
    published = models.DateField("rapportens dato", null=True, blank=True)
    related_practice = models.ForeignKey(
        "practices.PracticePage",
        verbose_name="hører til praksiseksempel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    body = StreamField(body_blocks(), blank=True, verbose_name="innhold")
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="rapporten som PDF",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=ReportPageTag, blank=True, verbose_name="stikkord")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("report_type"), FieldPanel("published"), FieldPanel("pdf")], heading="Rapport"),
        ActorPage.actor_panel,
        FieldPanel("related_practice"),
        FieldPanel("body"),
    ]
    classification_panels = [
        FieldPanel("tags"),
        AutocompletePanel("themes"),
        AutocompletePanel("target_groups"),
        InlinePanel("legal_references", heading="Lovgrunnlag", label="lovhenvisning"),
        ActorPage.source_panel,
    ]
    edit_handler = classified_edit_handler(content_panels, classification_panels)

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=4),
        index.SearchField("responsible_unit", boost=2),
        index.SearchField("other_actor", boost=2),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=3)]),
        index.RelatedFields("municipalities", [index.SearchField("name", boost=2)]),
        index.FilterField("report_type"),
        index.FilterField("county"),
        index.FilterField("period_start"),
    ]

    @classmethod
    def api_queryset(cls, queryset):
        public_practices = PracticePage.objects.live().public().filter(pk=OuterRef("related_practice_id"))
        return (
            super()
            .api_queryset(queryset)
            .select_related("related_practice")
            .annotate(related_practice_is_public=Exists(public_practices))
        )

    api_fields = [
        APIField("summary"),
        APIField("report_type"),
        APIField("published"),
        api_value("content_date", "api_content_date"),
        api_value("responsible_actor", "responsible_actor"),
        APIField("responsible_unit"),
        api_value("county", "api_county"),
        api_value("period", "period"),
        api_value("legal_references", "api_legal_references"),
        api_value("related_practice", "api_related_practice"),
        api_value("themes", "api_themes"),
        api_value("target_groups", "api_target_groups"),
        api_value("tags", "api_tags"),
        APIField("body"),
        api_value("source", "source"),
    ]

    parent_page_types = ["practices.ReportIndexPage"]
    subpage_types = []
    template = "practices/report_page.html"
    view_select_related = ("county", "related_practice", "pdf")

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapporter"

    def own_date(self):
        """The report's publication date; else the start of the work it reports on."""
        return self.published or super().own_date()

    @property
    def table_of_contents(self):
        return [
            {"text": block.value["text"], "anchor": block.value.anchor, "level": block.value["level"]}
            for block in self.body
            if block.block_type == "heading"
        ]

    @property
    def public_related_practice(self):
        """The practice example the report belongs to, if an anonymous visitor may see it."""
        practice = self.related_practice
        if practice is None or not practice.live:
            return None
        public = getattr(self, "related_practice_is_public", None)  # annotated by api_queryset
        if public is None:
            public = not practice.get_view_restrictions().exists()
        return practice if public else None

    @property
    def api_related_practice(self):
        practice = self.public_related_practice
        if practice is None:
            return None
        return {"id": practice.pk, "title": practice.title, "url": practice.url}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_for_view(request)
        context["legal_references"] = self.cited_legal_references()
        practice = self.related_practice
        if practice is not None and practice.live and not getattr(request, "is_preview", False):
            # What ``public_related_practice`` asks, from the restrictions read once per request.
            self.related_practice_is_public = is_public(practice, request)
        return context


class ReportLegalReference(LegalReference):
    page = ParentalKey(ReportPage, on_delete=models.CASCADE, related_name="legal_references")
