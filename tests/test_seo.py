"""What search engines see: sitemap.xml (Wagtail's, only live and public pages), robots.txt,
canonical addresses and Open Graph tags, and which search pages they may index."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from practices.models import PracticePage
from tests.factories import PracticePageFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.get_text() for loc in BeautifulSoup(response.content, "xml").find_all("loc")]


def test_sitemap_lists_live_public_pages_and_the_overviews_but_no_draft_or_private_page(client):
    draft = PracticePageFactory(title="Utkast i Bergen", live=False)
    private = PracticePageFactory(title="Lukket eksempel i Bergen")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    locations = sitemap_locations(client)
    assert "http://testserver/praksiseksempler/fra-bostedslos-til-beboer/" in locations
    assert "http://testserver/" in locations
    assert {"http://testserver/stikkord/", "http://testserver/fylker/", "http://testserver/lover/"} <= set(locations)
    assert "http://testserver/tilgjengelighetserklaering/" in locations
    # the landing pages of tags, laws and counties
    assert "http://testserver/stikkord/depositumgaranti/" in locations
    assert "http://testserver/lover/sosialtjenesteloven/" in locations
    assert "http://testserver/fylker/akershus/" in locations
    assert not [loc for loc in locations if draft.slug in loc or private.slug in loc]
    assert len(locations) == len(set(locations))


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin_and_searches(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /sok/?q=" in lines
    assert "Disallow: /sok/?*&" in lines


def test_practice_page_has_canonical_and_open_graph_tags(client):
    practice = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
    soup = soup_of(client, practice.url)
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical == "http://testserver/praksiseksempler/fra-bostedslos-til-beboer/"
    og = {meta["property"]: meta["content"] for meta in soup.find_all("meta", property=True)}
    assert og["og:url"] == canonical
    assert og["og:title"] == practice.title
    assert og["og:type"] == "article"
    assert og["og:locale"] == "nb_NO"
    assert og["og:description"].startswith(practice.summary[:40])
    assert og["og:site_name"]


@pytest.mark.parametrize(
    ("url", "canonical", "indexable"),
    [
        ("/sok/", "http://testserver/sok/", True),
        ("/sok/?theme=tett-oppfolging", "http://testserver/sok/?theme=tett-oppfolging", True),
        ("/sok/?theme=tett-oppfolging&county=troms", "http://testserver/sok/", False),
        ("/sok/?q=bolig", "http://testserver/sok/", False),
        ("/stikkord/", "http://testserver/stikkord/", True),
        ("/fylker/akershus/", "http://testserver/fylker/akershus/", True),
        ("/lover/sosialtjenesteloven/", "http://testserver/lover/sosialtjenesteloven/", True),
        ("/praksiseksempler/?page=2", "http://testserver/praksiseksempler/", False),
    ],
)
def test_listing_pages_canonical_and_noindex(client, url, canonical, indexable):
    soup = soup_of(client, url)
    links = soup.find_all("link", rel="canonical")
    assert [link["href"] for link in links] == [canonical]
    robots = soup.find("meta", attrs={"name": "robots"})
    assert (robots is None) == indexable, url
