"""Behaviour of the Norwegian legal-citation parser (search/citations.py).

Pure Python: these tests need neither Django settings nor the database.
"""

from __future__ import annotations

import re
import string
import unicodedata

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search.citations import (
    DEFAULT_LAWS_FILE,
    LawAliases,
    LawReference,
    ParsedQuery,
    default_registry,
    load_law_aliases,
    parse_query,
)

SOTJL = "sosialtjenesteloven"
HOL = "helse-og-omsorgstjenesteloven"
BOLIG = "boligsosialloven"
HUSLL = "husleieloven"

PARAGRAPH_RE = re.compile(r"^[0-9]+(-[0-9]+)?[a-z]?$")


def refs(text: str, registry: LawAliases | None = None) -> list[tuple[str | None, str | None]]:
    return [(reference.law, reference.paragraph) for reference in parse_query(text, registry).references]


# --------------------------------------------------------------------------- citation forms


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("§ 27", [(None, "27")]),
        ("§27", [(None, "27")]),
        ("§  27", [(None, "27")]),
        ("§ 027", [(None, "27")]),
        ("paragraf 27", [(None, "27")]),
        ("Paragraf 27", [(None, "27")]),
        ("paragrafen 27", [(None, "27")]),
        ("§ 3-7", [(None, "3-7")]),
        ("§ 3–7", [(None, "3-7")]),
        ("§ 3—7", [(None, "3-7")]),
        ("§ 4 a", [(None, "4a")]),
        ("§ 4a", [(None, "4a")]),
        ("§ 4 A", [(None, "4a")]),
        ("§ 3-7 a", [(None, "3-7a")]),
    ],
)
def test_bare_paragraph_means_that_paragraph_in_any_law(query, expected):
    assert refs(query) == expected
    assert parse_query(query).text == ""


@pytest.mark.parametrize(
    "query",
    [
        "sotjl. § 27",
        "sotjl § 27",
        "SOTJL. § 27",
        "sotjl.§27",
        "stjl. § 27",
        "sosialtjenesteloven § 27",
        "Sosialtjenesteloven § 27",
        "sosialtjenestelova § 27",
        "sosialtjenestelovens § 27",
        "sosialtjeneste loven § 27",
        "sosialtjenesteloven paragraf 27",
        "lov om sosiale tjenester i NAV § 27",
        "Lov om sosiale tjenester i NAV § 27",
        "lov om sosiale tjenester i arbeids- og velferdsforvaltningen § 27",
        "lov om sosiale tjenester § 27",
        "§ 27 i sosialtjenesteloven",
        "§ 27 i lov om sosiale tjenester i NAV",
        "§ 27 etter sosialtjenesteloven",
        "§ 27 sotjl.",
        "§ 27 i sotjl.",
        "paragraf 27 i sosialtjenesteloven",
        "jf. sotjl. § 27",
    ],
)
def test_sotjl_paragraph_27_is_understood_in_every_form(query):
    parsed = parse_query(query)
    assert refs(query) == [(SOTJL, "27")]
    assert parsed.text == ""


def test_sotjl_abbreviation_with_paragraph_is_understood():
    assert parse_query("sotjl. § 27") == ParsedQuery(
        text="", references=[LawReference(SOTJL, "27", "sotjl. § 27")]
    )


@pytest.mark.parametrize("query", ["sotjl. 27", "sotjl 27", "stjl. 27"])
def test_abbreviation_followed_directly_by_a_number_is_a_paragraph(query):
    assert refs(query) == [(SOTJL, "27")]


@pytest.mark.parametrize("query", ["hol 3-7", "hol. 3-7", "hol. 3–7"])
def test_abbreviation_followed_directly_by_a_chapter_paragraph_is_understood(query):
    assert refs(query) == [(HOL, "3-7")]


@pytest.mark.parametrize(
    "query",
    [
        "hol. § 3-7",
        "hol § 3-7",
        "hotjl. § 3-7",
        "helse- og omsorgstjenesteloven § 3-7",
        "helse og omsorgstjenesteloven § 3-7",
        "helse-og omsorgstjenesteloven § 3-7",
        "Helse- og omsorgstjenesteloven § 3–7",
        "helse og omsorgstjeneste loven § 3-7",
        "helseomsorgstjenesteloven § 3-7",
        "lov om kommunale helse- og omsorgstjenester § 3-7",
        "paragraf 3-7 i helse- og omsorgstjenesteloven",
        "§ 3-7 i hol.",
        "§ 3-7 i hol",
    ],
)
def test_chapter_numbered_paragraph_of_helse_og_omsorgstjenesteloven_is_one_paragraph(query):
    assert refs(query) == [(HOL, "3-7")]
    assert parse_query(query).text == ""


@pytest.mark.parametrize(
    "query",
    [
        "boligsosial lov § 6",
        "boligsosialloven § 6",
        "boligsosiallova § 6",
        "Boligsosial loven § 6",
        "boligsosial-loven § 6",
        "den boligsosiale loven § 6",
        "lov om kommunenes ansvar på det boligsosiale feltet § 6",
        "§ 6 i boligsosialloven",
    ],
)
def test_boligsosialloven_paragraph_6_is_understood_with_spacing_and_inflection_variants(query):
    assert refs(query) == [(BOLIG, "6")]


def test_husleieloven_abbreviation_is_read_from_the_data_file():
    assert refs("husll. § 3-5") == [(HUSLL, "3-5")]


@pytest.mark.parametrize(
    ("query", "law"),
    [
        ("§§ 15, 17 og 27", None),
        ("§§ 15, 17, 27", None),
        ("§§ 15, 17, og 27", None),
        ("§§ 15,17,27", None),
        ("paragrafene 15, 17 og 27", None),
        ("sosialtjenesteloven §§ 15, 17 og 27", SOTJL),
        ("Lov om sosiale tjenester i NAV §§ 15, 17, 27", SOTJL),
        ("sotjl. §§ 15, 17 og 27", SOTJL),
        ("§§ 15, 17 og 27 i sosialtjenesteloven", SOTJL),
        ("sotjl. § 15, § 17 og § 27", SOTJL),
        ("§ 15, § 17 og § 27 i sotjl.", SOTJL),
    ],
)
def test_paragraph_lists_give_one_reference_per_paragraph(query, law):
    assert refs(query) == [(law, "15"), (law, "17"), (law, "27")]
    assert parse_query(query).text == ""


def test_all_references_of_a_list_share_the_source_text():
    parsed = parse_query("midlertidig sosialtjenesteloven §§ 15, 17 og 27")
    assert {reference.source for reference in parsed.references} == {"sosialtjenesteloven §§ 15, 17 og 27"}
    assert parsed.text == "midlertidig"


@pytest.mark.parametrize("query", ["§§ 15 til 17", "§§ 15 – 17", "§§ 15 - 17", "paragrafene 15 til 17"])
def test_range_of_plain_integers_is_expanded(query):
    assert refs(query) == [(None, "15"), (None, "16"), (None, "17")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("§§ 15-17", [(None, "15-17")]),  # no spaces: a chapter-numbered paragraph, like hol. § 3-7
        ("§§ 3-7 til 3-9", [(None, "3-7"), (None, "3-9")]),  # only plain integers are expanded
        ("§§ 17 til 15", [(None, "17"), (None, "15")]),  # reversed: just the end points
        ("§§ 1 til 500", [(None, "1"), (None, "500")]),  # huge: just the end points
        ("§§ 3-7 og 3-8 i hol.", [(HOL, "3-7"), (HOL, "3-8")]),
    ],
)
def test_hyphenated_numbers_are_paragraphs_not_ranges(query, expected):
    assert refs(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "§ 27 første ledd",
        "§ 27 annet ledd",
        "§ 27 andre ledd",
        "§ 27 1. ledd",
        "§ 27 første ledd annet punktum",
        "§ 27 nr. 2",
        "§ 27 første ledd bokstav b",
    ],
)
def test_ledd_and_smaller_subdivisions_are_ignored(query):
    parsed = parse_query(query)
    assert refs(query) == [(None, "27")]
    assert parsed.text == ""
    assert parsed.references[0].source == query


def test_ledd_is_ignored_before_the_law_name():
    assert refs("§ 27 første ledd i sosialtjenesteloven") == [(SOTJL, "27")]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("sosialtjenesteloven", SOTJL),
        ("Sosialtjenestelova", SOTJL),
        ("lov om sosiale tjenester i NAV", SOTJL),
        ("helse- og omsorgstjenesteloven", HOL),
        ("helse og omsorgstjenesteloven", HOL),
        ("boligsosialloven", BOLIG),
        ("boligsosial lov", BOLIG),
        ("husleieloven", HUSLL),
    ],
)
def test_law_named_without_paragraph_refers_to_the_whole_law(query, slug):
    assert refs(query) == [(slug, None)]
    assert parse_query(query).text == ""


@pytest.mark.parametrize("query", ["Hol kommune", "sotjl", "hol.", "hol 2011", "sotjl. 2011"])
def test_abbreviation_without_paragraph_is_left_as_text(query):
    # "Hol" is also a municipality, so abbreviations only count next to a paragraph.
    parsed = parse_query(query)
    assert parsed.references == []
    assert parsed.text == query


def test_mixed_query_keeps_the_free_text():
    parsed = parse_query("midlertidig botilbud sosialtjenesteloven § 27")
    assert parsed.text == "midlertidig botilbud"
    assert parsed.references == [LawReference(SOTJL, "27", "sosialtjenesteloven § 27")]


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("sosialtjenesteloven § 27 midlertidig botilbud", "midlertidig botilbud", [(SOTJL, "27")]),
        ("botilbud (sotjl. § 27) i Oslo", "botilbud i Oslo", [(SOTJL, "27")]),
        ("  bolig   §  27  \n  Bergen ", "bolig Bergen", [(None, "27")]),
        ("sotjl. § 27 og hol. § 3-7 i Bergen", "i Bergen", [(SOTJL, "27"), (HOL, "3-7")]),
        ("boligsosialloven og sosialtjenesteloven § 15", "", [(BOLIG, None), (SOTJL, "15")]),
        ("sotjl § 27 og hol § 3-7", "", [(SOTJL, "27"), (HOL, "3-7")]),
        ("botilbud (sotjl. § 27)", "botilbud", [(SOTJL, "27")]),
        ("jf. sotjl. § 27", "", [(SOTJL, "27")]),
        ("bolig og arbeid jf. § 27", "bolig og arbeid", [(None, "27")]),
        ("bostøtte i 2015 for 213 husstander etter § 6", "bostøtte i 2015 for 213 husstander etter", [(None, "6")]),
    ],
)
def test_citations_are_removed_from_the_surrounding_text(query, text, expected):
    parsed = parse_query(query)
    assert parsed.text == text
    assert refs(query) == expected


def test_source_keeps_the_users_spelling_with_normalised_whitespace():
    parsed = parse_query("Se  Sotjl.   §27  nå")
    assert parsed.references == [LawReference(SOTJL, "27", "Sotjl. §27")]
    assert parsed.text == "Se nå"


def test_references_are_deduplicated_in_order():
    query = "§ 27 sotjl. § 27 § 15 sosialtjenesteloven § 27 § 15"
    assert refs(query) == [(None, "27"), (SOTJL, "27"), (None, "15")]


def test_law_before_a_paragraph_belongs_to_that_paragraph_not_the_previous_one():
    assert refs("§ 15 sotjl. § 27") == [(None, "15"), (SOTJL, "27")]


@pytest.mark.parametrize(
    "query",
    [
        "2015",
        "213 husstander",
        "bolig 27",
        "i 2015 ble 213 husstander bosatt",
        "3-7",
        "lov",
        "loven",
        "paragraf",
        "ledd",
    ],
)
def test_numbers_and_words_that_only_look_legal_are_not_references(query):
    parsed = parse_query(query)
    assert parsed.references == []
    assert parsed.text == query


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("§", ""),
        ("§§", ""),
        ("§ abc", "abc"),
        ("§§ abc", "abc"),
        ("bolig §", "bolig"),
        ("a§b", "a b"),
        ("§ 0", "0"),
    ],
)
def test_lone_section_signs_are_dropped_without_references(query, text):
    parsed = parse_query(query)
    assert parsed.references == []
    assert parsed.text == text


# --------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        ("sotjl. § 27", ["sosialtjenesteloven § 27"]),
        ("§ 27", ["§ 27 (alle lover)"]),
        ("boligsosial lov", ["boligsosialloven"]),
        ("hol. § 3-7", ["helse- og omsorgstjenesteloven § 3-7"]),
        ("§ 4a", ["§ 4 a (alle lover)"]),
        ("§§ 15 og 17 i sotjl", ["sosialtjenesteloven § 15", "sosialtjenesteloven § 17"]),
    ],
)
def test_label_reads_as_norwegian_citation(query, labels):
    assert [reference.label for reference in parse_query(query).references] == labels


def test_label_without_registry_name_falls_back_to_the_slug():
    assert LawReference("husleieloven", "3-5", "husll. § 3-5").label == "husleieloven § 3-5"


# --------------------------------------------------------------------------- registry


def test_registry_is_built_from_slug_and_names_not_hard_coded():
    registry = LawAliases([("plan-og-bygningsloven", ["plan- og bygningsloven", "pbl."])])
    assert refs("pbl. § 12-7", registry) == [("plan-og-bygningsloven", "12-7")]
    assert refs("plan og bygningsloven § 12-7", registry) == [("plan-og-bygningsloven", "12-7")]
    assert refs("plan- og bygningslova", registry) == [("plan-og-bygningsloven", None)]
    assert refs("sotjl. § 27", registry) == [(None, "27")]
    assert parse_query("sotjl. § 27", registry).text == "sotjl."
    assert parse_query("pbl. § 12-7", registry).references[0].label == "plan- og bygningsloven § 12-7"


def test_registry_lookup_accepts_aliases_and_inflections():
    registry = default_registry()
    assert registry.lookup("Sotjl.") == SOTJL
    assert registry.lookup("boligsosial lov") == BOLIG
    assert registry.lookup("helse og omsorgstjenestelova") == HOL
    assert registry.lookup("plan- og bygningsloven") == "plan-og-bygningsloven"  # in the register since 2026
    assert registry.lookup("byggesaksloven") is None  # not a law name


def test_first_law_keeps_a_shared_name():
    registry = LawAliases([("a-loven", ["aloven", "xl"]), ("b-loven", ["bloven", "xl"])])
    assert refs("xl § 1", registry) == [("a-loven", "1")]


def test_default_registry_has_every_law_in_the_data_file():
    data = yaml.safe_load(DEFAULT_LAWS_FILE.read_text(encoding="utf-8"))
    registry = load_law_aliases(DEFAULT_LAWS_FILE)
    assert set(registry.slugs) == {law["slug"] for law in data}
    for law in data:
        assert registry.display_name(law["slug"]) == law["short_name"]


def test_empty_registry_still_finds_bare_paragraphs():
    assert refs("sosialtjenesteloven § 27", LawAliases([])) == [(None, "27")]


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "\x00",
        "§\x00 27",
        "bolig\x00 § 27",
        "🏠 § 27 🏠",
        "((((",
        "sotjl. § 27)))",
        "§ 27 i",
        "§ 27 i (",
        "sotjl.",
        "sotjl. §",
        "§§ 15,",
        "§§ 15 og",
        "§§ 15 til",
        "§ 3-",
        "§ -7",
        "§ 99999999999999999999",
        "paragraf",
        "jf.",
        "jf. §",
        "\ud800 § 27",
        "٣ § ٣",
        "İ § 27 i İ",
        "lov om sosiale tjenester i",
        "helse-",
        "- - - -",
        "x" * 10_000,
    ],
)
def test_odd_input_never_raises(query):
    parsed = parse_query(query)
    assert "§" not in parsed.text
    assert all(PARAGRAPH_RE.match(reference.paragraph) for reference in parsed.references if reference.paragraph)


def test_control_characters_become_spaces_in_the_remaining_text():
    assert parse_query("bolig\x00\x1ftilbud\t\r\nnå").text == "bolig tilbud nå"


ADVERSARIAL_INPUTS = [  # also timed by scripts/benchmark_citations.py
    "§" * 10_000,
    "§ " * 5_000,
    "§§ 1, " * 1_700,
    "§§ 1 til " * 1_000,
    "§§ " + "1-" * 5_000,
    "1-" * 5_000,
    "9" * 10_000,
    "sotjl. " * 1_400,
    "sotjl. § " * 1_100,
    "lov om sosiale tjenester i " * 370,
    "helse- og " * 1_000,
    "helse-" * 1_650,
    "sosialtjenestelove" * 550,
    "lov om " * 700 + "§ 1 " + "sosiale tjenester " * 700,
    "a §1 " * 2_000,
    "§ 27 første ledd " * 580,
    "(" * 5_000 + ")" * 5_000,
    "(§ 1)" * 2_000,
    "jf. " * 2_500,
    "paragraf " * 1_100,
    "§ 4 a " * 1_600,
]


@pytest.mark.parametrize("query", ADVERSARIAL_INPUTS, ids=lambda q: repr(q[:20]))
def test_adversarial_input_of_10000_characters_is_parsed_completely(query):
    # Only correctness here: the time budget (catastrophic backtracking) is measured by
    # scripts/benchmark_citations.py, not asserted on a shared, busy test machine.
    parsed = parse_query(query)
    assert "§" not in parsed.text
    assert parse_query(parsed.text).references == []


def test_interleaved_citations_are_found_after_removal():
    # Removing "§ 1" brings "sosialtjeneste" and "loven" together; the result must be stable.
    parsed = parse_query("sosialtjeneste § 1 loven")
    assert refs("sosialtjeneste § 1 loven") == [(None, "1"), (SOTJL, None)]
    assert parsed.text == ""


# --------------------------------------------------------------------------- properties

FRAGMENTS = [
    "§", "§§", " ", "  ", "27", "3", "7", "15", "2015", "0", "-", "–", ".", ",", "(", ")", "a", "b", "i", "og",
    "til", "første", "ledd", "nr", "jf", "paragraf", "paragrafene", "sotjl", "hol", "stjl", "sosialtjenesteloven",
    "sosialtjeneste", "loven", "lov", "lova", "om", "sosiale", "tjenester", "nav", "NAV", "helse",
    "omsorgstjenesteloven",
    "boligsosial", "boligsosialloven", "husll", "bolig", "\x00", "\n", "🙂", "İ", "ß",
]

query_like_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join) | st.lists(
    st.sampled_from(FRAGMENTS), max_size=25
).map(" ".join)
any_text = st.text(max_size=300) | query_like_text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
@example("sosialtjeneste § 1 loven")
@example("lov om § 1 sosiale tjenester")
@example("sotjl ( § 1 ) 27")
@example("paragraf § 3 27")
@example("sotjl. § 1 § 2 27")
def test_property_parsing_never_raises_and_results_are_well_formed(text):
    parsed = parse_query(text)
    assert isinstance(parsed.text, str)
    assert "§" not in parsed.text
    assert parsed.text == " ".join(parsed.text.split())
    assert not any(unicodedata.category(ch) == "Cc" for ch in parsed.text)
    for reference in parsed.references:
        assert reference.law is not None or reference.paragraph is not None
        if reference.paragraph is not None:
            assert PARAGRAPH_RE.match(reference.paragraph), reference
        assert reference.source
    keys = [(reference.law, reference.paragraph) for reference in parsed.references]
    assert len(keys) == len(set(keys))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
@example("sosialtjeneste § 1 loven")
@example("lov om § 1 sosiale tjenester i (§ 2) nav § 3")
@example("hol ( § 1 ) 3-7")
def test_property_parsing_the_remaining_text_again_finds_nothing(text):
    parsed = parse_query(text)
    again = parse_query(parsed.text)
    assert again.references == []
    assert again.text == parsed.text


def _law_names() -> list[tuple[str, str]]:
    data = yaml.safe_load(DEFAULT_LAWS_FILE.read_text(encoding="utf-8"))
    pairs = []
    for law in data:
        for name in [law["short_name"], law.get("abbreviation"), *(law.get("aliases") or [])]:
            if name:
                pairs.append((law["slug"], name))
    return pairs


LAW_NAMES = _law_names()
SUFFIX_LETTERS = [letter for letter in string.ascii_lowercase if letter != "i"]


@st.composite
def paragraphs(draw) -> tuple[str, str, bool]:
    """(paragraph as written, normalised paragraph, short enough for "sotjl. 27")."""
    if draw(st.booleans()):
        number = draw(st.integers(1, 9999))
        written, normal = str(number), str(number)
    else:
        chapter, number = draw(st.integers(1, 99)), draw(st.integers(1, 99))
        dash = draw(st.sampled_from(["-", "–"]))
        written, normal = f"{chapter}{dash}{number}", f"{chapter}-{number}"
    short = len(normal.split("-")[0]) <= 3
    if draw(st.booleans()):
        letter = draw(st.sampled_from(SUFFIX_LETTERS))
        written += draw(st.sampled_from(["", " "])) + draw(st.sampled_from([letter, letter.upper()]))
        normal += letter
    return written, normal, short


def _is_abbreviation(name: str) -> bool:
    return "lov" not in name.lower()


STYLES = [
    "{law} § {p}",
    "{law} §{p}",
    "{law} paragraf {p}",
    "§ {p} i {law}",
    "§{p} {law}",
    "paragraf {p} i {law}",
    "jf. {law} § {p}",
    "§ {p} første ledd i {law}",
]
# Abbreviations may also be followed directly by the number: "sotjl. 27".
ABBREVIATION_STYLES = ["{law}. {p}", "{law} {p}", "{law}. § {p}"]
CASES = [str, str.lower, str.upper, str.title]
CONTEXT_WORDS = st.lists(
    st.sampled_from(["midlertidig", "botilbud", "Bergen", "tiltak", "vanskeligstilte"]), max_size=3
)


@st.composite
def citations(draw) -> tuple[str, str, str]:
    """(law slug, normalised paragraph, citation text) in one of several styles."""
    slug, name = draw(st.sampled_from(LAW_NAMES))
    written, normal, short = draw(paragraphs())
    abbreviation_styles = ABBREVIATION_STYLES if _is_abbreviation(name) and short else []
    style = draw(st.sampled_from(STYLES + abbreviation_styles))
    if style in ABBREVIATION_STYLES:
        name = name.rstrip(".")
    case = draw(st.sampled_from(CASES))
    return slug, normal, style.format(law=case(name), p=written)


@settings(max_examples=500)
@given(citations(), CONTEXT_WORDS, CONTEXT_WORDS)
def test_property_generated_citations_round_trip(citation, before, after):
    slug, paragraph, text = citation
    query = " ".join([*before, text, *after])

    parsed = parse_query(query)

    assert [(reference.law, reference.paragraph) for reference in parsed.references] == [(slug, paragraph)], query
    assert parsed.text == " ".join([*before, *after])


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(LAW_NAMES), paragraphs()), min_size=1, max_size=4))
def test_property_several_citations_in_one_query_are_all_found(items):
    query = " bolig ".join(f"{name} § {written}" for (_, name), (written, _, _) in items)
    expected = list(dict.fromkeys((slug, normal) for (slug, _), (_, normal, _) in items))

    parsed = parse_query(query)

    assert [(reference.law, reference.paragraph) for reference in parsed.references] == expected
    assert set(parsed.text.split()) <= {"bolig"}
