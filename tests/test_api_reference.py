"""/api/dokumentasjon/: the OpenAPI document as a page people read, in step with /api/schema/."""

import pytest
from bs4 import BeautifulSoup

from kunnskapsbase.openapi import schema

pytestmark = pytest.mark.django_db


def test_every_address_and_parameter_of_the_schema_is_on_the_page(client):
    response = client.get("/api/dokumentasjon/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "API-dokumentasjon"
    headings = {h.get_text(" ", strip=True) for h in soup.select("section h2")}
    for path in schema()["paths"]:
        assert f"GET {path}" in headings
    search = soup.find(id="get-api-search")
    table = search.find_parent("section").find("table")
    names = [row.find("th").get_text(strip=True) for row in table.select("tbody tr")]
    assert names[:2] == ["q", "tag"]
    assert "Søketekst" in table.get_text()
    # $ref parameters of Wagtail's API are resolved, not shown as references
    pages = soup.find(id="get-api-v2-pages").find_parent("section").get_text(" ")
    assert "limit" in pages and "$ref" not in pages


def test_the_open_data_row_fields_and_the_licence_are_described(client):
    soup = BeautifulSoup(client.get("/api/dokumentasjon/").content, "html.parser")
    export = soup.find(id="skjema-PracticeExportRow").find_next("table").get_text(" ")
    for field in schema()["components"]["schemas"]["PracticeExportRow"]["properties"]:
        assert field in export
    assert "NLOD" in soup.get_text()


def test_every_page_links_to_the_readable_documentation(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one('footer a[href="/api/dokumentasjon/"]').get_text(strip=True) == "API-dokumentasjon"


def test_search_engines_may_read_the_documentation_but_not_the_api(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert lines.index("Allow: /api/dokumentasjon/") < lines.index("Disallow: /api/")
