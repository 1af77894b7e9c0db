"""The home page: the entry to practices, reports and articles."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..blocks import RICH_TEXT_FEATURES


class HomePage(Page):
    intro = RichTextField("innledning", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["practices.PracticeIndexPage", "practices.ReportIndexPage", "practices.ArticleIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "practices/home_page.html"

    class Meta:
        verbose_name = "forside"

    def get_context(self, request, *args, **kwargs):
        from .article import ArticlePage
        from .practice import PracticePage
        from .report import ReportPage

        context = super().get_context(request, *args, **kwargs)
        def newest(model):
            return model.objects.live().public().descendant_of(self).order_by("-first_published_at")

        context["latest_practices"] = (
            newest(PracticePage).select_related("county").prefetch_related("tags", "municipalities")[:6]
        )
        context["latest_reports"] = (
            newest(ReportPage).select_related("county").prefetch_related("tags", "municipalities")[:3]
        )
        context["latest_articles"] = newest(ArticlePage).prefetch_related("tags")[:3]
        return context
