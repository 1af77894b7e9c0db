"""A caseworker finds each seed page by its topic, its law paragraphs, its place and its tags,
in Norwegian as people write it: inflected, compounded, without æ/ø/å, or with synonyms."""

import math
from pathlib import Path

import pytest
import yaml
from django.http import QueryDict

from search.analysis import fold, index_terms, query_terms, stem
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.params import parse_params
from search.service import SearchService
from tests.factories import PracticePageFactory, rich
from tests.seed_content import (
    ARTICLE,
    DERIVED_PRACTICES,
    GRUNERLOKKA,
    NES,
    NES_PAGES,
    OKSNES,
    OVRE_EIKER,
    SEED_DOCUMENTS,
    TROMSO,
    TROMSO_TEAM,
)


def search(query="", **filters):
    querydict = QueryDict(mutable=True)
    querydict["q"] = query
    for facet, values in filters.items():
        querydict.setlist(facet, values if isinstance(values, list) else [values])
    return SearchService().search(parse_params(querydict))


def titles(response):
    return [result.title for result in response.results]


@pytest.mark.parametrize(
    "query, first",
    [
        ("depositumgaranti", OKSNES),
        ("sosialtjenesteloven § 27", TROMSO),
        ("midlertidig botilbud", TROMSO),
        ("Boligskolen", TROMSO),
        ("Housing First", GRUNERLOKKA),
        ("BrukerPlan", GRUNERLOKKA),
        ("husleierestanser", NES_PAGES),  # either Nes page: both are about rent arrears
        ("Ressursteam", OVRE_EIKER),
    ],
)
def test_the_seed_page_about_the_topic_comes_first(db, query, first):
    accepted = first if isinstance(first, frozenset) else {first}
    assert titles(search(query))[:1][0] in accepted


@pytest.mark.parametrize("query, without", [("prosjektet x", "prosjektet"), ("Q kommune", "kommune")])
def test_a_stray_single_letter_does_not_empty_the_results(db, query, without):
    assert search(without).count > 0
    assert titles(search(query)) == titles(search(without))


def test_search_by_law_paragraph_finds_tromso_practice(db):
    response = search("sosialtjenesteloven § 27")
    assert titles(response) == [TROMSO]
    assert [ref["label"] for ref in response.interpreted.law_references] == ["sosialtjenesteloven § 27"]
    assert response.interpreted.text == ""


@pytest.mark.parametrize(
    "citation",
    ["sotjl. § 27", "§ 27 i lov om sosiale tjenester i NAV", "Lov om sosiale tjenester i NAV §§ 15, 17 og 27", "§ 27"],
)
def test_other_ways_of_citing_section_27_find_tromso(db, citation):
    assert TROMSO in titles(search(citation))


def test_boligsosialloven_section_6_also_finds_practices_citing_its_predecessors(db):
    response = search("boligsosialloven § 6")
    assert set(titles(response)) == {OKSNES, TROMSO}
    tromso = next(result for result in response.results if result.title == TROMSO)
    assert "helse- og omsorgstjenesteloven § 3-7" in tromso.via
    oksnes = next(result for result in response.results if result.title == OKSNES)
    assert oksnes.via == []


def test_hol_3_7_finds_tromso_only(db):
    assert titles(search("hol. § 3-7")) == [TROMSO]


@pytest.mark.parametrize(
    "written, indexed",
    [("bostedsløse", "bostedsløs"), ("boligene", "bolig"), ("boligen", "bolig"), ("leilighetene", "leilighet")],
)
def test_inflected_forms_share_a_stem(written, indexed):
    assert stem(written) == stem(indexed)


def test_inflected_query_finds_the_uninflected_text(db):
    assert TROMSO in titles(search("bostedsløse"))
    assert GRUNERLOKKA in titles(search("leilighet"))  # the page says «leiligheter»


def test_compound_words_are_found_from_their_first_part(db):
    # «Boligkontoret» and «boligsosial» are found by «bolig»; «Boligskolen» by «boligskole».
    assert TROMSO in titles(search("boligkontor"))
    assert NES in titles(search("boligsosial"))


def test_missing_diacritics_are_forgiven(db):
    assert titles(search("Ovre Eiker")) == [OVRE_EIKER, ARTICLE]
    assert fold("Øvre Eiker") == fold("Ovre Eiker") == "ovre eiker"
    assert TROMSO in titles(search("bostedslos"))


def test_case_does_not_matter(db):
    assert titles(search("DEPOSITUMGARANTI")) == titles(search("depositumgaranti"))


def test_synonyms_from_the_data_file_apply_both_ways(db):
    assert titles(search("bolig først")) == [GRUNERLOKKA]
    assert titles(search("hjem først")) == [GRUNERLOKKA]
    assert {TROMSO, OKSNES} <= set(titles(search("sotjl")))
    assert set(titles(search("sotjl"))) <= set(titles(search("sosialtjenesteloven")))
    assert OKSNES in titles(search("statsforvalteren"))
    assert TROMSO in titles(search("fylkesmannen"))


def test_synonym_phrases_are_single_query_terms():
    assert [term.synonym for term in query_terms("bolig først")] == ["=housing first"]
    counts, _vocabulary = index_terms("Housing First i Trondheim")
    assert counts["=housing first"] == 1


def test_title_outweighs_body_text(db):
    # «beboer» is in Tromsø's title and only in other pages' body text.
    assert titles(search("beboer"))[0] == TROMSO


def test_all_words_must_match(db):
    assert titles(search("depositumgaranti Boligskolen")) == []


def test_matches_are_highlighted_and_escaped(db):
    response = search("depositumgaranti")
    snippet = str(response.results[0].snippet)
    assert "<mark>depositumgaranti</mark>" in snippet
    assert "<script" not in snippet


def test_place_finds_the_practice_through_its_county_today(db):
    # Tromsø was registered under «Troms og Finnmark» (2020–2023), NAV Tromsø's practice under Tromsø
    # as it was numbered in Troms in 2019 (1902): both are found under today's «Troms».
    assert set(titles(search(county="troms"))) == {TROMSO, TROMSO_TEAM}
    assert titles(search(county="nordland")) == [OKSNES]
    assert TROMSO in titles(search("Tromsø"))


def test_tag_filter_finds_tagged_pages(db):
    assert titles(search(tag="depositumgaranti")) == [OKSNES]
    assert titles(search(tag="housing-first")) == [GRUNERLOKKA]


def test_facets_combine_or_within_and_across(db):
    assert set(titles(search(type=["praksis", "rapport"]))) == {TROMSO, OKSNES, GRUNERLOKKA, NES, *DERIVED_PRACTICES}
    assert set(titles(search(type="praksis", county="troms"))) == {TROMSO, TROMSO_TEAM}


def test_facet_counts_use_the_other_filters(db):
    response = search(county="troms")
    counties = {option.value: option.count for option in response.facets["county"]}
    assert counties["troms"] == 2 and counties["nordland"] == 1  # county's own filter is not applied
    types = {option.value: option.count for option in response.facets["type"]}
    assert types == {"praksis": 2}


def test_a_typo_shows_the_results_of_the_close_correction(db):
    response = search("depositumgarnati")
    assert response.corrected_query == "depositumgaranti"
    assert titles(response) == [OKSNES]
    assert response.params.q == "depositumgarnati"  # what was typed stays in the search box
    assert response.exact_query == '"depositumgarnati"'


@pytest.mark.parametrize(
    "query, corrected",
    [
        ("bolgi sotjl. § 27", "bolig sotjl. § 27"),  # the citation stays
        ("depositumgarnati i NAV", "depositumgaranti i NAV"),  # small words and capitals stay
        ("Depositumgarnati", "depositumgaranti"),  # the first word may be capitalised
    ],
)
def test_a_correction_changes_only_the_misspelt_words(db, query, corrected):
    response = search(query)
    assert response.corrected_query == corrected
    assert response.count == search(corrected).count > 0


class EverythingLooksLikeBolig:
    """A backend whose index knows no query word and offers «bolig» for every one: what is left
    unchanged is left alone by the rules, not for want of a candidate."""

    def known_words(self, folded_words):
        return set()

    def similar_words(self, folded_word, limit=3):
        return ["bolig"]


@pytest.mark.parametrize(
    "query",
    [
        '"bolgi"',  # quoted: searched exactly as typed
        "tilbud Bolgi",  # a capitalised word after the first is a name
        "bustad",  # nynorsk «bustad» is a word, not a typo of «bistand»
        "homeless",  # an English domain word
        "depositumsgaranti",  # a compound of known parts
        "bodde",  # an irregular form
    ],
)
def test_names_quoted_words_and_real_words_are_never_corrected(query):
    from search.spelling import correct

    assert correct(EverythingLooksLikeBolig(), query_terms(query), query, protected=set()) is None


def test_place_names_are_never_corrected(db):
    from search.service import place_names
    from search.spelling import correct

    names = place_names()
    assert {"tromso", "skedsmo", "ovre"} <= names
    assert correct(EverythingLooksLikeBolig(), query_terms("skedsmo"), "skedsmo", protected=names) is None
    assert correct(EverythingLooksLikeBolig(), query_terms("bolgi"), "bolgi", protected=names) == ("bolig", '"bolgi"')


def test_a_correction_is_a_close_one():
    from search.spelling import correct, edit_distance

    assert edit_distance("bolgi", "bolig") == 1  # a swap is one error
    assert edit_distance("bustad", "bistand") == 2
    # «tiltak» is not one or two typing errors away from «bolig».
    assert correct(EverythingLooksLikeBolig(), query_terms("tiltak"), "tiltak") is None


def test_a_correction_that_finds_nothing_is_not_shown(db):
    response = search("depositumgarnati Boligskolen")
    assert response.count == 0 and response.corrected_query == ""


def test_zero_results_with_filters_say_how_many_there_are_without(db):
    response = search("depositumgaranti", county="troms")
    assert response.count == 0
    assert response.without_filters_count == 1


def test_browsing_without_a_query_lists_newest_first(db):
    response = search()
    assert response.count == SEED_DOCUMENTS
    assert response.params.effective_sort(False) == "newest"


def test_les_ogsa_suggests_practices_sharing_laws_and_tags(tromso, oksnes, db):
    similar = SearchService().similar(tromso.pk)
    assert similar and all(document.page_type == "praksis" for document in similar)
    assert oksnes.pk in [document.pk for document in similar]
    assert tromso.pk not in [document.pk for document in similar]


# --- the relevance test set (tests/relevance/queries.yaml) on both backends -------------------

RELEVANCE_FILE = Path(__file__).resolve().parent / "relevance" / "queries.yaml"
# Floors set below what the set measures (docs/sok.md has the figures): a fall below them is a
# regression in how search understands queries, not noise.
FLOORS = {"all": {"ndcg": 0.85, "first": 0.85}, "held_out": {"ndcg": 0.75, "first": 0.75}}
CUTOFF = 10
# The two backends score differently (the database backend its own sum of weights, the engine
# BM25 over weighted fields); they must agree on the first hit of nearly every query.
FIRST_HIT_AGREEMENT_FLOOR = 0.9


def relevance_set():
    return yaml.safe_load(RELEVANCE_FILE.read_text(encoding="utf-8"))


def create_generated_pages(data):
    """The set's generated pages, published and indexed as an editor's would be."""
    for page in data["generated"].values():
        PracticePageFactory(
            title=page["title"],
            summary=page["summary"],
            description=rich(page["text"]),
            results=rich(""),
            steps=[],
            success_factors=[],
            challenges=[],
        )


def ndcg(found, grades, cutoff=CUTOFF):
    gains = [grades.get(title, 0) for title in found[:cutoff]]
    dcg = sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted(grades.values(), reverse=True)[:cutoff]
    idcg = sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def run_set(backend, data):
    """One row per query: the titles found (first page of ten), nDCG@10 and whether the first hit
    is one of the expected ones."""
    titles_by_key = {**data["pages"], **{key: page["title"] for key, page in data["generated"].items()}}
    service = SearchService(backend)
    rows = []
    for case in data["queries"]:
        grades = {titles_by_key[key]: grade for key, grade in case.get("relevant", {}).items()}
        for key in case["first"]:
            grades.setdefault(titles_by_key[key], 3)
        querydict = QueryDict(mutable=True)
        querydict.update({"q": case["q"], "page_size": str(CUTOFF)})
        response = service.search(parse_params(querydict))
        assert not response.notices, (case["q"], response.notices)  # the backend itself answered
        found = [result.title for result in response.results]
        first_ok = bool(found) and found[0] in {titles_by_key[key] for key in case["first"]}
        rows.append(
            {
                "q": case["q"],
                "kind": case["kind"],
                "held_out": bool(case.get("held_out")),
                "found": found,
                "ndcg": ndcg(found, grades),
                "first": first_ok,
            }
        )
    return rows


def summary(rows):
    def measure(selected):
        n = len(selected) or 1
        return {
            "n": len(selected),
            "ndcg": sum(r["ndcg"] for r in selected) / n,
            "first": sum(r["first"] for r in selected) / n,
        }

    figures = {"all": measure(rows), "held_out": measure([r for r in rows if r["held_out"]])}
    for kind in sorted({r["kind"] for r in rows}):
        figures[kind] = measure([r for r in rows if r["kind"] == kind])
    return figures


def report(name, rows):
    """Print the figures (pytest -s shows them) and return them."""
    figures = summary(rows)
    print(f"\nRelevans, {name}: {len(rows)} søk")
    for group, values in figures.items():
        print(f"  {group:<12} n={values['n']:>3}  nDCG@10={values['ndcg']:.3f}  førstetreff={values['first']:.3f}")
    for row in rows:
        if not row["first"]:
            held_out = ", holdt utenfor" if row["held_out"] else ""
            print(f"  bommet: {row['q']!r} ({row['kind']}{held_out}) -> {row['found'][:3]}")
    return figures


def assert_floors(figures):
    for group, floors in FLOORS.items():
        for measure, floor in floors.items():
            assert figures[group][measure] >= floor, (group, measure, figures[group][measure])


def test_the_relevance_set_is_large_and_names_known_pages():
    data = relevance_set()
    queries = data["queries"]
    assert len(queries) >= 60
    assert sum(1 for q in queries if q.get("held_out")) >= 15
    keys = set(data["pages"]) | set(data["generated"])
    for case in queries:
        assert case["first"] and set(case["first"]) <= keys, case
        assert set(case.get("relevant", {})) <= keys, case
    kinds = {case["kind"] for case in queries}
    assert {"inflection", "compound", "nynorsk", "english", "typo", "phrase", "citation", "place"} <= kinds


def test_relevance_set_on_the_database_backend(db):
    data = relevance_set()
    create_generated_pages(data)
    assert_floors(report("databasesøket", run_set(DatabaseBackend(), data)))


def test_relevance_set_on_both_backends_gives_the_same_first_hits(db, search_engine):
    from search.engines.elasticsearch import client as engine_client
    from search.engines.elasticsearch import indices, rebuild
    from tests.engine import engine_settings

    data = relevance_set()
    create_generated_pages(data)
    database_rows = run_set(DatabaseBackend(), data)
    engine_client.forget_connections()
    with engine_settings(search_engine, f"{search_engine.prefix}-relevance"):
        rebuild.rebuild()
        try:
            engine_rows = run_set(ElasticsearchBackend(), data)
        finally:
            client = engine_client.connection().for_bulk()
            for name in indices.our_indices(client):
                client.indices.delete(index=name, ignore_unavailable=True)
    engine_client.forget_connections()
    assert_floors(report("Elasticsearch", engine_rows))
    differing = [
        (d["q"], d["found"][:1], e["found"][:1])
        for d, e in zip(database_rows, engine_rows, strict=True)
        if d["found"][:1] != e["found"][:1]
    ]
    for q, database_first, engine_first in differing:
        print(f"  ulikt første treff: {q!r}: database {database_first}, Elasticsearch {engine_first}")
    agreement = 1 - len(differing) / len(database_rows)
    print(f"  samme første treff på begge: {agreement:.3f}")
    assert agreement >= FIRST_HIT_AGREEMENT_FLOOR
