"""Listings by the content's own date, and counties found by their names then and now.

«Nyeste» (on /sok/, the index pages and the home page's «Nye praksiseksempler») sorts by the
date the content carries (a report's publication, a practice's start, an article's date), not
by the day it was imported; the APIs show that date as ``content_date``. A practice registered
under a former county (Troms og Finnmark) is found under it and under today's county, on
both backends, and its card names both."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from django.utils import timezone

from search.params import parse_params
from search.service import SearchService
from tests.factories import ArticlePageFactory, PracticePageFactory, ReportPageFactory
from tests.seed_content import TROMSO, TROMSO_TEAM
from tests.test_search_contract import params


def squash(text):
    return " ".join(text.split())


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def titles(soup, selector="main article h3 a"):
    return [squash(a.get_text()) for a in soup.select(selector)]


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


# --- The content's own date -------------------------------------------------------------------


@pytest.fixture
def old_and_new(db):
    """An example from 2013 imported today, and one from 2023 published here a year ago."""
    imported_today = PracticePageFactory(title="Gammelt eksempel importert i dag", period_start=2013)
    published_earlier = PracticePageFactory(
        title="Nytt eksempel publisert i fjor", period_start=2023, first_published_at=days_ago(365)
    )
    return imported_today, published_earlier


def position(items, title):
    return items.index(title)


def test_newest_on_search_and_the_practice_index_is_by_the_practice_start(client, old_and_new):
    for url in ("/sok/?sort=newest", "/sok/?type=praksis", "/praksiseksempler/"):
        shown = titles(get(client, url + ("&" if "?" in url else "?") + "page_size=100"))
        newer, older = "Nytt eksempel publisert i fjor", "Gammelt eksempel importert i dag"
        assert position(shown, newer) < position(shown, older), url


def test_the_home_pages_new_practices_are_the_newest_by_their_own_date(client, old_and_new):
    soup = get(client, "/")
    section = soup.find(id="nye-praksiseksempler").find_parent("section")
    shown = titles(section, "article h3 a")
    assert "Nytt eksempel publisert i fjor" in shown
    assert "Gammelt eksempel importert i dag" not in shown  # 2013: older than the seed's newest six


def test_reports_and_articles_are_sorted_by_their_publication_date(client, db):
    ReportPageFactory(title="Rapport fra 2011", published=datetime.date(2011, 5, 1), period_start=2010)
    ReportPageFactory(
        title="Rapport fra 2022", published=datetime.date(2022, 3, 1), period_start=2010,
        first_published_at=days_ago(900),
    )
    ArticlePageFactory(title="Artikkel fra 2012", date=datetime.date(2012, 1, 1))
    ArticlePageFactory(title="Artikkel fra 2024", date=datetime.date(2024, 1, 1), first_published_at=days_ago(800))
    reports = titles(get(client, "/rapporter/"))
    assert position(reports, "Rapport fra 2022") < position(reports, "Rapport fra 2011")
    articles = titles(get(client, "/artikler/"))
    assert position(articles, "Artikkel fra 2024") < position(articles, "Artikkel fra 2012")


def test_the_apis_show_the_content_date(client, old_and_new):
    imported_today, published_earlier = old_and_new
    results = client.get("/api/search/?q=eksempel&type=praksis&sort=newest").json()["results"]
    dates = {result["title"]: result["content_date"] for result in results}
    assert dates["Nytt eksempel publisert i fjor"] == "2023-01-01"
    assert dates["Gammelt eksempel importert i dag"] == "2013-01-01"
    page = client.get(f"/api/v2/pages/{imported_today.pk}/").json()
    assert page["content_date"] == "2013-01-01"


def test_without_a_date_of_its_own_the_first_publication_counts(client, db):
    page = PracticePageFactory(title="Eksempel uten startår", period_start=None, period_end=None)
    assert page.content_date == timezone.localdate(page.first_published_at)
    page.source_published = datetime.date(2017, 6, 1)
    assert page.content_date == datetime.date(2017, 6, 1)


# --- County history, both backends ---------------------------------------------------------------


def test_a_former_county_and_todays_both_find_the_practice(either_backend):
    service = SearchService(either_backend)
    former = service.search(params(county="troms-og-finnmark"))
    assert [result.title for result in former.results] == [TROMSO]
    assert former.results[0].county == "Troms og Finnmark (nå: Troms)"
    today = service.search(params(county="troms"))
    assert {result.title for result in today.results} == {TROMSO, TROMSO_TEAM}
    by_text = service.search(parse_params(QueryDict("q=Troms+og+Finnmark")))
    assert TROMSO in [result.title for result in by_text.results]


def test_the_county_facet_offers_the_former_county_with_its_count(either_backend):
    counties = {o.value: (o.label, o.count) for o in SearchService(either_backend).search(params()).facets["county"]}
    assert counties["troms-og-finnmark"] == ("Troms og Finnmark (2020–2023)", 1)
    assert counties["troms"] == ("Troms", 2)


def test_the_search_page_filters_by_the_former_county_and_names_both(client, db):
    soup = get(client, "/sok/?county=troms-og-finnmark")
    assert titles(soup) == [TROMSO]
    card = squash(soup.select_one("ul.search-results article").get_text(" "))
    assert "Troms og Finnmark (nå: Troms)" in card
    box = soup.find("input", attrs={"type": "checkbox", "name": "county", "value": "troms-og-finnmark"})
    assert box.has_attr("checked")
    assert "Troms og Finnmark (2020–2023)" in squash(soup.find("label", attrs={"for": box["id"]}).get_text())
