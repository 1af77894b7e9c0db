"""The public read API (/api/v2/): what a developer consuming the knowledge base sees."""

import pytest

from tests.factories import PracticePageFactory

PRACTICE_LIST_URL = "/api/v2/pages/?type=practices.PracticePage&fields=*"
SEED_PRACTICE_SLUGS = {
    "fra-bostedslos-til-beboer",
    "oppfolging-av-brukere-med-depositumgaranti",
    "hjem-forst-grunerlokka",
    # Described in the article «Gode grep for tett oppfølging» and the Nes report.
    "tverrfaglig-samarbeid-for-ungdom-i-ovre-eiker",
    "tilpassede-klasser-for-ungdom-i-nav-fredrikstad",
    "jobbsenteret-i-skedsmo",
    "tverrfaglige-team-for-sosialhjelpssaker-i-nav-ralingen",
    "team-og-fast-kontaktperson-i-nav-tromso",
    "boligsosial-oppfolging-i-nes",
}


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def detail(client, page):
    return get_json(client, f"/api/v2/pages/{page.pk}/")


@pytest.fixture
def tromso_api(client, tromso):
    return detail(client, tromso)


# --- Listing -----------------------------------------------------------------------------


def test_practice_listing_holds_the_nine_seed_practices_with_all_fields(client, db):
    data = get_json(client, PRACTICE_LIST_URL)

    assert data["meta"]["total_count"] == 9
    items = {item["meta"]["slug"]: item for item in data["items"]}
    assert set(items) == SEED_PRACTICE_SLUGS
    for item in items.values():
        assert item["meta"]["type"] == "practices.PracticePage"
        # fields=* brings the practice fields into the listing, not only id and title
        for field in ("summary", "responsible_actor", "county", "period", "legal_references", "tags", "steps"):
            assert field in item, f"{field} mangler i listen for {item['meta']['slug']}"
    assert items["fra-bostedslos-til-beboer"]["title"] == "Fra bostedsløs til beboer"
    assert items["hjem-forst-grunerlokka"]["responsible_actor"]["other"] == "Bydel Grünerløkka"


def test_practice_listing_can_be_filtered_by_a_field_and_paged(client, db):
    data = get_json(client, "/api/v2/pages/?type=practices.PracticePage&status=viderefort")
    assert [item["meta"]["slug"] for item in data["items"]] == ["fra-bostedslos-til-beboer"]

    pages = [
        get_json(client, f"/api/v2/pages/?type=practices.PracticePage&limit=4&offset={offset}&order=title")
        for offset in (0, 4, 8)
    ]
    assert pages[0]["meta"]["total_count"] == 9
    assert [len(page["items"]) for page in pages] == [4, 4, 1]
    titles = [item["title"] for page in pages for item in page["items"]]
    assert titles == sorted(titles) and len(set(titles)) == 9


# --- The Tromsø practice in detail ---------------------------------------------------------


def test_tromso_practice_identity_and_actor(tromso_api):
    data = tromso_api
    assert data["meta"]["type"] == "practices.PracticePage"
    assert data["meta"]["html_url"].endswith("/praksiseksempler/fra-bostedslos-til-beboer/")
    assert data["title"] == "Fra bostedsløs til beboer"
    assert data["summary"].startswith("Med prosjektet «Fra bostedsløs til beboer» ønsket Tromsø kommune")
    assert data["responsible_actor"] == {
        "label": "Tromsø kommune",
        "municipalities": [
            {"name": "Tromsø", "number": "5501", "population": None, "valid_to": None, "current": ["Tromsø"]}
        ],
        "other": "",
    }
    assert data["responsible_unit"] == "NAV Tromsø og Boligkontoret"
    assert data["municipality_size"] == "stor"


def test_tromso_practice_county_keeps_its_history(tromso_api):
    county = tromso_api["county"]
    assert county["number"] == "54"
    assert county["name"] == "Troms og Finnmark"
    assert county["valid_from"] == "2020-01-01"
    assert county["valid_to"] == "2023-12-31"
    # Troms og Finnmark was split in 2024; Tromsø municipality lies in today's Troms.
    assert county["current"] == ["Troms"]


def test_tromso_practice_period_status_and_evidence(tromso_api):
    assert tromso_api["period"] == {"start": 2013, "end": None, "ongoing": False}
    assert tromso_api["status"] == "viderefort"
    assert tromso_api["evidence_level"] == "beskrevet"
    assert tromso_api["resources"] == "to hele stillinger til tiltaket «Bo-teamet», i tillegg til prosjektleder"
    assert tromso_api["contact"] == ""
    assert tromso_api["last_reviewed"] is None


def test_tromso_practice_rich_text_sections(tromso_api):
    data = tromso_api
    assert "midlertidig botilbud etter § 27 i Lov om sosiale tjenester i NAV" in data["description"]
    assert data["description"].startswith("<p>")
    assert "<li>Av til sammen 213 husstander i midlertidig botilbud i 2015 ble 152 bosatt" in data["results"]
    assert "Boligsituasjonen i Tromsø har vært vanskelig over tid" in data["background"]
    assert "Kommer over i en permanent bosituasjon så snart som mulig" in data["goals"]
    assert "<ul>" in data["goals"]
    assert "Det er kontaktinformasjon til de ansatte i bo-teamet" in data["user_participation"]
    assert "Prosjektet finansieres av tilskuddsmidler fra Arbeids- og velferdsdirektoratet" in data["financing"]
    assert "Prosjektet er avsluttet men teamet er videreført." in data["continuation"]


def test_tromso_practice_has_seven_steps_in_order(tromso_api):
    steps = tromso_api["steps"]
    assert len(steps) == 7
    assert {step["type"] for step in steps} == {"step"}
    assert all(step["id"] for step in steps)
    assert "Tromsø kommune utarbeidet Boligsosial handlingsplan i 2009" in steps[0]["value"]["text"]
    assert "Tiltaket «Bo-teamet» ble etablert i desember 2013" in steps[1]["value"]["text"]
    assert "I juni 2016 starter NAV Tromsø opp «Boligskolen»" in steps[6]["value"]["text"]


def test_tromso_practice_cites_four_provisions_with_lovdata_links(tromso_api):
    references = tromso_api["legal_references"]
    assert len(references) == 4
    assert [(r["law"], r["paragraph"]) for r in references] == [
        ("sosialtjenesteloven", "15"),
        ("sosialtjenesteloven", "17"),
        ("sosialtjenesteloven", "27"),
        ("helse-og-omsorgstjenesteloven", "3-7"),
    ]
    assert [r["url"] for r in references] == [
        "https://lovdata.no/lov/2009-12-18-131/§15",
        "https://lovdata.no/lov/2009-12-18-131/§17",
        "https://lovdata.no/lov/2009-12-18-131/§27",
        "https://lovdata.no/lov/2011-06-24-30/§3-7",
    ]
    section_27 = references[2]
    assert section_27["label"] == "sosialtjenesteloven § 27"
    assert section_27["title"] == "Midlertidig botilbud"
    assert section_27["repealed_on"] is None
    # § 15 and § 3-7 were repealed when the boligsosial law came into force
    assert references[0]["repealed_on"] == "2023-07-01"
    assert references[0]["replaced_by"] == "boligsosialloven § 6"
    assert references[3]["comment"] == "med særlig fokus på § 3-7"
    assert references[3]["law_name"] == "helse- og omsorgstjenesteloven"


def test_tromso_practice_success_factors_and_challenges(tromso_api):
    factors = tromso_api["success_factors"]
    assert len(factors) == 3
    assert factors[0]["value"] == {
        "statement": "Tverrfaglig samhandling.",
        "elaboration": "Flere tjenester som jobber skulder mot skulder. «Skottene» mellom tjenestene er ikke like "
        "tette og framstår mindre byråkratiske.",
    }
    assert factors[1]["value"]["statement"] == "Tettere på den enkelte bruker."
    assert factors[2]["value"]["elaboration"] == ""

    challenges = tromso_api["challenges"]
    assert len(challenges) == 3
    assert [c["value"]["statement"] for c in challenges] == [
        "Meget stramt privat boligmarked og mangel på kommunale boliger.",
        "Utfordrende brukergruppe.",
        "Fragmentert tjenestetilbud har utfordret forankring av ansvar i ulike kommunale enheter og tjenester.",
    ]
    assert challenges[1]["value"]["elaboration"] == "Manglende vilje/ønske om å ta i mot tjenester."


def test_tromso_practice_classification(tromso_api):
    data = tromso_api
    assert {t["name"] for t in data["themes"]} == {
        "Midlertidig botilbud",
        "Bolig og bosetting",
        "Tverrfaglig samarbeid",
        "Tett oppfølging",
    }
    assert {"slug": "midlertidig-botilbud", "name": "Midlertidig botilbud"} in data["themes"]
    assert {t["name"] for t in data["target_groups"]} == {
        "Bostedsløse",
        "Vanskeligstilte på boligmarkedet",
        "Personer med rusproblemer og/eller psykiske lidelser",
    }
    assert set(data["tags"]) == {
        "midlertidig botilbud",
        "bostedsløse",
        "Bo-teamet",
        "Boligskolen",
        "ambulant oppfølging",
        "tverrfaglig samhandling",
    }
    assert {f["name"] for f in data["funding_sources"]} == {
        "Arbeids- og velferdsdirektoratet",
        "Statsforvalteren",
        "Husbanken",
    }


def test_tromso_practice_source_relations_and_attachments(tromso_api):
    source = tromso_api["source"]
    assert source["title"] == "Fra bostedsløs til beboer"
    assert source["url"] == "" and source["published"] is None
    assert tromso_api["related_practices"] == []
    assert tromso_api["attachments"] == []


def test_related_practices_are_exposed_with_their_public_url(client, tromso, oksnes):
    tromso.related_practices.set([oksnes])
    tromso.save()

    related = detail(client, tromso)["related_practices"]
    assert related == [{"id": oksnes.pk, "title": oksnes.title, "url": oksnes.url}]
    assert related[0]["url"].endswith("/praksiseksempler/oppfolging-av-brukere-med-depositumgaranti/")


# --- Øksnes, the report and the article ------------------------------------------------------


def test_oksnes_practice_tags_and_boligsosialloven(client, oksnes):
    data = detail(client, oksnes)
    assert "depositumgaranti" in data["tags"]
    assert data["responsible_actor"]["label"] == "Øksnes kommune"
    assert data["county"]["name"] == "Nordland" and data["county"]["valid_to"] is None
    assert data["period"] == {"start": 2021, "end": 2023, "ongoing": False}
    assert data["municipality_size"] == "liten"
    references = data["legal_references"]
    assert len(references) == 1
    assert references[0]["law"] == "boligsosialloven"
    assert references[0]["paragraph"] == "6"
    assert references[0]["label"] == "boligsosialloven § 6"
    assert references[0]["url"] == "https://lovdata.no/lov/2022-12-20-121/§6"


def test_report_exposes_type_and_body_with_a_table(client, nes_report):
    data = detail(client, nes_report)
    assert data["meta"]["type"] == "practices.ReportPage"
    assert data["report_type"] == "erfaringsrapport"
    assert data["published"] == "2010-01-25"
    assert data["responsible_actor"]["label"] == "Nes kommune"
    assert data["period"] == {"start": 2009, "end": 2009, "ongoing": False}

    body = data["body"]
    block_types = [block["type"] for block in body]
    assert "heading" in block_types and "paragraph" in block_types
    tables = [block["value"] for block in body if block["type"] == "table"]
    assert tables, f"ingen tabell i rapporten: {block_types}"
    accounts = tables[0]
    rows = accounts["data"]
    assert rows[0] == ["Art", "Tekst", "Regnskap 2009"]
    assert ["10300", "Lønn til ekstrahjelp", "809 687,45"] in rows
    headings = [block["value"]["text"] for block in body if block["type"] == "heading"]
    assert "Forord" in headings


def test_article_exposes_date_and_body(client, close_follow_up_article):
    data = detail(client, close_follow_up_article)
    assert data["meta"]["type"] == "practices.ArticlePage"
    assert data["date"] == "2019-05-09"
    assert data["kind"] == "fagartikkel"
    assert data["lead"].startswith("En fast kontaktperson på NAV-kontoret sikrer tett oppfølging")
    body = data["body"]
    assert body[0]["type"] == "heading"
    assert body[0]["value"]["text"] == "En fast kontaktperson"
    assert any(
        block["type"] == "paragraph" and "Den samme veilederen følger brukeren hele veien." in block["value"]
        for block in body
    )
    assert "tett oppfølging" in data["tags"]


# --- Drafts ----------------------------------------------------------------------------------


def test_draft_practice_is_neither_listed_nor_retrievable(client, db):
    draft = PracticePageFactory(title="Boligkontakt i Bodø (utkast)", live=False, tags=["utkast"])
    published = PracticePageFactory(title="Boligkontakt i Narvik", live=True)

    data = get_json(client, PRACTICE_LIST_URL)
    ids = [item["id"] for item in data["items"]]
    assert data["meta"]["total_count"] == len(SEED_PRACTICE_SLUGS) + 1
    assert published.pk in ids
    assert draft.pk not in ids
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{published.pk}/").status_code == 200

    found = get_json(client, "/api/v2/pages/?type=practices.PracticePage&search=boligkontakt")
    assert [item["id"] for item in found["items"]] == [published.pk]


def test_unpublished_changes_to_a_live_page_are_not_exposed(client, oksnes):
    oksnes.title = "Hemmelig utkast som ikke er publisert"
    oksnes.summary = "Utkast."
    oksnes.save_revision()  # saved as a draft revision, not published

    data = detail(client, oksnes)
    assert data["title"] == (
        "Utvikling av de sosiale tjenestene i NAV-kontoret. Oppfølging av brukere med depositumgaranti"
    )
    assert data["summary"] != "Utkast."
