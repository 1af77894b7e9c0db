"""The practice examples the seeds describe but did not publish as examples: five NAV offices in
the article «Gode grep for tett oppfølging» and the Nes project in its experience report. Each is
a page of its own, holds only what its source says, and is linked both ways with that source."""

import html
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from practices.models import ArticlePage, PracticePage, ReportPage
from tests.test_seed_completeness import REPAIRS

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
ARTICLE_SOURCE = "001_b0837087ab158e1b.txt"
NES_SOURCE = "004_8f785a2662c1a0f7.txt"

# slug: (source file, municipality number and name then, county number then, today's municipality name)
DERIVED = {
    "tverrfaglig-samarbeid-for-ungdom-i-ovre-eiker": (ARTICLE_SOURCE, "0624", "Øvre Eiker", "06"),
    "tilpassede-klasser-for-ungdom-i-nav-fredrikstad": (ARTICLE_SOURCE, "0106", "Fredrikstad", "01"),
    "jobbsenteret-i-skedsmo": (ARTICLE_SOURCE, "0231", "Skedsmo", "02"),
    "tverrfaglige-team-for-sosialhjelpssaker-i-nav-ralingen": (ARTICLE_SOURCE, "0228", "Rælingen", "02"),
    "team-og-fast-kontaktperson-i-nav-tromso": (ARTICLE_SOURCE, "1902", "Tromsø", "19"),
    "boligsosial-oppfolging-i-nes": (NES_SOURCE, "0236", "Nes", "02"),
}
TEXT_FIELDS = [
    "title", "summary", "description", "results", "background", "goals", "implementation", "financing",
    "success_factors", "challenges", "continuation",
]
# Words a page may add that are not in its source: only the page's own wording of the source's
# numbers and office names (each checked separately below), never a new claim.
ALLOWED_EXTRA_WORDS = {"nav", "i", "og", "for", "til", "av", "med", "fra", "som", "den", "det", "de", "en", "et"}


def words(text):
    return set(re.findall(r"[a-zæøåäöüé]+", text.lower()))


def numbers(text):
    return set(re.findall(r"\d+", text))


def page_text(page):
    parts = []
    for name in TEXT_FIELDS:
        value = getattr(page, name)
        if hasattr(value, "stream_block"):
            parts.extend(str(text) for text in value.stream_block.get_searchable_content(value))
        else:
            parts.append(str(value or ""))
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(parts)))


@pytest.fixture
def derived(db):
    return {page.slug: page for page in PracticePage.objects.filter(slug__in=DERIVED)}


def test_each_office_and_project_is_a_published_practice_example(derived, client):
    assert set(derived) == set(DERIVED)
    for slug, page in derived.items():
        assert page.live
        response = client.get(page.url)
        assert response.status_code == 200, slug


@pytest.mark.parametrize("slug", DERIVED)
def test_the_page_holds_only_what_its_source_states(derived, slug):
    source_file, *_ = DERIVED[slug]
    source = (SOURCES / source_file).read_text(encoding="utf-8")
    for damaged, repaired in REPAIRS.items():  # conversion damage repaired in fixtures/
        source = source.replace(damaged, repaired)
    text = page_text(derived[slug])
    assert words(text) - words(source) - ALLOWED_EXTRA_WORDS == set()
    # Every figure and year on the page stands in the source.
    assert numbers(text) - numbers(source) == set()


@pytest.mark.parametrize("slug", DERIVED)
def test_municipality_and_county_are_registered_as_they_were_then(derived, slug):
    _source, number, name, county = DERIVED[slug]
    page = derived[slug]
    municipality = page.municipalities.get()
    assert (municipality.number, municipality.name) == (number, name)
    assert page.county.number == county


def test_the_article_and_its_five_practices_link_to_each_other(derived, client):
    article = ArticlePage.objects.get(slug="gode-grep-for-tett-oppfolging")
    from_article = {page.slug for page in article.related_practices.all()}
    expected = {slug for slug, (source, *_rest) in DERIVED.items() if source == ARTICLE_SOURCE}
    assert from_article == expected

    article_html = BeautifulSoup(client.get(article.url).content, "html.parser")
    linked = {a["href"] for a in article_html.find_all("a", href=True)}
    for slug in expected:
        assert derived[slug].url in linked
        practice_html = BeautifulSoup(client.get(derived[slug].url).content, "html.parser")
        section = next(h2 for h2 in practice_html.find_all("h2") if h2.get_text(strip=True) == "Omtalt i")
        assert section.find_next("a")["href"] == article.url


def test_the_nes_report_and_its_practice_link_to_each_other(derived, client):
    report = ReportPage.objects.get(slug="boligsosialt-arbeid-i-nes-kommune-2009")
    practice = derived["boligsosial-oppfolging-i-nes"]
    assert report.related_practice_id == practice.pk

    practice_html = BeautifulSoup(client.get(practice.url).content, "html.parser")
    heading = next(h2 for h2 in practice_html.find_all("h2") if h2.get_text(strip=True) == "Rapporter fra prosjektet")
    assert heading.find_next("a")["href"] == report.url
    report_html = BeautifulSoup(client.get(report.url).content, "html.parser")
    assert practice.url in {a["href"] for a in report_html.find_all("a", href=True)}


def test_an_unpublished_article_is_not_shown_on_the_practice(derived, client):
    article = ArticlePage.objects.get(slug="gode-grep-for-tett-oppfolging")
    article.unpublish()
    page = derived["jobbsenteret-i-skedsmo"]
    practice_html = client.get(page.url).content.decode()
    assert "Omtalt i" not in practice_html
    assert f'href="{article.url}"' not in practice_html
