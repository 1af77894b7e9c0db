"""Bad content files: the editor gets an error naming file, line and field (in Norwegian), and nothing is saved.

See docs/innholdsformat.md: «En fil med feil gir en feilmelding med filnavn, linje og felt, og ingenting fra den
filen lagres.»
"""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.models import Tag
from wagtail.models import Revision

from practices.importing import ContentFileError, import_file
from practices.models import PracticePage

from .content_files import (
    article_text,
    database_counts,
    line_of,
    practice_front,
    practice_text,
    report_text,
    write,
)

BAD_FILE_NAME = "praksis-øksnes-med-feil.md"


def run_import(*paths):
    """Run import_content (publishing, as a user who may) expecting it to fail; return (output, CommandError)."""
    get_user_model().objects.get_or_create(username="importsjef", defaults={"is_superuser": True})
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_content", *[str(p) for p in paths], "--publish", "--user", "importsjef", stdout=out, stderr=out
        )
    return out.getvalue(), raised.value


def error_lines(output):
    return [line for line in output.splitlines() if "] FEIL " in line]


# --- one bad file: (content, line, field, what the message says) ---------------------------------


def missing_front_matter():
    text = "## Beskrivelse\n\nEt eksempel uten hode.\n"
    return text, 1, None, "Filen må begynne med et hode mellom to linjer med «---»."


def unterminated_front_matter():
    text = f"---\n{practice_front()}\n## Beskrivelse\n\nTekst.\n"
    return text, 1, None, "Hodet avsluttes ikke med en linje med «---»."


def invalid_yaml():
    text = practice_text(replace={"title:": "title: Fra bostedsløs: til beboer"})
    return text, line_of(text, "title:"), None, "Hodet kan ikke leses"


def unknown_type():
    text = practice_text(replace={"type:": "type: nyhet"})
    return text, 2, "type", "Feltet «type» må være praksis, rapport eller artikkel."


def missing_type():
    text = practice_text(replace={"type:": "# type er glemt"})
    return text, None, "type", "Feltet «type» må være praksis, rapport eller artikkel."


def bad_slug():
    text = practice_text(replace={"slug:": "slug: Fra Bostedsløs til Beboer"})
    return text, 3, "slug", "Slug må være små bokstaver, tall og bindestrek"


def unknown_front_matter_key():
    text = practice_text(front_extra="forfatter: Ola Nordmann\n")
    return text, line_of(text, "forfatter:"), "forfatter", "Ukjent felt. Tillatte felt er:"


def missing_title():
    text = practice_text(replace={"title:": "title:"})
    return text, line_of(text, "title:"), "title", "Feltet må fylles ut."


def unknown_county():
    text = practice_text(replace={"county:": "county: Atlantis"})
    return text, line_of(text, "county:"), "county", "Ukjent fylke «Atlantis»."


def unknown_municipality():
    text = practice_text(replace={"municipalities:": "municipalities: [Tromsø, Gotham]"})
    return text, line_of(text, "municipalities:"), "municipalities", "Ukjent kommune «Gotham»."


def unknown_law():
    text = practice_text(replace={"  - {law: boligsosialloven": '  - {law: grunnloven, paragraph: "100"}'})
    message = "Ukjent lov «grunnloven» i lovhenvisning nr. 2."
    return text, line_of(text, "legal_references:"), "legal_references", message


def unregistered_paragraph():
    text = practice_text(replace={"  - {law: boligsosialloven": '  - {law: sosialtjenesteloven, paragraph: "999"}'})
    return (
        text,
        line_of(text, "legal_references:"),
        "legal_references",
        "sosialtjenesteloven § 999 er ikke registrert. Legg paragrafen til under Taksonomier → Lover.",
    )


def unknown_theme():
    text = practice_text(front_extra="themes: [Romfart]\n")
    return text, line_of(text, "themes:"), "themes", "«Romfart»"


def unknown_status():
    text = practice_text(replace={"status:": "status: kanskje"})
    message = "Ukjent verdi «kanskje». Velg en av: pågår, avsluttet, videreført."
    return text, line_of(text, "status:"), "status", message


def period_end_before_start():
    text = practice_text(replace={"period:": "period: {start: 2016, end: 2013}"})
    return text, line_of(text, "period:"), "period", "Sluttåret kan ikke være før startåret."


def ongoing_period_with_end():
    text = practice_text(replace={"period:": "period: {start: 2013, end: 2016, ongoing: true}"})
    return text, line_of(text, "period:"), "period", "Et arbeid som pågår, har ikke sluttår."


def non_integer_year():
    text = practice_text(replace={"period:": "period: {start: tjuetretten}"})
    return text, line_of(text, "period:"), "period", "Startåret må være et årstall, f.eks. 2013."


def fractional_year():
    text = practice_text(replace={"period:": "period: {start: 2013, end: 2016.5}"})
    return text, line_of(text, "period:"), "period", "Sluttåret må være et årstall"


def bad_date():
    text = practice_text(front_extra="last_reviewed: 12.03.2020\n")
    return text, line_of(text, "last_reviewed:"), "last_reviewed", "Ugyldig dato «12.03.2020»; skriv ÅÅÅÅ-MM-DD."


def bad_source_url():
    text = practice_text(front_extra="source: {publisher: NAV, url: ikke en adresse}\n")
    return text, line_of(text, "source:"), "source", "gyldig URL"


def unknown_section():
    text = practice_text(body_extra="\n## Tull\n\nDette er ikke en seksjon.\n")
    return text, line_of(text, "## Tull"), "tekst", "Ukjent seksjon «Tull». Kjente seksjoner: «Beskrivelse»"


def duplicate_section():
    text = practice_text(body_extra="\n## Beskrivelse\n\nEn gang til.\n")
    line = line_of(text, "## Beskrivelse", after="## Utfordringer")
    return text, line, "tekst", "Seksjonen «Beskrivelse» står to ganger."


def text_before_first_section():
    text = practice_text(body="Innledning uten overskrift.\n\n## Beskrivelse\n\nTekst.\n")
    return text, line_of(text, "Innledning uten"), "tekst", "Teksten må begynne med en overskrift på nivå 2"


def steps_numbered_one_three():
    text = practice_text().replace("### Trinn 2", "### Trinn 3")
    return text, line_of(text, "### Trinn 3"), "tekst", "Trinnene må nummereres fortløpende; ventet Trinn 2."


def step_heading_not_a_step():
    text = practice_text().replace("### Trinn 2", "### Deretter")
    message = "Trinn skrives som «### Trinn 1» eller «### Trinn 1: Tittel»."
    return text, line_of(text, "### Deretter"), "tekst", message


def success_factors_not_a_list():
    text = practice_text().replace("- Tverrfaglig samhandling.\n  Flere", "Tverrfaglig samhandling.\n  Flere")
    return (
        text,
        line_of(text, "Tverrfaglig samhandling."),
        "tekst",
        "Seksjonen må være én punktliste («- Utsagn», med utdyping på innrykkede linjer).",
    )


def report_without_report_type():
    text = report_text().replace("report_type: sluttrapport\n", "")
    message = "Feltet må fylles ut (prosjektrapport, erfaringsrapport, sluttrapport eller evaluering)."
    return text, None, "report_type", message


def report_with_unknown_related_practice():
    text = report_text(related_practice="finnes-ikke")
    return (
        text,
        line_of(text, "related_practice:"),
        "related_practice",
        "Fant ingen praksiseksempel med slug «finnes-ikke». Importer den først.",
    )


def level_one_heading_in_report():
    text = report_text().replace("### Erfaringer", "# Erfaringer")
    return text, line_of(text, "# Erfaringer"), "tekst", "Bruk overskrifter på nivå 2 (##) eller 3 (###)."


def expandable_section_in_report():
    text = report_text() + "\n::: utvidbar Les mer\nMer tekst.\n:::\n"
    return text, line_of(text, "::: utvidbar"), "tekst", "Blokken «::: utvidbar» kan ikke brukes på denne sidetypen."


def article_without_date():
    text = article_text().replace("date: 2024-02-01\n", "")
    return text, None, "date", "Feltet må fylles ut med publiseringsdatoen (ÅÅÅÅ-MM-DD)."


def video_without_url():
    text = article_text() + "\n::: video\nEn film om kartlegging.\n:::\n"
    return text, line_of(text, "::: video"), "tekst", "::: video må følges av videoens adresse (https://…)."


def fact_box_without_title():
    text = article_text() + "\n::: faktaboks\nFakta uten tittel.\n:::\n"
    return text, line_of(text, "::: faktaboks"), "tekst", "::: faktaboks må følges av en tittel."


def utf16_file():
    content = practice_text().encode("utf-16")
    assert content[:2] == b"\xff\xfe"
    return content, 1, None, "Filen er ikke lagret som UTF-8."


def latin1_file():
    text = practice_text()
    return text.encode("latin-1"), line_of(text, "title:"), None, "Filen er ikke lagret som UTF-8."


def file_with_nul_byte():
    text = practice_text(description="En tekst med\x00et NUL-tegn.")
    return text, line_of(text, "En tekst med"), None, "Filen inneholder et NUL-tegn; den ser ikke ut som en tekstfil."


def docx_like_binary():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        docx.writestr("word/document.xml", "<w:document><w:body><w:p>Fra bostedsløs</w:p></w:body></w:document>")
    # Either complaint is right for a Word file; which comes first depends on the compressed bytes.
    return buffer.getvalue(), None, None, ("Filen er ikke lagret som UTF-8.", "den ser ikke ut som en tekstfil")


def empty_file():
    return "", 1, None, "Filen må begynne med et hode"


def front_matter_not_a_mapping():
    return "---\n- bare\n- en liste\n---\n## Beskrivelse\n", 2, None, "Hodet må være en liste med «felt: verdi»."


BAD_FILES = [
    missing_front_matter,
    unterminated_front_matter,
    invalid_yaml,
    unknown_type,
    missing_type,
    bad_slug,
    unknown_front_matter_key,
    missing_title,
    unknown_county,
    unknown_municipality,
    unknown_law,
    unregistered_paragraph,
    unknown_theme,
    unknown_status,
    period_end_before_start,
    ongoing_period_with_end,
    non_integer_year,
    fractional_year,
    bad_date,
    bad_source_url,
    unknown_section,
    duplicate_section,
    text_before_first_section,
    steps_numbered_one_three,
    step_heading_not_a_step,
    success_factors_not_a_list,
    report_without_report_type,
    report_with_unknown_related_practice,
    level_one_heading_in_report,
    expandable_section_in_report,
    article_without_date,
    video_without_url,
    fact_box_without_title,
    utf16_file,
    latin1_file,
    file_with_nul_byte,
    docx_like_binary,
    empty_file,
    front_matter_not_a_mapping,
]


@pytest.mark.parametrize("bad_file", BAD_FILES, ids=[case.__name__ for case in BAD_FILES])
def test_a_bad_file_is_reported_with_file_line_and_field_and_nothing_is_saved(db, tmp_path, bad_file):
    content, line, field, message = bad_file()
    path = write(tmp_path, BAD_FILE_NAME, content)
    before = database_counts()

    output, error = run_import(path)

    assert str(error) == "1 fil(er) ble ikke importert; se feilene over."
    (reported,) = error_lines(output)
    assert reported.startswith(f"[1/1] FEIL {path}")
    if line is not None:
        assert f", linje {line}" in reported
    if field is not None:
        assert f", felt «{field}»: " in reported
    else:
        assert "felt «" not in reported
    messages = message if isinstance(message, tuple) else (message,)
    assert any(m in reported for m in messages), reported
    assert "Import ferdig: 0 opprettet, 0 oppdatert, 0 uendret, 1 med feil." in output
    assert "Traceback" not in output
    assert database_counts() == before

    # The same location is available to code that calls the importer directly.
    with pytest.raises(ContentFileError) as raised:
        import_file(path)
    assert raised.value.path == str(path)
    if line is not None:
        assert raised.value.line == line
    assert raised.value.field == field
    assert database_counts() == before


def test_a_file_that_does_not_exist_is_reported_in_norwegian(db, tmp_path):
    missing = tmp_path / "finnes-ikke.md"

    output, _error = run_import(missing)

    (reported,) = error_lines(output)
    assert str(missing) in reported
    assert "Filen kan ikke leses" in reported


# --- errors found late: all or nothing -----------------------------------------------------------


def test_an_unregistered_paragraph_listed_last_leaves_no_page_and_no_new_tags(db, tmp_path):
    text = practice_text(
        slug="sen-feil-i-lovhenvisning",
        replace={
            "tags:": "tags: [helt nytt stikkord]",
            "  - {law: boligsosialloven": '  - {law: sosialtjenesteloven, paragraph: "999"}',
        },
    )
    path = write(tmp_path, BAD_FILE_NAME, text)
    before = database_counts()

    with pytest.raises(ContentFileError, match="sosialtjenesteloven § 999 er ikke registrert"):
        import_file(path)

    assert not PracticePage.objects.filter(slug="sen-feil-i-lovhenvisning").exists()
    assert not Tag.objects.filter(name="helt nytt stikkord").exists()
    assert database_counts() == before


def test_a_bad_section_at_the_end_of_the_body_leaves_no_page(db, tmp_path):
    text = practice_text(
        slug="sen-feil-i-teksten",
        replace={"tags:": "tags: [helt nytt stikkord]"},
        body_extra="\n## Videreføring\n\nArbeidet fortsetter.\n\n## Etterord\n\nTakk til alle.\n",
    )
    path = write(tmp_path, BAD_FILE_NAME, text)
    before = database_counts()

    with pytest.raises(ContentFileError) as raised:
        import_file(path)

    assert raised.value.line == line_of(text, "## Etterord")
    assert not PracticePage.objects.filter(slug="sen-feil-i-teksten").exists()
    assert database_counts() == before


def test_a_value_refused_by_page_validation_leaves_no_page_and_no_new_tags(db, tmp_path):
    # The period is checked by the page model, after tags and relations have been attached to the new page.
    text = practice_text(
        slug="sen-feil-i-perioden",
        replace={"tags:": "tags: [helt nytt stikkord]", "period:": "period: {start: 2016, end: 2013}"},
    )
    path = write(tmp_path, BAD_FILE_NAME, text)
    before = database_counts()

    with pytest.raises(ContentFileError, match="Sluttåret kan ikke være før startåret"):
        import_file(path)

    assert not PracticePage.objects.filter(slug="sen-feil-i-perioden").exists()
    assert not Tag.objects.filter(name="helt nytt stikkord").exists()
    assert database_counts() == before


def test_a_bad_change_to_an_existing_page_leaves_the_published_page_as_it_was(db, tmp_path):
    path = write(tmp_path, "praksis.md", practice_text(slug="endres-med-feil"))
    import_file(path)
    page = PracticePage.objects.get(slug="endres-med-feil")
    before = database_counts()

    write(
        tmp_path,
        "praksis.md",
        practice_text(
            slug="endres-med-feil",
            title="Ny tittel som ikke skal lagres",
            description="Ny tekst som ikke skal lagres.",
            replace={"tags:": "tags: [helt nytt stikkord]", "period:": "period: {start: 2016, end: 2013}"},
        ),
    )
    with pytest.raises(ContentFileError):
        import_file(path)

    after = PracticePage.objects.get(pk=page.pk)
    assert after.title == "Fra bostedsløs til beboer i prøvebyen"
    assert "Ny tekst som ikke skal lagres." not in after.description
    assert after.live_revision_id == after.latest_revision_id == page.latest_revision_id
    assert sorted(t.name for t in after.tags.all()) == ["Housing First", "prøvestikkord"]
    assert database_counts() == before


def test_a_failure_while_publishing_leaves_no_page_behind(db, tmp_path, monkeypatch):
    original_publish = Revision.publish

    def publish_then_fail(self, *args, **kwargs):
        original_publish(self, *args, **kwargs)
        raise RuntimeError("strømbrudd midt i publiseringen")

    monkeypatch.setattr(Revision, "publish", publish_then_fail)
    text = practice_text(slug="strombrudd", replace={"tags:": "tags: [helt nytt stikkord]"})
    path = write(tmp_path, "praksis.md", text)
    before = database_counts()

    with pytest.raises(RuntimeError):
        import_file(path)

    assert not PracticePage.objects.filter(slug="strombrudd").exists()
    assert not Tag.objects.filter(name="helt nytt stikkord").exists()
    assert database_counts() == before


# --- batches -------------------------------------------------------------------------------------


def test_a_batch_with_one_good_and_one_bad_file_imports_the_good_one_and_reports_the_bad_one(db, tmp_path):
    good = write(tmp_path, "praksis-god.md", practice_text(slug="god-fil-i-blandet-bunke"))
    bad = write(tmp_path, BAD_FILE_NAME, practice_text(slug="darlig-fil", replace={"county:": "county: Atlantis"}))

    output, error = run_import(good, bad)

    assert str(error) == "1 fil(er) ble ikke importert; se feilene over."
    assert PracticePage.objects.live().filter(slug="god-fil-i-blandet-bunke").exists()
    assert not PracticePage.objects.filter(slug="darlig-fil").exists()
    assert f"opprettet praksiseksempel «Fra bostedsløs til beboer i prøvebyen» ({good})" in output
    (reported,) = error_lines(output)
    assert str(bad) in reported and "Ukjent fylke «Atlantis»" in reported
    assert "Import ferdig: 1 opprettet, 0 oppdatert, 0 uendret, 1 med feil." in output


def test_an_impossible_calendar_date_is_a_reported_error_not_a_crash_of_the_whole_batch(db, tmp_path):
    # 2023-02-30 looks like a date to YAML, which cannot construct it (regression: this raised ValueError
    # out of import_content and stopped every file after it).
    text = practice_text(slug="umulig-dato", front_extra="last_reviewed: 2023-02-30\n")
    bad = write(tmp_path, "a-" + BAD_FILE_NAME, text)
    good = write(tmp_path, "b-praksis-god.md", practice_text(slug="etter-umulig-dato"))
    before_pages = PracticePage.objects.count()

    output, _error = run_import(bad, good)

    (reported,) = error_lines(output)
    assert str(bad) in reported and "linje" in reported and "Verdien kan ikke leses" in reported
    assert PracticePage.objects.filter(slug="etter-umulig-dato").exists()
    assert PracticePage.objects.count() == before_pages + 1
    assert "Import ferdig: 1 opprettet, 0 oppdatert, 0 uendret, 1 med feil." in output


def test_an_impossible_calendar_date_points_at_its_line_and_field(db, tmp_path):
    text = practice_text(front_extra="last_reviewed: 2023-02-30\n")
    path = write(tmp_path, BAD_FILE_NAME, text)

    with pytest.raises(ContentFileError) as raised:
        import_file(path)

    assert (raised.value.line, raised.value.field) == (line_of(text, "last_reviewed:"), "last_reviewed")


# --- values YAML can produce that the database cannot hold ---------------------------------------


@pytest.mark.parametrize(
    "replace",
    [
        pytest.param({"contact:": "contact: !!int abc"}, id="yaml-int-tag-on-text"),
        pytest.param({"last_reviewed:": "last_reviewed: 2023-13-01"}, id="month-13"),
        pytest.param({"last_reviewed:": "last_reviewed: 2023-01-01 25:00:00"}, id="hour-25"),
    ],
)
def test_yaml_values_that_cannot_be_constructed_are_content_errors(db, tmp_path, replace):
    (key_line,) = replace.values()
    path = write(tmp_path, BAD_FILE_NAME, practice_text(front_extra=key_line + "\n"))
    before = database_counts()

    with pytest.raises(ContentFileError, match="Verdien kan ikke leses"):
        import_file(path)

    assert database_counts() == before


@pytest.mark.parametrize(
    "front_extra",
    [
        pytest.param(
            "last_reviewed: !!timestamp i går\n",
            id="timestamp-tag-on-text",
        ),
        pytest.param(
            "contact: " + "[" * 3000 + "\n",
            id="deeply-nested-list",
        ),
        pytest.param(
            'contact: "lone surrogate \\ud800"\n',
            id="surrogate-escape",
        ),
        pytest.param(
            'contact: "NUL \\0 via escape"\n',
            id="nul-escape",
        ),
        pytest.param(
            f"tags: [{'x' * 101}]\n",
            id="tag-longer-than-100",
        ),
    ],
)
def test_hostile_front_matter_values_are_content_errors(db, tmp_path, front_extra):
    text = practice_text(front_extra=front_extra)
    if front_extra.startswith("tags:"):
        text = practice_text(replace={"tags:": front_extra.rstrip("\n")})
    path = write(tmp_path, BAD_FILE_NAME, text)
    before = database_counts()

    with pytest.raises(ContentFileError):
        import_file(path)

    assert database_counts() == before


# --- property-based: any input is imported or refused with a ContentFileError, never half-written ----

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)
SNIPPETS = [
    "---", "## Beskrivelse", "## Trinn", "### Trinn 1", "### Trinn 2: Tittel", "## Suksessfaktorer", "## Tull",
    "# Overskrift", "- Utsagn", "  utdyping", "> sitat", "> — Navn", "| a | b |", "| --- | ---: |",
    "::: faktaboks Tittel", "::: utvidbar", "::: video", "::: video https://example.com/v", ":::",
    "type: praksis", "slug: x", "title: T",
    "period: {start: 2013}", "[", "{", "*", "**fet**", "`kode`", "<b>html</b>", "", "\t", "æøå ÆØÅ – … «»",
]
LINES = st.lists(st.one_of(st.sampled_from(SNIPPETS), TEXT), max_size=12).map("\n".join)
ANY_TEXT = st.one_of(TEXT, LINES)

FRONT_KEYS = [
    "type", "slug", "title", "summary", "tags", "themes", "target_groups", "source", "municipalities", "other_actor",
    "responsible_unit", "county", "period", "status", "legal_references", "funding_sources", "evidence_level",
    "resources", "contact", "last_reviewed", "related", "municipality_size", "seo_title",
]

PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_imported_or_refused_cleanly(path):
    """Import ``path`` in a savepoint that is rolled back afterwards, so examples do not see each other."""
    with transaction.atomic():
        before = database_counts()
        try:
            result = import_file(path)
        except ContentFileError as error:
            assert error.path == str(path)
            assert str(error).startswith(str(path))
            assert database_counts() == before
        else:
            assert result.page.pk is not None
        transaction.set_rollback(True)


@PROPERTY_SETTINGS
@given(content=st.one_of(ANY_TEXT, ANY_TEXT.map(lambda t: f"---\n{t}\n---\n{t}")))
def test_any_text_as_a_whole_file_is_imported_or_refused_with_a_content_error(db, tmp_path, content):
    assert_imported_or_refused_cleanly(write(tmp_path, "vilkarlig.md", content))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400))
def test_any_bytes_as_a_whole_file_are_imported_or_refused_with_a_content_error(db, tmp_path, content):
    assert_imported_or_refused_cleanly(write(tmp_path, "vilkarlig.md", content))


@PROPERTY_SETTINGS
@given(
    key=st.sampled_from(FRONT_KEYS),
    value=st.one_of(ANY_TEXT, TEXT.map(lambda t: json.dumps(t, ensure_ascii=False))),
)
def test_any_text_as_a_front_matter_value_is_imported_or_refused_with_a_content_error(db, tmp_path, key, value):
    lines = [
        line
        for line in practice_front(slug="vilkarlig-verdi").splitlines()
        if not line.startswith(f"{key}:") and not (key == "legal_references" and line.startswith("  - "))
    ]
    lines.append(f"{key}: {value}")
    content = "---\n" + "\n".join(lines) + "\n---\n## Beskrivelse\n\nTekst.\n"
    assert_imported_or_refused_cleanly(write(tmp_path, "vilkarlig-verdi.md", content))


@PROPERTY_SETTINGS
@given(text=ANY_TEXT, where=st.sampled_from(["description", "after_steps", "end", "whole_body", "report", "article"]))
def test_any_text_in_the_body_is_imported_or_refused_with_a_content_error(db, tmp_path, text, where):
    if where == "description":
        content = practice_text(slug="vilkarlig-tekst", description=text)
    elif where == "after_steps":
        content = practice_text(slug="vilkarlig-tekst").replace("## Suksessfaktorer", f"{text}\n\n## Suksessfaktorer")
    elif where == "end":
        content = practice_text(slug="vilkarlig-tekst", body_extra=f"\n{text}\n")
    elif where == "whole_body":
        content = practice_text(slug="vilkarlig-tekst", body=text)
    elif where == "report":
        content = report_text(slug="vilkarlig-rapport") + f"\n{text}\n"
    else:
        content = article_text(slug="vilkarlig-artikkel") + f"\n{text}\n"
    assert_imported_or_refused_cleanly(write(tmp_path, "vilkarlig-tekst.md", content))
