"""Workflow e-mail in Norwegian, through the admin: a Redaktør's submission goes to the
Godkjennere (not to the one who submitted), the decision goes back to the author with the
comment, everyone's own notification settings are respected, and nothing is sent inside the
request: the worker sends it."""

import logging

from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from tests.editors import logged_in
from tests.email_helpers import queued_emails, run_worker
from tests.test_admin_authoring import TITLE
from tests.test_editorial_workflow import create_and_submit

BASE = "http://testserver"  # WAGTAILADMIN_BASE_URL in the test settings


def action_url(page, action):
    task_state = page.current_workflow_state.current_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def by_recipient(outbox):
    return {message.to[0]: message for message in outbox}


def test_submission_is_sent_to_the_godkjennere_by_the_worker(
    database_tasks, redaktor, godkjenner, godkjenner2, practice_index, django_user_model
):
    django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord")
    page, _response = create_and_submit(logged_in(redaktor), practice_index)

    # Inside the request only tasks were stored.
    assert mail.outbox == []
    assert queued_emails().count() == 2

    run_worker()
    # The worker also ran Wagtail's own tasks from saving the page, all successfully.
    ran = DBTaskResult.objects.values_list("task_path", "status")
    assert ("wagtail.tasks.update_reference_index_task", "SUCCESSFUL") in ran
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    messages = by_recipient(mail.outbox)
    # The Godkjennere, not the Redaktør who submitted, nor the superuser.
    assert set(messages) == {"gunnar.godkjenner@example.no", "gro.godkjenner@example.no"}
    message = messages["gunnar.godkjenner@example.no"]
    assert message.subject == f"Til godkjenning: «{TITLE}»"
    assert message.body.startswith("Hei Gunnar,")
    assert f"Siden «{TITLE}» er sendt til godkjenning i trinnet «Faglig vurdering» av Rita Redaktør." in message.body
    assert f"{BASE}/admin/pages/{page.pk}/edit/" in message.body
    assert "Du kan ikke godkjenne endringer du selv har gjort eller sendt inn" in message.body
    assert f"{BASE}/admin/account/" in message.body


def test_approval_is_sent_to_the_author(database_tasks, redaktor, godkjenner, practice_index):
    page, _response = create_and_submit(logged_in(redaktor), practice_index)
    run_worker()
    mail.outbox.clear()

    response = logged_in(godkjenner).post(action_url(page, "approve"))
    assert response.status_code == 302
    assert mail.outbox == []  # not inside the request
    run_worker()

    (message,) = mail.outbox
    assert message.to == ["rita.redaktor@example.no"]
    assert message.subject == f"Godkjent: «{TITLE}»"
    assert message.body.startswith("Hei Rita,")
    assert f"Siden «{TITLE}» er godkjent i «Faglig godkjenning»." in message.body
    page.refresh_from_db()
    assert page.live
    assert f"Den offentlige siden: {page.full_url}" in message.body
    assert page.full_url.endswith("/praksiseksempler/boligkontakt-for-unge-i-bodo/")
    assert f"{BASE}/admin/pages/{page.pk}/edit/" in message.body


def test_request_for_changes_is_sent_to_the_author_with_the_comment(
    background_mail, redaktor, godkjenner, practice_index
):
    page, _response = create_and_submit(logged_in(redaktor), practice_index)
    mail.outbox.clear()

    response = logged_in(godkjenner).post(
        action_url(page, "reject"), {"comment": "Skriv mer om resultatene etter ett år."}
    )
    assert response.status_code == 302

    (message,) = mail.outbox
    assert message.to == ["rita.redaktor@example.no"]
    assert message.subject == f"Endringer ønskes: «{TITLE}»"
    assert "Gunnar Godkjenner ber om endringer i siden" in message.body
    assert "Kommentar:\nSkriv mer om resultatene etter ett år." in message.body
    assert f"{BASE}/admin/pages/{page.pk}/edit/" in message.body


def test_notification_preferences_are_respected(background_mail, redaktor, godkjenner, godkjenner2, practice_index):
    profile = UserProfile.get_for_user(godkjenner2)
    profile.submitted_notifications = False
    profile.save()
    profile = UserProfile.get_for_user(redaktor)
    profile.approved_notifications = False
    profile.save()

    page, _response = create_and_submit(logged_in(redaktor), practice_index)
    assert [m.to for m in mail.outbox] == [["gunnar.godkjenner@example.no"]]

    mail.outbox.clear()
    logged_in(godkjenner).post(action_url(page, "approve"))
    assert mail.outbox == []


def test_a_godkjenner_who_submits_is_not_told_about_their_own_submission(
    background_mail, godkjenner, godkjenner2, practice_index
):
    create_and_submit(logged_in(godkjenner), practice_index)
    assert [m.to for m in mail.outbox] == [["gro.godkjenner@example.no"]]


def test_no_mail_connection_error_when_the_mail_server_is_down(
    database_tasks, settings, redaktor, godkjenner, practice_index, caplog
):
    # A mail server nobody listens on: the request does not notice, the worker retries later.
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with caplog.at_level(logging.INFO):
        _page, response = create_and_submit(logged_in(redaktor), practice_index)
    assert "Mail connection error" not in caplog.text
    assert "Failed to send notification email" not in caplog.text
    assert queued_emails().count() == 1

    run_worker()
    assert mail.outbox == []
    retry = queued_emails().get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}


def test_comment_notifications_are_in_norwegian(background_mail, redaktor, godkjenner, oksnes):
    from types import SimpleNamespace

    from wagtail.admin.mail import send_notification

    comment = SimpleNamespace(text="Er tallene fra 2023?")
    reply = SimpleNamespace(text="Ja, fra årsrapporten.")
    send_notification(
        [redaktor],
        "updated_comments",
        {
            "page": oksnes,
            "editor": godkjenner,
            "new_comments": [comment],
            "resolved_comments": [],
            "deleted_comments": [],
            "replied_comments": [{"comment": comment, "replies": [reply]}],
        },
    )
    (message,) = mail.outbox
    title = oksnes.get_admin_display_title()
    assert message.subject == f"Nye kommentarer på «{title}» fra Gunnar Godkjenner"
    assert f"Gunnar Godkjenner har oppdatert kommentarene på «{title}»." in message.body
    assert "Nye kommentarer:\n- «Er tallene fra 2023?»" in message.body
    assert "Nye svar:\n- På «Er tallene fra 2023?»:\n  - «Ja, fra årsrapporten.»" in message.body
    assert f"{BASE}/admin/pages/{oksnes.pk}/edit/" in message.body
