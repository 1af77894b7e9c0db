"""Hypothesis properties over every public address and parameter: whatever a visitor, a crawler
or an API client sends, the answer is below 500; an API's error is JSON with a message; an HTML
page never repeats the input unescaped.

Covered: Wagtail's read API (pages with each page type's own filters, images, documents; the
listings, details and ``find``), the search API and its autocomplete (on the database backend
and, in ``test_search_api_with_the_search_engine``, on the Elasticsearch backend), the search,
tag, county and law pages, document downloads, /healthz/, and any other address (the 404 page). The
inputs: text with NUL and other control characters, unicode, markup, very long text and huge
numbers. Examples per property are bounded so the suite runs in about a minute.
"""

import json
import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kunnskapsbase.api import api_router
from search.params import PARAMETERS as SEARCH_PARAMETERS

MARKER = "<x-fuzz>"  # put into inputs; must never come back unescaped in HTML
FUZZ = settings(
    max_examples=2 * int(os.environ.get("FUZZ_EXAMPLES", "20")),  # FUZZ_EXAMPLES=500 for a longer hunt
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\ufeff"])
ANY_CHAR = st.characters(exclude_categories=("Cs",))
HUGE_NUMBERS = st.integers(min_value=-(10**30), max_value=10**30).map(str) | st.sampled_from(
    ["99999999999999999999", "-1", "0", "1e309", "NaN", "0x10", "٣", "１２", "1.5", " 1", "+1", "2147483648"]
)
SHORT_TEXT = st.text(alphabet=ANY_CHAR | CONTROL, max_size=40)
VALUES = st.one_of(
    SHORT_TEXT,
    HUGE_NUMBERS,
    st.text(alphabet=ANY_CHAR, min_size=300, max_size=3_000),
    SHORT_TEXT.map(lambda text: MARKER + text),
    st.sampled_from(
        [
            "",
            "root",
            "true",
            "nb",
            "*",
            "_",
            "title",
            "-title",
            "random",
            "2024-01-31",
            "2024-13-45",
            "practices.PracticePage",
            "wagtailcore.Page",
            "title(x)",
            "(" * 200,
            '"',
            "%00",
            "\x00",
            "localhost:80",
            "bolig " * 300,
            "§ 27",
            "a,b,c",
            "id,title",
            "../..",
            "/",
            "//",
        ]
    ),
)


def api_parameter_names(name):
    endpoint = api_router._endpoints[name]
    names = set(endpoint.known_query_parameters) | set(endpoint.get_available_fields(endpoint.model, True))
    if name == "pages":  # each page type's own fields, filterable with type=
        from practices.models import ArticlePage, PracticePage, ReportPage

        for model in (PracticePage, ReportPage, ArticlePage):
            names |= set(endpoint.get_available_fields(model, db_fields_only=True))
    return sorted(names)


PAGE_TYPES = st.sampled_from(["", "practices.PracticePage", "practices.ReportPage", "practices.ArticlePage"])


def query_pairs(names, max_size=4):
    """Mostly the endpoint's own parameters (an unknown one is refused before anything else)."""
    return st.lists(st.tuples(st.sampled_from([*names, "foo", "\x00"]), VALUES), min_size=1, max_size=max_size)


def assert_answer(response, url):
    assert response.status_code < 500, (url, response.status_code, response.content[:300])
    content_type = response.get("Content-Type", "")
    if response.streaming:  # a file download
        return ""
    body = response.content.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        assert MARKER not in body, f"{url}: the input came back unescaped"
    return body


def assert_api_answer(response, url):
    body = assert_answer(response, url)
    if response.status_code in (301, 302):
        return
    assert response["Content-Type"].startswith("application/json"), (url, response["Content-Type"])
    data = json.loads(body)
    if response.status_code >= 400:
        message = data.get("message") or data.get("error", {}).get("message")
        assert isinstance(message, str) and message, (url, data)


def get(client, path, pairs, **headers):
    url = f"{path}?{urlencode(pairs)}" if pairs else path
    return url, client.get(url, **headers)


# --- Wagtail's read API -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pages", "images", "documents"])
def test_api_listings_answer_any_parameters(client, db, name):
    names = api_parameter_names(name)

    @FUZZ
    @given(pairs=query_pairs(names), page_type=PAGE_TYPES)
    def check(pairs, page_type):
        if page_type and name == "pages":
            pairs = [("type", page_type), *pairs]
        url, response = get(client, f"/api/v2/{name}/", pairs)
        assert_api_answer(response, url)

    check()


@pytest.mark.parametrize("name", ["pages", "images", "documents"])
def test_api_details_and_find_answer_any_input(client, db, name):
    names = ["fields", "rich_text_format", "id", "html_path", "format"]

    @FUZZ
    @given(item=HUGE_NUMBERS | SHORT_TEXT, pairs=st.lists(st.tuples(st.sampled_from(names), VALUES), max_size=3))
    def check(item, pairs):
        url, response = get(client, f"/api/v2/{name}/{quote(item, safe='')}/", pairs)
        assert_api_answer(response, url)
        url, response = get(client, f"/api/v2/{name}/find/", [("id", item), *pairs])
        assert_api_answer(response, url)

    check()


def test_the_browsable_api_escapes_what_it_shows(client, db):
    """Asked for HTML (a browser), Wagtail's API renders DRF's browsable page: escaped too."""

    @FUZZ
    @given(pairs=query_pairs(api_parameter_names("pages")))
    def check(pairs):
        url, response = get(client, "/api/v2/pages/", pairs, HTTP_ACCEPT="text/html")
        assert_answer(response, url)

    check()


# --- The search API ---------------------------------------------------------------------------

SEARCH_NAMES = sorted({*SEARCH_PARAMETERS, "foo"})


@FUZZ
@given(pairs=query_pairs(SEARCH_NAMES))
def test_search_api_answers_any_parameters(client, db, pairs):
    url, response = get(client, "/api/search/", pairs)
    assert_api_answer(response, url)


@FUZZ
@given(q=VALUES)
def test_autocomplete_answers_any_text(client, db, q):
    url, response = get(client, "/api/search/autocomplete/", [("q", q)])
    assert_api_answer(response, url)
    assert response.status_code == 200


@settings(FUZZ, max_examples=25)
@given(pairs=query_pairs(SEARCH_NAMES), q=VALUES)
def test_search_api_with_the_search_engine(client, es_seed, pairs, q):
    """The same property on the Elasticsearch backend (osmem-server, or ELASTICSEARCH_URL)."""
    url, response = get(client, "/api/search/", [("q", q), *pairs])
    assert_api_answer(response, url)
    url, response = get(client, "/api/v2/pages/", [("search", q)])
    assert_api_answer(response, url)


# --- Pages, documents, health, unknown addresses ------------------------------------------------

SEGMENT = (
    st.text(alphabet=ANY_CHAR | CONTROL, min_size=1, max_size=60)
    | HUGE_NUMBERS
    | SHORT_TEXT.map(lambda text: MARKER + text)
)


@FUZZ
@given(pairs=query_pairs(SEARCH_NAMES))
def test_the_search_page_answers_any_parameters(client, db, pairs):
    url, response = get(client, "/sok/", pairs)
    body = assert_answer(response, url)
    assert response.status_code == 200 and '<html lang="nb">' in body


@FUZZ
@given(
    prefix=st.sampled_from(
        [
            "",
            "stikkord/",
            "fylker/",
            "lover/",
            "lover/sosialtjenesteloven/",
            "praksiseksempler/",
            "documents/",
            "documents/1/",
            "api/",
            "api/v2/",
            "api/search/",
            "api/dokumentasjon/",
            "healthz/",
        ]
    ),
    segments=st.lists(SEGMENT, min_size=1, max_size=3),
    pairs=st.lists(st.tuples(SHORT_TEXT, VALUES), max_size=2),
)
def test_any_address_answers_below_500(client, db, prefix, segments, pairs):
    path = "/" + prefix + "/".join(quote(segment, safe="") for segment in segments) + "/"
    url, response = get(client, path, pairs)
    assert_answer(response, url)
    if path.startswith("/api/") and response.status_code >= 400:
        assert_api_answer(response, url)
    if response.status_code == 404 and not path.startswith("/api/"):
        assert "Fant ikke siden" in response.content.decode()


def test_document_addresses_answer_below_500(client, db):
    import wagtail_factories

    from tests.factories import ReportPageFactory

    document = wagtail_factories.DocumentFactory(title="Rapport")
    # A document is downloadable once a published page uses it (practices/media_privacy.py).
    report = ReportPageFactory(title="Rapport med vedlegg", live=False, pdf=document)
    report.save_revision().publish()
    assert client.get(f"/documents/{document.pk}/{document.filename}").status_code == 200

    @FUZZ
    @given(document_id=HUGE_NUMBERS, filename=SEGMENT)
    def check(document_id, filename):
        for path in (
            f"/documents/{quote(document_id, safe='')}/{quote(filename, safe='')}",
            f"/documents/{document.pk}/{quote(filename, safe='')}",
        ):
            assert_answer(client.get(path), path)

    check()


@FUZZ
@given(pairs=st.lists(st.tuples(SHORT_TEXT, VALUES), max_size=3))
def test_healthz_answers_any_parameters(client, db, pairs):
    url, response = get(client, "/healthz/", pairs)
    assert response.status_code == 200, response.content[:200]
    assert response.json()["database"] == {"ok": True}
