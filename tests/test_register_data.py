"""Checks of the register data files themselves (municipalities, counties, laws).

The YAML files in practices/taxonomy_data/ are read directly, without the database or the
models, so a wrong number, a broken successor chain or a duplicate paragraph is caught
before `manage.py bootstrap` loads it.
"""

import datetime
import re
from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "practices" / "taxonomy_data"
# The same pattern as practices/models/taxonomy.py PARAGRAPH_RE.
PARAGRAPH_RE = re.compile(r"^\d+(-\d+)?[a-z]?$")
# Lovdata ids: LOV-date-number; forvaltningsloven of 1967 has no number.
LOVDATA_ID_RE = re.compile(r"^LOV-\d{4}-\d{2}-\d{2}(-\d+)?$")
CURRENT_COUNTIES = {"03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"}


def load(name):
    return yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


MUNICIPALITIES = load("municipalities")
COUNTIES = load("counties")
LAWS = load("laws")
BY_NUMBER = {row["number"]: row for row in MUNICIPALITIES}
COUNTY_BY_NUMBER = {row["number"]: row for row in COUNTIES}


def current(rows):
    return [row for row in rows if not row.get("valid_to")]


# --------------------------------------------------------------------------- municipalities


def test_357_municipalities_are_in_force():
    assert len(current(MUNICIPALITIES)) == 357


def test_municipality_numbers_are_unique_four_digit_strings():
    numbers = [row["number"] for row in MUNICIPALITIES]
    assert len(numbers) == len(set(numbers))
    assert all(isinstance(number, str) and re.fullmatch(r"\d{4}", number) for number in numbers)


def test_municipality_names_are_text():
    for row in MUNICIPALITIES:
        assert isinstance(row["name"], str) and row["name"].strip(), row
        for alias in row.get("aliases", []):
            assert isinstance(alias, str) and alias.strip(), row


def test_current_municipality_names_are_unique():
    names = [row["name"] for row in current(MUNICIPALITIES)]
    assert len(names) == len(set(names))


def test_every_county_number_exists_in_counties_yaml():
    for row in MUNICIPALITIES:
        assert row["county"] in COUNTY_BY_NUMBER, row


def test_current_municipalities_lie_in_current_counties_matching_their_number():
    for row in current(MUNICIPALITIES):
        assert row["county"] in CURRENT_COUNTIES, row
        assert row["number"][:2] == row["county"], row
    assert {row["county"] for row in current(MUNICIPALITIES)} == CURRENT_COUNTIES


def test_county_of_a_former_municipality_existed_when_the_municipality_did():
    for row in MUNICIPALITIES:
        county = COUNTY_BY_NUMBER[row["county"]]
        if county.get("valid_to"):
            assert row.get("valid_to") and row["valid_to"] <= county["valid_to"], row
        if county.get("valid_from") and row.get("valid_from"):
            assert row["valid_from"] >= county["valid_from"], row


def test_dates_are_dates_and_in_order():
    for row in MUNICIPALITIES:
        for key in ("valid_from", "valid_to"):
            if key in row:
                assert isinstance(row[key], datetime.date), row
        if row.get("valid_from") and row.get("valid_to"):
            assert row["valid_from"] <= row["valid_to"], row


def test_former_municipalities_have_successors_valid_after_they_end():
    for row in MUNICIPALITIES:
        if not row.get("valid_to"):
            assert not row.get("successors"), row
            continue
        assert row.get("successors"), row
        next_day = row["valid_to"] + datetime.timedelta(days=1)
        for number in row["successors"]:
            successor = BY_NUMBER[number]
            if successor.get("valid_from"):
                assert successor["valid_from"] == next_day, (row, successor)
            assert not successor.get("valid_to") or successor["valid_to"] >= next_day, (row, successor)


def test_municipalities_of_the_counties_split_in_2024_are_all_former():
    for row in MUNICIPALITIES:
        if row["county"] in {"30", "38", "54"}:
            assert row["valid_from"] == datetime.date(2020, 1, 1), row
            assert row["valid_to"] == datetime.date(2023, 12, 31), row
    counts = {county: sum(1 for row in MUNICIPALITIES if row["county"] == county) for county in ("30", "38", "54")}
    assert counts == {"30": 51, "38": 23, "54": 39}


def chain(number):
    """The numbers a municipality was known by, following the first successor until today."""
    numbers = [number]
    while BY_NUMBER[numbers[-1]].get("successors"):
        numbers.append(BY_NUMBER[numbers[-1]]["successors"][0])
    return numbers


@pytest.mark.parametrize(
    ("numbers", "name"),
    [
        (["0231", "3030", "3205"], "Lillestrøm"),
        (["0226", "3030", "3205"], "Lillestrøm"),
        (["0227", "3030", "3205"], "Lillestrøm"),
        (["0624", "3048", "3314"], "Øvre Eiker"),
        (["0106", "3004", "3107"], "Fredrikstad"),
        (["0228", "3027", "3224"], "Rælingen"),
        (["1902", "5401", "5501"], "Tromsø"),
        (["0236", "3034", "3228"], "Nes"),
        (["1507", "1508"], "Ålesund"),
    ],
)
def test_named_chains(numbers, name):
    assert chain(numbers[0]) == numbers
    assert BY_NUMBER[numbers[-1]]["name"] == name
    assert not BY_NUMBER[numbers[-1]].get("valid_to")


def test_alesund_was_split_into_alesund_and_haram():
    assert BY_NUMBER["1507"]["successors"] == ["1508", "1580"]
    assert BY_NUMBER["1580"]["name"] == "Haram"


def test_the_seed_municipalities_are_registered_under_their_current_numbers():
    names = {row["name"]: row["number"] for row in current(MUNICIPALITIES)}
    assert names["Oslo"] == "0301"
    assert names["Øksnes"] == "1868"
    assert names["Tromsø"] == "5501"
    assert names["Nes"] == "3228"
    assert names["Hamar"] == "3403"
    assert names["Lillestrøm"] == "3205"


def test_no_population_is_shipped_without_its_year():
    for row in MUNICIPALITIES:
        assert ("population" in row) == ("population_year" in row), row


# --------------------------------------------------------------------------- counties


def test_county_numbers_are_unique():
    numbers = [row["number"] for row in COUNTIES]
    assert len(numbers) == len(set(numbers))


def test_current_counties_are_the_fifteen_of_2024():
    assert {row["number"] for row in current(COUNTIES)} == CURRENT_COUNTIES


def test_county_successors_exist_and_follow_on():
    for row in COUNTIES:
        if not row.get("valid_to"):
            assert not row.get("successors"), row
            continue
        assert row.get("successors"), row
        next_day = row["valid_to"] + datetime.timedelta(days=1)
        for number in row["successors"]:
            successor = COUNTY_BY_NUMBER[number]
            assert successor.get("valid_from") == next_day, (row, successor)


# --------------------------------------------------------------------------- laws


def test_law_slugs_and_lovdata_ids_are_unique_and_well_formed():
    slugs = [law["slug"] for law in LAWS]
    ids = [law["lovdata_id"] for law in LAWS]
    assert len(slugs) == len(set(slugs))
    assert len(ids) == len(set(ids))
    for law in LAWS:
        assert LOVDATA_ID_RE.match(law["lovdata_id"]), law["slug"]
        for key in ("name", "short_name", "citation"):
            assert isinstance(law[key], str) and law[key].strip(), (law["slug"], key)
        assert len(law.get("abbreviation") or "") <= 30


@pytest.mark.parametrize("law", LAWS, ids=lambda law: law["slug"])
def test_provisions_are_unique_well_formed_and_titled(law):
    paragraphs = [str(provision["paragraph"]) for provision in law["provisions"]]
    assert len(paragraphs) == len(set(paragraphs))
    for provision in law["provisions"]:
        assert isinstance(provision["paragraph"], str), provision
        assert PARAGRAPH_RE.match(provision["paragraph"]), provision
        assert isinstance(provision["title"], str) and provision["title"].strip(), provision
        assert not provision["title"].endswith(".") or provision["title"].endswith(" mv."), provision


def test_every_replaced_by_resolves_to_a_provision_in_force():
    provisions = {(law["slug"], str(p["paragraph"])): p for law in LAWS for p in law["provisions"]}
    repealed = 0
    for law in LAWS:
        for provision in law["provisions"]:
            target = provision.get("replaced_by")
            if target:
                assert provision.get("repealed_on"), provision
                successor = provisions[(target["law"], str(target["paragraph"]))]
                assert not successor.get("repealed_on"), provision
                repealed += 1
    assert repealed >= 2


def test_the_provisions_the_seeds_cite_are_registered():
    provisions = {(law["slug"], str(p["paragraph"])) for law in LAWS for p in law["provisions"]}
    cited = set()
    for path in (DATA_DIR.parent.parent / "fixtures").glob("*.md"):
        for match in re.finditer(r'\{law: ([^,]+), paragraph: "([^"]+)"', path.read_text(encoding="utf-8")):
            cited.add((match.group(1).strip(), match.group(2)))
    assert cited, "the seeds cite provisions"
    slugs = {law["short_name"]: law["slug"] for law in LAWS} | {law["slug"]: law["slug"] for law in LAWS}
    for law, paragraph in cited:
        assert (slugs[law], paragraph) in provisions, (law, paragraph)


def test_law_names_have_no_punctuation_the_citation_parser_cannot_match():
    for law in LAWS:
        for name in [law["short_name"], *(law.get("aliases") or [])]:
            assert not re.search(r"[,;:()]", name), (law["slug"], name)


def test_no_two_laws_share_a_name():
    seen = {}
    for law in LAWS:
        names = [law["short_name"], law.get("abbreviation"), *(law.get("aliases") or [])]
        for name in {re.sub(r"[^\w]", "", name.casefold()) for name in names if name}:
            assert name not in seen, (name, law["slug"], seen.get(name))
            seen[name] = law["slug"]
