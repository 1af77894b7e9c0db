"""manage.py send_review_reminders: owners (or, for pages without one, the Godkjennere) get one
Norwegian e-mail each listing the practice examples due for review by the stale-content report's
rule; recently published pages are not due; running it again sends nothing new."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from practices.editorial import APPROVERS, EDITORS
from practices.models import PracticePage, ReviewReminder
from tests.editors import make_user
from tests.email_helpers import queued_emails, run_worker
from tests.factories import PracticePageFactory

BASE = "http://testserver"


@pytest.fixture
def people(db):
    return {
        "rita": make_user("rita.redaktor", EDITORS, first_name="Rita", last_name="Redaktør"),
        "gunnar": make_user("gunnar.godkjenner", APPROVERS, first_name="Gunnar", last_name="Godkjenner"),
        "gro": make_user("gro.godkjenner", APPROVERS, first_name="Gro", last_name="Godkjenner"),
    }


@pytest.fixture
def pages(people):
    three_years_ago = timezone.localdate() - datetime.timedelta(days=3 * 366)
    return {
        # Rita's, last reviewed three years ago: due.
        "old": PracticePageFactory(title="Bostøtteteam i Hamar", owner=people["rita"], last_reviewed=three_years_ago),
        # Rita's, never reviewed, but published now and describing nothing older: not due.
        "new": PracticePageFactory(
            title="Nytt boligteam i Alta", owner=people["rita"], last_reviewed=None, period_start=None, period_end=None
        ),
        # Reviewed this year: not due.
        "reviewed": PracticePageFactory(
            title="Gjennomgått i Bodø", owner=people["rita"], last_reviewed=timezone.localdate()
        ),
    }


def run(*args):
    out = io.StringIO()
    call_command("send_review_reminders", *args, stdout=out, stderr=out)
    return out.getvalue()


def ownerless_stale_seeds():
    return [page for page in PracticePage.objects.live().filter(owner__isnull=True) if page.is_stale]


def test_owners_and_godkjennere_get_one_email_each(background_mail, people, pages):
    seeds = ownerless_stale_seeds()
    assert seeds, "the seed content has old practice examples without an owner"
    output = run()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {
        "rita.redaktor@example.no",
        "gunnar.godkjenner@example.no",
        "gro.godkjenner@example.no",
    }

    rita = by_recipient["rita.redaktor@example.no"]
    assert rita.subject == "Innhold som bør gjennomgås: 1 side i Kunnskapsbasen"
    assert rita.body.startswith("Hei Rita,")
    assert "Du står som eier av et praksiseksempel som ikke er gjennomgått på mer enn to år" in rita.body
    assert "- Bostøtteteam i Hamar (sist gjennomgått: " in rita.body
    assert f"{BASE}/admin/pages/{pages['old'].pk}/edit/" in rita.body
    assert f"{BASE}/admin/reports/praksiseksempler-til-gjennomgang/" in rita.body
    for title in ("Nytt boligteam i Alta", "Gjennomgått i Bodø"):
        assert all(title not in message.body for message in mail.outbox)

    gunnar = by_recipient["gunnar.godkjenner@example.no"]
    noun = "side" if len(seeds) == 1 else "sider"
    assert gunnar.subject == f"Innhold som bør gjennomgås: {len(seeds)} {noun} i Kunnskapsbasen"
    assert "har ingen eier som kan få e-post, så påminnelsen går til godkjennerne:" in gunnar.body
    for page in seeds:
        assert f"- {page.title} (sist gjennomgått: " in gunnar.body
        assert f"{BASE}/admin/pages/{page.pk}/edit/" in gunnar.body
    assert "Bostøtteteam i Hamar" not in gunnar.body

    assert "[1/3] Sender til Rita Redaktør <rita.redaktor@example.no>: 1 sider" in output
    assert f"Ferdig: 3 e-poster om {len(seeds) + 1} sider" in output
    assert ReviewReminder.objects.count() == 1 + 2 * len(seeds)


def test_running_twice_the_same_day_sends_nothing_new(background_mail, people, pages):
    run()
    sent = len(mail.outbox)
    assert sent == 3
    output = run()
    assert len(mail.outbox) == sent
    assert "Ferdig: 0 e-poster om 0 sider" in output
    assert f"{ReviewReminder.objects.count()} påminnelser hoppet over (sendt de siste 30 dagene)" in output

    # After the interval, the reminders go out again.
    ReviewReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=31))
    run()
    assert len(mail.outbox) == 2 * sent


def test_a_page_newly_due_is_reminded_even_if_others_were_just_reminded(background_mail, people, pages):
    run()
    mail.outbox.clear()
    later = PracticePageFactory(
        title="Boligsosial handlingsplan i Lom", owner=people["rita"], last_reviewed=datetime.date(2020, 5, 1)
    )
    run()
    (message,) = mail.outbox
    assert message.to == ["rita.redaktor@example.no"]
    assert "Boligsosial handlingsplan i Lom" in message.body
    assert "Bostøtteteam i Hamar" not in message.body
    assert ReviewReminder.objects.filter(page=later).count() == 1


def test_dry_run_sends_and_stores_nothing(background_mail, people, pages):
    output = run("--dry-run")
    assert mail.outbox == []
    assert not ReviewReminder.objects.exists()
    assert "[1/3] Ville sendt til Rita Redaktør" in output
    assert "tørrkjøring, ingenting sendt" in output


def test_an_inactive_owner_falls_back_to_the_godkjennere(background_mail, people, pages):
    people["rita"].is_active = False
    people["rita"].save()
    run()
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {"gunnar.godkjenner@example.no", "gro.godkjenner@example.no"}
    assert all("Bostøtteteam i Hamar" in message.body for message in mail.outbox)


def test_reminders_are_sent_by_the_worker(database_tasks, people, pages):
    run()
    assert mail.outbox == []
    assert queued_emails().count() == 3
    run_worker()
    assert len(mail.outbox) == 3
