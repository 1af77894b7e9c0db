"""Ways in besides search: the home page's entries by theme, target group, county (a schematic
map of today's counties) and law; the overview pages /stikkord/, /fylker/ and /fylker/<fylke>/;
breadcrumbs with BreadcrumbList data on every kind of page; /lover/ linked from every page.
Counts are checked against what a visitor finds when following the link, and every page is
rendered with a fixed number of queries however much content there is."""

import json

import pytest
from bs4 import BeautifulSoup

from practices.models import County, PracticePage
from search.params import SearchParams
from search.service import SearchService
from search.ways_in import place_slug
from tests.factories import PracticePageFactory
from tests.test_listing_queries import add_articles, add_practices, add_reports, assert_same_count, render

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def count_in(text):
    """The number in «(12)» or «12»."""
    return int(text.strip().strip("()").replace("\u00a0", ""))


def search_count(**filters):
    params = SearchParams(filters={facet: (value,) for facet, value in filters.items()})
    return SearchService().search(params, facets=()).count


def breadcrumb_data(soup):
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        if data.get("@type") == "BreadcrumbList":
            return data
    return None


def crumbs(soup):
    nav = soup.find("nav", attrs={"aria-label": "Brødsmulesti"})
    return [(a.get_text(strip=True), a["href"]) for a in nav.find_all("a")] if nav else []


# --- The home page --------------------------------------------------------------------------------


def test_home_page_offers_every_theme_target_group_and_law_with_the_count_the_link_finds(client):
    soup = soup_of(client, "/")
    themes = soup.find("section", attrs={"aria-labelledby": "etter-tema"}).select("li")
    assert len(themes) >= 5
    for item in themes:
        link = item.find("a")
        assert link["href"].startswith("/sok/?theme=")
        slug = link["href"].split("=", 1)[1]
        assert count_in(item.select_one(".count-list__count").get_text()) == search_count(theme=slug)
        # … and the search page the link opens says the same number
        listing = soup_of(client, link["href"])
        expected = f"{search_count(theme=slug)} treff"
        assert expected in listing.find("main").get_text(" ", strip=True)
    groups = soup.find("section", attrs={"aria-labelledby": "etter-malgruppe"}).select("li a")
    assert {a.get_text(strip=True) for a in groups} >= {"Bostedsløse", "Unge"}
    laws = soup.find("section", attrs={"aria-labelledby": "etter-lov"})
    law_links = {a.get_text(strip=True): a["href"] for a in laws.select("li a")}
    assert law_links["sosialtjenesteloven"] == "/lover/sosialtjenesteloven/"
    assert laws.find("a", href="/lover/")


def test_home_page_county_map_links_every_county_of_today_with_its_count_and_the_same_list(client):
    soup = soup_of(client, "/")
    section = soup.find("section", attrs={"aria-labelledby": "etter-fylke"})
    svg = section.find("svg")
    assert svg["role"] == "group" and svg.find("title").get_text(strip=True)
    map_links = svg.find_all("a")
    list_links = section.select("ul.count-list--counties a")
    current = County.objects.filter(valid_to__isnull=True)
    assert len(map_links) == len(list_links) == current.count() == 15
    assert [a["href"] for a in map_links] == [a["href"] for a in list_links]
    akershus = svg.find("a", href="/fylker/akershus/")
    # a labelled link: its own <title> names the county and the count, the tile shows both
    assert akershus.find("title").get_text() == "Akershus: 4 praksiseksempler og rapporter"
    assert [t.get_text() for t in akershus.find_all("text")] == ["Akershus", "4"]
    assert search_count(county="akershus") == 4
    rogaland = svg.find("a", href="/fylker/rogaland/")
    assert rogaland.find("title").get_text() == "Rogaland: 0 praksiseksempler og rapporter"


def test_home_page_newest_practices_follow_the_search_services_newest_order(client):
    soup = soup_of(client, "/")
    shown = [a.get_text(strip=True) for a in soup.select("#nye-praksiseksempler + ul h3 a")]
    newest = SearchService().search(SearchParams(filters={"type": ("praksis",)}, sort="newest", page_size=6))
    assert shown == [result.title for result in newest.results]


def test_a_draft_is_neither_counted_nor_listed_on_the_home_page(client):
    before = soup_of(client, "/")
    PracticePageFactory(title="Utkast om bolig i Bergen", live=False, themes=["housing-first"])
    after = soup_of(client, "/")
    assert "Utkast om bolig i Bergen" not in after.get_text()
    def housing_first(soup):
        return soup.find("a", href="/sok/?theme=housing-first").find_next("span").get_text()

    assert housing_first(before) == housing_first(after)


def test_home_page_queries_do_not_grow_with_themes_counties_and_laws(client):
    few = render(client, "/")
    add_practices()
    add_reports(5)
    add_articles(5)
    many = render(client, "/")
    bergen = many[1].find("svg").find("a", href="/fylker/vestland/")
    assert bergen.find_all("text")[1].get_text() != "0"
    assert_same_count(few, many, "forsiden med veier inn")


# --- /stikkord/ -------------------------------------------------------------------------------------


def test_tag_overview_lists_every_published_tag_with_the_count_of_its_page(client):
    PracticePageFactory(title="Kladd med eget stikkord", live=False, tags=["hemmelig utkaststikkord"])
    soup = soup_of(client, "/stikkord/")
    assert soup.find("h1").get_text(strip=True) == "Alle stikkord"
    items = soup.select("ul.count-list li")
    assert len(items) >= 10
    labels = [item.find("a").get_text(strip=True) for item in items]
    assert "hemmelig utkaststikkord" not in " ".join(labels).casefold()
    for item in items[:5]:
        link = item.find("a")
        tag_page = soup_of(client, link["href"])
        count = count_in(item.select_one(".count-list__count").get_text())
        assert f"{count} treff" in tag_page.find("main").get_text(" ", strip=True), link["href"]
    # letters first, in Norwegian order, each with a heading the letter index links to
    letters = [h.get_text(strip=True) for h in soup.select("section.letter-group h2")]
    assert letters == sorted(letters, key=lambda letter: "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ#".find(letter))
    assert crumbs(soup) == [("Forside", "/"), ("Stikkord", "/stikkord/")]


def test_tag_overview_queries_do_not_grow_with_the_number_of_tags(client):
    few = render(client, "/stikkord/")
    add_practices()
    many = render(client, "/stikkord/")
    assert len(many[1].select("ul.count-list li")) > len(few[1].select("ul.count-list li"))
    assert_same_count(few, many, "/stikkord/")


# --- /fylker/ ---------------------------------------------------------------------------------------


def test_county_overview_lists_todays_counties_on_the_map_and_as_a_list(client):
    soup = soup_of(client, "/fylker/")
    names = [a.get_text(strip=True) for a in soup.select("ul.count-list--counties a")]
    assert len(names) == 15
    assert "Troms og Finnmark" not in names and "Viken" not in names
    assert {"Troms", "Finnmark", "Akershus", "Oslo"} <= set(names)
    assert crumbs(soup) == [("Forside", "/"), ("Fylker", "/fylker/")]


def test_county_overview_queries_do_not_grow_with_the_content(client):
    few = render(client, "/fylker/")
    add_practices()
    many = render(client, "/fylker/")
    def vestland(soup):
        return soup.select_one('ul.count-list--counties a[href="/fylker/vestland/"]').find_next("span").get_text()

    assert vestland(few[1]) == "(0)" and vestland(many[1]) != "(0)"
    assert_same_count(few, many, "/fylker/")


def test_county_page_groups_former_municipalities_under_todays(client):
    soup = soup_of(client, "/fylker/akershus/")
    sections = {s.find("h2").get_text(strip=True): s for s in soup.select("section.municipality")}
    lillestrom = sections["Lillestrøm"]
    assert "tidligere Skedsmo" in lillestrom.get_text()
    assert lillestrom.find("a", string="Jobbsenteret i Skedsmo")
    assert "registrert under Skedsmo" in lillestrom.get_text()
    nes = sections["Nes"]
    assert [a.get_text(strip=True) for a in nes.select("li > a")] == [
        "Boligsosial oppfølging i Nes kommune",
        "Boligsosialt arbeid i Nes kommune",
    ]
    assert "Bærum" in sections["Kommuner uten eksempler ennå"].get_text()
    assert soup.find("a", href="/sok/?county=akershus")
    assert crumbs(soup) == [("Forside", "/"), ("Fylker", "/fylker/"), ("Akershus", "/fylker/akershus/")]


def test_county_page_of_a_former_county_points_to_todays(client):
    soup = soup_of(client, "/fylker/troms-og-finnmark/")
    links = {a.get_text(strip=True): a["href"] for a in soup.select("main p a")}
    assert links == {"Troms": "/fylker/troms/", "Finnmark": "/fylker/finnmark/"}


def test_unknown_county_is_not_found(client):
    assert client.get("/fylker/atlantis/").status_code == 404


def test_county_slugs_spell_out_norwegian_letters():
    assert place_slug("Møre og Romsdal") == "more-og-romsdal"
    assert place_slug("Trøndelag") == "trondelag"
    assert place_slug("Østfold") == "ostfold"


def test_county_page_queries_do_not_grow_with_the_number_of_practices(client):
    PracticePageFactory(title="Boligkontor i Hamar", municipalities=["3403"])  # Innlandet has no seed page
    few = render(client, "/fylker/innlandet/")
    add_practices()
    many = render(client, "/fylker/innlandet/")
    assert len(many[1].select("section.municipality li")) > len(few[1].select("section.municipality li"))
    assert_same_count(few, many, "/fylker/innlandet/")


# --- Breadcrumbs on every kind of page, and /lover/ linked from every page --------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/praksiseksempler/fra-bostedslos-til-beboer/",
            [("Forside", "/"), ("Praksiseksempler", "/praksiseksempler/"),
             ("Fra bostedsløs til beboer", "/praksiseksempler/fra-bostedslos-til-beboer/")],
        ),
        ("/praksiseksempler/", [("Forside", "/"), ("Praksiseksempler", "/praksiseksempler/")]),
        ("/sok/?q=bolig", [("Forside", "/"), ("Søk", "/sok/")]),
        ("/lover/", [("Forside", "/"), ("Lover og paragrafer", "/lover/")]),
        (
            "/lover/sosialtjenesteloven/27/",
            [
                ("Forside", "/"),
                ("Lover og paragrafer", "/lover/"),
                ("sosialtjenesteloven", "/lover/sosialtjenesteloven/"),
                ("sosialtjenesteloven § 27", "/lover/sosialtjenesteloven/27/"),
            ],
        ),
        ("/om/", [("Forside", "/"), ("Om Kunnskapsbase", "/om/")]),
    ],
)
def test_breadcrumbs_with_structured_data_on_every_kind_of_page(client, path, expected):
    soup = soup_of(client, path)
    assert crumbs(soup) == expected
    nav = soup.find("nav", attrs={"aria-label": "Brødsmulesti"})
    assert nav.find_all("a")[-1]["aria-current"] == "page"
    data = breadcrumb_data(soup)
    assert data["@context"] == "https://schema.org"
    assert [(item["position"], item["name"], item["item"]) for item in data["itemListElement"]] == [
        (position, label, f"http://testserver{url}") for position, (label, url) in enumerate(expected, 1)
    ]


def test_tag_page_breadcrumbs_go_through_the_tag_overview(client):
    practice = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
    tag = practice.tags.first()
    soup = soup_of(client, f"/stikkord/{tag.slug}/")
    assert crumbs(soup) == [("Forside", "/"), ("Stikkord", "/stikkord/"), (tag.name, f"/stikkord/{tag.slug}/")]


def test_home_page_has_no_breadcrumbs(client):
    soup = soup_of(client, "/")
    assert crumbs(soup) == [] and breadcrumb_data(soup) is None


@pytest.mark.parametrize("path", ["/", "/praksiseksempler/", "/sok/", "/stikkord/", "/fylker/"])
def test_every_page_links_to_the_laws_tags_and_counties(client, path):
    footer = soup_of(client, path).find("footer")
    hrefs = {a["href"] for a in footer.find_all("a")}
    assert {"/lover/", "/stikkord/", "/fylker/"} <= hrefs
