"""Editors publish: Redaktører write and send for review, Godkjennere approve in the workflow
«Faglig godkjenning», scheduled publishing, nothing unpublished reaches the public, and content
is kept current (the report of practices to review, «Sist oppdatert» and the old-material note)."""

import csv
import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from practices.admin_reports import stale_practices
from practices.editorial import APPROVERS, EDITORS, TASK_NAME, WORKFLOW_NAME, ensure_editorial_setup
from practices.models import ArticleIndexPage, PracticeIndexPage, PracticePage, ReportIndexPage
from practices.models.practice import review_cutoff
from tests.editors import PASSWORD, logged_in, make_user
from tests.factories import PracticePageFactory, edit_form_data
from tests.test_admin_authoring import SLUG, TITLE, add_url, practice_form_data

REPORT_URL = "/admin/reports/praksiseksempler-til-gjennomgang/"


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    return [BeautifulSoup(str(m), "html.parser").get_text(" ", strip=True) for m in response.context["messages"]]


@pytest.fixture
def outsider(db):
    """Admin access, but neither Redaktør nor Godkjenner."""
    user = make_user("olav.utenfor")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


# --- Bootstrap: groups, permissions and the workflow ----------------------------------------------


def editorial_counts():
    groups = Group.objects.filter(name__in=[EDITORS, APPROVERS])
    return {
        "groups": groups.count(),
        "model permissions": sum(group.permissions.count() for group in groups),
        "page permissions": GroupPagePermission.objects.filter(group__in=groups).count(),
        "collection permissions": GroupCollectionPermission.objects.filter(group__in=groups).count(),
        "workflows": Workflow.objects.filter(name=WORKFLOW_NAME).count(),
        "tasks": GroupApprovalTask.objects.filter(name=TASK_NAME).count(),
        "workflow tasks": WorkflowTask.objects.filter(workflow__name=WORKFLOW_NAME).count(),
        "workflow pages": WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).count(),
    }


def page_permissions(group_name, page):
    return set(
        GroupPagePermission.objects.filter(group__name=group_name, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_bootstrap_creates_the_groups_with_their_permissions(db):
    sections = [PracticeIndexPage.objects.get(), ReportIndexPage.objects.get(), ArticleIndexPage.objects.get()]
    for section in sections:
        assert page_permissions(EDITORS, section) == {"add_page", "change_page"}
        assert page_permissions(APPROVERS, section) == {"add_page", "change_page", "publish_page"}
    # Nothing outside the content sections, and no publishing anywhere for Redaktører.
    assert not GroupPagePermission.objects.filter(group__name__in=[EDITORS, APPROVERS]).exclude(
        page__in=sections
    ).exists()
    assert not GroupPagePermission.objects.filter(group__name=EDITORS, permission__codename="publish_page").exists()

    root_collection = Collection.get_first_root_node()
    for name in (EDITORS, APPROVERS):
        group = Group.objects.get(name=name)
        model_permissions = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert "wagtailadmin.access_admin" in model_permissions
        for taxonomy in ("law", "theme", "targetgroup", "county", "municipality", "fundingsource"):
            assert f"practices.view_{taxonomy}" in model_permissions
        collection_permissions = set(
            GroupCollectionPermission.objects.filter(group=group, collection=root_collection).values_list(
                "permission__codename", flat=True
            )
        )
        assert {"add_document", "choose_document", "add_image", "choose_image"} <= collection_permissions

    editors = {p.codename for p in Group.objects.get(name=EDITORS).permissions.all()}
    approvers = {p.codename for p in Group.objects.get(name=APPROVERS).permissions.all()}
    assert not any(codename.startswith(("change_", "add_", "delete_")) for codename in editors)
    assert {"change_law", "change_theme", "change_municipality"} <= approvers
    assert not any(codename.startswith("delete_") and codename != "delete_redirect" for codename in approvers)


def test_bootstrap_creates_the_review_workflow_on_the_sections(db):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == [TASK_NAME]
    assert isinstance(tasks[0], GroupApprovalTask)
    assert [group.name for group in tasks[0].groups.all()] == [APPROVERS]

    practices, reports = PracticeIndexPage.objects.get(), ReportIndexPage.objects.get()
    assert WorkflowPage.objects.get(page=practices).workflow == workflow
    assert WorkflowPage.objects.get(page=reports).workflow == workflow
    # Every practice and report below them goes through it.
    for page in PracticePage.objects.all()[:2]:
        assert page.get_workflow() == workflow
    assert ArticleIndexPage.objects.get().get_workflow() == workflow


def test_editorial_setup_is_idempotent(db):
    before = editorial_counts()
    assert before["groups"] == 2 and before["workflows"] == 1 and before["workflow pages"] == 3

    assert set(ensure_editorial_setup().values()) == {0}
    assert editorial_counts() == before

    out = io.StringIO()
    call_command("bootstrap", skip_content=True, stdout=out, stderr=out)
    call_command("bootstrap", skip_content=True, stdout=out, stderr=out)
    assert editorial_counts() == before
    assert "Redaksjon: 0 grupper, 0 tillatelser, 0 arbeidsflyt, 0 seksjoner med arbeidsflyt opprettet" in out.getvalue()


def test_setup_keeps_a_workflow_an_administrator_chose_for_a_section(db):
    other = Workflow.objects.create(name="Rask godkjenning")
    reports = ReportIndexPage.objects.get()
    WorkflowPage.objects.filter(page=reports).update(workflow=other)
    ensure_editorial_setup()
    assert WorkflowPage.objects.get(page=reports).workflow == other


def report_filter_options(client, url_name):
    soup = soup_of(client.get(reverse(url_name)))
    return {option.get_text(strip=True) for option in soup.select("select option") if option.get("value")}


def test_wagtails_default_workflow_and_groups_have_norwegian_names(redaktor, godkjenner):
    """Wagtail's migrations create «Moderators approval» (workflow and task) and the groups
    «Moderators» and «Editors»; editors meet them in the workflow reports' filters and in «Sidevern»."""
    for url_name in ("wagtailadmin_reports:workflow", "wagtailadmin_reports:workflow_tasks"):
        options = report_filter_options(logged_in(redaktor), url_name)
        assert "Moderatorgodkjenning" in options and WORKFLOW_NAME in options
        assert not any("Moderators" in option for option in options), options
    assert TASK_NAME in report_filter_options(logged_in(redaktor), "wagtailadmin_reports:workflow_tasks")

    page = PracticePage.objects.live().first()
    response = logged_in(godkjenner).get(reverse("wagtailadmin_pages:set_privacy", args=[page.pk]))
    groups = {
        label.get_text(strip=True)
        for label in BeautifulSoup(response.json()["html"], "html.parser").select("#id_groups label")
    }
    assert {"Moderatorer", "Wagtail-redaktører", EDITORS, APPROVERS} <= groups
    assert not groups & {"Moderators", "Editors"}


def test_renaming_wagtails_defaults_is_idempotent_and_keeps_an_administrators_names(db):
    root_workflow = Workflow.objects.get(name="Moderatorgodkjenning")
    ensure_editorial_setup()
    assert Workflow.objects.get(pk=root_workflow.pk).name == "Moderatorgodkjenning"

    Workflow.objects.filter(pk=root_workflow.pk).update(name="Moderators approval")
    Workflow.objects.create(name="Moderatorgodkjenning")  # an administrator took the name for another one
    Group.objects.filter(name="Moderatorer").update(name="Styret")
    ensure_editorial_setup()
    assert Workflow.objects.get(pk=root_workflow.pk).name == "Moderators approval"  # never two with one name
    assert Group.objects.filter(name="Styret").exists() and not Group.objects.filter(name="Moderatorer").exists()


# --- A Redaktør writes and submits; a Godkjenner approves ------------------------------------------


def create_and_submit(client, practice_index):
    data = practice_form_data()
    del data["action-publish"]
    data["action-submit"] = "action-submit"
    response = client.post(add_url(practice_index), data, follow=True)
    assert response.redirect_chain[-1][1] == 302, soup_of(response).select(".error-message, .help-critical")
    return PracticePage.objects.get(slug=SLUG), response


def test_redaktor_creates_edits_and_submits_a_practice_for_review(redaktor, practice_index):
    client = logged_in(redaktor)

    # Create a draft («Lagre kladd»)...
    data = practice_form_data()
    del data["action-publish"]
    response = client.post(add_url(practice_index), data)
    assert response.status_code == 302
    page = PracticePage.objects.get(slug=SLUG)
    assert not page.live
    assert page.owner == redaktor

    # ...edit it...
    edit = client.get(edit_url(page))
    assert edit.status_code == 200
    html = edit.content.decode()
    assert f"Send inn til {WORKFLOW_NAME}" in html
    data = edit_form_data(client, page)
    data["summary"] = "Endret av redaktøren før innsending."
    response = client.post(edit_url(page), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().summary == "Endret av redaktøren før innsending."

    # ...and send it for review.
    data = edit_form_data(client, page)
    data["action-submit"] = "action-submit"
    response = client.post(edit_url(page), data, follow=True)
    assert messages_of(response)[0].startswith(f'Siden "{TITLE}" er sendt til godkjenning.')

    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress
    state = page.current_workflow_state
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == redaktor
    assert page.current_workflow_task.name == TASK_NAME


def test_redaktor_cannot_publish_a_new_practice(redaktor, practice_index):
    client = logged_in(redaktor)
    response = client.post(add_url(practice_index), practice_form_data())  # with action-publish
    assert response.status_code == 302
    page = PracticePage.objects.get(slug=SLUG)
    assert not page.live
    assert page.first_published_at is None
    assert Client().get("/praksiseksempler/boligkontakt-for-unge-i-bodo/").status_code == 404


def test_redaktor_cannot_publish_changes_to_a_live_practice(redaktor, oksnes):
    client = logged_in(redaktor)
    published_unit = oksnes.responsible_unit
    data = edit_form_data(client, oksnes)
    data["responsible_unit"] = "Publisert av redaktøren?"
    data["action-publish"] = "action-publish"
    client.post(edit_url(oksnes), data)

    oksnes.refresh_from_db()
    assert oksnes.live
    assert oksnes.responsible_unit == published_unit  # the live version is unchanged
    assert oksnes.has_unpublished_changes  # the change is a draft
    public = Client().get(oksnes.url).content.decode()
    assert published_unit in public
    assert "Publisert av redaktøren?" not in public


def test_redaktor_has_no_publish_button(redaktor, oksnes):
    html = logged_in(redaktor).get(edit_url(oksnes)).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def test_godkjenner_approves_in_the_admin_and_the_page_goes_live(redaktor, godkjenner, practice_index):
    page, _response = create_and_submit(logged_in(redaktor), practice_index)
    task_state = page.current_workflow_state.current_task_state
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])

    # The Redaktør cannot approve their own submission.
    response = logged_in(redaktor).post(approve_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    page.refresh_from_db()
    assert not page.live

    # The Godkjenner sees it awaiting review on the dashboard, and approves it.
    approver = logged_in(godkjenner)
    dashboard = approver.get(reverse("wagtailadmin_home")).content.decode()
    assert TITLE in dashboard
    response = approver.post(approve_url)
    assert response.status_code == 302

    page.refresh_from_db()
    assert page.live
    state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state.refresh_from_db()
    assert task_state.finished_by == godkjenner

    public = Client().get("/praksiseksempler/boligkontakt-for-unge-i-bodo/")
    assert public.status_code == 200
    assert soup_of(public).find("h1").get_text(strip=True) == TITLE


def test_godkjenner_can_request_changes(redaktor, godkjenner, practice_index):
    page, _response = create_and_submit(logged_in(redaktor), practice_index)
    task_state = page.current_workflow_state.current_task_state
    reject_url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    response = logged_in(godkjenner).post(reject_url, {"comment": "Skriv mer om resultatene."})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # The Redaktør can edit it again.
    assert logged_in(redaktor).get(edit_url(page)).status_code == 200


# A Godkjenner publishing their own change directly is refused: see tests/test_four_eyes.py.


def test_approval_through_the_python_api(redaktor, godkjenner):
    page = PracticePageFactory(title="Utkast til godkjenning i Bodø", live=False, owner=redaktor)
    page.save_revision(user=redaktor)
    state = page.get_workflow().start(page, redaktor)
    task_state = state.current_task_state.specific
    task = task_state.task.specific
    assert task.get_actions(page, redaktor) == []
    assert [name for name, _label, _modal in task.get_actions(page, godkjenner)] == ["reject", "approve", "approve"]
    task.on_action(task_state, godkjenner, "approve")
    page.refresh_from_db()
    assert page.live


# --- Scheduled publishing ---------------------------------------------------------------------------


def test_approved_page_with_a_go_live_date_is_published_by_publish_scheduled(redaktor, godkjenner, practice_index):
    client = logged_in(redaktor)
    data = practice_form_data()
    del data["action-publish"]
    data["action-submit"] = "action-submit"
    go_live = timezone.localtime() + datetime.timedelta(days=3)
    data["go_live_at"] = go_live.strftime("%d.%m.%Y %H:%M")  # WAGTAIL_DATETIME_FORMAT
    response = client.post(add_url(practice_index), data)
    assert response.status_code == 302, soup_of(response).select(".error-message, .help-critical")
    page = PracticePage.objects.get(slug=SLUG)
    assert page.go_live_at is not None

    task_state = page.current_workflow_state.current_task_state
    logged_in(godkjenner).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    )
    page.refresh_from_db()
    assert not page.live  # approved, but scheduled
    revision = page.get_latest_revision()
    assert revision.approved_go_live_at is not None

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not yet

    # Time passes: the go-live date is now in the past.
    past = timezone.now() - datetime.timedelta(minutes=5)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert Client().get(page.url).status_code == 200


def test_revision_with_a_go_live_date_in_the_past_is_published(godkjenner):
    page = PracticePageFactory(title="Planlagt publisering i Hamar", live=False)
    revision = page.save_revision(user=godkjenner, approved_go_live_at=timezone.now() - datetime.timedelta(hours=1))
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == revision.pk


# --- Nothing unpublished reaches the public ---------------------------------------------------------


def test_anonymous_users_get_404_for_a_draft(db):
    draft = PracticePageFactory(title="Hemmelig utkast i Alta", live=False)
    assert Client().get(draft.url).status_code == 404
    assert Client().get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_anonymous_users_see_the_live_version_not_a_newer_draft(godkjenner):
    page = PracticePageFactory(title="Boligteam i Lillehammer", summary="Den publiserte ingressen.")
    draft = page.get_latest_revision_as_object()
    draft.summary = "UTKAST: ikke godkjent ennå."
    draft.save_revision(user=godkjenner)
    page.refresh_from_db()
    assert page.has_unpublished_changes

    html = Client().get(page.url).content.decode()
    assert "Den publiserte ingressen." in html
    assert "UTKAST" not in html
    api = Client().get(f"/api/v2/pages/{page.pk}/").json()
    assert api["summary"] == "Den publiserte ingressen."


def test_previews_and_revisions_require_login(godkjenner):
    page = PracticePageFactory(title="Forhåndsvisning i Narvik")
    revision = page.save_revision(user=godkjenner)
    for url in (
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        f"/admin/pages/{page.pk}/edit/preview/",
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url


# --- The report «Praksiseksempler som bør gjennomgås» -----------------------------------------------


def report_titles(response):
    return [a.get_text(" ", strip=True) for a in soup_of(response).select("table tbody td a")]


@pytest.fixture
def review_cases(db):
    month = datetime.timedelta(days=30)
    return {
        "old": PracticePageFactory(
            title="Gammel praksis i Bodø", municipalities=["Bodø"], last_reviewed=datetime.date(2014, 5, 1)
        ),
        "newer": PracticePageFactory(title="Nyere praksis i Hamar", last_reviewed=review_cutoff() - month),
        "fresh": PracticePageFactory(title="Nylig gjennomgått i Alta", last_reviewed=timezone.localdate() - month),
        "draft": PracticePageFactory(
            title="Upublisert praksis i Lom", live=False, last_reviewed=datetime.date(2010, 1, 1)
        ),
    }


@pytest.mark.parametrize("who", ["redaktor", "godkjenner", "superuser"])
def test_report_lists_stale_practices_oldest_first(request, review_cases, who):
    if who == "superuser":
        user = get_user_model().objects.create_superuser("sjef", "sjef@example.no", PASSWORD)
    else:
        user = request.getfixturevalue(who)
    response = logged_in(user).get(REPORT_URL)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("h1").get_text(" ", strip=True) == "Praksiseksempler som bør gjennomgås"
    titles = report_titles(response)
    assert "Gammel praksis i Bodø" in titles and "Nyere praksis i Hamar" in titles
    assert titles.index("Gammel praksis i Bodø") < titles.index("Nyere praksis i Hamar")
    assert "Nylig gjennomgått i Alta" not in titles
    assert "Upublisert praksis i Lom" not in titles
    # Seeds that were never reviewed are listed, with «Aldri».
    assert "Fra bostedsløs til beboer" in titles

    headers = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
    assert headers == ["Tittel", "Ansvarlig aktør", "Sist gjennomgått", "Sist publisert"]
    rows = {
        row.select("td")[0].get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in row.select("td")]
        for row in soup.select("table tbody tr")
    }
    assert rows["Gammel praksis i Bodø"][1:3] == ["Bodø kommune", "1. mai 2014"]
    assert rows["Fra bostedsløs til beboer"][1:3] == ["Tromsø kommune", "Aldri"]
    link = soup.find("a", string=lambda s: s and "Gammel praksis i Bodø" in s)
    assert link["href"] == edit_url(review_cases["old"])


def test_report_orders_never_reviewed_practices_by_source_date(db):
    cases = [
        PracticePageFactory(
            title="Aldri gjennomgått, kilde 2012", last_reviewed=None, source_published=datetime.date(2012, 3, 1)
        ),
        PracticePageFactory(title="Gjennomgått 2015", last_reviewed=datetime.date(2015, 6, 1)),
        PracticePageFactory(
            title="Aldri gjennomgått, kilde 2017", last_reviewed=None, source_published=datetime.date(2017, 3, 1)
        ),
    ]
    titles = [page.title for page in stale_practices() if page.pk in {case.pk for case in cases}]
    assert titles == ["Aldri gjennomgått, kilde 2012", "Gjennomgått 2015", "Aldri gjennomgått, kilde 2017"]


def test_report_exports_csv(godkjenner, review_cases):
    response = logged_in(godkjenner).get(REPORT_URL + "?export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Tittel", "Ansvarlig aktør", "Sist gjennomgått", "Sist publisert", "Adresse"]
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Gammel praksis i Bodø"][2] == "2014-05-01"
    assert by_title["Fra bostedsløs til beboer"][2] == "Aldri"
    assert "Nylig gjennomgått i Alta" not in by_title


def test_report_is_forbidden_for_others(outsider, review_cases):
    response = logged_in(outsider).get(REPORT_URL, follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert "Gammel praksis i Bodø" not in response.content.decode()
    assert messages_of(response) == ["Beklager, du har ikke tilgang på dette området."]

    anonymous = Client().get(REPORT_URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("wagtailadmin_login"))


def reports_menu(client):
    response = client.get(reverse("wagtailadmin_home"))
    props = json.loads(soup_of(response).find("script", id="wagtail-sidebar-props").string)
    main_menu = next(module for module in props["modules"] if module["_type"] == "wagtail.sidebar.MainMenuModule")
    for item in main_menu["_args"][0]:
        options = item["_args"][0]
        if options.get("name") == "reports":
            return {child["_args"][0]["label"]: child["_args"][0]["url"] for child in item["_args"][1]}
    return {}


def test_report_is_in_the_reports_menu_for_editors_only(redaktor, outsider):
    assert reports_menu(logged_in(redaktor))["Praksiseksempler som bør gjennomgås"] == REPORT_URL
    assert "Praksiseksempler som bør gjennomgås" not in reports_menu(logged_in(outsider))


# --- «Sist oppdatert» and the note on old material on the public page -----------------------------------


def currency_of(response):
    soup = soup_of(response)
    block = soup.select_one(".currency")
    note = soup.select_one(".currency-note")
    return (
        block.get_text(" ", strip=True) if block else "",
        note.get_text(" ", strip=True) if note else "",
    )


def test_tromso_seed_shows_the_old_material_note_not_its_import_date_as_an_update(tromso):
    assert tromso.last_reviewed is None and tromso.source_published is None
    response = Client().get(tromso.url)
    block, note = currency_of(response)
    # Imported today, described work from 2013: the day of import is not an update of the content.
    assert "Sist oppdatert" not in block
    assert "Dette eksempelet beskriver arbeid som startet i 2013 og er ikke gjennomgått siden." in note
    assert "Det viser situasjonen da, og lover, organisering og tall kan ha endret seg." in note
    # It cites sosialtjenesteloven § 15, repealed in 2023: the note points to the fact box...
    assert "er senere opphevet" in note and "«Lovgrunnlag»" in note
    # ...which names the successor.
    notices = [n.get_text(" ", strip=True) for n in soup_of(response).select(".legal-refs__notice")]
    assert any("erstattet av boligsosialloven § 6" in n for n in notices)
    assert tromso.is_stale and tromso.stale_since_year == 2013


def test_grunerlokka_seed_is_last_updated_when_its_source_was(grunerlokka):
    block, note = currency_of(Client().get(grunerlokka.url))
    assert block.startswith("Sist oppdatert 31. oktober 2018")  # the later of the source's two dates
    assert note.startswith("Dette eksempelet ble beskrevet i 2018.")


def test_practice_with_an_ended_period_says_from_when_to_when(db):
    page = PracticePageFactory(title="Boveiledning i Alta", period_start=2012, period_end=2014, last_reviewed=None)
    block, note = currency_of(Client().get(page.url))
    assert "Sist oppdatert" not in block
    assert note.startswith("Dette eksempelet beskriver arbeid fra 2012–2014 og er ikke gjennomgått siden.")


def test_freshly_reviewed_practice_has_no_old_material_note(db):
    today = timezone.localdate()
    page = PracticePageFactory(
        title="Ny gjennomgang i Tønsberg", last_reviewed=today, period_start=2012, period_end=2014
    )
    block, note = currency_of(Client().get(page.url))
    assert block.startswith("Sist oppdatert")
    assert today.isoformat() in str(soup_of(Client().get(page.url)).select_one(".currency__updated time"))
    assert note == ""
    assert not page.is_stale
    assert page.stale_since_year is None


def test_practice_reviewed_long_ago_says_when(db):
    page = PracticePageFactory(title="Gjennomgått i 2016 i Røros", last_reviewed=datetime.date(2016, 9, 1))
    block, note = currency_of(Client().get(page.url))
    assert "Sist oppdatert 1. september 2016" in block
    assert note.startswith("Dette eksempelet ble sist gjennomgått i 2016.")


@pytest.mark.parametrize(
    "fields, kind, stale_year",
    [
        ({"last_reviewed": datetime.date(2016, 1, 1), "source_published": datetime.date(2025, 1, 1)}, "reviewed", 2016),
        (
            {"source_published": datetime.date(2018, 10, 31), "source_updated": datetime.date(2019, 1, 2)},
            "source",
            2019,
        ),
        ({"period_start": 2013, "period_end": 2016}, "period", 2016),
        ({"period_start": 2013}, "period", 2013),
        ({"period_start": 2013, "period_ongoing": True}, "published", None),
        ({"first_published_at": datetime.datetime(2015, 2, 1, tzinfo=datetime.UTC)}, "published", 2015),
    ],
)
def test_currency_basis(fields, kind, stale_year):
    values = {"title": "X", "first_published_at": timezone.now(), **fields}
    page = PracticePage(**values)
    assert page.currency_basis.kind == kind
    assert page.stale_since_year == stale_year
    assert page.is_stale == (stale_year is not None)


def test_last_updated_falls_back_to_the_latest_publication():
    published = datetime.datetime(2025, 5, 6, 22, 30, tzinfo=datetime.UTC)  # 7 May in Norway
    assert PracticePage(title="X", last_published_at=published).updated_on == datetime.date(2025, 5, 7)
    assert PracticePage(title="X", last_reviewed=datetime.date(2024, 1, 2)).updated_on == datetime.date(2024, 1, 2)
    assert PracticePage(title="X").updated_on is None


def test_last_updated_of_imported_material_is_the_content_s_own_date():
    imported = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)
    described = {"source_published": datetime.date(2018, 10, 31), "source_updated": datetime.date(2019, 2, 1)}
    assert PracticePage(title="X", last_published_at=imported, **described).updated_on == datetime.date(2019, 2, 1)
    old_work = PracticePage(title="X", first_published_at=imported, last_published_at=imported, period_start=2013)
    assert old_work.is_stale and old_work.updated_on is None
