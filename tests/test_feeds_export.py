"""Atom feeds of searches and listings, CSV/JSON export of a result set's practice examples, and
the statistics page: what they contain matches the one search service (/api/search/), only live,
public pages appear, the export's query count does not grow with its rows, and bad parameters
get a 400 with a Norwegian message, never a 500."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from search.export import EXPORT_LIMIT, EXPORT_MAX_QUERIES, FIELD_NAMES
from search.opendata import norwegian_number
from tests.factories import PracticePageFactory

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "feedprøve"


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def api_urls(client, **params):
    data = client.get("/api/search/", {"page_size": 100, **params}).json()
    return [result["url"] for result in data["results"]], data["count"]


@pytest.fixture
def tagged_pages(db):
    """A public practice, a live one behind a login, and a draft, all with the same tag."""
    public = PracticePageFactory(title="Åpen boligveiledning i Vefsn", tags=[TAG])
    restricted = PracticePageFactory(title="Skjermet boligveiledning i Vefsn", tags=[TAG])
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    draft = PracticePageFactory(title="Utkast til boligveiledning i Vefsn", tags=[TAG], live=False)
    from search.indexing import index_page

    index_page(restricted)  # what the view-restriction signal does
    return public, restricted, draft


def test_a_tag_feed_parses_and_holds_only_public_pages(client, tagged_pages):
    public, restricted, draft = tagged_pages
    entries = atom_entries(client.get("/sok/feed/", {"tag": TAG}))
    assert [e["link"] for e in entries] == [f"http://testserver{public.url}"]
    assert all(e["updated"] for e in entries)
    text = client.get("/sok/feed/", {"tag": TAG}).content.decode()
    assert restricted.title not in text and draft.title not in text
    assert "Norsk lisens for offentlige data (NLOD) 2.0" in text


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "bolig"},
        {"tag": "depositumgaranti"},
        {"county": "nordland"},
        {"law": "sosialtjenesteloven:27"},
        {"theme": "bolig-og-bosetting"},
        {"type": "praksis"},
    ],
)
def test_feeds_hold_the_newest_hits_of_the_search(client, db, params):
    entries = atom_entries(client.get("/sok/feed/", params))
    urls, count = api_urls(client, sort="newest", **params)
    assert [e["link"] for e in entries] == [f"http://testserver{url}" for url in urls][:50]
    assert len(entries) == min(count, 50)


@pytest.mark.parametrize(
    "path, feed",
    [
        ("/sok/?q=bolig", "/sok/feed/?q=bolig"),
        ("/stikkord/depositumgaranti/", "/sok/feed/?tag=depositumgaranti"),
        ("/lover/sosialtjenesteloven/27/", "/sok/feed/?law=sosialtjenesteloven%3A27"),
        ("/lover/sosialtjenesteloven/", "/sok/feed/?law=sosialtjenesteloven"),
        ("/praksiseksempler/?county=nordland", "/sok/feed/?county=nordland&amp;type=praksis"),
    ],
)
def test_listings_link_their_feed_in_the_head_and_visibly(client, db, path, feed):
    html = client.get(path).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" title="Kunnskapsbase (Atom)" href="{feed}">' in html
    assert f'<a href="{feed}" type="application/atom+xml">' in html


def test_bad_feed_parameters_give_400_in_norwegian(client, db):
    for query in ("year=tusen", "size=enorm", "ukjent=1", "page=0"):
        response = client.get(f"/sok/feed/?{query}")
        assert response.status_code == 400, query
        assert response.content.decode().startswith("Feeden kunne ikke lages:")


# --- Export ---------------------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("params", [{}, {"q": "bolig"}, {"county": "nordland"}, {"tag": "tett-oppfølging"}])
def test_export_rows_match_the_search_result(client, db, params):
    urls, count = api_urls(client, type="praksis", **params)
    rows = read_csv(client.get("/sok/eksport.csv", params))
    assert [row["url"] for row in rows] == [f"http://testserver{url}" for url in urls]
    assert list(rows[0]) == list(FIELD_NAMES)
    data = json.loads(client.get("/sok/eksport.json", params).content)
    assert [row["url"] for row in data["results"]] == [row["url"] for row in rows]
    assert data["count"] == count and data["limit"] == EXPORT_LIMIT and data["truncated"] is False
    assert data["licence"]["name"] == "Norsk lisens for offentlige data (NLOD) 2.0"


def test_export_joins_multiple_values_and_writes_iso_dates(client, db):
    [row] = read_csv(client.get("/sok/eksport.csv", {"q": "depositumgaranti", "county": "nordland"}))
    data = client.get("/sok/eksport.json", {"q": "depositumgaranti", "county": "nordland"}).json()["results"][0]
    assert row["tags"] == "; ".join(data["tags"]) and len(data["tags"]) > 1
    assert row["themes"] == "; ".join(data["themes"])
    assert row["municipalities"] == "Øksnes" and row["county"] == "Nordland"
    assert row["first_published_at"][:10].count("-") == 2 and "T" in row["first_published_at"]
    assert "contact" not in row  # personal data is not open data
    response = client.get("/sok/eksport.csv")
    assert response["Link"] == '<https://data.norge.no/nlod/no/2.0>; rel="license"'


def test_export_holds_only_public_practices(client, tagged_pages):
    public, restricted, draft = tagged_pages
    rows = read_csv(client.get("/sok/eksport.csv", {"tag": TAG}))
    assert [int(row["id"]) for row in rows] == [public.pk]


def test_export_query_count_does_not_grow_with_rows(client, db):
    for n in range(6):
        PracticePageFactory(
            title=f"Eksportprøve nummer {n}",
            tags=["eksportprøve"] + (["eksportprøve-en"] if n == 0 else []),
            themes=["bolig-og-bosetting"],
            funding_sources=["Husbanken"],
            legal_references=1,
        )
    client.get("/sok/eksport.csv")  # warm caches (the facet snapshot, the law registry)
    counts = {}
    for tag, expected_rows in (("eksportprøve-en", 1), ("eksportprøve", 6)):
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(client.get("/sok/eksport.csv", {"tag": tag}))
        assert len(rows) == expected_rows
        counts[tag] = len(queries)
    assert counts["eksportprøve-en"] == counts["eksportprøve"], counts
    assert counts["eksportprøve"] <= 25


def test_bad_export_parameters_give_json_400(client, db):
    for path in ("/sok/eksport.csv", "/sok/eksport.json"):
        response = client.get(path, {"year": "tusen"})
        assert response.status_code == 400
        assert response.json() == {"error": {"parameter": "year", "message": "«tusen» er ikke et årstall."}}
        assert client.post(path).status_code == 405


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(["q", "tag", "theme", "county", "law", "year", "size", "type", "sort", "page", "zz"]),
            st.text(max_size=30),
        ),
        max_size=6,
    )
)
def test_feed_and_export_never_fail_on_bad_parameters(params):
    from django.test import Client

    client = Client()
    query = urlencode(params)
    for path in ("/sok/feed/", "/sok/eksport.csv", "/sok/eksport.json"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (path, query, response.status_code)


# --- Statistics -------------------------------------------------------------------------------------


def test_statistics_page_shows_the_search_facets_as_tables_and_hidden_charts(client, db):
    from bs4 import BeautifulSoup

    response = client.get("/statistikk/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    facets = client.get("/api/search/", {"type": "praksis", "page_size": 1}).json()["facets"]
    tables = {table.caption.get_text(strip=True): table for table in soup.select("table.statistics__table")}
    assert set(tables) == {
        "Praksiseksempler per fylke",
        "Praksiseksempler per tema",
        "Praksiseksempler per lovparagraf",
        "Praksiseksempler per startår",
    }
    county_rows = {
        row.th.get_text(strip=True): int(row.td.get_text(strip=True).replace("\xa0", ""))
        for row in tables["Praksiseksempler per fylke"].tbody.find_all("tr")
    }
    assert county_rows == {o["label"]: o["count"] for o in facets["county"] if o["count"]}
    provisions = [row.th.get_text(strip=True) for row in tables["Praksiseksempler per lovparagraf"].tbody("tr")]
    assert provisions and all("§" in label for label in provisions)
    years = [row.th.get_text(strip=True) for row in tables["Praksiseksempler per startår"].tbody("tr")]
    assert years == sorted(years)
    for chart in soup.select("svg.statistics__chart"):
        assert chart["aria-hidden"] == "true"
    assert soup.find("a", href="/statistikk/")  # linked from the footer


def test_norwegian_number_format():
    assert norwegian_number(1234567) == "1\xa0234\xa0567"
    assert norwegian_number(12) == "12"


def _queries(client, path, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries), response


def test_query_counts_do_not_grow_with_the_results(client, db):
    """All practices (merged municipalities and former counties among them) cost no more than the
    fixed bound a single one does (prefetches of merged units' successors run only when there are
    any); a feed of every page costs as many queries as a feed of one."""
    client.get("/sok/eksport.csv")  # warm caches (the facet snapshot, the law registry)
    one, response = _queries(client, "/sok/eksport.csv", {"q": "depositumgaranti"})
    assert len(read_csv(response)) == 1
    every, response = _queries(client, "/sok/eksport.csv", {})
    assert len(read_csv(response)) >= 9
    assert one <= EXPORT_MAX_QUERIES and every <= EXPORT_MAX_QUERIES, (one, every)

    one, response = _queries(client, "/sok/feed/", {"tag": "depositumgaranti"})
    assert len(atom_entries(response)) == 1
    every, response = _queries(client, "/sok/feed/", {"type": "praksis"})
    assert len(atom_entries(response)) >= 9
    assert one == every <= 10, (one, every)

    count, _response = _queries(client, "/statistikk/", {})
    assert count <= 10


def test_a_county_page_links_its_feed_alert_and_export(db, client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/fylker/troms/").content, "html.parser")
    feed = soup.find("link", rel="alternate", type="application/atom+xml")["href"]
    assert feed == "/sok/feed/?county=troms"
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".follow-links a")}
    assert links["Varsle meg om nye treff"] == "/varsler/ny/?county=troms"
    assert links["Last ned praksiseksemplene som CSV"] == "/sok/eksport.csv?county=troms"
    atom = client.get(feed)
    assert atom.status_code == 200 and "Fra bostedsløs til beboer" in atom.content.decode()
