"""Norwegian as people write it, through /sok/ and /api/search/: nynorsk and English queries,
inflected and compound words, typos corrected from published words only, quoted phrases,
every common way to cite a law, and invisible characters that never split a word."""

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import index_terms, query_terms, quoted_phrases, split_compound, stem, words
from search.backends.base import BackendQuery
from search.backends.database import DatabaseBackend
from search.params import parse_params
from search.service import SECTION_SIGN_NOTICE, SearchService

from .factories import PracticePageFactory, rich
from .seed_content import GRUNERLOKKA, NES, OKSNES, TROMSO


def search(query):
    querydict = QueryDict(mutable=True)
    querydict["q"] = query
    return SearchService().search(parse_params(querydict))


def titles(response):
    return [result.title for result in response.results]


def api(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200
    return response.json()


# --- analysis -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("leietaker", "leietakeren", "leietakere", "leietakerne"),
        ("beboer", "beboeren", "beboere", "beboerne"),
        ("senter", "senteret", "sentre", "sentrene"),
        ("bo", "bodde", "bodd"),
        ("bolig", "bustad", "bustaden", "bustader", "bustadane"),
        ("tjeneste", "tjenesten", "teneste", "tenesta", "tenestene"),
        ("bosetting", "busetjing", "busetjinga"),
        ("hjemløs", "hjemløse", "heimlaus", "heimlause"),
    ],
)
def test_the_forms_of_a_word_share_one_stem(forms):
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


def test_snowball_does_not_overreach():
    assert stem("utkastelse") == "utkast"  # «-ast» is not taken off a second time
    assert stem("utkastelse") == stem("utkastelser")


@pytest.mark.parametrize(
    "word, parts",
    [
        ("depositumsgaranti", ("depositum", "garanti")),
        ("depositumgarantien", ("depositum", "garanti")),
        ("boligoppfølging", (stem("bolig"), stem("oppfølging"))),
        ("sosialhjelpssakene", ("sosialhjelp", "sak")),
        ("bustadkontoret", None),  # a nynorsk word of its own (data/nynorsk.yaml)
    ],
)
def test_compounds_split_into_known_parts(word, parts):
    if parts is None:
        assert stem(word) == stem("boligkontoret")
    else:
        assert split_compound(word) == parts


def test_compound_parts_are_indexed_as_weaker_extra_terms():
    counts, _vocabulary = index_terms("Depositumsgaranti")
    assert {"~garanti", "~depositum", "~depositum+garanti"} <= set(counts)
    (term,) = query_terms("garanti")
    assert term.weights["garanti"] == 1.0 and term.weights["~garanti"] < 1.0
    # The same compound with or without the linking -s- is one word.
    (linked,) = query_terms("depositumsgaranti")
    assert "~depositum+garanti" in linked.terms


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200d"])
def test_invisible_characters_never_split_a_word(invisible):
    assert words(f"bo{invisible}lig") == ["bolig"]
    assert [t.stem for t in query_terms(f"depositum{invisible}garanti")] == [stem("depositumgaranti")]


def test_quoted_phrases_are_read_from_the_query():
    assert quoted_phrases('"tett oppfølging" i NAV') == ("tett oppfølging",)
    assert quoted_phrases("«tett oppfølging» og “fast kontaktperson”") == ("tett oppfølging", "fast kontaktperson")
    assert quoted_phrases('"bolig"') == ()  # one word is no phrase


# --- searching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("heimlause", TROMSO),
        ("bustadsosialt", NES),
        ("busetjing", NES),
        ("homeless", TROMSO),
        ("rent arrears", NES),
        ("temporary accommodation", TROMSO),
        ("deposit guarantee", OKSNES),
        ("floating support", OKSNES),
        ("housing first", GRUNERLOKKA),
        ("homelessness", TROMSO),
        ("garanti", OKSNES),
    ],
)
def test_nynorsk_english_and_compound_queries_find_bokmal_content(db, query, expected):
    assert expected in titles(search(query))


def test_bokmal_queries_find_nynorsk_content(db):
    page = PracticePageFactory(
        title="Bustadsosialt arbeid for heimlause i Volda",
        summary="Kommunen har busett heimlause i eigne bustader med tett oppfølging frå tenesta.",
        description=rich("Busetjinga skjedde med Husbanken. Leigetakarane fekk rettleiing om husleiga."),
    )
    for query in ("hjemløse", "boligsosialt", "bosetting", "tjenesten", "leietakere", "veiledning"):
        assert page.title in titles(search(query)), query


def test_a_plural_finds_the_singular_in_a_title(db):
    page = PracticePageFactory(title="Leietaker i kommunal bolig", summary="Om å bo.")
    for query in ("leietakere", "leietakerne", "leietakeren"):
        assert titles(search(query))[:1] == [page.title], query


def test_a_typo_shows_the_corrected_results_on_the_page_and_in_the_api(client, db):
    soup = BeautifulSoup(client.get("/sok/", {"q": "depositumgarnati"}).content, "html.parser")
    notice = " ".join(soup.select_one(".listing__correction").get_text().split())
    assert notice == "Viser treff for «depositumgaranti». Søk i stedet etter «depositumgarnati»"
    link = soup.select_one(".listing__correction a")["href"]
    assert OKSNES in [" ".join(a.get_text().split()) for a in soup.select("ul.search-results article h3 a")]
    # The link searches exactly what was typed: nothing found, nothing corrected.
    exact = BeautifulSoup(client.get(link).content, "html.parser")
    assert exact.select_one(".listing__correction") is None
    assert "Ingen treff" in exact.select_one("#treff").get_text()

    data = api(client, "depositumgarnati")
    assert data["corrected_query"] == "depositumgaranti"
    assert [r["title"] for r in data["results"]] == [OKSNES]
    assert api(client, "depositumgaranti")["corrected_query"] is None


def test_bustad_is_not_corrected_to_bistand(db):
    response = search("bustad")
    assert response.corrected_query == "" and response.count > 0
    assert TROMSO in titles(response)


def test_quoted_phrases_reach_the_backend(db, monkeypatch):
    seen = []
    original = DatabaseBackend.search

    def spy(self, query):
        seen.append(query)
        return original(self, query)

    monkeypatch.setattr(DatabaseBackend, "search", spy)
    response = SearchService(DatabaseBackend()).search(parse_params(QueryDict("q=%22tett+oppf%C3%B8lging%22")))
    assert response.count > 0
    if "phrases" in BackendQuery.__dataclass_fields__:
        assert seen[0].phrases == ("tett oppfølging",)
    assert {t.stem for t in seen[0].terms} == {stem("tett"), stem("oppfølging")}


# --- citations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "citation",
    [
        "LOV-2009-12-18-131 § 27",
        "§ 27 LOV-2009-12-18-131",
        "paragraf 27",
        "§27",
        "sosialtenestelova § 27",
        "sosial\u200btjenesteloven § 2\u00ad7",
    ],
)
def test_every_common_way_to_cite_finds_the_provision(db, citation):
    response = search(citation)
    assert TROMSO in titles(response)
    assert response.interpreted.law_references, citation


def test_a_lovdata_identifier_alone_names_the_law(db):
    response = search("LOV-2009-12-18-131")
    assert response.count == search("sosialtjenesteloven").count > 0


def test_a_direct_citation_ranks_above_one_through_a_predecessor(client, db):
    # Øksnes cites boligsosialloven § 6; Tromsø only helse- og omsorgstjenesteloven § 3-7, which it replaced.
    response = search("boligsosialloven § 6")
    assert titles(response) == [OKSNES, TROMSO]
    assert response.results[0].via == []
    assert (
        response.results[1].via == ["helse- og omsorgstjenesteloven § 3-7"]
        or "helse- og omsorgstjenesteloven § 3-7" in response.results[1].via
    )
    data = api(client, "boligsosialloven § 6")
    assert [r["title"] for r in data["results"]] == [OKSNES, TROMSO]
    assert "helse- og omsorgstjenesteloven § 3-7" in data["results"][1]["via"]


@pytest.mark.parametrize("query", ["§", "§§", " § ", "§ ."])
def test_a_lone_section_sign_gives_guidance_not_every_page(client, db, query):
    response = search(query)
    assert response.count == 0 and response.results == []
    assert response.notices == [SECTION_SIGN_NOTICE]
    data = api(client, query)
    assert data["count"] == 0 and data["notices"] == [SECTION_SIGN_NOTICE]
    soup = BeautifulSoup(client.get("/sok/", {"q": query}).content, "html.parser")
    assert SECTION_SIGN_NOTICE in " ".join(soup.get_text().split())


# --- free-form input ------------------------------------------------------------------------

INVISIBLE_CHARS = st.sampled_from(list("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), inserts=st.lists(st.tuples(st.integers(0, 80), INVISIBLE_CHARS), max_size=6))
def test_invisible_characters_anywhere_change_nothing(text, inserts):
    spoiled = text
    for position, char in sorted(inserts, reverse=True):
        spoiled = spoiled[:position] + char + spoiled[position:]
    assert words(spoiled) == words(
        text.translate(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")))
    )


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=120))
def test_analysis_of_any_text_never_raises(text):
    counts, vocabulary = index_terms(text)
    assert all(isinstance(term, str) and term and count > 0 for term, count in counts.items())
    for term in query_terms(text):
        assert term.terms and all(0 < factor <= 1 for factor in term.weights.values())
    assert all(isinstance(phrase, str) for phrase in quoted_phrases(text))
