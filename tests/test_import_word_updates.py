"""Word import (issue 8): the same document twice is recognised and updates its report (no second
copy, no duplicate images); a report edited in the admin is never published over; Redaktører
import drafts in review, and so do Godkjennere (four eyes: another Godkjenner approves), while a
superuser or a user with publish rights outside the four-eyes groups may publish at once; Heading 1/2/3 keep their
hierarchy in the body and the table of contents; a cover page without the Title style gives
the title (and the import says so); underline, superscript and subscript survive the import,
the page and the editor. Word files are built with python-docx."""

import re
from io import StringIO

import docx
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from docx.shared import Pt
from wagtail.images import get_image_model
from wagtail.models import Revision

from practices.editorial import WORKFLOW_NAME
from practices.models import ImportRecord, ReportPage
from tests.editors import logged_in, make_user
from tests.test_import_editorial import edit_in_admin, make_publisher
from tests.test_import_word import ALT_TEXT, SLUG, TITLE, add_image, docx_bytes, png_bytes, report_document, save

Image = get_image_model()
IMPORT_URL = "/admin/rapporter/importer-fra-word/"
WHEN_RE = r"den \d{1,2}\. \w+ \d{4} kl\. \d{2}\.\d{2}"
COVER_TITLE = "Boligsosialt arbeid i Prøvekommunen"


@pytest.fixture
def superuser(db):
    return make_user("sara.superbruker", is_superuser=True, is_staff=True, first_name="Sara", last_name="Superbruker")


def run_import(*args):
    out = StringIO()
    call_command("import_report", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def messages_of(response):
    return [BeautifulSoup(str(m), "html.parser").get_text(" ", strip=True) for m in response.context["messages"]]


def upload(content, name="Sluttrapport.docx", **extra):
    return {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream"), **extra}


def second_version():
    document = report_document()
    document.add_paragraph("Tillegg i andre versjon.")
    return document


def cover_document():
    """A report without the Title style: a cover page with large text, then the report."""
    document = docx.Document()
    document.add_paragraph().add_run(COVER_TITLE).font.size = Pt(28)
    document.add_paragraph().add_run("Sluttrapport 2024").font.size = Pt(14)
    document.add_page_break()
    document.add_heading("Innledning", level=1)
    paragraph = document.add_paragraph("Boligen er på 45 m")
    paragraph.add_run("2").font.superscript = True
    paragraph.add_run(" og varmes uten CO")
    paragraph.add_run("2").font.subscript = True
    paragraph.add_run("-utslipp. Det er ")
    paragraph.add_run("viktig").underline = True
    paragraph.add_run(".")
    document.add_heading("Metode", level=2)
    document.add_paragraph("Intervjuer.")
    document.add_heading("Utvalg", level=3)
    document.add_paragraph("Tolv husstander.")
    document.add_heading("Resultater", level=1)
    document.add_paragraph("Alle fikk bolig.")
    return document


# --- The same file twice: an update, not a copy -----------------------------------------------------


def test_the_same_word_file_twice_is_recognised_and_makes_no_copy(report_index, tmp_path, redaktor):
    path = save(report_document(), tmp_path)
    run_import(path, "--user", redaktor.username)
    page = ReportPage.objects.get(slug=SLUG)
    counts = (ReportPage.objects.count(), Revision.objects.count(), Image.objects.count())

    output = run_import(path, "--user", redaktor.username)

    assert f"Filen er allerede importert som «{TITLE}» (id {page.pk}); oppdaterer den." in output
    assert f"Rapport uendret: «{TITLE}» er allerede importert fra denne filen." in output
    assert (ReportPage.objects.count(), Revision.objects.count(), Image.objects.count()) == counts
    record = ImportRecord.objects.get(page=page)
    assert record.kind == "word" and record.source_name == "rapport.docx"
    assert len(record.sha256) == 64


def test_update_replaces_the_body_with_a_new_version_and_reuses_its_images(report_index, tmp_path, superuser):
    run_import(save(report_document(), tmp_path), "--user", superuser.username, "--publish")
    page = ReportPage.objects.get(slug=SLUG)
    image = next(block.value["image"] for block in page.body if block.block_type == "image")
    images = Image.objects.count()

    output = run_import(
        save(second_version(), tmp_path, "v2.docx"), "--user", superuser.username, "--publish", "--update", SLUG
    )

    page = ReportPage.objects.get(pk=page.pk)
    assert ReportPage.objects.filter(title=TITLE).count() == 1
    assert "Tillegg i andre versjon." in str(page.body)
    assert page.live and not page.has_unpublished_changes
    assert Image.objects.count() == images
    assert next(block.value["image"] for block in page.body if block.block_type == "image").pk == image.pk
    assert "1 av dem fantes fra før i bildebiblioteket og ble gjenbrukt" in output
    assert "Rapport oppdatert" in output


def test_the_same_image_in_another_document_is_reused(report_index, tmp_path, redaktor):
    run_import(save(report_document(), tmp_path), "--user", redaktor.username)
    images = Image.objects.count()
    other = docx.Document()
    other.add_heading("En annen rapport", level=0)
    add_image(other, "Samme bilde, annen rapport")

    run_import(save(other, tmp_path, "annen.docx"), "--user", redaktor.username)

    assert Image.objects.count() == images
    page = ReportPage.objects.get(title="En annen rapport")
    assert page.body[0].value["alt_text"] == "Samme bilde, annen rapport"  # the document's own alt text


def test_an_update_of_a_report_edited_in_the_admin_stops_and_keeps_the_edit(
    report_index, tmp_path, godkjenner, godkjenner2, superuser
):
    run_import(save(report_document(), tmp_path), "--user", superuser.username, "--publish")
    page = edit_in_admin(
        godkjenner, ReportPage.objects.get(slug=SLUG), approved_by=godkjenner2, summary="Godkjennerens ingress."
    )
    revisions = page.revisions.count()

    with pytest.raises(CommandError) as excinfo:
        run_import(save(second_version(), tmp_path, "v2.docx"), "--user", godkjenner.username, "--update", SLUG)

    message = str(excinfo.value)
    assert message.startswith("Ingenting ble importert. v2.docx: ")
    assert re.search(rf"«{TITLE}» er redigert i admin av Gunnar Godkjenner \(gunnar\.godkjenner\) {WHEN_RE}", message)
    assert "--draft-if-edited" in message
    page = ReportPage.objects.get(pk=page.pk)
    assert page.revisions.count() == revisions
    assert page.summary == "Godkjennerens ingress."


def test_draft_if_edited_saves_the_new_version_beside_the_edit_for_review(
    report_index, tmp_path, godkjenner, godkjenner2, superuser
):
    run_import(save(report_document(), tmp_path), "--user", superuser.username, "--publish")
    edit_in_admin(
        godkjenner, ReportPage.objects.get(slug=SLUG), approved_by=godkjenner2, summary="Godkjennerens ingress."
    )

    output = run_import(
        save(second_version(), tmp_path, "v2.docx"),
        "--user", superuser.username, "--publish", "--update", SLUG, "--draft-if-edited",
    )

    page = ReportPage.objects.get(slug=SLUG)
    assert "Tillegg i andre versjon." not in str(page.body)  # the live page is unchanged
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert "Tillegg i andre versjon." in str(draft.body)
    assert draft.summary == "Godkjennerens ingress."  # what the file does not carry is kept
    assert page.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert "utkast ved siden av redaktørens endring, sendt til «Faglig godkjenning»" in output


def test_a_failing_update_writes_nothing(report_index, tmp_path, monkeypatch, superuser):
    run_import(save(report_document(), tmp_path), "--user", superuser.username, "--publish")
    page = ReportPage.objects.get(slug=SLUG)
    before = (Revision.objects.count(), ImportRecord.objects.count(), Image.objects.count())

    def fail(*args, **kwargs):
        raise RuntimeError("publisering feilet")

    monkeypatch.setattr(Revision, "publish", fail)
    with pytest.raises(RuntimeError):
        run_import(save(second_version(), tmp_path, "v2.docx"), "--user", superuser.username, "--publish",
                   "--update", SLUG)

    assert (Revision.objects.count(), ImportRecord.objects.count(), Image.objects.count()) == before
    assert "Tillegg i andre versjon." not in str(ReportPage.objects.get(pk=page.pk).body)


def test_a_bare_markdown_report_imported_twice_is_one_report(report_index, tmp_path, redaktor):
    path = tmp_path / "notat.md"
    path.write_text("# Rapport om bostøtte\n\nInnledende tekst.\n", encoding="utf-8")
    run_import(path, "--user", redaktor.username)
    revisions = Revision.objects.count()

    output = run_import(path, "--user", redaktor.username)

    assert ReportPage.objects.filter(title="Rapport om bostøtte").count() == 1
    assert Revision.objects.count() == revisions
    assert "Rapport uendret" in output


def test_publish_needs_a_user_who_may_publish_reports(report_index, tmp_path, redaktor):
    path = save(report_document(), tmp_path)
    with pytest.raises(CommandError, match="--publish krever --user BRUKERNAVN"):
        run_import(path, "--publish")
    with pytest.raises(CommandError, match="Brukeren «rita.redaktor» har ikke lov til å publisere under «Rapporter»"):
        run_import(path, "--publish", "--user", redaktor.username)
    assert not ReportPage.objects.filter(slug=SLUG).exists()
    assert not Image.objects.filter(title=ALT_TEXT).exists()


# --- Headings, the cover page and inline formatting ------------------------------------------------


def test_a_cover_page_without_the_title_style_gives_the_title_and_the_import_says_so(report_index, tmp_path):
    output = run_import(save(cover_document(), tmp_path, "rapport.docx"))

    page = ReportPage.objects.get(title=COVER_TITLE)
    assert (
        f"Merk: Dokumentet har ingen tekst i stilen «Tittel». Tittelen «{COVER_TITLE}» er gjettet ut fra den "
        "største teksten på forsiden; sjekk den."
    ) in output
    assert page.body[0].block_type == "paragraph"
    assert page.body[0].value.source == "<p>Sluttrapport 2024</p>"  # the rest of the cover stays
    assert COVER_TITLE not in str(page.body)


def test_headings_keep_their_hierarchy_in_the_body_and_the_table_of_contents(report_index, tmp_path, superuser):
    run_import(save(cover_document(), tmp_path), "--user", superuser.username, "--publish")
    page = ReportPage.objects.get(title=COVER_TITLE)
    assert [(b.value["text"], b.value["level"]) for b in page.body if b.block_type == "heading"] == [
        ("Innledning", "h2"), ("Metode", "h3"), ("Utvalg", "h4"), ("Resultater", "h2"),
    ]

    soup = BeautifulSoup(Client().get(page.url).content, "html.parser")
    toc = soup.select_one("nav.toc > ol")
    top = toc.find_all("li", recursive=False)
    assert [li.a.get_text(strip=True) for li in top] == ["Innledning", "Resultater"]
    second = top[0].find("ol").find_all("li", recursive=False)
    assert [li.a.get_text(strip=True) for li in second] == ["Metode"]
    third = second[0].find("ol").find_all("li", recursive=False)
    assert [(li.a.get_text(strip=True), li.a["href"]) for li in third] == [("Utvalg", "#utvalg")]
    body = soup.select_one(".body")
    assert body.find("h4", id="utvalg").get_text(strip=True) == "Utvalg"
    assert body.find("h3", id="metode") is not None


def test_underline_superscript_and_subscript_survive_the_page_and_the_editor(
    report_index, tmp_path, godkjenner, godkjenner2, superuser
):
    run_import(save(cover_document(), tmp_path), "--user", superuser.username, "--publish")
    page = ReportPage.objects.get(title=COVER_TITLE)
    expected = "<p>Boligen er på 45 m<sup>2</sup> og varmes uten CO<sub>2</sub>-utslipp. Det er <u>viktig</u>.</p>"
    assert page.body[2].value.source == expected

    html = Client().get(page.url).content.decode()
    assert "45 m<sup>2</sup>" in html and "CO<sub>2</sub>" in html and "<u>viktig</u>" in html

    # Saved again through the editor (Draftail), the formatting is still there.
    edited = edit_in_admin(godkjenner, page, approved_by=godkjenner2, summary="Lagret i redigeringsvinduet.")
    assert edited.summary == "Lagret i redigeringsvinduet."
    source = edited.body[2].value.source
    assert "<sup>2</sup>" in source and "<sub>2</sub>" in source and "<u>viktig</u>" in source


# --- The admin view: Redaktør, Godkjenner and who may publish -------------------------------------


def test_a_redaktors_upload_becomes_a_draft_in_review_and_cannot_be_published(report_index, redaktor):
    client = logged_in(redaktor)
    form = BeautifulSoup(client.get(IMPORT_URL).content, "html.parser")
    assert form.find("input", {"name": "publish"}) is None
    assert "Importer som utkast" in form.get_text()

    response = client.post(IMPORT_URL, upload(docx_bytes(report_document()), publish="on"), follow=True)

    page = ReportPage.objects.get(slug=SLUG)
    assert not page.live
    assert page.current_workflow_state.requested_by == redaktor
    assert page.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert (
        "Utkast opprettet fra «Sluttrapport.docx» og sendt til godkjenning («Faglig godkjenning»). Se gjennom utkastet."
        in messages_of(response)
    )


def test_a_godkjenner_is_not_offered_publish_at_once_and_a_forged_publish_is_ignored(report_index, godkjenner):
    """Four eyes: a Godkjenner's own import goes to «Faglig godkjenning» for another Godkjenner."""
    client = logged_in(godkjenner)
    form = BeautifulSoup(client.get(IMPORT_URL).content, "html.parser")
    assert form.find("input", {"name": "publish"}) is None
    assert "Publiser med en gang" not in form.get_text()
    assert "Importer som utkast" in form.get_text()

    response = client.post(IMPORT_URL, upload(docx_bytes(report_document()), publish="on"), follow=True)

    page = ReportPage.objects.get(slug=SLUG)
    assert not page.live and page.live_revision is None
    assert page.current_workflow_state.requested_by == godkjenner
    assert page.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert (
        "Utkast opprettet fra «Sluttrapport.docx» og sendt til godkjenning («Faglig godkjenning»). Se gjennom utkastet."
        in messages_of(response)
    )
    assert page.url and Client().get(page.url).status_code == 404


def test_a_godkjenner_may_not_publish_their_own_import_from_the_command_line(report_index, tmp_path, godkjenner):
    path = save(report_document(), tmp_path)
    with pytest.raises(CommandError, match="er godkjenner i arbeidsflyten «Faglig godkjenning» og kan ikke publisere"):
        run_import(path, "--publish", "--user", godkjenner.username)
    assert not ReportPage.objects.filter(slug=SLUG).exists()
    assert not Image.objects.filter(title=ALT_TEXT).exists()


@pytest.mark.parametrize("who", ["superbruker", "nettredaktør"])
def test_a_user_who_may_publish_directly_may_tick_publish_at_once(report_index, superuser, who):
    user = superuser if who == "superbruker" else make_publisher("nina.nettredaktor")
    client = logged_in(user)
    form = BeautifulSoup(client.get(IMPORT_URL).content, "html.parser")
    checkbox = form.find("input", {"name": "publish"})
    assert checkbox["type"] == "checkbox"
    assert form.find("label", {"for": checkbox["id"]}).get_text(strip=True) == "Publiser med en gang"

    response = client.post(IMPORT_URL, upload(docx_bytes(report_document()), publish="on"), follow=True)

    page = ReportPage.objects.get(slug=SLUG)
    assert page.live and not page.workflow_in_progress
    assert page.live_revision.user == user
    assert f"Rapporten «{TITLE}» er opprettet fra «Sluttrapport.docx» og publisert." in messages_of(response)
    assert Client().get(page.url).status_code == 200


def test_a_godkjenner_who_does_not_tick_publish_gets_a_draft_in_review(report_index, godkjenner):
    logged_in(godkjenner).post(IMPORT_URL, upload(docx_bytes(report_document())))
    page = ReportPage.objects.get(slug=SLUG)
    assert not page.live and page.workflow_in_progress


def test_the_same_file_again_is_offered_as_an_update_not_a_copy(report_index, redaktor, superuser):
    content = docx_bytes(report_document())
    logged_in(superuser).post(IMPORT_URL, upload(content, publish="on"))
    page = ReportPage.objects.get(slug=SLUG)
    client = logged_in(redaktor)
    counts = (ReportPage.objects.count(), Image.objects.count(), Revision.objects.count())

    response = client.post(IMPORT_URL, upload(content, "kopi.docx"))

    assert response.status_code == 200
    assert (ReportPage.objects.count(), Image.objects.count(), Revision.objects.count()) == counts
    soup = BeautifulSoup(response.content, "html.parser")
    notice = soup.find(id="already-imported").get_text(" ", strip=True)
    assert f"Denne filen er allerede importert som « {TITLE} »" in notice or (
        f"Denne filen er allerede importert som «{TITLE}»" in notice
    )
    assert "publisert; importert" in notice and "av Sara Superbruker (sara.superbruker)" in notice
    assert soup.find(id="already-imported").find("a")["href"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert soup.find("input", {"name": "update"})["value"] == str(page.pk)
    assert "Oppdater rapporten" in soup.find("form").get_text()

    # The editor confirms with a new version of the document: the same report gets a new draft.
    response = client.post(IMPORT_URL, upload(docx_bytes(second_version()), "v2.docx", update=page.pk), follow=True)

    assert response.redirect_chain[0] == (reverse("wagtailadmin_pages:edit", args=[page.pk]), 302)
    assert ReportPage.objects.count() == counts[0]
    assert Image.objects.count() == counts[1]  # the image is reused
    page = ReportPage.objects.get(pk=page.pk)
    assert page.live and page.has_unpublished_changes  # the Redaktør's update waits for approval
    assert "Tillegg i andre versjon." in str(page.get_latest_revision_as_object().body)
    assert page.current_workflow_state.requested_by == redaktor
    assert f"«{TITLE}» er oppdatert som utkast fra «v2.docx»" in messages_of(response)[0]


def test_an_update_through_the_admin_of_an_edited_report_is_a_draft_for_review(
    report_index, redaktor, godkjenner, godkjenner2, superuser
):
    logged_in(superuser).post(IMPORT_URL, upload(docx_bytes(report_document()), publish="on"))
    page = edit_in_admin(
        godkjenner, ReportPage.objects.get(slug=SLUG), approved_by=godkjenner2, summary="Godkjennerens ingress."
    )

    response = logged_in(godkjenner).post(
        IMPORT_URL, upload(docx_bytes(second_version()), "v2.docx", update=page.pk, publish="on"), follow=True
    )

    page = ReportPage.objects.get(pk=page.pk)
    assert page.summary == "Godkjennerens ingress." and "Tillegg i andre versjon." not in str(page.body)
    assert "Tillegg i andre versjon." in str(page.get_latest_revision_as_object().body)
    message = messages_of(response)[0]
    assert re.search(rf"«{TITLE}» er redigert av Gunnar Godkjenner \(gunnar\.godkjenner\) {WHEN_RE}", message)
    assert "Filens versjon er lagret som et utkast til gjennomgang og sendt til «Faglig godkjenning»" in message
    assert "den er ikke publisert" in message


def test_an_image_unknown_to_the_library_is_stored_once(report_index, redaktor):
    document = report_document()
    add_image(document, "Et nytt bilde", png_bytes(colour="purple"))
    before = Image.objects.count()
    client = logged_in(redaktor)
    client.post(IMPORT_URL, upload(docx_bytes(document)))
    assert Image.objects.count() == before + 2
    client.post(IMPORT_URL, upload(docx_bytes(document), update=ReportPage.objects.get(slug=SLUG).pk))
    assert Image.objects.count() == before + 2
