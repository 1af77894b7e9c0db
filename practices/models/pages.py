"""The home page: the entry to practices, reports and articles."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..blocks import RICH_TEXT_FEATURES


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

    def get_context(self, request, *args, **kwargs):
        """The ways in (theme, target group, county map, law) with their counts, and the newest
        pages by their own date: a fixed number of searches and queries (search/ways_in.py)."""
        from search import ways_in  # search imports the models: import when used

        from .article import ArticlePage
        from .practice import PracticePage
        from .report import ReportPage

        context = super().get_context(request, *args, **kwargs)
        context.update(ways_in.home_entries())

        def newest(model, page_type, count, related=()):
            ids = ways_in.newest_ids(page_type, count)
            pages = model.objects.live().public().filter(pk__in=ids).prefetch_related("tags", *related)
            if hasattr(model, "county"):
                pages = pages.select_related("county")
            found = {page.pk: page for page in pages}
            return [found[pk] for pk in ids if pk in found]

        context["latest_practices"] = newest(PracticePage, "praksis", 6, ["municipalities"])
        context["latest_reports"] = newest(ReportPage, "rapport", 3, ["municipalities"])
        context["latest_articles"] = newest(ArticlePage, "artikkel", 3)
        return context
