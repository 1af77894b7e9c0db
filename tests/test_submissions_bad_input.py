"""«Del ditt eksempel» refuses bad input on every field and file with a Norwegian message and
stores nothing; the spam checks (honeypot, fill time, throttling) keep robots out."""

import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.models import Submission
from practices.submissions.forms import STEPS
from practices.submissions.throttle import LIMIT_MESSAGE
from practices.submissions.views import SESSION_KEY, TOO_FAST_MESSAGE
from tests.submission_helpers import PDF, backdate, fill_text_steps, send, upload, valid_answers, word_report
from tests.test_personal_data import identity_number

FNR = identity_number()
# Every message a visitor can get starts or contains one of these (no English from Django).
NORWEGIAN = (
    "Fyll inn", "kan ha høyst", "nulltegn", "fødselsnummer", "gyldig e-postadresse", "Velg", "Skriv e-postadressen",
    "E-postadressen kan ha", "Du må samtykke", "vedlegg", "Vedlegget", "er for stor", "er tom", "filtype",
    "ikke en PDF", "Word", "zip-arkiv", "skadet", "passord", "uvanlig raskt", "mange eksempler",
)
TEXT_STEPS = {step.slug: step for step in STEPS[:-1]}


def errors(response):
    summary = BeautifulSoup(response.content, "html.parser").find(class_="error-summary")
    return [" ".join(item.get_text(" ").split()) for item in summary.find_all("li")] if summary else []


def assert_refused_in_norwegian(response, *expected):
    assert response.status_code == 200
    found = errors(response)
    assert found, "no error summary"
    for message in found:
        assert any(word in message for word in NORWEGIAN), message
    for text in expected:
        assert any(text in message for message in found), (text, found)
    assert Submission.objects.count() == 0


def client_at(slug):
    """A visitor who has filled in every step before ``slug``."""
    client = Client()
    answers = valid_answers()
    for step in STEPS:
        if step.slug == slug:
            break
        assert client.post(f"/del-ditt-eksempel/{step.slug}/", answers[step.slug]).status_code == 302
    return client, answers


def stored(client, slug):
    state = client.session.get(SESSION_KEY) or {}
    return (state.get("answers") or {}).get(slug)


BAD_FIELDS = [
    ("hvem", "municipality", "", "Velg kommunen som har gjort arbeidet."),
    ("hvem", "municipality", "999999", "Velg en kommune fra listen."),
    ("hvem", "municipality", "Øksnes", "Velg en kommune fra listen."),
    ("hvem", "unit", "", "Fyll inn «enhet»."),
    ("hvem", "unit", "x" * 201, "«Enhet» kan ha høyst 200 tegn; du har skrevet 201."),
    ("hvem", "unit", "NAV\x00Øksnes", "nulltegn"),
    ("hvem", "contact_name", f"Kari {FNR}", "fødselsnummer"),
    ("hvem", "email", "kari.nordmann", "Skriv en gyldig e-postadresse"),
    ("hvem", "email", "", "Skriv e-postadressen din."),
    ("hvem", "email", "k" * 250 + "@x.no", "E-postadressen kan ha høyst 254 tegn."),
    ("hva", "title", "", "Fyll inn «tittel»."),
    ("hva", "summary", "s" * 601, "«Kort oppsummering» kan ha høyst 600 tegn"),
    ("hva", "background", f"Brukeren med fnr. {FNR[:6]} {FNR[6:]} fikk bolig.", "fødselsnummer"),
    ("hva", "goals", "m" * 4001, "«Mål» kan ha høyst 4000 tegn"),
    ("hva", "steps", "t" * 8001, "«Slik gjorde dere det» kan ha høyst 8000 tegn"),
    ("hvordan", "provisions", "999999", "Velg lovparagrafer fra listen."),
    ("hvordan", "user_participation", "\x00", "nulltegn"),
    ("hvordan", "financing", FNR, "fødselsnummer"),
    ("hvordan", "resources", "r" * 501, "«Ressurser» kan ha høyst 500 tegn"),
    ("resultater", "results", FNR, "fødselsnummer"),
    ("resultater", "success_factors", "f" * 3001, "«Suksessfaktorer» kan ha høyst 3000 tegn"),
    ("resultater", "challenges", "a\x00b", "nulltegn"),
    ("resultater", "continuation", "v" * 4001, "«Videreføring» kan ha høyst 4000 tegn"),
]


@pytest.mark.parametrize(("slug", "field", "value", "message"), BAD_FIELDS, ids=[f"{s}-{f}" for s, f, *_ in BAD_FIELDS])
def test_every_field_refuses_bad_input_in_norwegian_and_stores_nothing(contribute, db, slug, field, value, message):
    client, answers = client_at(slug)
    data = {**answers[slug], field: value}
    response = client.post(f"/del-ditt-eksempel/{slug}/", data)
    assert_refused_in_norwegian(response, message)
    assert stored(client, slug) is None


def test_every_text_field_is_covered_by_the_bad_input_table():
    covered = {(slug, field) for slug, field, *_ in BAD_FIELDS}
    for step in STEPS[:-1]:
        for name in step.form_class.base_fields:
            assert (step.slug, name) in covered, (step.slug, name)


VISIBLE = st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs"))
BAD_VALUES = st.one_of(
    # Visible characters repeated past every limit (whitespace alone would be stripped to nothing).
    st.tuples(st.just("long"), st.text(VISIBLE, min_size=1, max_size=5).map(lambda t: t * 9000)),
    st.tuples(st.just("nul"), st.text(max_size=40).map(lambda t: t[: len(t) // 2] + "\x00" + t[len(t) // 2:])),
    st.tuples(st.just("fnr"), st.tuples(st.text(max_size=30), st.text(max_size=30)).map(
        lambda parts: f"{parts[0]} {FNR} {parts[1]}")),
)
TEXT_FIELDS = [
    (step.slug, name)
    for step in STEPS[:-1]
    for name, field in step.form_class.base_fields.items()
    if name not in {"municipality", "provisions", "email"}
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(TEXT_FIELDS), bad=BAD_VALUES)
def test_any_bad_text_in_any_field_is_refused_in_norwegian(contribute, db, where, bad):
    slug, field = where
    kind, value = bad
    client, answers = client_at(slug)
    response = client.post(f"/del-ditt-eksempel/{slug}/", {**answers[slug], field: value})
    if kind == "fnr" and "\x00" in value:
        kind = "nul"
    expected = {"long": "kan ha høyst", "nul": "nulltegn", "fnr": "fødselsnummer"}[kind]
    if kind == "fnr" and len(value) > 200:
        expected = ""
    assert_refused_in_norwegian(response, expected)
    assert stored(client, slug) is None


# --- Files ---------------------------------------------------------------------------------------


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BAD_FILES = [
    ("rapport.docx", PDF, "Filen er en PDF, ikke et Word-dokument"),
    ("rapport.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gamle Word-formatet (.doc)"),
    ("rapport.docx", zip_bytes({"xl/workbook.xml": "<x/>"}), "Excel-regneark"),
    ("rapport.docx", zip_bytes({"hei.txt": "hei"}), "zip-arkiv, men ikke et Word-dokument"),
    ("rapport.docx", b"PK\x03\x04 skadet", "skadet"),
    ("rapport.pdf", b"<html>ikke pdf</html>", "«rapport.pdf» heter .pdf, men er ikke en PDF-fil."),
    ("rapport.pdf", b"", "Vedlegget er tomt."),
    ("program.exe", b"MZ\x90\x00", "har en filtype som ikke kan sendes inn"),
    ("rapport.doc", word_report(), "har en filtype som ikke kan sendes inn"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[m[:30] for *_, m in BAD_FILES])
def test_every_bad_file_is_refused_in_norwegian_and_nothing_is_stored(contribute, db, name, content, message):
    client = Client()
    fill_text_steps(client)
    response = send(client, files=[upload(name, content)])
    assert_refused_in_norwegian(response, message)
    assert mail.outbox == []


def test_too_large_and_too_many_files_are_refused(contribute, db, settings):
    settings.SUBMISSION_MAX_FILE_SIZE = 1000
    client = Client()
    fill_text_steps(client)
    response = send(client, files=[upload("stor.pdf", PDF + b"0" * 1000)])
    assert_refused_in_norwegian(response, "«stor.pdf» er for stor. Største tillatte størrelse er 1000 byte.")
    settings.SUBMISSION_MAX_FILE_SIZE = 10_000_000
    response = send(client, files=[upload(f"v{n}.pdf", PDF) for n in range(4)])
    assert_refused_in_norwegian(response, "Du kan sende høyst 3 vedlegg.")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.binary(max_size=2000).filter(lambda data: not data.startswith(b"%PDF-")),
    suffix=st.sampled_from([".docx", ".pdf", ".odt", ".exe", ""]),
)
def test_any_file_that_is_not_a_real_pdf_or_word_document_is_refused(contribute, db, content, suffix):
    client = Client()
    fill_text_steps(client)
    response = send(client, files=[upload(f"vedlegg{suffix}", content)])
    assert_refused_in_norwegian(response)


def test_consent_is_required(contribute, db):
    client = Client()
    fill_text_steps(client)
    response = client.post("/del-ditt-eksempel/send/", {"website": ""})
    assert_refused_in_norwegian(response, "Du må samtykke for at vi kan ta imot eksempelet.")


# --- Spam ----------------------------------------------------------------------------------------


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(contribute, db):
    client = Client()
    fill_text_steps(client)
    response = send(client, website="https://billige-klokker.example")
    assert response["Location"] == "/del-ditt-eksempel/sendt/"
    assert Submission.objects.count() == 0 and mail.outbox == []


def test_a_form_sent_faster_than_a_person_can_fill_it_is_refused(contribute, db):
    client = Client()
    fill_text_steps(client)
    backdate(client, seconds=3)  # began three seconds ago: the minimum is 20
    assert_refused_in_norwegian(send(client), TOO_FAST_MESSAGE)
    backdate(client, seconds=60)
    assert send(client).status_code == 302
    assert Submission.objects.count() == 1


def test_one_address_may_send_only_so_many_submissions_an_hour(contribute, db, settings):
    settings.SUBMISSION_LIMIT_PER_HOUR = 2
    for _ in range(2):
        client = Client()
        fill_text_steps(client)
        assert send(client).status_code == 302
    client = Client()
    fill_text_steps(client)
    response = send(client)
    assert response.status_code == 200 and LIMIT_MESSAGE in " ".join(errors(response))
    assert Submission.objects.count() == 2


def test_line_breaks_in_one_line_fields_are_joined_so_the_e_mail_subject_stays_one_line(contribute, db):
    client = Client()
    answers = valid_answers()
    answers["hva"]["title"] = "Bolig\r\nførst\ni Øksnes"
    fill_text_steps(client, answers)
    assert send(client).status_code == 302
    assert Submission.objects.get().title == "Bolig først i Øksnes"
    assert mail.outbox[0].subject == "Bekreft innsendingen: «Bolig først i Øksnes»"
