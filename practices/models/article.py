"""Articles (fagartikler and aktuelt) and their index."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import article_blocks
from ..chooser_panel import AutocompletePanel
from ..forms import PersonalDataPanel
from .base import ClassifiedPage, api_value
from .index import ListingIndexPage
from .practice import PracticePage, public_page_links, public_pages_prefetch


class ArticleKind(models.TextChoices):
    PROFESSIONAL = "fagartikkel", "Fagartikkel"
    NEWS = "aktuelt", "Aktuelt"


class ArticleIndexPage(ListingIndexPage):
    subpage_types = ["practices.ArticlePage"]
    template = "practices/article_index_page.html"
    listing_type = "artikkel"
    listing_noun = ("artikkel", "artikler")
    query_label = "Søk i artiklene"

    class Meta:
        verbose_name = "oversikt over artikler"


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(ClassifiedPage):
    kind = models.CharField(
        "artikkeltype", max_length=20, choices=ArticleKind.choices, default=ArticleKind.PROFESSIONAL
    )
    date = models.DateField("dato", help_text="Publiseringsdatoen som vises for leseren.")
    body = StreamField(article_blocks(), blank=True, verbose_name="innhold")
    related_practices = ParentalManyToManyField(
        "practices.PracticePage", blank=True, verbose_name="beslektede praksiseksempler", related_name="articles"
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name="stikkord")

    content_panels = [
        PersonalDataPanel(),
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("date")], heading="Artikkel"),
        FieldPanel("summary"),
        FieldPanel("body"),
        AutocompletePanel("related_practices"),
        FieldPanel("tags"),
        AutocompletePanel("themes"),
        AutocompletePanel("target_groups"),
        ClassifiedPage.source_panel,
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=4),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=3)]),
        index.FilterField("date"),
    ]

    @classmethod
    def api_queryset(cls, queryset):
        return super().api_queryset(queryset).prefetch_related(
            public_pages_prefetch("related_practices", PracticePage)
        )

    api_fields = [
        APIField("kind"),
        APIField("date"),
        api_value("content_date", "api_content_date"),
        api_value("lead", "summary"),
        APIField("body"),
        api_value("tags", "api_tags"),
        api_value("themes", "api_themes"),
        api_value("target_groups", "api_target_groups"),
        api_value("related_practices", "api_related_practices"),
        api_value("source", "source"),
    ]

    parent_page_types = ["practices.ArticleIndexPage"]
    subpage_types = []
    template = "practices/article_page.html"

    class Meta:
        verbose_name = "artikkel"
        verbose_name_plural = "artikler"

    def own_date(self):
        return self.date

    @property
    def api_related_practices(self):
        return public_page_links(self, "related_practices")
