"""Four eyes: in «Faglig godkjenning» nobody approves or publishes their own changes.

A Godkjenner who changed or submitted a page cannot approve it (the action is absent, and the
edit view says why); another Godkjenner can. Godkjennere cannot publish directly past the
workflow; a superuser still can. Installations with the old plain group approval task are
upgraded in place, and pages in review stay in review."""

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow, WorkflowState, WorkflowTask

from practices.editorial import APPROVERS, TASK_NAME, WORKFLOW_NAME, ensure_editorial_setup
from practices.models import FourEyesApprovalTask, PracticePage
from tests.editors import logged_in
from tests.factories import edit_form_data
from tests.test_admin_authoring import SLUG, TITLE
from tests.test_editorial_workflow import create_and_submit, messages_of

OWN_CHANGE = f"Du kan ikke godkjenne «{TITLE}» fordi du selv har endret eller sendt inn denne versjonen."


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def approve_url(page):
    task_state = page.current_workflow_state.current_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])


def action_names(html):
    """The workflow actions and buttons of the edit view's action menu."""
    soup = BeautifulSoup(html, "html.parser")
    names = {button.get("data-workflow-action-name") for button in soup.select("[data-workflow-action-name]")}
    names |= {button.get("name") for button in soup.select("footer button[name], .actions button[name]")}
    return names - {None}


def awaiting_review(client):
    """The titles in the dashboard's panel «Venter på din gjennomgang»."""
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = soup.find(id="awaiting-review-section")
    return panel.get_text(" ", strip=True) if panel else ""


def test_the_workflow_uses_the_four_eyes_task(db):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    (task,) = [task.specific for task in workflow.tasks]
    assert isinstance(task, FourEyesApprovalTask)
    assert task.name == TASK_NAME
    assert FourEyesApprovalTask.get_verbose_name() == "Godkjenning av en annen person"
    assert [group.name for group in task.groups.all()] == [APPROVERS]


def test_a_godkjenner_cannot_approve_what_they_submitted_and_another_can(godkjenner, godkjenner2, practice_index):
    page, _response = create_and_submit(logged_in(godkjenner), practice_index)
    author = logged_in(godkjenner)

    # The edit view offers no approval and says why.
    response = author.get(edit_url(page))
    assert response.status_code == 200
    assert "approve" not in action_names(response.content.decode())
    assert any(message.startswith(OWN_CHANGE) for message in messages_of(response))
    # Not on the dashboard's list of pages awaiting their review either.
    assert TITLE not in awaiting_review(author)

    # Posting the approval anyway is refused.
    response = author.post(approve_url(page), follow=True)
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    # Another Godkjenner sees it, may approve it, and it goes live.
    other = logged_in(godkjenner2)
    response = other.get(edit_url(page))
    assert "approve" in action_names(response.content.decode())
    assert TITLE in awaiting_review(other)
    assert other.post(approve_url(page)).status_code == 302
    page.refresh_from_db()
    assert page.live


def test_a_godkjenner_who_edited_a_submission_cannot_approve_it(redaktor, godkjenner, godkjenner2, practice_index):
    page, _response = create_and_submit(logged_in(redaktor), practice_index)
    client = logged_in(godkjenner)

    # Gunnar changes the page while it is in review, and asks to approve in the same save.
    data = edit_form_data(client, page)
    data["summary"] = "Ingressen omskrevet av godkjenneren."
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    response = client.post(edit_url(page), data, follow=True)
    assert response.status_code == 200
    assert any(message.startswith(OWN_CHANGE) for message in messages_of(response))

    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    # His change is kept as the latest version, waiting for someone else.
    assert page.get_latest_revision_as_object().summary == "Ingressen omskrevet av godkjenneren."
    assert "approve" not in action_names(client.get(edit_url(page)).content.decode())

    assert logged_in(godkjenner2).post(approve_url(page)).status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.summary == "Ingressen omskrevet av godkjenneren."


def test_a_godkjenner_cannot_publish_their_own_change_directly(godkjenner, oksnes):
    client = logged_in(godkjenner)
    assert "action-publish" not in action_names(client.get(edit_url(oksnes)).content.decode())

    data = edit_form_data(client, oksnes)
    data["responsible_unit"] = "NAV Øksnes, gjennomgått"
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(oksnes), data, follow=True)
    assert any(
        message.startswith("Sider i arbeidsflyten «Faglig godkjenning» publiseres når en annen godkjenner")
        for message in messages_of(response)
    )
    oksnes.refresh_from_db()
    assert oksnes.responsible_unit == "NAV Øksnes"  # the live version is unchanged
    assert oksnes.get_latest_revision_as_object().responsible_unit == "NAV Øksnes, gjennomgått"  # kept as a draft


def test_a_godkjenner_cannot_publish_a_new_page_directly(godkjenner, practice_index):
    from tests.test_admin_authoring import add_url, practice_form_data

    client = logged_in(godkjenner)
    assert "action-publish" not in action_names(client.get(add_url(practice_index)).content.decode())
    response = client.post(add_url(practice_index), practice_form_data(), follow=True)  # with action-publish
    assert response.status_code == 200
    page = PracticePage.objects.get(slug=SLUG)
    assert not page.live  # saved as a draft, not published


def test_a_superuser_may_still_publish_directly(oksnes):
    admin = get_user_model().objects.create_superuser("sjef", "sjef@example.no", "hemmelig-passord")
    client = logged_in(admin)
    assert "action-publish" in action_names(client.get(edit_url(oksnes)).content.decode())
    data = edit_form_data(client, oksnes)
    data["responsible_unit"] = "NAV Øksnes, gjennomgått"
    data["action-publish"] = "action-publish"
    assert client.post(edit_url(oksnes), data).status_code == 302
    oksnes.refresh_from_db()
    assert oksnes.responsible_unit == "NAV Øksnes, gjennomgått"


def test_setup_upgrades_the_old_task_in_place_without_losing_pages_in_review(
    redaktor, godkjenner, godkjenner2, practice_index
):
    # An installation from before the rule: the workflow's task is a plain group approval task.
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    current = FourEyesApprovalTask.objects.get(name=TASK_NAME)
    WorkflowTask.objects.filter(workflow=workflow, task=current).delete()
    FourEyesApprovalTask.objects.filter(pk=current.pk).update(name="Ikke i bruk", active=False)
    old = GroupApprovalTask.objects.create(name=TASK_NAME)
    old.groups.add(Group.objects.get(name=APPROVERS))
    WorkflowTask.objects.create(workflow=workflow, task=old, sort_order=0)

    # A Godkjenner edits a page and it is sent for review under the old task.
    page, _response = create_and_submit(logged_in(godkjenner), practice_index)
    assert type(page.current_workflow_task.specific) is GroupApprovalTask
    task_state = page.current_workflow_state.current_task_state

    ensure_editorial_setup()

    task = GroupApprovalTask.objects.get(pk=old.pk).specific
    assert isinstance(task, FourEyesApprovalTask)
    assert [t.pk for t in workflow.tasks] == [old.pk]
    assert [group.name for group in task.groups.all()] == [APPROVERS]
    page.refresh_from_db()
    assert page.current_workflow_state.current_task_state.pk == task_state.pk  # still in review
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    # The new rule holds for it, and another Godkjenner approves it.
    assert "approve" not in action_names(logged_in(godkjenner).get(edit_url(page)).content.decode())
    assert logged_in(godkjenner2).post(approve_url(page)).status_code == 302
    page.refresh_from_db()
    assert page.live

    # Running the setup again changes nothing.
    ensure_editorial_setup()
    assert FourEyesApprovalTask.objects.filter(name=TASK_NAME).count() == 1
    assert [t.pk for t in workflow.tasks] == [old.pk]


def test_a_godkjenner_cannot_bulk_publish_drafts(godkjenner):
    from tests.factories import PracticePageFactory

    draft = PracticePageFactory(title="Kladd i Narvik", live=False)
    draft.save_revision(user=godkjenner)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={draft.pk}"
    response = logged_in(godkjenner).post(url, {"include_descendants": ""}, follow=True)
    assert any(message.startswith("Sider i arbeidsflyten «Faglig godkjenning»") for message in messages_of(response))
    draft.refresh_from_db()
    assert not draft.live
