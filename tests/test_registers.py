"""The registers editors rely on: municipalities with their history (Skedsmo is Lillestrøm
today), a loader that never undoes an editor's change, SSB's population figures, searchable
choosers in the page editor, and who may change the registers."""

import json
import shutil
from io import StringIO

import pytest
import yaml
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.test.utils.form_data import querydict_from_html

from practices import taxonomy_loader
from practices.editorial import APPROVERS, EDITORS
from practices.models import County, Law, LegalProvision, LoadedRow, Municipality, PracticePage, Theme
from practices.population import PopulationFileError, read_table
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.service import SearchService
from tests.editors import logged_in, make_user
from tests.factories import PracticePageFactory, autocomplete_values, chosen, edit_form_data
from tests.test_search_contract import params

pytestmark = pytest.mark.django_db


@pytest.fixture
def redaktor(db):
    """Here the Redaktør and Godkjenner are logged-in clients."""
    return logged_in(make_user("rita.redaktor", EDITORS))


@pytest.fixture
def godkjenner(db):
    return logged_in(make_user("gunnar.godkjenner", APPROVERS))


def municipality(number):
    return Municipality.objects.get(number=number)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


# --- 1. Municipalities have a history, like counties -------------------------------------------


def test_former_municipalities_show_their_period_and_who_took_over(db):
    skedsmo, lillestrom_2020, lillestrom = municipality("0231"), municipality("3030"), municipality("3205")
    assert str(skedsmo) == "Skedsmo (–2019)"
    assert str(lillestrom_2020) == "Lillestrøm (2020–2023)"
    assert str(lillestrom) == "Lillestrøm"
    assert skedsmo.current_municipalities() == [lillestrom]
    assert lillestrom.current_municipalities() == [lillestrom]
    assert skedsmo.name_today == "Skedsmo (nå: Lillestrøm)"
    assert [c.number for c in skedsmo.current_counties()] == ["32"]


def test_a_period_that_ends_before_it_starts_is_refused(godkjenner):
    lillestrom = municipality("3205")
    url = reverse("wagtailsnippets_practices_municipality:edit", args=[lillestrom.pk])
    html = godkjenner.get(url).content.decode()
    data = querydict_from_html(html, form_id="w-editor-form")
    data.update(autocomplete_values(html, "w-editor-form"))
    data["valid_to"] = "2020-01-01"
    response = godkjenner.post(url, data)
    assert response.status_code == 200
    assert "«Gyldig til» kan ikke være før «gyldig fra»." in response.content.decode()
    lillestrom.refresh_from_db()
    assert lillestrom.valid_to is None


@pytest.fixture
def skedsmo_practice(db):
    return PracticePageFactory(
        title="Boveiledning i Skedsmo", municipalities=["0231"], county="02", period_start=2016, period_end=2018
    )


def test_the_page_says_what_a_former_municipality_is_called_now(client, skedsmo_practice):
    soup = soup_of(client.get(skedsmo_practice.url))
    facts = {dt.get_text(" ", strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in soup("dt")}
    assert facts["Ansvarlig aktør"] == "Skedsmo kommune (nå: Lillestrøm)"
    assert facts["Fylke"] == "Akershus"  # today's Akershus, where Lillestrøm is


def test_a_current_municipality_gets_no_note(client, tromso):
    soup = soup_of(client.get(tromso.url))
    actor = soup.find("dt", string="Ansvarlig aktør").find_next_sibling("dd").get_text(" ", strip=True)
    assert actor == "Tromsø kommune"
    # Its county is a former one, Troms og Finnmark, and Tromsø lies in Troms today.
    assert soup.find("dt", string="Fylke").find_next_sibling("dd").get_text(" ", strip=True) == (
        "Troms og Finnmark (nå: Troms)"
    )


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, skedsmo_practice):
    """Each backend, with the Skedsmo practice indexed (the engine's index is built after it)."""
    if request.param == "database":
        return DatabaseBackend()
    request.getfixturevalue("es_fresh")
    return ElasticsearchBackend()


def test_a_practice_under_a_former_municipality_is_found_under_todays(backend, skedsmo_practice):
    service = SearchService(backend)
    in_akershus = service.search(params(county="akershus"), facets=("county",))
    assert skedsmo_practice.title in [r.title for r in in_akershus.results]
    by_name = service.search(params("Lillestrøm"))
    # This practice and the seed «Jobbsenteret i Skedsmo» (2019): both registered under Skedsmo.
    assert {r.title for r in by_name.results} == {skedsmo_practice.title, "Jobbsenteret i Skedsmo"}
    # Their county today, not Viken's three successors: the municipality says where it is.
    counted = {o.value: o.count for o in service.search(params("Skedsmo"), facets=("county",)).facets["county"]}
    assert counted == {"akershus": 2}


def test_a_practice_under_a_former_county_only_is_found_under_its_successors(db):
    page = PracticePageFactory(title="Bostøtte i gamle Akershus", municipalities=[], county="02")
    service = SearchService(DatabaseBackend())
    for county in ("akershus", slugify("Østfold"), "buskerud"):
        assert page.title in [r.title for r in service.search(params(county=county)).results], county


def test_the_api_says_what_a_former_municipality_is_called_now(client, skedsmo_practice):
    data = client.get(f"/api/v2/pages/{skedsmo_practice.pk}/").json()
    assert data["responsible_actor"]["municipalities"] == [
        {"name": "Skedsmo", "number": "0231", "population": None, "valid_to": "2019-12-31", "current": ["Lillestrøm"]}
    ]


def test_api_queries_do_not_grow_with_former_municipalities(client, db):
    from tests.test_listing_queries import api_listing, assert_same_count

    PracticePageFactory(municipalities=["0231"], county="02")
    few = api_listing(client, "practices.PracticePage", 10)  # the nine seed practices and this
    for _ in range(5):
        PracticePageFactory(municipalities=["0231", "3030"], county="02")
    many = api_listing(client, "practices.PracticePage", 15)
    assert_same_count(few, many, "API med tidligere kommuner")
    actors = [m for item in many[1] for m in item["responsible_actor"]["municipalities"] if m["valid_to"]]
    assert all(m["current"] for m in actors)  # every former municipality says what it is called now
    assert {name for m in actors if m["number"] in {"0231", "3030"} for name in m["current"]} == {"Lillestrøm"}


def test_recording_a_merger_in_the_admin_updates_search(
    godkjenner, skedsmo_practice, django_capture_on_commit_callbacks
):
    service = SearchService(DatabaseBackend())

    def counties():
        found = service.search(params("Skedsmo"), facets=("county",))
        return {option.value: option.count for option in found.facets["county"]}

    assert counties() == {"akershus": 2}  # this practice and the seed «Jobbsenteret i Skedsmo»
    url, data = snippet_form(godkjenner, "municipality", municipality("0231"))
    assert json.loads(data["successors"]) == [{"pk": municipality("3030").pk, "title": "Lillestrøm (2020–2023)"}]
    data["successors"] = chosen([municipality("1868")])  # a made-up merger with Øksnes, far away
    with django_capture_on_commit_callbacks(execute=True):
        post_snippet(godkjenner, url, data)
    # Both practices under Skedsmo moved with it; they stay findable under the former county they
    # are registered under (Akershus before 2020), as every former county is.
    assert counties() == {"nordland": 2, "akershus": 2}
    assert skedsmo_practice.title in [r.title for r in service.search(params("Øksnes")).results]


def test_an_imported_file_naming_lillestrom_gets_todays_lillestrom(tmp_path):
    from tests.content_files import practice_text, write

    path = write(tmp_path, "praksis-lillestrom.md", practice_text().replace("[Tromsø]", "[Lillestrøm]"))
    call_command("import_content", str(path), stdout=StringIO())
    page = PracticePage.objects.get(slug="provepraksis")
    assert [m.number for m in page.municipalities.all()] == ["3205"]


def test_the_search_page_filters_on_todays_county(client, skedsmo_practice):
    soup = soup_of(client.get("/sok/?county=akershus"))
    assert skedsmo_practice.title in soup.get_text()
    assert "Boveiledning i Skedsmo" not in soup_of(client.get("/sok/?county=troms")).get_text()


# --- 2. The loader never overwrites an editor ------------------------------------------------


def snippet_form(client, model_name, obj):
    url = reverse(f"wagtailsnippets_practices_{model_name}:edit", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = querydict_from_html(html, form_id="w-editor-form")
    data.update(autocomplete_values(html, "w-editor-form"))
    return url, data


def post_snippet(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, soup_of(response).select(".error-message")
    return response


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of practices/taxonomy_data that bootstrap reads from, for the test to change."""
    directory = tmp_path / "taxonomy_data"
    shutil.copytree(taxonomy_loader.DATA_DIR, directory)
    monkeypatch.setattr(taxonomy_loader, "DATA_DIR", directory)
    return directory


def edit_data_file(directory, name, change):
    path = directory / f"{name}.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")


def row(rows, **match):
    return next(r for r in rows if all(str(r.get(k)) == v for k, v in match.items()))


def bootstrap():
    call_command("bootstrap", "--skip-content", stdout=StringIO())


def test_bootstrap_keeps_what_editors_changed_and_updates_what_nobody_touched(godkjenner, data_dir):
    # An editor renames a theme, a law, a provision and a municipality in the admin.
    theme = Theme.objects.get(slug="tett-oppfolging")
    url, data = snippet_form(godkjenner, "theme", theme)
    data["name"] = "Tett og koordinert oppfølging"
    post_snippet(godkjenner, url, data)

    law = Law.objects.get(slug="sosialtjenesteloven")
    url, data = snippet_form(godkjenner, "law", law)
    data["short_name"] = "sosialtjenesteloven (NAV)"
    provision_index = next(
        key.split("-")[1] for key, value in data.items() if key.endswith("-paragraph") and value == "27"
    )
    data[f"provisions-{provision_index}-title"] = "Midlertidig husvære (redigert)"
    post_snippet(godkjenner, url, data)

    nes = municipality("3228")
    url, data = snippet_form(godkjenner, "municipality", nes)
    data["name"] = "Nes (Akershus)"
    post_snippet(godkjenner, url, data)

    # The data files change too: for those rows, and for rows nobody has touched.
    edit_data_file(data_dir, "themes", lambda rows: row(rows, slug="tett-oppfolging").update(name="Fra filen"))
    housing = "bolig-og-bosetting"
    edit_data_file(data_dir, "themes", lambda rows: row(rows, slug=housing).update(description="Ny beskrivelse."))
    edit_data_file(data_dir, "municipalities", lambda rows: row(rows, number="3228").update(name="Nes fra filen"))
    edit_data_file(data_dir, "municipalities", lambda rows: row(rows, number="5501").update(aliases=["Romsa"]))

    def laws(rows):
        sotjl = row(rows, slug="sosialtjenesteloven")
        sotjl["short_name"] = "sosialtjenesteloven (fil)"
        row(sotjl["provisions"], paragraph="27")["title"] = "Fra filen"
        row(sotjl["provisions"], paragraph="15")["title"] = "Boligsosialt arbeid (ny tittel)"

    edit_data_file(data_dir, "laws", laws)
    bootstrap()

    assert Theme.objects.get(slug="tett-oppfolging").name == "Tett og koordinert oppfølging"
    assert Law.objects.get(pk=law.pk).short_name == "sosialtjenesteloven (NAV)"
    assert LegalProvision.objects.get(law=law, paragraph="27").title == "Midlertidig husvære (redigert)"
    assert municipality("3228").name == "Nes (Akershus)"
    # Untouched rows follow the file.
    assert Theme.objects.get(slug="bolig-og-bosetting").description == "Ny beskrivelse."
    assert municipality("5501").aliases == "Romsa"
    assert LegalProvision.objects.get(law=law, paragraph="15").title == "Boligsosialt arbeid (ny tittel)"

    # And again: a second run changes nothing.
    bootstrap()
    assert Theme.objects.get(slug="tett-oppfolging").name == "Tett og koordinert oppfølging"
    assert municipality("3228").name == "Nes (Akershus)"


def test_a_row_an_editor_deleted_is_not_recreated(godkjenner, data_dir):
    theme = Theme.objects.create(slug="ny-i-filen", name="Ny i filen")
    theme.delete()  # never loaded: a file row like it is created
    edit_data_file(data_dir, "themes", lambda rows: rows.append({"slug": "ny-i-filen", "name": "Ny i filen"}))
    report = taxonomy_loader.load_taxonomies()
    assert Theme.objects.filter(slug="ny-i-filen").exists()
    assert "1 nye" in next(line for line in report.lines() if "temaer" in line)

    delete_url = reverse("wagtailsnippets_practices_theme:delete", args=[Theme.objects.get(slug="ny-i-filen").pk])
    assert godkjenner.post(delete_url).status_code == 302  # Godkjennere may not delete …
    Theme.objects.filter(slug="ny-i-filen").delete()  # … an administrator does
    report = taxonomy_loader.load_taxonomies()
    assert not Theme.objects.filter(slug="ny-i-filen").exists()
    assert "1 slettet av redaktør, ikke gjenopprettet" in next(line for line in report.lines() if "temaer" in line)


def test_a_conflict_with_an_editors_row_is_reported_not_fatal(data_dir):
    Theme.objects.create(slug="redaktorens", name="Fra redaktøren")
    edit_data_file(data_dir, "themes", lambda rows: rows.append({"slug": "fra-filen", "name": "Fra redaktøren"}))
    report = taxonomy_loader.load_taxonomies()
    assert [p for p in report.problems if p.startswith("temaer: fra-filen")]
    assert not Theme.objects.filter(slug="fra-filen").exists()
    assert Theme.objects.get(slug="redaktorens").name == "Fra redaktøren"


def test_rows_from_before_the_loader_kept_records_only_get_their_gaps_filled(data_dir):
    LoadedRow.objects.filter(model="practices.municipality").delete()
    Municipality.objects.filter(number="0231").update(history="", name="Skedsmo kommune", valid_to=None)
    report = taxonomy_loader.load_taxonomies()
    skedsmo = municipality("0231")
    assert skedsmo.name == "Skedsmo kommune"  # could be an editor's: kept
    assert str(skedsmo.valid_to) == "2019-12-31" and skedsmo.history  # empty: filled from the file
    assert "0231" in report.registers[1].kept


def test_a_population_in_the_data_file_fills_a_gap_but_never_an_editors_later_figure(data_dir):
    page = PracticePageFactory(municipalities=["5501"], municipality_size="")
    nes = municipality("3228")
    nes.population, nes.population_year = 25_000, 2025
    nes.save()

    def populations(rows):
        row(rows, number="5501").update(population=78_745, population_year=2024)
        row(rows, number="3228").update(population=24_105, population_year=2024)

    edit_data_file(data_dir, "municipalities", populations)
    taxonomy_loader.load_taxonomies()
    assert (municipality("5501").population, municipality("5501").population_year) == (78_745, 2024)
    assert (municipality("3228").population, municipality("3228").population_year) == (25_000, 2025)
    page.refresh_from_db()
    assert page.municipality_size == "stor"


# --- 3. Population from SSB -------------------------------------------------------------------

SSB_CSV = """\
"07459: Befolkning, etter region, statistikkvariabel og år"

"region";"statistikkvariabel";"år";"07459: Befolkning, etter region, statistikkvariabel og år"
"0 Hele landet";"Personer";"2024";"5550203"
"K-3205 Lillestrøm";"Personer";"2023";"92015"
"K-3205 Lillestrøm";"Personer";"2024";"93 470"
"K-0231 Skedsmo (-2019)";"Personer";"2024";".."
"K-5501 Tromsø";"Personer";"2024";"78745"
"K-3228 Nes";"Personer";"2024";"24105"
"K-9999 Uoppgitt";"Personer";"2024";"12"
"""


def run_load_population(path):
    out = __import__("io").StringIO()
    call_command("load_population", str(path), stdout=out)
    return out.getvalue()


def test_population_is_loaded_from_ssbs_csv_and_sizes_follow(tmp_path, django_capture_on_commit_callbacks):
    lillestrom_page = PracticePageFactory(title="Bo trygt i Lillestrøm", municipalities=["3205"], municipality_size="")
    lillestrom_page.municipality_size = "liten"  # set by an editor while no population was known
    PracticePage.objects.filter(pk=lillestrom_page.pk).update(municipality_size="liten")
    nes = municipality("3228")
    nes.population, nes.population_year = 25_000, 2025  # an editor's figure for a later year
    nes.save()
    path = tmp_path / "07459.csv"
    path.write_text(SSB_CSV, encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        output = run_load_population(path)

    lillestrom = municipality("3205")
    assert (lillestrom.population, lillestrom.population_year) == (93_470, 2024)
    assert (municipality("5501").population, municipality("5501").population_year) == (78_745, 2024)
    assert (municipality("3228").population, municipality("3228").population_year) == (25_000, 2025)
    assert municipality("0231").population is None
    assert "2 kommuner oppdatert" in output
    assert "1 hoppet over fordi en redaktør har registrert tall for et senere år: Nes (2025)" in output
    assert "1 hoppet over uten tall i filen: K-0231 Skedsmo (-2019)" in output
    assert "1 ukjente kommunenumre (ikke i kommuneregisteret): K-9999 Uoppgitt" in output
    assert "/5 kommuner" in output  # progress
    # The size of the practices concerned is derived anew, and search knows it.
    lillestrom_page.refresh_from_db()
    assert lillestrom_page.municipality_size == "stor"
    found = SearchService(DatabaseBackend()).search(params(size="stor", q="Bo trygt i Lillestrøm"))
    assert lillestrom_page.title in [r.title for r in found.results]

    # Loading the same file again changes nothing.
    again = run_load_population(path)
    assert "0 kommuner oppdatert, 2 uendret" in again


def test_iso_8859_1_one_column_per_year_and_plain_region_labels(tmp_path):
    text = '"region";"Personer 2023";"Personer 2024"\n"3205 Lillestrøm";"92015";"93470"\n"5501 Tromsø";"78000";"."\n'
    path = tmp_path / "07459.csv"
    path.write_bytes(text.encode("iso-8859-1"))
    output = run_load_population(path)
    assert municipality("3205").population == 93_470
    assert (municipality("5501").population, municipality("5501").population_year) == (78_000, 2023)
    assert "2 kommuner oppdatert" in output


def test_a_file_that_is_not_ssbs_table_is_refused_in_norwegian(tmp_path):
    path = tmp_path / "feil.csv"
    path.write_text("navn,alder\nKari,40\n", encoding="utf-8")
    with pytest.raises(Exception, match="Fant ikke kolonneoverskriftene"):
        run_load_population(path)
    with pytest.raises(Exception, match="Kan ikke lese"):
        run_load_population(tmp_path / "finnes-ikke.csv")
    assert municipality("3205").population is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        figures, passed_over = read_table(text)
    except PopulationFileError as error:
        assert str(error)
    else:
        assert all(len(figure.number) == 4 for figure in figures) and passed_over >= 0


def test_saving_a_practice_derives_its_size_when_every_population_is_known(db):
    lillestrom, tromso = municipality("3205"), municipality("5501")
    lillestrom.population, lillestrom.population_year = 4_000, 2024
    lillestrom.save()
    page = PracticePageFactory(municipalities=["3205"], municipality_size="stor")
    assert page.municipality_size == "liten"
    page = PracticePageFactory(municipalities=["3205", "5501"], municipality_size="stor")
    assert tromso.population is None and page.municipality_size == "stor"  # unknown: the editor's choice


# --- 4. Searchable choosers ---------------------------------------------------------------------


def autocomplete(client, model, query):
    response = client.post(reverse("practices_autocomplete_search"), {"type": model, "query": query})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_typing_lill_offers_lillestrom(redaktor):
    # Every registered municipality whose name starts with «Lill», today's before former ones.
    assert autocomplete(redaktor, "practices.Municipality", "Lill") == [
        "Lillehammer", "Lillesand", "Lillestrøm", "Lillestrøm (2020–2023)"
    ]
    assert autocomplete(redaktor, "practices.Municipality", "5501") == ["Tromsø"]
    assert autocomplete(redaktor, "practices.LegalProvision", "sosialtjenesteloven § 27")[0].startswith(
        "sosialtjenesteloven § 27"
    )
    assert autocomplete(redaktor, "practices.Theme", "oppfølg") == ["Tett oppfølging"]
    assert "Husbanken" in autocomplete(redaktor, "practices.FundingSource", "husb")
    assert autocomplete(redaktor, "practices.County", "akersh") == ["Akershus", "Akershus (–2019)"]


def test_related_practices_offer_only_published_pages(redaktor, tromso):
    draft = PracticePageFactory(title="Fra bostedsløs til leietaker", live=False)
    titles = autocomplete(redaktor, "practices.PracticePage", "bostedsløs")
    assert tromso.title in titles and draft.title not in titles


def test_the_endpoints_answer_only_for_the_registers_and_only_in_the_admin(redaktor, client, db):
    for model in ("auth.User", "wagtailcore.Page", "wagtaildocs.Document", "nope"):
        response = redaktor.post(reverse("practices_autocomplete_search"), {"type": model, "query": "a"})
        assert response.status_code == 400, model
    response = redaktor.get(reverse("practices_autocomplete_objects"), {"type": "auth.User", "pks": "1"})
    assert response.status_code == 400
    anonymous = client.post(reverse("practices_autocomplete_search"), {"type": "practices.Municipality", "query": "L"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    model=st.sampled_from(["practices.Municipality", "practices.LegalProvision", "practices.PracticePage"]),
    query=st.text(max_size=60),
    limit=st.one_of(st.integers(min_value=-5, max_value=10_000).map(str), st.text(max_size=5)),
)
def test_whatever_is_typed_the_chooser_answers(redaktor, model, query, limit):
    # The logged-in client is the same for every input: the searches only read.
    response = redaktor.post(reverse("practices_autocomplete_search"), {"type": model, "query": query, "limit": limit})
    assert response.status_code == 200
    assert len(response.json()["items"]) <= 50


def test_the_editor_shows_searchable_choosers(redaktor, tromso):
    html = redaktor.get(reverse("wagtailadmin_pages:edit", args=[tromso.pk])).content.decode()
    choosers = autocomplete_values(html, "page-edit-form")
    for name in ("municipalities", "themes", "target_groups", "funding_sources", "related_practices"):
        assert name in choosers, name
    assert json.loads(choosers["municipalities"]) == [{"pk": municipality("5501").pk, "title": "Tromsø"}]
    assert any(name.startswith("legal_references-") and name.endswith("-provision") for name in choosers)
    assert "wagtailautocomplete/dist.js" in html


def test_saving_a_practice_with_a_chosen_municipality(redaktor, tromso):
    lillestrom = municipality("3205")
    data = edit_form_data(redaktor, tromso)
    data["municipalities"] = chosen([lillestrom, municipality("0231")])
    response = redaktor.post(reverse("wagtailadmin_pages:edit", args=[tromso.pk]), data)
    assert response.status_code == 302, soup_of(response).select(".error-message")
    tromso.refresh_from_db()
    draft = tromso.get_latest_revision_as_object()
    assert {m.number for m in draft.municipalities.all()} == {"3205", "0231"}
    # Nothing else was lost on the way through the form.
    assert {t.slug for t in draft.themes.all()} == {t.slug for t in tromso.themes.all()}
    assert [r.provision_id for r in draft.legal_references.all()] == [
        r.provision_id for r in tromso.legal_references.all()
    ]


def test_related_practices_must_be_published_and_not_the_page_itself(redaktor, tromso, oksnes):
    url = reverse("wagtailadmin_pages:edit", args=[tromso.pk])
    draft = PracticePageFactory(title="Et utkast", live=False)
    for chosen_pages, message in (
        ([tromso], "Et praksiseksempel kan ikke være beslektet med seg selv."),
        ([draft], "Bare publiserte praksiseksempler kan velges. Ikke publisert: «Et utkast»."),
    ):
        data = edit_form_data(redaktor, tromso)
        data["related_practices"] = chosen(chosen_pages)
        response = redaktor.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    data = edit_form_data(redaktor, tromso)
    data["related_practices"] = chosen([oksnes])
    assert redaktor.post(url, data).status_code == 302
    tromso.refresh_from_db()
    assert list(tromso.get_latest_revision_as_object().related_practices.all()) == [oksnes]


# --- 5. Who may change the registers ---------------------------------------------------------

REGISTERS = ("county", "municipality", "law", "theme", "targetgroup", "fundingsource")


def test_godkjennere_add_and_edit_the_registers(godkjenner):
    for name in REGISTERS:
        assert godkjenner.get(reverse(f"wagtailsnippets_practices_{name}:add")).status_code == 200, name
    url = reverse("wagtailsnippets_practices_municipality:add")
    html = godkjenner.get(url).content.decode()
    data = querydict_from_html(html, form_id="w-editor-form")
    akershus = County.objects.get(number="32")
    data.update({"name": "Ny kommune", "number": "3299", "county": akershus.pk, "valid_from": "2026-01-01"})
    data["successors"] = chosen([])
    post_snippet(godkjenner, url, data)
    created = municipality("3299")
    assert created.county.name == "Akershus" and str(created.valid_from) == "2026-01-01"

    # … and a provision, in the law's form.
    law = Law.objects.get(slug="husleieloven")
    url, data = snippet_form(godkjenner, "law", law)
    count = int(data["provisions-TOTAL_FORMS"])
    data.update(
        {
            "provisions-TOTAL_FORMS": str(count + 1),
            f"provisions-{count}-paragraph": "99",
            f"provisions-{count}-title": "Ny paragraf",
            f"provisions-{count}-repealed_on": "",
            f"provisions-{count}-replaced_by": "",
            f"provisions-{count}-id": "",
            f"provisions-{count}-ORDER": str(count + 1),
            f"provisions-{count}-DELETE": "",
        }
    )
    post_snippet(godkjenner, url, data)
    assert LegalProvision.objects.filter(law=law, paragraph="99", title="Ny paragraf").exists()


def test_redaktorer_choose_from_the_registers_but_do_not_change_them(redaktor):
    lillestrom = municipality("3205")
    for name in REGISTERS:
        response = redaktor.get(reverse(f"wagtailsnippets_practices_{name}:add"))
        assert response.status_code in (302, 403), name
    edit = reverse("wagtailsnippets_practices_municipality:edit", args=[lillestrom.pk])
    response = redaktor.post(edit, {"name": "Endret av redaktør", "number": "3205"})
    assert response.status_code in (302, 403)
    assert municipality("3205").name == "Lillestrøm"
    # They may look the registers up, and choose from them.
    assert redaktor.get(reverse("wagtailsnippets_practices_municipality:list")).status_code == 200
    assert redaktor.get(reverse("wagtailsnippetchoosers_practices_county:choose")).status_code == 200
    assert autocomplete(redaktor, "practices.Municipality", "Lill")


@pytest.mark.parametrize(
    "lovdata_id, url",
    [
        ("LOV-2009-12-18-131", "https://lovdata.no/lov/2009-12-18-131"),
        ("LOV-1967-02-10", "https://lovdata.no/lov/1967-02-10"),  # forvaltningsloven has no number
    ],
)
def test_a_law_links_to_lovdata_with_or_without_a_number(lovdata_id, url):
    law = Law(name="Lov", short_name="loven", slug="loven", lovdata_id=lovdata_id)
    law.clean()
    assert law.lovdata_url == url


def test_a_malformed_lovdata_identifier_is_refused_in_norwegian():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="LOV-ÅÅÅÅ-MM-DD"):
        Law(name="Lov", short_name="loven", slug="loven", lovdata_id="LOV-1967-2-10").clean()
