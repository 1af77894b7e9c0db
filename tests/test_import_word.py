"""Import from Word: a .docx built here with python-docx becomes a draft report with the right
blocks, from the command line (``import_report``) and from the admin view «Importer rapport fra
Word»; files that are not readable Word documents give a Norwegian message and create nothing;
a Markdown report goes through the same command and the content importer."""

import io
import os
import zipfile
from io import StringIO

import docx
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx.enum.text import WD_BREAK
from docx.shared import Inches
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page, Revision

from practices.importing.html_blocks import convert_html
from practices.models import ReportIndexPage, ReportPage
from tests.content_files import line_of, report_text, write

Image = get_image_model()

TITLE = "Sluttrapport fra Word-prosjektet"
SLUG = "sluttrapport-fra-word-prosjektet"
ALT_TEXT = "Beboere maler veggen i en fellesstue"
QUOTE = "«Vi ble sett for første gang.»"
IMPORT_URL = "/admin/rapporter/importer-fra-word/"


# --- Building Word documents --------------------------------------------------------------------


def png_bytes(size=(40, 20), colour="teal"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def add_image(document, alt_text, data=None):
    run = document.add_paragraph().add_run()
    shape = run.add_picture(io.BytesIO(data or png_bytes()), width=Inches(2))
    shape._inline.docPr.set("descr", alt_text)  # Word's «Alternativ tekst»
    return shape


def bold_row(row):
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def add_table(document, rows, bold_header=False):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    if bold_header:
        bold_row(table.rows[0])
    return table


def report_document():
    """A report as an editor writes it in Word, with every kind of content the import maps."""
    document = docx.Document()
    document.add_heading(TITLE, level=0)  # the Title style
    document.add_heading("Innledning", level=1)
    paragraph = document.add_paragraph("Prosjektet fulgte opp ")
    paragraph.add_run("leietakere").bold = True
    paragraph.add_run(" med ")
    paragraph.add_run("husleierestanser").italic = True
    paragraph.add_run(".")
    document.add_paragraph("Hjemmebesøk", style="List Bullet")
    document.add_paragraph("Samtaler", style="List Bullet")
    document.add_paragraph("Kartlegging", style="List Number")
    document.add_paragraph("Oppfølging", style="List Number")
    document.add_heading("Resultater", level=2)
    add_table(document, [["Tiltak", "Antall"], ["Hjemmebesøk", "120"], ["Samtaler", "1 234"]], bold_header=True)
    document.add_heading("Bilder fra prosjektet", level=3)
    add_image(document, ALT_TEXT)
    document.add_paragraph().add_run(QUOTE).italic = True
    document.add_paragraph("— Deltaker i prosjektet")
    document.add_heading("Avslutning", level=1)
    document.add_paragraph("Tett oppfølging virker.")
    return document


def save(document, directory, name="rapport.docx"):
    path = directory / name
    document.save(path)
    return path


def docx_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def publisher():
    """A user allowed to publish reports (--publish needs one)."""
    user, _created = get_user_model().objects.get_or_create(
        username="importsjef", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def run_import(*args):
    args = [str(a) for a in args]
    if "--publish" in args:
        args += ["--user", publisher().username]
    out = StringIO()
    call_command("import_report", *args, stdout=out)
    return out.getvalue()


def stored_image_files():
    folder = os.path.join(settings.MEDIA_ROOT, "original_images")
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": Image.objects.count(),
        "image files": len(stored_image_files()),
    }


def blocks_of(page):
    return [(block.block_type, block.value) for block in page.body]


@pytest.fixture
def report_index(db):
    return ReportIndexPage.objects.get()


# --- The command: a Word report becomes a draft -----------------------------------------------


def test_word_report_becomes_a_draft_with_every_block(report_index, tmp_path):
    output = run_import(save(report_document(), tmp_path))

    page = ReportPage.objects.get(slug=SLUG)
    assert page.title == TITLE
    assert page.get_parent().pk == report_index.pk
    assert not page.live
    assert page.has_unpublished_changes
    assert page.report_type == "sluttrapport"  # from the word in the title
    assert page.latest_revision is not None

    types = [block_type for block_type, _value in blocks_of(page)]
    assert types == ["heading", "paragraph", "heading", "table", "heading", "image", "quote", "heading", "paragraph"]
    headings = [(value["text"], value["level"]) for block_type, value in blocks_of(page) if block_type == "heading"]
    # Heading 1, 2 and 3 keep their hierarchy as h2, h3 and h4; the title is not repeated.
    assert headings == [
        ("Innledning", "h2"),
        ("Resultater", "h3"),
        ("Bilder fra prosjektet", "h4"),
        ("Avslutning", "h2"),
    ]

    text = page.body[1].value.source
    assert "<p>Prosjektet fulgte opp <b>leietakere</b> med <i>husleierestanser</i>.</p>" in text
    assert "<ul><li>Hjemmebesøk</li><li>Samtaler</li></ul>" in text
    assert "<ol><li>Kartlegging</li><li>Oppfølging</li></ol>" in text

    table = page.body[3].value
    assert table["first_row_is_table_header"] is True
    assert table["data"] == [["Tiltak", "Antall"], ["Hjemmebesøk", "120"], ["Samtaler", "1 234"]]

    figure = page.body[5].value
    assert isinstance(figure["image"], Image)
    assert figure["alt_text"] == ALT_TEXT
    assert figure["image"].title == ALT_TEXT
    assert (figure["image"].width, figure["image"].height) == (40, 20)
    assert figure["image"].file.storage.exists(figure["image"].file.name)

    quote = page.body[6].value
    assert quote["text"] == QUOTE
    assert quote["attribution"] == "Deltaker i prosjektet"

    assert "utkast, sendt til «Faglig godkjenning»" in output
    assert f"/admin/pages/{page.pk}/edit/" in output
    assert "1 bilde(r)" in output


def test_publish_flag_publishes_a_page_that_renders(client, report_index, tmp_path):
    output = run_import(save(report_document(), tmp_path), "--publish")

    page = ReportPage.objects.get(slug=SLUG)
    assert page.live
    assert "publisert" in output
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == TITLE
    assert soup.find("img", alt=ALT_TEXT) is not None
    assert [th.get_text(strip=True) for th in soup.select("table thead th")] == ["Tiltak", "Antall"]
    assert "Vi ble sett for første gang." in soup.find("blockquote").get_text()


def test_parent_option_and_unique_slugs(report_index, tmp_path):
    # Three different documents with the same title (the same file again updates its report instead).
    paths = []
    for number in range(3):
        document = report_document()
        document.add_paragraph(f"Versjon {number}.")
        paths.append(save(document, tmp_path, f"rapport-{number}.docx"))
    run_import(paths[0], "--parent", report_index.slug)
    run_import(paths[1])
    run_import(paths[2])
    assert sorted(ReportPage.objects.filter(title=TITLE).values_list("slug", flat=True)) == [
        SLUG,
        f"{SLUG}-2",
        f"{SLUG}-3",
    ]


def test_unknown_parent_is_refused(report_index, tmp_path):
    before = counts()
    with pytest.raises(CommandError, match="Fant ingen rapportoversikt med slug «finnes-ikke»"):
        run_import(save(report_document(), tmp_path), "--parent", "finnes-ikke")
    assert counts() == before


def test_report_type_option(report_index, tmp_path):
    run_import(save(report_document(), tmp_path), "--report-type", "evaluering")
    assert ReportPage.objects.get(slug=SLUG).report_type == "evaluering"


# --- Titles, tables and quotes -------------------------------------------------------------------


def test_without_title_style_the_first_heading_is_the_title(report_index, tmp_path):
    document = docx.Document()
    document.add_paragraph("Utarbeidet av prosjektgruppen.")
    document.add_heading("Erfaringer med boligkontakt", level=1)
    document.add_heading("Bakgrunn", level=1)
    document.add_paragraph("Tekst.")
    run_import(save(document, tmp_path))

    page = ReportPage.objects.get(title="Erfaringer med boligkontakt")
    assert page.slug == "erfaringer-med-boligkontakt"
    assert page.report_type == "erfaringsrapport"
    assert [(t, v if t != "heading" else (v["text"], v["level"])) for t, v in blocks_of(page)][1] == (
        "heading",
        ("Bakgrunn", "h2"),
    )
    assert all(v["text"] != page.title for t, v in blocks_of(page) if t == "heading")


def test_without_any_heading_the_file_name_is_the_title(report_index, tmp_path):
    document = docx.Document()
    document.add_paragraph("Bare tekst.")
    run_import(save(document, tmp_path, "Årsrapport_boligkontoret.docx"))

    page = ReportPage.objects.get(title="Årsrapport boligkontoret")
    assert page.slug == "arsrapport-boligkontoret"
    assert page.report_type == "prosjektrapport"


@pytest.mark.parametrize(
    "rows, bold_header, header",
    [
        ([["Tiltak", "Antall"], ["Hjemmebesøk", "120"]], True, True),  # a bold first row
        ([["Tiltak", "Antall"], ["Hjemmebesøk", "120"]], False, True),  # text above numbers
        ([["Navn", "Rolle"], ["Kari", "Prosjektleder"]], False, False),  # nothing says header
        ([["2022", "2023"], ["120", "140"]], False, False),  # numbers in the first row
    ],
)
def test_when_the_first_row_is_a_header(rows, bold_header, header):
    document = docx.Document()
    document.add_heading("Tabell", level=1)
    add_table(document, rows, bold_header=bold_header)
    word = _read(document)
    table = next(block["value"] for block in word.blocks if block["type"] == "table")
    assert table["first_row_is_table_header"] is header
    assert table["data"] == rows


def test_bold_body_cells_are_marked_as_subtotals():
    document = docx.Document()
    table = add_table(document, [["Tiltak", "Antall"], ["Hjemmebesøk", "120"], ["Sum", "120"]], bold_header=True)
    bold_row(table.rows[2])
    word = _read(document)
    assert word.blocks[0]["value"]["data"][2] == ["**Sum**", "**120**"]


def test_quote_styles_and_what_is_not_a_quote():
    document = docx.Document()
    document.add_heading("Sitater", level=1)
    document.add_paragraph("Boligen er grunnmuren.", style="Quote")
    document.add_paragraph("– Prosjektleder")
    document.add_paragraph().add_run("Bare kursiv tekst uten anførselstegn.").italic = True
    mixed = document.add_paragraph()
    mixed.add_run("«Halvveis kursiv»").italic = True
    mixed.add_run(" og resten ikke.")
    line_break = document.add_paragraph()
    run = line_break.add_run("“Vi fikk en nøkkel.”")
    run.italic = True
    run.add_break(WD_BREAK.LINE)
    line_break.add_run("— Beboer")
    word = _read(document)

    quotes = [block["value"] for block in word.blocks if block["type"] == "quote"]
    assert quotes == [
        {"text": "Boligen er grunnmuren.", "attribution": "Prosjektleder"},
        {"text": "“Vi fikk en nøkkel.”", "attribution": "Beboer"},
    ]
    paragraph = next(block["value"] for block in word.blocks if block["type"] == "paragraph")
    assert "<p><i>Bare kursiv tekst uten anførselstegn.</i></p>" in paragraph
    assert "<p><i>«Halvveis kursiv»</i> og resten ikke.</p>" in paragraph


def test_rich_text_keeps_only_what_the_editor_offers():
    converted = convert_html(
        '<h1>Tittel</h1><p><a id="_Toc1"></a>Se <a href="https://www.husbanken.no/">Husbanken</a>, '
        '<a href="javascript:alert(1)">ikke dette</a>, <u>understrek</u> og <s>gjennomstreking</s>'
        '<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup>.</p>'
        '<ul><li>Ett<ul><li>Under</li></ul></li></ul>'
        '<ol><li id="footnote-1"><p>Kilde: NOU 2011:15. <a href="#footnote-ref-1">↑</a></p></li></ol>'
    )
    assert converted.title == "Tittel"
    assert converted.blocks[0] == {
        "type": "paragraph",
        "value": '<p>Se <a href="https://www.husbanken.no/">Husbanken</a>, ikke dette, <u>understrek</u> og '
        "gjennomstreking<sup>[1]</sup>.</p><ul><li>Ett<ul><li>Under</li></ul></li></ul>",
    }
    assert converted.blocks[1] == {"type": "heading", "value": {"text": "Noter", "level": "h2"}}
    assert converted.blocks[2] == {"type": "paragraph", "value": "<ol><li>Kilde: NOU 2011:15. </li></ol>"}


def test_captions_go_to_the_image_and_the_table():
    document = docx.Document()
    document.add_heading("Figurer", level=1)
    add_image(document, "Et kart")
    document.add_paragraph("Figur 1: Kart over Nes", style="Caption")
    document.add_paragraph("Tabell 1: Tiltak", style="Caption")
    add_table(document, [["Tiltak", "Antall"], ["Hjemmebesøk", "120"]])
    word = _read(document)
    assert [block["type"] for block in word.blocks] == ["image", "table"]
    assert word.blocks[0]["value"]["caption"] == "Figur 1: Kart over Nes"
    assert word.blocks[1]["value"]["table_caption"] == "Tabell 1: Tiltak"


def test_an_image_in_a_table_follows_the_table():
    document = docx.Document()
    table = add_table(document, [["Tiltak", "Bilde"], ["Maling", ""]], bold_header=True)
    shape = table.cell(1, 1).paragraphs[0].add_run().add_picture(io.BytesIO(png_bytes()), width=Inches(1))
    shape._inline.docPr.set("descr", "Nymalt stue")
    word = _read(document)
    assert [block["type"] for block in word.blocks] == ["table", "image"]
    assert word.blocks[1]["value"]["alt_text"] == "Nymalt stue"
    assert word.warnings[1:] == ["Bilder inne i en tabell ble flyttet ut og står under tabellen."]
    assert "filnavnet «test.docx» ble brukt" in word.warnings[0]  # no title anywhere: says so


def test_an_unreadable_image_is_skipped_with_a_warning(report_index, tmp_path):
    document = report_document()
    add_image(document, "Ødelagt figur", png_bytes(colour="orange"))  # different bytes: its own part
    path = save(document, tmp_path)
    damaged = tmp_path / "skadet-bilde.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        assert "word/media/image2.png" in source.namelist()
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"ikke et bilde" if item.filename == "word/media/image2.png" else data)

    output = run_import(damaged)

    page = ReportPage.objects.get(slug=SLUG)
    images = [value for block_type, value in blocks_of(page) if block_type == "image"]
    assert [image["alt_text"] for image in images] == [ALT_TEXT]
    assert "Merk: Bilde nr. 2 («Ødelagt figur») kan ikke leses og ble hoppet over." in output


def _read(document):
    from practices.importing.docx import read_docx

    return read_docx(io.BytesIO(docx_bytes(document)), "test.docx")


# --- Files that are not readable Word documents ---------------------------------------------------


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def damaged_document_xml():
    source = docx_bytes(report_document())
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["word/document.xml"] = b"<w:document><w:body><w:p>uten slutt"
    return zip_bytes(files)


BAD_FILES = {
    "text renamed .docx": (b"Dette er bare tekst.\n", "ikke et Word-dokument (.docx)"),
    "zip without word/document.xml": (zip_bytes({"notater.txt": b"hei"}), "zip-arkiv, men ikke et Word-dokument"),
    "random bytes": (bytes(range(256)) * 40, "ikke et Word-dokument (.docx)"),
    "empty file": (b"", "Filen er tom"),
    "password-protected": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64,
        "beskyttet med passord",
    ),
    "old .doc renamed": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "gamle Word-formatet (.doc)"),
    "odt renamed": (
        zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
        ".odt",
    ),
    "damaged document.xml": (damaged_document_xml(), "skadet"),
    "truncated zip": (docx_bytes(report_document())[:2000], "skadet"),
    "too large": (b"PK" + b"\x00" * (20 * 1024 * 1024), "for stor"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_give_a_norwegian_message_and_create_nothing(report_index, tmp_path, name):
    content, message = BAD_FILES[name]
    path = write(tmp_path, "rapport.docx", content)
    before = counts()
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert "Ingenting ble importert" in str(error.value)
    assert message in str(error.value)
    assert "rapport.docx" in str(error.value)
    assert counts() == before


def test_a_failure_while_saving_leaves_no_images_behind(report_index, tmp_path, monkeypatch):
    path = save(report_document(), tmp_path)
    before = counts()

    def fail(*args, **kwargs):
        raise RuntimeError("databasen svarte ikke")

    monkeypatch.setattr(ReportPage, "save_revision", fail)
    with pytest.raises(RuntimeError):
        run_import(path)
    assert counts() == before
    assert not ReportPage.objects.filter(slug=SLUG).exists()


def test_other_file_types_are_refused(report_index, tmp_path):
    with pytest.raises(CommandError, match=r"\.docx"):
        run_import(write(tmp_path, "rapport.doc", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(CommandError, match="Filtypen «.pdf» kan ikke importeres"):
        run_import(write(tmp_path, "rapport.pdf", b"%PDF-1.7"))


# --- Markdown reports go through the same command --------------------------------------------------


def test_markdown_report_goes_through_the_content_importer(report_index, tmp_path):
    output = run_import(write(tmp_path, "rapport.md", report_text(slug="markdown-sluttrapport")))

    page = ReportPage.objects.get(slug="markdown-sluttrapport")
    assert not page.live  # a draft, as with Word
    assert page.import_checksum  # written by the content importer
    assert page.report_type == "sluttrapport"
    assert [t for t, _v in blocks_of(page)] == [
        "heading", "paragraph", "table", "quote", "fact_box", "heading", "paragraph",
    ]
    assert f"/admin/pages/{page.pk}/edit/" in output

    assert "Rapport opprettet" in output

    output = run_import(write(tmp_path, "rapport.md", report_text(slug="markdown-sluttrapport")), "--publish")
    page.refresh_from_db()
    assert page.live
    assert "Rapport oppdatert" in output
    assert ReportPage.objects.filter(slug__startswith="markdown-sluttrapport").count() == 1


def test_markdown_of_another_type_is_refused(report_index, tmp_path):
    text = report_text(slug="ikke-rapport").replace("type: rapport", "type: artikkel")
    before = counts()
    with pytest.raises(CommandError, match="bare rapporter"):
        run_import(write(tmp_path, "artikkel.md", text))
    assert counts() == before


def test_markdown_error_names_file_and_line(report_index, tmp_path):
    text = report_text(slug="feil-rapport").replace("county: Nordland", "county: Atlantis")
    expected = rf"rapport\.md, linje {line_of(text, 'county:')}, felt «county»: Ukjent fylke «Atlantis»"
    with pytest.raises(CommandError, match=expected):
        run_import(write(tmp_path, "rapport.md", text))
    assert not ReportPage.objects.filter(slug="feil-rapport").exists()


def test_markdown_without_front_matter_takes_its_title_from_the_first_heading(report_index, tmp_path):
    body = "# Rapport om bostøtte\n\nInnledende tekst.\n\n## Funn\n\n- Ett\n- To\n\n> «Sitat»\n>\n> — Navn\n"
    run_import(write(tmp_path, "notat.md", body))
    page = ReportPage.objects.get(title="Rapport om bostøtte")
    assert not page.live
    assert [t for t, _v in blocks_of(page)] == ["paragraph", "heading", "paragraph", "quote"]
    assert page.body[3].value["attribution"] == "Navn"


def test_markdown_without_front_matter_reports_a_bad_heading_at_its_line(report_index, tmp_path):
    body = "# Rapport\n\nTekst.\n\n# En overskrift til\n"
    with pytest.raises(CommandError, match=r"notat\.md, linje 5, felt «tekst»: Bruk overskrifter på nivå 2"):
        run_import(write(tmp_path, "notat.md", body))


# --- The admin view -------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("redaktor", "redaktor@example.no", "passord")
    client.force_login(user)
    client.user = user
    return client


def user_with(username, report_index=None):
    """An admin user; with ``report_index``, allowed to add and edit pages under it."""
    group = Group.objects.create(name=f"Gruppe for {username}")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    if report_index is not None:
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.create(
                group=group,
                page=report_index,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    user = get_user_model().objects.create_user(username, f"{username}@example.no", "passord")
    user.groups.add(group)
    return user


def upload(content, name="Sluttrapport.docx", **extra):
    return {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream"), **extra}


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


def test_the_form_is_in_norwegian_and_accessible(superuser_client, report_index):
    response = superuser_client.get(IMPORT_URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Importer rapport fra Word"
    field = soup.find("input", {"type": "file"})
    assert field["name"] == "file"
    assert ".docx" in field["accept"]
    label = soup.find("label", {"for": field["id"]})
    assert label.get_text(strip=True).startswith("Word-dokument")
    described_by = field.get("aria-describedby", "")
    help_text = " ".join(soup.find(id=i).get_text(" ", strip=True) for i in described_by.split() if soup.find(id=i))
    assert "høyst 20 MB" in help_text
    assert soup.find("form")["enctype"] == "multipart/form-data"


def test_upload_creates_a_draft_and_opens_it_for_review(superuser_client, report_index):
    response = superuser_client.post(IMPORT_URL, upload(docx_bytes(report_document())), follow=True)

    page = ReportPage.objects.get(slug=SLUG)
    assert response.redirect_chain == [(reverse("wagtailadmin_pages:edit", args=[page.pk]), 302)]
    assert response.status_code == 200
    assert (
        "Utkast opprettet fra «Sluttrapport.docx» og sendt til godkjenning («Faglig godkjenning»). Se gjennom utkastet."
        in messages_of(response)
    )
    assert not page.live
    assert page.owner == superuser_client.user
    assert page.latest_revision.user == superuser_client.user
    image = page.body[5].value["image"]
    assert image.uploaded_by_user == superuser_client.user


def test_an_editor_with_add_permission_may_import(client, report_index):
    client.force_login(user_with("kari", report_index))
    assert "Importer rapport fra Word" in client.get("/admin/").content.decode()
    response = client.post(IMPORT_URL, upload(docx_bytes(report_document()), report_type="evaluering"))
    page = ReportPage.objects.get(slug=SLUG)
    assert response.status_code == 302
    assert page.report_type == "evaluering"


def test_a_bad_file_re_renders_the_form_with_the_error(superuser_client, report_index):
    before = counts()
    response = superuser_client.post(IMPORT_URL, upload(b"Dette er bare tekst."))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    errors = soup.select(".error-message")
    assert any("ikke et Word-dokument (.docx)" in error.get_text() for error in errors)
    assert "Rapporten ble ikke importert. Se feilen under." in messages_of(response)
    assert counts() == before


@pytest.mark.parametrize(
    "data, message",
    [
        ({"file": SimpleUploadedFile("rapport.pdf", b"%PDF-1.7")}, "slutter på .docx"),
        ({"file": SimpleUploadedFile("rapport.docx", b"")}, "Filen er tom."),
        ({}, "Velg et Word-dokument (.docx) å importere."),
    ],
)
def test_form_errors(superuser_client, report_index, data, message):
    before = counts()
    response = superuser_client.post(IMPORT_URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_users_without_add_permission_are_turned_away(client, report_index):
    client.force_login(user_with("ola"))
    assert "Importer rapport fra Word" not in client.get("/admin/").content.decode()
    before = counts()
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    response = client.post(IMPORT_URL, upload(docx_bytes(report_document())))
    assert response.status_code == 302
    assert counts() == before


def test_anonymous_users_are_sent_to_the_login(client, report_index):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
