"""Wagtail's own checks for every page type: each can be routed to, rendered and previewed, sits
only where it belongs in the page tree, and every public page declares Norwegian bokmål."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from practices.models import (
    AccessibilityStatementPage,
    ArticleIndexPage,
    ArticlePage,
    HomePage,
    InfoPage,
    PracticeIndexPage,
    PracticePage,
    ReportIndexPage,
    ReportPage,
)
from tests.factories import ArticlePageFactory, PracticePageFactory, ReportPageFactory, edit_form_data

# The seed page of each type; index pages and the home page come from the site tree.
SEED_PAGES = {
    HomePage: None,
    PracticeIndexPage: "praksiseksempler",
    PracticePage: "fra-bostedslos-til-beboer",
    ReportIndexPage: "rapporter",
    ReportPage: "boligsosialt-arbeid-i-nes-kommune-2009",
    ArticleIndexPage: "artikler",
    ArticlePage: "gode-grep-for-tett-oppfolging",
    # The pages about the site (practices/site_pages.py)
    InfoPage: "om",
    AccessibilityStatementPage: None,
}
ALL_PAGE_TYPES = list(SEED_PAGES)


def seed_page(model):
    slug = SEED_PAGES[model]
    return model.objects.get() if slug is None else model.objects.get(slug=slug)


def minimal_page(model):
    """A page with only what the editor must fill in: the empty sections must not break the page."""
    if model is PracticePage:
        return PracticePageFactory(
            title="Tomt praksiseksempel",
            summary="",
            county=None,
            responsible_unit="",
            period_start=None,
            period_end=None,
            status="",
            description="",
            results="",
            steps=[],
            success_factors=[],
            challenges=[],
            resources="",
            contact="",
            last_reviewed=None,
        )
    if model is ReportPage:
        return ReportPageFactory(
            title="Tom rapport", summary="", county=None, responsible_unit="", period_start=None,
            period_end=None, published=None, body=[],
        )
    if model is ArticlePage:
        return ArticlePageFactory(title="Tom artikkel", summary="", body=[])
    raise ValueError(model)


class PageTypeTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = get_user_model().objects.create_superuser("forhandsvisning", "admin@example.no", "passord")

    def assertPageIsPreviewable(self, page, **kwargs):
        self.client.force_login(self.admin)
        post_data = edit_form_data(self.client, page)
        self.client.logout()
        super().assertPageIsPreviewable(page, post_data=post_data, user=self.admin, **kwargs)
        # The preview shows the page itself, in Norwegian.
        self.client.force_login(self.admin)
        preview = self.client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))
        self.client.logout()
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, '<html lang="nb">')
        self.assertContains(preview, page.title)

    def html_lang(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200, f"{page.url} svarte {response.status_code}")
        html = BeautifulSoup(response.content, "html.parser").find("html")
        self.assertIsNotNone(html, f"{page.url} har ikke noe <html>-element")
        return html.get("lang")


class TestEveryPageTypeIsRoutableRenderableAndPreviewable(PageTypeTestCase):
    def test_seed_pages(self):
        for model in ALL_PAGE_TYPES:
            page = seed_page(model)
            with self.subTest(page_type=model.__name__, url=page.url):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)
                self.assertPageIsPreviewable(page)

    def test_pages_with_empty_optional_sections(self):
        for model in (PracticePage, ReportPage, ArticlePage):
            page = minimal_page(model)
            with self.subTest(page_type=model.__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)
                self.assertPageIsPreviewable(page)

    def test_factory_pages_with_everything_filled_in(self):
        practice = PracticePageFactory(
            tags=["Housing First", "ungdom"],
            themes=["housing-first"],
            target_groups=["bostedslose"],
            funding_sources=["husbanken"],
            legal_references=[("sosialtjenesteloven", "27"), ("boligsosialloven", "6")],
        )
        report = ReportPageFactory(tags=["husleierestanser"], legal_references=[("sosialtjenesteloven", "17")])
        article = ArticlePageFactory(tags=["tett oppfølging"], related_practices=[practice])
        for page in (practice, report, article):
            with self.subTest(page_type=type(page).__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)
                self.assertPageIsPreviewable(page)

    def test_listing_pages_beyond_the_last_page_still_render(self):
        for model in (PracticeIndexPage, ReportIndexPage, ArticleIndexPage):
            with self.subTest(page_type=model.__name__):
                self.assertPageIsRenderable(seed_page(model), query_data={"side": "999"})
                self.assertPageIsRenderable(seed_page(model), query_data={"side": "tull"})

    def test_draft_is_previewable_but_not_routable(self):
        draft = PracticePageFactory(title="Boligkontakt i Alta (utkast)", live=False)
        self.assertPageIsPreviewable(draft)
        self.assertPageIsRenderable(draft, accept_404=True)
        self.assertEqual(self.client.get(draft.url).status_code, 404)


class TestPageTree(PageTypeTestCase):
    def test_home_page(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {PracticeIndexPage, ReportIndexPage, ArticleIndexPage, InfoPage, AccessibilityStatementPage},
        )

    def test_index_pages_sit_under_the_home_page_and_hold_one_type(self):
        for index, child in (
            (PracticeIndexPage, PracticePage),
            (ReportIndexPage, ReportPage),
            (ArticleIndexPage, ArticlePage),
        ):
            with self.subTest(index=index.__name__):
                self.assertAllowedParentPageTypes(index, {HomePage})
                self.assertAllowedSubpageTypes(index, {child})

    def test_content_pages_are_leaves_under_their_own_index(self):
        for model, index in (
            (PracticePage, PracticeIndexPage),
            (ReportPage, ReportIndexPage),
            (ArticlePage, ArticleIndexPage),
        ):
            with self.subTest(page_type=model.__name__):
                self.assertAllowedParentPageTypes(model, {index})
                self.assertAllowedSubpageTypes(model, set())

    def test_a_practice_cannot_be_placed_under_the_reports(self):
        self.assertCanCreateAt(PracticeIndexPage, PracticePage)
        self.assertCanNotCreateAt(ReportIndexPage, PracticePage)
        self.assertCanNotCreateAt(HomePage, PracticePage)
        self.assertCanNotCreateAt(PracticePage, PracticePage)

    def test_there_is_one_home_page_and_one_index_of_each_kind(self):
        home = seed_page(HomePage)
        root = Page.get_first_root_node()
        self.assertFalse(HomePage.can_create_at(root))
        for index in (PracticeIndexPage, ReportIndexPage, ArticleIndexPage):
            with self.subTest(index=index.__name__):
                self.assertFalse(index.can_create_at(home))
        self.assertTrue(PracticePage.can_create_at(seed_page(PracticeIndexPage)))

    def test_the_seed_pages_are_where_the_tree_says(self):
        home = seed_page(HomePage)
        self.assertEqual(home.url, "/")
        self.assertEqual(seed_page(PracticeIndexPage).url, "/praksiseksempler/")
        self.assertEqual(seed_page(ReportIndexPage).url, "/rapporter/")
        self.assertEqual(seed_page(ArticleIndexPage).url, "/artikler/")
        self.assertEqual(seed_page(PracticePage).url, "/praksiseksempler/fra-bostedslos-til-beboer/")
        self.assertEqual(seed_page(ReportPage).get_parent().specific_class, ReportIndexPage)
        self.assertEqual(seed_page(ArticlePage).get_parent().specific_class, ArticleIndexPage)


class TestPublicPagesAreInNorwegian(PageTypeTestCase):
    def test_every_public_page_has_html_lang_nb(self):
        for page in Page.objects.live().public().specific().filter(depth__gt=1):
            with self.subTest(url=page.url):
                self.assertEqual(self.html_lang(page), "nb")

    def test_every_page_type_is_covered(self):
        live_types = {type(page) for page in Page.objects.live().public().specific().filter(depth__gt=1)}
        self.assertEqual(live_types, set(ALL_PAGE_TYPES))

    def test_factory_pages_have_html_lang_nb(self):
        for page in (PracticePageFactory(), ReportPageFactory(), ArticlePageFactory()):
            with self.subTest(page_type=type(page).__name__):
                self.assertEqual(self.html_lang(page), "nb")

    def test_not_found_page_is_in_norwegian_too(self):
        response = self.client.get("/praksiseksempler/finnes-ikke/")
        self.assertEqual(response.status_code, 404)
        html = BeautifulSoup(response.content, "html.parser").find("html")
        self.assertIsNotNone(html, "404-siden er Djangos engelske standardside (templates/404.html mangler)")
        self.assertEqual(html.get("lang"), "nb")


@pytest.mark.parametrize("model", ALL_PAGE_TYPES, ids=lambda m: m.__name__)
def test_each_page_shows_its_title_in_the_heading(client, db, model):
    page = seed_page(model)
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    h1 = soup.find("h1")
    assert h1 is not None, f"{page.url} mangler <h1>"
    if model is not HomePage:
        assert h1.get_text(" ", strip=True) == page.title
    assert soup.find("title").get_text().strip().endswith("Kunnskapsbase")
