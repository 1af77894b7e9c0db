"""The e-mail of «Del ditt eksempel», in Norwegian, sent through the site's background e-mail.

To the submitter: the confirmation link (double opt-in), the receipt with everything that was
sent, the editors' questions, and the news that the example is published. To the Godkjennere:
that a new example waits in «Faglig godkjenning». The templates are in templates/contribute/email/.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from ..editorial import APPROVERS
from .forms import STEPS


def admin_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def answer_sections(submission):
    """[(label, text)] of everything the submitter wrote, in the order of the form."""
    sections = [
        ("Kommune", submission.municipality.name if submission.municipality else "(slettet fra registeret)"),
        ("Enhet", submission.unit),
        ("Tittel", submission.title),
    ]
    for step in STEPS[1:-1]:
        for name, field in step.form_class.base_fields.items():
            if name in {"title"}:
                continue
            if name == "provisions":
                provisions = [str(provision) for provision in submission.provisions.select_related("law")]
                sections.append((str(field.label), ", ".join(provisions)))
                continue
            sections.append((str(field.label), submission.answers.get(name, "")))
    files = [f"{file.filename} ({file.get_kind_display()})" for file in submission.files.all()]
    sections.append(("Vedlegg", ", ".join(files)))
    return [(label, text) for label, text in sections if text]


def _send(subject, template, context, to, reply_to=None):
    body = render_to_string(f"contribute/email/{template}", context)
    EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None).send()


def send_confirmation(submission, confirm_url):
    _send(
        f"Bekreft innsendingen: «{submission.title}»",
        "confirm.txt",
        {"submission": submission, "confirm_url": confirm_url, "days": settings.SUBMISSION_CONFIRM_DAYS},
        [submission.email],
    )


def send_receipt(submission):
    _send(
        f"Kvittering: vi har mottatt «{submission.title}»",
        "receipt.txt",
        {"submission": submission, "sections": answer_sections(submission)},
        [submission.email],
    )


def approvers():
    return get_user_model().objects.filter(groups__name=APPROVERS, is_active=True).exclude(email="").distinct()


def notify_approvers(submission):
    recipients = sorted({user.email for user in approvers()})
    if not recipients or submission.page_id is None:
        return 0
    context = {
        "submission": submission,
        "edit_url": admin_url(reverse("wagtailadmin_pages:edit", args=[submission.page_id])),
        "dashboard_url": admin_url(reverse("wagtailadmin_home")),
    }
    for address in recipients:
        _send(f"Nytt innsendt eksempel: «{submission.title}»", "new_for_approvers.txt", context, [address])
    return len(recipients)


def send_published(submission, page):
    if not submission.email:
        return
    _send(
        f"Eksempelet ditt er publisert: «{page.title}»",
        "published.txt",
        {"submission": submission, "page": page, "url": page.get_full_url()},
        [submission.email],
    )


def send_question(submission, editor):
    if not submission.email:
        return False
    reply_to = [editor.email] if editor is not None and editor.email else None
    _send(
        f"Spørsmål om eksempelet «{submission.title}»",
        "question.txt",
        {"submission": submission, "editor": editor},
        [submission.email],
        reply_to=reply_to,
    )
    return True
