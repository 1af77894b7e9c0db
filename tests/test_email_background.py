"""E-mail leaves in the background: a message sent anywhere in the site becomes a task, the
database worker sends it, and a failing mail server is tried again with back-off."""

import datetime
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.email_helpers import queued_emails, run_worker

FLAKY = "tests.test_email_background.FlakyBackend"


class FlakyBackend(LocmemBackend):
    """A mail server that refuses the first ``failures`` messages, then delivers to the outbox."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Tilkoblingen til e-posttjeneren ble brutt")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_DELIVERY_BACKEND = FLAKY
    FlakyBackend.calls = 0
    FlakyBackend.failures = 0
    return FlakyBackend


def test_sending_stores_a_task_and_the_worker_delivers_it(database_tasks):
    assert send_mail("Prøve", "Hei fra Kunnskapsbasen.", None, ["kari@example.no"]) == 1
    assert mail.outbox == []  # nothing has left yet
    task = queued_emails().get()
    assert task.args_kwargs["args"][0]["to"] == ["kari@example.no"]

    run_worker()

    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        ("Prøve", ["kari@example.no"], "Hei fra Kunnskapsbasen.")
    ]
    assert mail.outbox[0].from_email == "Kunnskapsbase <ikke-svar@localhost>"  # DEFAULT_FROM_EMAIL
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert not queued_emails().exists()


def test_html_alternative_and_headers_survive_the_queue(database_tasks):
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(
        "Varsel", "Tekst", "avsender@example.no", ["a@example.no"], cc=["b@example.no"],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    message.attach("liste.csv", "tittel;dato\n", "text/csv")
    message.send()
    run_worker()
    (sent,) = mail.outbox
    assert sent.cc == ["b@example.no"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.alternatives[0][0] == "<p>Tekst</p>"
    assert sent.attachments[0][0] == "liste.csv"


def test_a_failed_send_is_retried_later_with_back_off(database_tasks, flaky, settings):
    settings.EMAIL_RETRY_DELAY = 60
    flaky.failures = 2
    send_mail("Til godkjenning", "Tekst", None, ["gunnar@example.no"])

    before = timezone.now()
    run_worker()
    assert mail.outbox == [] and flaky.calls == 1
    retry = queued_emails().get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after >= before + datetime.timedelta(seconds=60)

    run_worker()  # not due yet: nothing happens
    assert flaky.calls == 1

    # Time passes.
    queued_emails().update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()
    assert flaky.calls == 2 and mail.outbox == []
    retry = queued_emails().get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 3}
    assert retry.run_after >= timezone.now() + datetime.timedelta(seconds=200)  # 60 * 4 after attempt 2

    queued_emails().update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()
    assert flaky.calls == 3
    assert [m.subject for m in mail.outbox] == ["Til godkjenning"]
    assert not queued_emails().exists()


def test_sending_gives_up_after_the_last_attempt_and_logs_it(background_mail, flaky, settings, caplog):
    settings.EMAIL_MAX_ATTEMPTS = 3
    flaky.failures = 100
    with caplog.at_level(logging.WARNING, logger="practices.tasks"):
        send_mail("Påminnelse", "Tekst", None, ["rita@example.no"])  # immediate backend: all attempts now
    assert flaky.calls == 3
    assert mail.outbox == []
    assert "ble ikke sendt etter 3 forsøk" in caplog.text


def test_the_last_failure_is_recorded_on_the_task(database_tasks, flaky, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    flaky.failures = 100
    send_mail("Påminnelse", "Tekst", None, ["rita@example.no"])
    run_worker()
    (task,) = DBTaskResult.objects.filter(task_path="practices.tasks.send_email_task")
    assert task.status == "FAILED"
    assert task.exception_class_path == "smtplib.SMTPServerDisconnected"


def test_messages_without_recipients_are_not_queued(database_tasks):
    from django.core.mail import EmailMessage

    assert EmailMessage("Ingen", "Tekst", None, []).send() == 0
    assert not queued_emails().exists()
