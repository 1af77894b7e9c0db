"""Importing content files with `manage.py import_content` (and `bootstrap`): what an editor sees afterwards.

See docs/innholdsformat.md for the format.
"""

import io
import re

from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision

from practices.models import ArticleIndexPage, ArticlePage, PracticeIndexPage, PracticePage, ReportIndexPage, ReportPage

from .content_files import article_text, practice_text, report_text, write


def publisher():
    """A user allowed to publish everywhere (--publish needs one; see test_import_editorial.py)."""
    user, _created = get_user_model().objects.get_or_create(
        username="importsjef", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def run_import(*args):
    """import_content, publishing as a permitted user unless the test asks for a draft."""
    args = [str(arg) for arg in args]
    if "--draft" not in args:
        args += ["--publish", "--user", publisher().username]
    out = io.StringIO()
    call_command("import_content", *args, stdout=out, stderr=out)
    return out.getvalue()


def page_counts():
    return {model.__name__: model.objects.count() for model in (PracticePage, ReportPage, ArticlePage, Page)}


def block_values(stream, block_type):
    return [block.value for block in stream if block.block_type == block_type]


# --- a new practice ------------------------------------------------------------------------------


def test_importing_a_new_practice_file_publishes_a_practice_page_with_its_structured_values(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())

    output = run_import(path)

    page = PracticePage.objects.get(slug="provepraksis")
    assert page.live
    assert page.live_revision is not None
    assert not page.has_unpublished_changes
    assert isinstance(page.get_parent().specific, PracticeIndexPage)
    assert page in PracticePage.objects.live()

    assert page.title == "Fra bostedsløs til beboer i prøvebyen"
    assert page.summary == "Et prøveeksempel på tett oppfølging i Tromsø."
    assert [m.name for m in page.municipalities.all()] == ["Tromsø"]
    assert page.responsible_unit == "NAV Tromsø og Boligkontoret"
    assert page.county.name == "Troms og Finnmark"
    assert (page.period_start, page.period_end, page.period_ongoing) == (2013, 2016, False)
    assert page.period_label == "2013–2016"
    assert page.get_status_display() == "Avsluttet"
    assert page.get_evidence_level_display() == "Evaluert"
    assert [f.name for f in page.funding_sources.all()] == ["Husbanken"]

    assert "Kommunen fulgte opp bostedsløse tett." in page.description
    assert [(step.value["title"], step.value["text"].source) for step in page.steps] == [
        ("Kartlegging", "<p>Veilederen kartlegger boligbehovet.</p>"),
        ("", "<p>Boligkontoret finner en leilighet.</p>"),
    ]
    assert [(item.value["statement"], item.value["elaboration"]) for item in page.success_factors] == [
        ("Tverrfaglig samhandling.", "Flere tjenester som jobber skulder mot skulder."),
        ("Fast kontaktperson.", ""),
    ]
    assert [item.value["statement"] for item in page.challenges] == ["Mangel på boliger."]

    references = [(r.provision.law.short_name, r.provision.paragraph, r.comment) for r in page.legal_references.all()]
    assert references == [
        ("sosialtjenesteloven", "27", "med særlig fokus på midlertidig botilbud"),
        ("boligsosialloven", "6", ""),
    ]
    assert sorted(tag.name for tag in page.tags.all()) == ["Housing First", "prøvestikkord"]

    assert f"[1/1] opprettet praksiseksempel «Fra bostedsløs til beboer i prøvebyen» ({path})" in output
    assert "Import ferdig: 1 opprettet, 0 oppdatert, 0 uendret, 0 med feil." in output


def test_a_directory_imports_every_md_file_in_it(db, tmp_path):
    write(tmp_path, "en.md", practice_text(slug="forste-provepraksis"))
    write(tmp_path, "to.md", practice_text(slug="andre-provepraksis"))
    write(tmp_path, "notater.txt", "ikke en innholdsfil")

    output = run_import(tmp_path)

    assert PracticePage.objects.filter(slug__in=["forste-provepraksis", "andre-provepraksis"]).count() == 2
    assert "[1/2]" in output and "[2/2]" in output
    assert "Import ferdig: 2 opprettet, 0 oppdatert, 0 uendret, 0 med feil." in output


# --- importing again -----------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())
    run_import(path)
    page = PracticePage.objects.get(slug="provepraksis")
    revisions, counts = page.revisions.count(), page_counts()

    output = run_import(path)

    again = PracticePage.objects.get(slug="provepraksis")
    assert again.pk == page.pk
    assert again.revisions.count() == revisions
    assert again.live_revision_id == page.live_revision_id
    assert page_counts() == counts
    assert PracticePage.objects.filter(slug="provepraksis").count() == 1
    assert f"[1/1] uendret praksiseksempel «Fra bostedsløs til beboer i prøvebyen» ({path})" in output
    assert "Import ferdig: 0 opprettet, 0 oppdatert, 1 uendret, 0 med feil." in output


def test_importing_a_changed_file_updates_the_page_in_place_and_publishes_a_new_revision(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())
    run_import(path)
    page = PracticePage.objects.get(slug="provepraksis")
    revisions, counts = page.revisions.count(), page_counts()

    write(
        tmp_path,
        "praksis-provebyen.md",
        practice_text(title="Fra bostedsløs til leietaker", description="Nå med egen leilighet til alle."),
    )
    output = run_import(path)

    updated = PracticePage.objects.get(slug="provepraksis")
    assert updated.pk == page.pk
    assert page_counts() == counts
    assert updated.revisions.count() == revisions + 1
    assert updated.live_revision_id == updated.latest_revision_id != page.live_revision_id
    assert not updated.has_unpublished_changes
    assert updated.title == "Fra bostedsløs til leietaker"
    assert "Nå med egen leilighet til alle." in updated.description
    assert "Kommunen fulgte opp bostedsløse tett." not in updated.description
    assert "[1/1] oppdatert praksiseksempel «Fra bostedsløs til leietaker»" in output
    assert "Import ferdig: 0 opprettet, 1 oppdatert, 0 uendret, 0 med feil." in output


def test_a_changed_file_can_drop_a_legal_reference_and_a_tag(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())
    run_import(path)

    changed = practice_text(replace={"  - {law: boligsosialloven": "", "tags:": "tags: [Housing First]"})
    write(tmp_path, "praksis-provebyen.md", changed)
    run_import(path)

    page = PracticePage.objects.get(slug="provepraksis")
    assert [r.provision.law.short_name for r in page.legal_references.all()] == ["sosialtjenesteloven"]
    assert [tag.name for tag in page.tags.all()] == ["Housing First"]


def test_running_bootstrap_again_on_the_seeded_site_creates_no_duplicates_and_no_revisions(db):
    counts, revisions = page_counts(), Revision.objects.count()
    assert counts["PracticePage"] >= 3 and counts["ReportPage"] >= 1 and counts["ArticlePage"] >= 1

    out = io.StringIO()
    call_command("bootstrap", stdout=out, stderr=out)

    assert page_counts() == counts
    assert Revision.objects.count() == revisions
    assert re.search(r"Import ferdig: 0 opprettet, 0 oppdatert, \d+ uendret, 0 med feil\.", out.getvalue())
    for model in (PracticePage, ReportPage, ArticlePage):
        slugs = list(model.objects.values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs)), f"duplicate {model.__name__} slugs: {slugs}"


# --- drafts --------------------------------------------------------------------------------------


def test_a_new_file_imported_as_draft_is_saved_but_not_visible_to_readers(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())

    output = run_import(path, "--draft")

    page = PracticePage.objects.get(slug="provepraksis")
    assert not page.live
    assert page.live_revision is None
    assert page.has_unpublished_changes
    assert page.revisions.count() == 1
    assert page not in PracticePage.objects.live()
    assert "Import ferdig: 1 opprettet, 0 oppdatert, 0 uendret, 0 med feil." in output


def test_a_changed_file_imported_as_draft_leaves_the_published_page_as_it_was(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())
    run_import(path)
    published = PracticePage.objects.get(slug="provepraksis")
    revisions = published.revisions.count()

    write(tmp_path, "praksis-provebyen.md", practice_text(title="Ny tittel i utkastet", description="Utkasttekst."))
    run_import(path, "--draft")

    page = PracticePage.objects.get(pk=published.pk)
    assert page.live
    assert page.title == "Fra bostedsløs til beboer i prøvebyen"
    assert "Utkasttekst." not in page.description
    assert page.has_unpublished_changes
    assert page.revisions.count() == revisions + 1
    assert page.latest_revision_id != page.live_revision_id == published.live_revision_id
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Ny tittel i utkastet"
    assert "Utkasttekst." in draft.description


def test_importing_a_drafted_changed_file_without_draft_publishes_it(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())
    run_import(path)
    write(tmp_path, "praksis-provebyen.md", practice_text(title="Ny tittel", description="Ny tekst."))
    run_import(path, "--draft")

    output = run_import(path)

    page = PracticePage.objects.get(slug="provepraksis")
    assert page.live and not page.has_unpublished_changes
    assert page.title == "Ny tittel"
    assert "Ny tekst." in page.description
    assert "1 oppdatert" in output


def test_importing_a_drafted_new_file_without_draft_publishes_it(db, tmp_path):
    path = write(tmp_path, "praksis-provebyen.md", practice_text())
    run_import(path, "--draft")

    output = run_import(path)

    page = PracticePage.objects.get(slug="provepraksis")
    assert page.live and page.live_revision is not None and not page.has_unpublished_changes
    assert "1 oppdatert" in output and "1 uendret" not in output


# --- reports and articles ------------------------------------------------------------------------


def test_a_report_links_to_its_practice_and_gets_table_quote_and_fact_box_blocks(db, tmp_path, oksnes):
    path = write(tmp_path, "rapport-provebyen.md", report_text(related_practice=oksnes.slug))

    output = run_import(path)

    report = ReportPage.objects.get(slug="provepraksis-sluttrapport")
    assert report.live
    assert isinstance(report.get_parent().specific, ReportIndexPage)
    assert report.related_practice.specific == oksnes
    assert report in oksnes.reports.all()
    assert report.get_report_type_display() == "Sluttrapport"
    assert str(report.published) == "2022-03-01"
    assert "[1/1] opprettet rapport «Sluttrapport fra prøveprosjektet»" in output

    assert [block.block_type for block in report.body] == [
        "heading", "paragraph", "table", "quote", "fact_box", "heading", "paragraph",
    ]
    assert [(h["text"], h["level"]) for h in block_values(report.body, "heading")] == [
        ("Innledning", "h2"), ("Erfaringer", "h3"),
    ]

    (table,) = block_values(report.body, "table")
    assert table["first_row_is_table_header"] is True
    assert table["data"][0] == ["Tiltak", "Antall"]
    assert table["data"][1:] == [["Hjemmebesøk", "120"], ["**Sum**", "**120**"]]

    (quote,) = block_values(report.body, "quote")
    assert quote["text"] == "Vi ble sett for første gang."
    assert quote["attribution"] == "Deltaker i prosjektet"

    (fact_box,) = block_values(report.body, "fact_box")
    assert fact_box["title"] == "Om prosjektet"
    assert "Prosjektet varte i tre år og hadde to ansatte." in fact_box["body"].source


def test_an_article_with_an_expandable_section_gets_a_collapsible_block(db, tmp_path):
    path = write(tmp_path, "artikkel-kom-i-gang.md", article_text())

    output = run_import(path)

    article = ArticlePage.objects.get(slug="slik-kommer-du-i-gang")
    assert article.live
    assert isinstance(article.get_parent().specific, ArticleIndexPage)
    assert str(article.date) == "2024-02-01"
    assert [block.block_type for block in article.body] == ["heading", "paragraph", "collapsible"]
    (collapsible,) = block_values(article.body, "collapsible")
    assert collapsible["title"] == "Les mer om kartlegging"
    assert "Kartleggingen gjøres sammen med brukeren." in collapsible["body"].source
    assert "[1/1] opprettet artikkel «Slik kommer du i gang»" in output


def test_reports_and_articles_are_imported_after_the_practices_they_refer_to(db, tmp_path):
    write(tmp_path, "a-rapport.md", report_text(related_practice="provepraksis"))
    write(tmp_path, "b-praksis.md", practice_text())

    output = run_import(tmp_path)

    report = ReportPage.objects.get(slug="provepraksis-sluttrapport")
    assert report.related_practice.slug == "provepraksis"
    assert output.index("praksiseksempel «") < output.index("rapport «")
    assert "Import ferdig: 2 opprettet, 0 oppdatert, 0 uendret, 0 med feil." in output
