"""The index pages of the three content types (practices, reports, articles) share one base:
a title, an introduction, and a searched listing of their type with the same facets, text
search, sorting and pages as /sok/ (search/listing.py)."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..blocks import RICH_TEXT_FEATURES


class ListingIndexPage(Page):
    """An index page listing its content type through the search service. Subclasses say which
    type (``listing_type``, a value of the «type» facet), what one and many of them are called
    (``listing_noun``) and what the search field is labelled (``query_label``)."""

    intro = RichTextField("innledning", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["practices.HomePage"]
    max_count = 1

    listing_type = ""
    listing_noun = ("treff", "treff")
    query_label = "Søk i kunnskapsbasen"

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        """The listing of this index's type; the old ``side`` parameter still works as ``page``."""
        from search.listing import build_listing  # search imports the models: import when used

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = build_listing(
            request,
            forced={"type": (self.listing_type,)},
            noun=self.listing_noun,
            query_label=self.query_label,
        )
        return context
