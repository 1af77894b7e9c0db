"""Listing pages and practice pages make a fixed number of database queries, however many
pages, tags, municipalities or legal references there are (no N+1 queries)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.models import ArticleIndexPage, PracticeIndexPage, ReportIndexPage
from search.params import DEFAULT_PAGE_SIZE as LISTING_PAGE_SIZE
from tests.factories import (
    MUNICIPALITIES,
    TAGS,
    TARGET_GROUPS,
    THEMES,
    ArticlePageFactory,
    PracticePageFactory,
    ReportPageFactory,
)

EXTRA = 15
SEED_PRACTICES = 9  # fixtures/praksis-*.md


def render(client, url):
    """Number of queries for one view of ``url`` (after a first view has warmed the caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), BeautifulSoup(response.content, "html.parser"), queries


def describe(queries):
    return "\n".join(f"{i}. {q['sql'][:300]}" for i, q in enumerate(queries.captured_queries, 1))


def assert_same_count(few, many, what):
    few_count, _, few_queries = few
    many_count, _, many_queries = many
    assert many_count == few_count, (
        f"{what}: {few_count} spørringer med få sider, {many_count} med mange.\n"
        f"--- få ---\n{describe(few_queries)}\n--- mange ---\n{describe(many_queries)}"
    )


def add_practices(n=EXTRA):
    for i in range(n):
        two_municipalities = [MUNICIPALITIES[(i + k) % len(MUNICIPALITIES)][0] for k in (0, 3)]
        PracticePageFactory(
            municipalities=two_municipalities if i % 3 == 0 else None,
            tags=[TAGS[i % len(TAGS)], TAGS[(i + 5) % len(TAGS)], f"lokalt stikkord {i}"],
            themes=THEMES[: 1 + i % len(THEMES)],
            target_groups=TARGET_GROUPS[: 1 + i % len(TARGET_GROUPS)],
            funding_sources=["husbanken"],
            legal_references=[("sosialtjenesteloven", "27"), ("boligsosialloven", "6")][: 1 + i % 2],
        )


def add_reports(n=EXTRA):
    for i in range(n):
        ReportPageFactory(
            tags=[TAGS[i % len(TAGS)], f"rapportstikkord {i}"],
            themes=THEMES[: 1 + i % len(THEMES)],
            legal_references=[("sosialtjenesteloven", "17")],
        )


def add_articles(n=EXTRA):
    for i in range(n):
        ArticlePageFactory(tags=[TAGS[i % len(TAGS)], f"artikkelstikkord {i}"], themes=THEMES[: 1 + i % 2])


def cards(soup):
    """Titles of the pages linked from the listing's main content."""
    main = soup.find("main")
    return [a.get_text(" ", strip=True) for a in main.select("article h2 a, article h3 a")]


# --- Listing pages -----------------------------------------------------------------------------


def test_practice_index_queries_do_not_grow_with_the_number_of_practices(client, db):
    url = PracticeIndexPage.objects.get().url
    few = render(client, url)
    add_practices()
    many = render(client, url)

    assert len(cards(few[1])) == SEED_PRACTICES
    assert len(cards(many[1])) == min(SEED_PRACTICES + EXTRA, LISTING_PAGE_SIZE)
    assert "Fra bostedsløs til beboer" in cards(few[1])
    assert_same_count(few, many, "/praksiseksempler/")


def test_practice_index_second_page_queries_do_not_grow(client, db):
    url = PracticeIndexPage.objects.get().url
    add_practices(EXTRA + 5)  # two pages of 20
    first = render(client, url + "?side=2")
    assert len(cards(first[1])) == SEED_PRACTICES + EXTRA + 5 - LISTING_PAGE_SIZE
    add_practices(EXTRA)
    second = render(client, url + "?side=2")
    assert len(cards(second[1])) == min(SEED_PRACTICES + 2 * EXTRA + 5 - LISTING_PAGE_SIZE, LISTING_PAGE_SIZE)
    assert_same_count(first, second, "/praksiseksempler/?side=2")


def test_report_index_queries_do_not_grow_with_the_number_of_reports(client, db):
    url = ReportIndexPage.objects.get().url
    few = render(client, url)
    add_reports()
    many = render(client, url)

    assert cards(few[1]) == ["Boligsosialt arbeid i Nes kommune"]
    assert len(cards(many[1])) == 1 + EXTRA
    assert_same_count(few, many, "/rapporter/")


def test_article_index_queries_do_not_grow_with_the_number_of_articles(client, db):
    url = ArticleIndexPage.objects.get().url
    few = render(client, url)
    add_articles()
    many = render(client, url)

    assert cards(few[1]) == ["Gode grep for tett oppfølging"]
    assert len(cards(many[1])) == 1 + EXTRA
    assert_same_count(few, many, "/artikler/")


def test_home_page_queries_do_not_grow_with_the_content(client, db):
    few = render(client, "/")
    add_practices()
    add_reports(5)
    add_articles(5)
    many = render(client, "/")

    # the newest 6 of the 9 seed practices, 1 report, 1 article at first; then 6, 3 and 3
    assert len(cards(few[1])) == 6 + 1 + 1
    shown = cards(many[1])
    assert len(shown) == 6 + 3 + 3
    assert any(title.startswith("Slik lykkes NAV-kontoret med tett oppfølging") for title in shown)
    assert_same_count(few, many, "forsiden")


# --- Detail pages ----------------------------------------------------------------------------------


def test_practice_page_queries_do_not_grow_with_references_and_tags(client, small_and_large_practice):
    small, large = small_and_large_practice
    assert large.legal_references.count() == 6 and small.legal_references.count() == 1

    few = render(client, small.url)
    many = render(client, large.url)

    law_links = [a for a in many[1].find_all("a", href=True) if "lovdata.no" in a["href"]]
    assert len(law_links) >= 6
    assert "Opphevet" in many[1].get_text(" ", strip=True)
    assert_same_count(few, many, "praksiseksempelet")


def test_practice_page_queries_do_not_grow_with_related_practices_and_reports(client, db):
    lonely = PracticePageFactory(title="Boligkontakt i Alta")
    busy = PracticePageFactory(title="Boligkontakt i Narvik")
    others = [PracticePageFactory() for _ in range(4)]
    busy.related_practices.set(others)
    busy.save()
    for _ in range(3):
        ReportPageFactory(related_practice=busy)
    ReportPageFactory(related_practice=lonely)
    lonely.related_practices.set(others[:1])
    lonely.save()

    few = render(client, lonely.url)
    many = render(client, busy.url)
    text = many[1].get_text(" ", strip=True)
    assert all(other.title in text for other in others)
    assert "Rapporter fra prosjektet" in text
    assert_same_count(few, many, "praksiseksempel med beslektede sider")


# --- Wagtail's page API (/api/v2/pages/) ---------------------------------------------------------


def api_listing(client, page_type, limit):
    """Queries for one API listing of ``limit`` pages of ``page_type`` with every field."""
    url = f"/api/v2/pages/?type={page_type}&fields=*&limit={limit}&order=id"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == limit
    return len(queries), items, queries


@pytest.mark.parametrize(
    "page_type, add",
    [
        ("practices.PracticePage", add_practices),
        ("practices.ReportPage", add_reports),
        ("practices.ArticlePage", add_articles),
    ],
)
def test_page_api_queries_do_not_grow_with_the_number_of_pages(client, db, page_type, add):
    add()
    few = api_listing(client, page_type, 1)
    many = api_listing(client, page_type, EXTRA)
    assert_same_count(few, many, f"/api/v2/pages/?type={page_type}")
    # The prefetched values are the pages' own, in their own order.
    first = many[1][0]
    assert "tags" in first and "themes" in first


# Counties and municipalities from before the regional reforms: their names today come from
# successors two changes later (Akershus 2019 → Viken → Akershus 2024; Troms og Finnmark → Troms).
FORMER_PLACES = [("02", ["0231"]), ("54", ["5401"]), ("30", ["3030"]), ("19", [])]


def add_former_place_practices(n):
    for i in range(n):
        county, municipalities = FORMER_PLACES[i % len(FORMER_PLACES)]
        PracticePageFactory(county=county, municipalities=municipalities, tags=[TAGS[i % len(TAGS)]])


def test_page_api_queries_stay_flat_with_former_counties_and_municipalities_at_every_limit(client, db):
    add_former_place_practices(100)
    counts = {limit: api_listing(client, "practices.PracticePage", limit) for limit in (1, 20, 100)}
    assert_same_count(counts[1], counts[20], "/api/v2/pages/?fields=* limit 1 og 20")
    assert_same_count(counts[1], counts[100], "/api/v2/pages/?fields=* limit 1 og 100")
    # What the prefetched rows say is what the page itself says: today's counties.
    today = {item["county"]["number"]: set(item["county"]["current"]) for item in counts[100][1] if item["county"]}
    assert today["19"] == {"Troms", "Finnmark"}  # no municipality: the county's successors' successors
    assert today["02"] == {"Akershus"}  # Skedsmo → Lillestrøm (Viken) → Lillestrøm (Akershus)
    assert today["54"] == {"Troms"}  # Tromsø 5401 → Tromsø 5501
