"""No input makes search fail: whatever is typed into the search box or put in the address,
the JSON API answers 200 or a 400 naming the parameter, and the /sok/ page answers 200.

Explicit nasty cases first (search-engine syntax, SQL, NUL bytes, emoji, huge numbers,
repeated parameters), then property tests over arbitrary text for every parameter, and the
search service itself called directly.
"""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.params import PARAMETERS, ParameterError, SearchParams, parse_params
from search.service import SearchService

from .test_search_api import assert_contract_shape

API = "/api/search/"
AUTOCOMPLETE = "/api/search/autocomplete/"
PAGE = "/sok/"

NASTY_QUERIES = [
    '"',
    "'",
    '"bolig',
    "bolig'",
    "*",
    "bolig*",
    "*:*",
    "AND OR NOT NEAR",
    "bolig AND NOT",
    "OR",
    "NEAR/3",
    "^",
    "bolig^2",
    "~",
    "bolig~2",
    "-",
    "-bolig",
    "--",
    "+bolig -leie",
    "field:value",
    "title:bolig",
    "title:(x",
    "(((",
    ")))",
    "(bolig",
    "bolig)",
    "((bolig) OR (leie",
    "[1 TO 5]",
    "{}",
    "/regex.*/",
    "x" * 10_000,
    "bolig " * 2_000,
    "§ 27 " * 2_000,
    "\x00",
    "bo\x00lig",
    "\x00" * 100,
    "🏠🔑",
    "👨\u200d👩\u200d👧",
    "bolig 🏠 § 27",
    "§",
    "§§",
    "§§§",
    "§ ",
    "§§ 1",
    "§ 0",
    "§ 99999999",
    "§§ 1 til 9999",
    "§§ 1 - 1000",
    "§ 1-2-3-4",
    "§ 27 a b c",
    "sotjl. §",
    "jf. jf. § §",
    "sosialtjenesteloven § 27",
    "'; DROP TABLE search_searchdocument; --",
    "1' OR '1'='1",
    "%",
    "_",
    "%_%",
    "\\",
    "\\\\",
    "bolig\\",
    "C:\\Windows\\",
    "\t\n\r",
    "   ",
    "\u200b",
    "\ufeff",
    "\u202ebolig",
    "مرحبا بالعالم",
    "e\u0301\u0301\u0301",
    "ǅ ß ﬁ İ",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "${jndi:ldap://x}",
    "%s%s%s%n",
    "\U0010ffff",
]

# Query strings exactly as they arrive, percent-encoding and all.
RAW_QUERY_STRINGS = [
    "q=%00",
    "q=bo%00lig",
    "q=%",
    "q=%zz",
    "q=%ff%fe",
    "q=%C3",
    "q=&q=",
    "q",
    "=",
    "&&&",
    "q[]=bolig",
    "%00=1",
    "page=-5",
    "page=-1",
    "page=0",
    "page=99999999999999999999",
    "page=" + "9" * 5_000,
    "page=1e3",
    "page=0x10",
    "page=%00",
    "page=%201%20",
    "page=1&page=abc",
    "page_size=-1",
    "page_size=99999999999999999999",
    "page_size=1.5",
    "sort=%00",
    "sort=title&sort=x",
    "year=99999",
    "year=%00",
    "law=%3Cscript%3E",
    "law=" + "a" * 1_000,
    "size=%00",
    "type=%00praksis",
    "&".join(["q=bolig"] * 50),
    "&".join(["type=praksis"] * 50),
    "&".join(["tag=x"] * 50),
    "&".join(f"county=fylke-{n}" for n in range(50)),
    "&".join(f"law=lov-{n}:{n}" for n in range(50)),
    "&".join(f"page={n}" for n in range(50)),
    "&".join(f"foo{n}=1" for n in range(50)),
]

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
# Text built from what the query parser and the analysis react to, so that citations, ranges,
# synonyms and prefixes are reached far more often than by arbitrary characters.
QUERY_TOKENS = st.sampled_from(
    [
        "§", "§§", "27", "3-7", "4a", "0", "99999", "1–3", "sotjl.", "sotjl", "hol.", "hol",
        "sosialtjenesteloven", "helse- og omsorgstjenesteloven", "boligsosialloven", "lov", "loven",
        "om", "sosiale", "tjenester", "i", "NAV", "jf.", "jf", "og", "eller", "til", "ledd", "første",
        "nr.", "bokstav", "a", "paragraf", "bolig", "boligsosialt", "depositumgaranti", "Housing",
        "First", "bostedsløse", "oppfølging", "Tromsø", "oppfolging", "(", ")", ",", ".", "-", "–",
        '"', "*", "AND", "OR", "NOT", "title:", "%", "_", "\\", "\x00", "🏠", "é", "ß",
    ]
)
SEPARATORS = st.sampled_from([" ", "", "  ", "\t", ",", "\n"])
TOKEN_TEXT = st.lists(st.tuples(QUERY_TOKENS, SEPARATORS), max_size=25).map(
    lambda parts: "".join(token + separator for token, separator in parts)
)
TEXT = st.one_of(ANY_TEXT, TOKEN_TEXT)
# Parameter values: valid facet values as well as garbage, so that filtered searches are reached.
VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "praksis", "rapport", "artikkel", "liten", "stor", "troms", "nordland", "oslo", "2013", "2021",
            "boligsosialloven:6", "sosialtjenesteloven", "tett-oppfolging", "depositumgaranti", "title",
            "newest", "relevance", "1", "2", "100", "101", "-1", "",
        ]
    ),
)
HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PARAMETER_NAMES = st.sampled_from((*PARAMETERS, "foo", "Q", "page_size ", ""))
PARAMETER_PAIRS = st.lists(st.tuples(PARAMETER_NAMES, VALUES), max_size=6)


def assert_api_answer(response, sent_names=None):
    assert response.status_code in (200, 400), (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/json"
    data = response.json()
    if response.status_code == 200:
        assert_contract_shape(data)
    else:
        assert set(data) == {"error"}
        assert set(data["error"]) == {"parameter", "message"}
        assert isinstance(data["error"]["parameter"], str)
        assert isinstance(data["error"]["message"], str) and data["error"]["message"]
        if sent_names is not None:
            assert data["error"]["parameter"] in sent_names
    return data


def assert_page_answer(response):
    assert response.status_code == 200, (response.status_code, response.content[:300])


# --- explicit cases ----------------------------------------------------------------------------


@pytest.mark.parametrize("q", NASTY_QUERIES)
def test_api_answers_any_query(client, db, q):
    response = client.get(API, {"q": q})
    data = assert_api_answer(response)
    assert response.status_code == 200, data  # free text is never invalid
    assert "§" not in data["interpreted"]["text"]


@pytest.mark.parametrize("q", NASTY_QUERIES)
def test_api_answers_any_query_under_filters_and_sorts(client, db, q):
    for params in ({"type": "praksis", "sort": "title"}, {"county": "troms", "sort": "newest", "page": "3"}):
        assert_api_answer(client.get(API, {"q": q, **params}))


@pytest.mark.parametrize("raw", RAW_QUERY_STRINGS)
def test_api_answers_any_query_string(client, db, raw):
    assert_api_answer(client.get(f"{API}?{raw}"))


def test_api_answers_every_parameter_with_every_nasty_value(client, db):
    for name in PARAMETERS:
        for value in NASTY_QUERIES[::3]:
            response = client.get(API, {name: value})
            data = assert_api_answer(response, {name})
            if name == "q":
                assert response.status_code == 200
            elif response.status_code == 400:
                assert data["error"]["parameter"] == name


@pytest.mark.parametrize("q", NASTY_QUERIES[::2])
def test_autocomplete_answers_any_prefix(client, db, q):
    response = client.get(AUTOCOMPLETE, {"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


@pytest.mark.parametrize("raw", ["q=%00", "q=%", "q=%ff", "q=_", "q=%25", "&".join(["q=bo"] * 50), "q", ""])
def test_autocomplete_answers_any_query_string(client, db, raw):
    response = client.get(f"{AUTOCOMPLETE}?{raw}")
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


@pytest.mark.parametrize("q", NASTY_QUERIES)
def test_search_page_answers_any_query(client, db, q):
    assert_page_answer(client.get(PAGE, {"q": q}))


@pytest.mark.parametrize("raw", RAW_QUERY_STRINGS)
def test_search_page_answers_any_query_string(client, db, raw):
    assert_page_answer(client.get(f"{PAGE}?{raw}"))


def test_search_page_forgives_every_parameter_with_every_nasty_value(client, db):
    for name in PARAMETERS:
        for value in NASTY_QUERIES[::5]:
            assert_page_answer(client.get(PAGE, {name: value}))


# --- property tests ----------------------------------------------------------------------------


@HYPOTHESIS
@given(q=TEXT)
def test_api_answers_arbitrary_text(client, db, q):
    response = client.get(API, {"q": q})
    assert_api_answer(response)
    assert response.status_code == 200


@HYPOTHESIS
@given(pairs=PARAMETER_PAIRS)
def test_api_answers_arbitrary_parameters(client, db, pairs):
    response = client.get(f"{API}?{urlencode(pairs)}")
    assert_api_answer(response, {name for name, _ in pairs})


@HYPOTHESIS
@given(q=TEXT)
def test_search_page_answers_arbitrary_text(client, db, q):
    assert_page_answer(client.get(PAGE, {"q": q}))


@HYPOTHESIS
@given(pairs=PARAMETER_PAIRS)
def test_search_page_answers_arbitrary_parameters(client, db, pairs):
    assert_page_answer(client.get(f"{PAGE}?{urlencode(pairs)}"))


def querydict(pairs):
    result = QueryDict(mutable=True)
    for name, value in pairs:
        result.appendlist(name, value)
    return result


@HYPOTHESIS
@given(q=TEXT)
def test_service_never_raises_for_any_query(db, q):
    response = SearchService().search(parse_params(querydict([("q", q)])))
    assert response.count >= 0
    assert_contract_shape(response.as_dict())


@HYPOTHESIS
@given(pairs=PARAMETER_PAIRS)
def test_forgiving_parameters_never_raise_and_strict_ones_only_name_the_problem(db, pairs):
    params = parse_params(querydict(pairs))  # the page's way: never an error
    assert_contract_shape(SearchService().search(params).as_dict())
    try:
        parse_params(querydict(pairs), strict=True)
    except ParameterError as error:
        assert error.parameter in {name for name, _ in pairs}
        assert error.message


@HYPOTHESIS
@given(q=TEXT)
def test_autocomplete_never_raises(db, q):
    suggestions = SearchService().autocomplete(q)
    assert isinstance(suggestions, list)


def test_a_page_published_while_a_search_runs_is_left_out_not_an_error(db, monkeypatch):
    from search import snapshot
    from search.indexing import index_page
    from tests.factories import PracticePageFactory

    taken_before = snapshot.current()
    page = PracticePageFactory(title="Kveldsåpent i Qwertyvik")
    index_page(page)
    monkeypatch.setattr(snapshot, "current", lambda: taken_before)  # the search began before the publish
    response = SearchService().search(SearchParams(q="Qwertyvik kveldsåpent"))
    assert response.count == 0 and response.results == []

    monkeypatch.undo()
    assert [r.title for r in SearchService().search(SearchParams(q="Qwertyvik kveldsåpent")).results] == [page.title]


@pytest.mark.parametrize(
    "path",
    [
        "/stikkord/a%00b/",
        "/lover/a%00b/",
        "/lover/sosialtjenesteloven/2%007/",
        "/praksiseksempler/a%00b/",
        "/a%00b/",
        "/stikkord/%1f/",
    ],
)
def test_control_characters_in_an_address_give_not_found(client, db, path):
    """PostgreSQL refuses NUL in a query: such an address must be a 404, not a 500."""
    assert client.get(path).status_code == 404
