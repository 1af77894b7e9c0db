"""The home page: the entry to practices, reports and articles."""

import logging

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..blocks import RICH_TEXT_FEATURES

logger = logging.getLogger(__name__)


class HomePage(Page):
    intro = RichTextField("innledning", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "practices.PracticeIndexPage",
        "practices.ReportIndexPage",
        "practices.ArticleIndexPage",
        "practices.InfoPage",
        "practices.AccessibilityStatementPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "practices/home_page.html"

    class Meta:
        verbose_name = "forside"

    def route(self, request, path_components):
        """The page at the address in one query by its ``url_path`` (practices/models/routing.py),
        else Wagtail's walk from here."""
        from .routing import route_by_url_path

        return route_by_url_path(self, request, path_components) or super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        """The ways in (theme, target group, county map, law) with their counts, and the newest
        pages by their own date: a fixed number of searches and queries (search/ways_in.py)."""
        from search import ways_in  # search imports the models: import when used

        from .article import ArticlePage
        from .practice import PracticePage
        from .report import ReportPage

        context = super().get_context(request, *args, **kwargs)
        context.update(ways_in.home_entries())
        def with_actor(pages):
            return pages.select_related("county").prefetch_related("tags", "municipalities")

        context["latest_practices"] = self.newest(PracticePage, "praksis", 6, with_actor)
        context["latest_reports"] = self.newest(ReportPage, "rapport", 3, with_actor)
        context["latest_articles"] = self.newest(ArticlePage, "artikkel", 3, lambda qs: qs.prefetch_related("tags"))
        return context

    def newest(self, model, page_type, limit, related):
        """The ``limit`` newest live, public pages of ``model`` by the content's own date, in the
        order of «Nyeste» on /sok/ (the search index holds that date). If the index cannot answer,
        by first publication here."""
        from search.params import SearchParams  # search imports the models: import when used
        from search.service import SearchService

        pages = related(model.objects.live().public().descendant_of(self))
        try:
            params = SearchParams(filters={"type": (page_type,)}, sort="newest", page_size=limit)
            ids = [result.id for result in SearchService().search(params, facets=()).results]
        except Exception:
            logger.exception("De nyeste sidene kunne ikke hentes fra søkeindeksen")
            return list(pages.order_by("-first_published_at")[:limit])
        found = pages.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]
