"""Content files and the editors (issue 8): `import_content` makes drafts that go to «Faglig
godkjenning» as the importing user, publishes only for a user who may publish directly (not a
Godkjenner: four eyes), and never
publishes over a page an editor has changed in the admin since its last import (not even
`bootstrap`). Edits are made through the real admin, as an editor would."""

import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Revision

from practices.editorial import WORKFLOW_NAME, section_pages
from practices.four_eyes import must_not_publish_directly
from practices.models import ImportRecord, PracticePage
from tests.content_files import practice_text, write
from tests.editors import logged_in, make_user
from tests.factories import edit_form_data
from tests.test_editorial_workflow import edit_url

SLUG = "provepraksis"
TITLE = "Fra bostedsløs til beboer i prøvebyen"
WHEN_RE = r"den \d{1,2}\. \w+ \d{4} kl\. \d{2}\.\d{2}"


@pytest.fixture
def superuser(db):
    """The one who may publish an import at once (four eyes: not a Godkjenner's own import)."""
    return make_user("sara.superbruker", is_superuser=True, is_staff=True, first_name="Sara", last_name="Superbruker")


def make_publisher(username):
    """A user allowed to publish in every section through a group outside the four-eyes groups
    (e.g. a web desk): publish rights, but not one of the workflow's approvers."""
    group, _created = Group.objects.get_or_create(name="Nettredaksjon")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for page in section_pages():
        for action in ("add", "change", "publish"):
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return make_user(username, "Nettredaksjon")


def run_import(*args):
    out = io.StringIO()
    call_command("import_content", *[str(arg) for arg in args], stdout=out, stderr=out)
    return out.getvalue()


def failing_import(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", *[str(arg) for arg in args], stdout=out, stderr=out)
    return out.getvalue(), str(excinfo.value)


def edit_in_admin(user, page, approved_by=None, **changes):
    """Change ``page`` in the admin's edit form as ``user`` and save a draft; with ``approved_by``,
    send it to «Faglig godkjenning» and have that other Godkjenner approve it in the admin, which
    publishes ``user``'s version (four eyes: a Godkjenner may not publish their own change)."""
    client = logged_in(user)
    data = edit_form_data(client, page)
    data.update(changes)
    if approved_by is not None:
        data["action-submit"] = "action-submit"
    response = client.post(edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = type(page).objects.get(pk=page.pk)
    latest = page.get_latest_revision()
    assert latest.user == user
    assert {name: getattr(latest.as_object(), name) for name in changes} == changes
    if approved_by is not None:
        task_state = page.current_workflow_task_state
        approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
        assert logged_in(approved_by).post(approve).status_code == 302
        page = type(page).objects.get(pk=page.pk)
        assert page.live_revision_id == latest.pk and not page.has_unpublished_changes
    return page


def published_file(tmp_path, user, **text):
    path = write(tmp_path, "praksis.md", practice_text(**text))
    run_import(path, "--publish", "--user", user.username)
    return path, PracticePage.objects.get(slug=SLUG)


# --- New imports are drafts in the workflow; --publish needs a user who may publish ---------------


def test_without_publish_a_new_file_is_a_draft_sent_for_review_as_the_importing_user(db, tmp_path, redaktor):
    path = write(tmp_path, "praksis.md", practice_text())

    output = run_import(path, "--user", redaktor.username)

    page = PracticePage.objects.get(slug=SLUG)
    assert not page.live and page.live_revision is None
    assert page.owner == redaktor
    assert page.latest_revision.user == redaktor
    state = page.current_workflow_state
    assert state is not None and state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == redaktor
    assert f"opprettet praksiseksempel «{TITLE}» ({path}) – utkast, sendt til «{WORKFLOW_NAME}»" in output
    assert Client().get("/praksiseksempler/provepraksis/").status_code == 404
    (record,) = ImportRecord.objects.filter(page=page)
    assert (record.outcome, record.user, record.revision_id) == ("utkast", redaktor, page.latest_revision_id)


def test_a_godkjenner_approving_the_imported_draft_publishes_it(db, tmp_path, redaktor, godkjenner):
    run_import(write(tmp_path, "praksis.md", practice_text()), "--user", redaktor.username)
    page = PracticePage.objects.get(slug=SLUG)

    task_state = page.current_workflow_task_state
    page.current_workflow_task.on_action(task_state, godkjenner, "approve")

    page.refresh_from_db()
    assert page.live and not page.workflow_in_progress
    assert Client().get(page.url).status_code == 200


def test_publish_without_a_user_is_refused_and_writes_nothing(db, tmp_path):
    path = write(tmp_path, "praksis.md", practice_text())
    pages, revisions = PracticePage.objects.count(), Revision.objects.count()

    _output, message = failing_import(path, "--publish")

    assert message.startswith("--publish krever --user BRUKERNAVN, en bruker som har lov til å publisere.")
    assert (PracticePage.objects.count(), Revision.objects.count()) == (pages, revisions)


def test_a_redaktor_may_not_publish_with_the_import(db, tmp_path, redaktor):
    path = write(tmp_path, "praksis.md", practice_text())

    output, message = failing_import(path, "--publish", "--user", redaktor.username)

    assert "Brukeren «rita.redaktor» har ikke lov til å publisere under «Praksiseksempler»." in output
    assert "Importer uten --publish, så sendes utkastet til godkjenning." in output
    assert "1 fil(er) ble ikke importert" in message
    assert not PracticePage.objects.filter(slug=SLUG).exists()


def test_a_godkjenner_may_not_publish_their_own_import_it_goes_to_another_godkjenner(db, tmp_path, godkjenner):
    path = write(tmp_path, "praksis.md", practice_text())
    pages, revisions = PracticePage.objects.count(), Revision.objects.count()

    output, message = failing_import(path, "--publish", "--user", godkjenner.username)

    assert (
        "Brukeren «gunnar.godkjenner» er godkjenner i arbeidsflyten «Faglig godkjenning» og kan ikke publisere "
        "sin egen import direkte: en annen godkjenner må godkjenne den (fire øyne). Importer uten --publish, så "
        "sendes utkastet til «Faglig godkjenning», der en annen godkjenner godkjenner og publiserer det."
    ) in output
    assert "1 fil(er) ble ikke importert" in message
    assert (PracticePage.objects.count(), Revision.objects.count()) == (pages, revisions)

    # Without --publish the same import is a draft that another Godkjenner approves.
    run_import(path, "--user", godkjenner.username)
    page = PracticePage.objects.get(slug=SLUG)
    assert not page.live and page.current_workflow_state.workflow.name == WORKFLOW_NAME


def test_a_godkjenner_may_not_publish_an_update_of_a_published_page(db, tmp_path, godkjenner, superuser):
    path, page = published_file(tmp_path, superuser)
    write(tmp_path, "praksis.md", practice_text(description="Ny tekst fra filen."))

    output, _message = failing_import(path, "--publish", "--user", godkjenner.username)

    assert "kan ikke publisere sin egen import direkte" in output
    page = PracticePage.objects.get(pk=page.pk)
    assert "Ny tekst fra filen." not in page.get_latest_revision_as_object().description
    assert not page.has_unpublished_changes


def test_the_four_eyes_rule_is_found_on_a_new_pages_section(db, godkjenner, superuser):
    """A new page has no workflow of its own yet: the rule is read from the section it goes under."""
    for section in section_pages():
        assert must_not_publish_directly(godkjenner, section)
        assert not must_not_publish_directly(superuser, section)
    assert not must_not_publish_directly(godkjenner, Page.objects.get(depth=1))  # the root has no workflow


def test_a_superuser_may_publish_with_the_import(db, tmp_path, superuser):
    path = write(tmp_path, "praksis.md", practice_text())

    output = run_import(path, "--publish", "--user", superuser.username)

    page = PracticePage.objects.get(slug=SLUG)
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision.user == superuser
    assert "– publisert" in output


def test_a_user_with_publish_rights_outside_the_four_eyes_groups_may_publish_with_the_import(db, tmp_path):
    publisher = make_publisher("nina.nettredaktor")
    path = write(tmp_path, "praksis.md", practice_text())

    output = run_import(path, "--publish", "--user", publisher.username)

    page = PracticePage.objects.get(slug=SLUG)
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision.user == publisher
    assert "– publisert" in output


def test_an_unknown_user_is_refused(db, tmp_path):
    _output, message = failing_import(write(tmp_path, "praksis.md", practice_text()), "--user", "finnes.ikke")
    assert message == "Fant ingen aktiv bruker med brukernavnet «finnes.ikke»."


def test_a_user_outside_the_editorial_groups_may_not_import(db, tmp_path, django_user_model):
    django_user_model.objects.create_user("olav.utenfor", "olav@example.no", "x")
    output, _message = failing_import(write(tmp_path, "praksis.md", practice_text()), "--user", "olav.utenfor")
    assert "Brukeren «olav.utenfor» har ikke lov til å skrive sider under «Praksiseksempler»." in output
    assert not PracticePage.objects.filter(slug=SLUG).exists()


# --- Never publishing over an editor's edit ---------------------------------------------------------


def test_a_changed_file_stops_for_a_page_edited_in_the_admin_and_keeps_the_edit(
    db, tmp_path, godkjenner, godkjenner2, superuser
):
    path, page = published_file(tmp_path, superuser)
    edited = edit_in_admin(godkjenner, page, approved_by=godkjenner2, summary="Rettet av godkjenneren.")
    revisions = edited.revisions.count()

    write(tmp_path, "praksis.md", practice_text(description="Ny tekst fra filen."))
    output, message = failing_import(path, "--publish", "--user", superuser.username)

    assert re.search(
        rf"«{TITLE}» er redigert i admin av Gunnar Godkjenner \(gunnar\.godkjenner\) {WHEN_RE}, etter forrige "
        r"import\. Importen ble stoppet for denne siden, så endringene ikke blir overskrevet\.",
        output,
    ), output
    assert "--draft-if-edited" in output
    assert "[1/1] STOPPET" in output
    assert "Import ferdig: 0 opprettet, 0 oppdatert, 0 uendret, 1 stoppet (redigert i admin), 0 med feil." in output
    assert "1 fil(er) ble ikke importert" in message
    page = PracticePage.objects.get(pk=page.pk)
    assert page.summary == "Rettet av godkjenneren."
    assert "Ny tekst fra filen." not in page.description
    assert page.revisions.count() == revisions
    assert not page.has_unpublished_changes


def test_a_draft_edit_by_a_redaktor_also_stops_the_import(db, tmp_path, redaktor, superuser):
    path, page = published_file(tmp_path, superuser)
    edit_in_admin(redaktor, page, summary="Utkast fra redaktøren.")  # not published

    write(tmp_path, "praksis.md", practice_text(description="Ny tekst fra filen."))
    output, _message = failing_import(path, "--publish", "--user", superuser.username)

    assert re.search(rf"er redigert i admin av Rita Redaktør \(rita\.redaktor\) {WHEN_RE}", output), output
    page = PracticePage.objects.get(pk=page.pk)
    assert page.get_latest_revision_as_object().summary == "Utkast fra redaktøren."


def test_draft_if_edited_saves_the_file_as_a_draft_for_review_and_never_publishes(
    db, tmp_path, godkjenner, godkjenner2, superuser
):
    path, page = published_file(tmp_path, superuser)
    edit_in_admin(godkjenner, page, approved_by=godkjenner2, summary="Rettet av godkjenneren.")

    write(tmp_path, "praksis.md", practice_text(description="Ny tekst fra filen."))
    output = run_import(path, "--publish", "--user", superuser.username, "--draft-if-edited")

    page = PracticePage.objects.get(pk=page.pk)
    assert page.summary == "Rettet av godkjenneren."  # the live page is the editor's
    assert "Ny tekst fra filen." not in page.description
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert "Ny tekst fra filen." in draft.description
    assert page.current_workflow_state.workflow.name == WORKFLOW_NAME
    assert ImportRecord.objects.filter(page=page).first().outcome == "til-gjennomgang"
    assert "til gjennomgang praksiseksempel" in output
    assert "utkast ved siden av redaktørens endring, sendt til «Faglig godkjenning»" in output
    assert "1 lagret som utkast til gjennomgang" in output

    # The same file again adds nothing: no second review draft.
    revisions = page.revisions.count()
    output = run_import(path, "--publish", "--user", superuser.username, "--draft-if-edited")
    assert PracticePage.objects.get(pk=page.pk).revisions.count() == revisions
    assert "1 uendret" in output


def test_when_the_review_draft_is_approved_the_next_file_imports_normally(
    db, tmp_path, godkjenner, godkjenner2, superuser
):
    path, page = published_file(tmp_path, superuser)
    edit_in_admin(godkjenner, page, approved_by=godkjenner2, summary="Rettet av godkjenneren.")
    write(tmp_path, "praksis.md", practice_text(description="Andre versjon."))
    run_import(path, "--user", godkjenner.username, "--draft-if-edited")
    page = PracticePage.objects.get(pk=page.pk)
    # Gunnar imported the review draft, so another Godkjenner approves it.
    page.current_workflow_task.on_action(page.current_workflow_task_state, godkjenner2, "approve")

    write(tmp_path, "praksis.md", practice_text(description="Tredje versjon."))
    output = run_import(path, "--publish", "--user", superuser.username)

    page = PracticePage.objects.get(pk=page.pk)
    assert "Tredje versjon." in page.description and page.live and not page.has_unpublished_changes
    assert "1 oppdatert" in output


def test_an_unchanged_file_after_an_edit_is_a_no_op(db, tmp_path, godkjenner, godkjenner2, superuser):
    path, page = published_file(tmp_path, superuser)
    edit_in_admin(godkjenner, page, approved_by=godkjenner2, summary="Rettet av godkjenneren.")
    revisions = Revision.objects.count()

    output = run_import(path, "--publish", "--user", superuser.username)

    assert Revision.objects.count() == revisions
    assert "uendret praksiseksempel" in output and "redigert i admin etter forrige import; filen er uendret" in output
    assert PracticePage.objects.get(pk=page.pk).summary == "Rettet av godkjenneren."


def test_an_unchanged_file_is_a_no_op_without_a_new_revision_or_record(db, tmp_path, godkjenner, superuser):
    path, page = published_file(tmp_path, superuser)
    revisions, records = Revision.objects.count(), ImportRecord.objects.count()

    run_import(path, "--publish", "--user", superuser.username)
    run_import(path, "--user", godkjenner.username)

    assert (Revision.objects.count(), ImportRecord.objects.count()) == (revisions, records)
    assert not PracticePage.objects.get(pk=page.pk).workflow_in_progress


def test_a_page_made_in_the_admin_with_the_same_slug_is_not_overwritten(
    db, tmp_path, godkjenner, godkjenner2, tromso, superuser
):
    """A page without import records (made in the admin, or imported before the records existed)
    whose newest revisions are editors' counts as edited."""
    edit_in_admin(godkjenner, tromso, approved_by=godkjenner2, summary="Skrevet i admin.")
    ImportRecord.objects.filter(page=tromso).delete()  # as if made in the admin, not by bootstrap
    text = practice_text(slug=tromso.slug)

    output, _message = failing_import(write(tmp_path, "tromso.md", text), "--publish", "--user", superuser.username)

    assert "er redigert i admin av Gunnar Godkjenner" in output
    assert PracticePage.objects.get(pk=tromso.pk).summary == "Skrevet i admin."


# --- bootstrap: the installation publishes its seed, and leaves edited pages alone -----------------


def test_bootstrap_publishes_the_seed_and_records_each_import(db, tromso):
    record = ImportRecord.objects.get(page=tromso)
    assert record.outcome == "publisert" and record.user is None
    assert record.revision_id == tromso.live_revision_id


def test_bootstrap_again_leaves_a_seed_page_edited_in_the_admin_alone(db, godkjenner, godkjenner2, tromso, monkeypatch):
    edited = edit_in_admin(godkjenner, tromso, approved_by=godkjenner2, summary="Rettet i admin etter installasjonen.")
    # A newer version of the seed file ships with the application:
    monkeypatch.setattr("practices.importing.importer.IMPORTER_VERSION", "test-ny-versjon")
    revisions = Revision.objects.count()

    out = io.StringIO()
    call_command("bootstrap", stdout=out, stderr=out)  # does not fail

    output = out.getvalue()
    assert re.search(rf"STOPPET .*«{re.escape(tromso.title)}» er redigert i admin av Gunnar Godkjenner", output)
    assert "1 stoppet (redigert i admin)" in output
    page = PracticePage.objects.get(pk=tromso.pk)
    assert page.summary == "Rettet i admin etter installasjonen."
    assert page.live_revision_id == edited.live_revision_id
    # The other seed pages were updated to the new importer version (published, by the installation).
    assert Revision.objects.count() > revisions
    assert "Ferdig." in output
