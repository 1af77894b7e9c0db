"""How long «Del ditt eksempel» keeps what it is sent (docs/innsending.md), and erasing it.

``due_for_deletion()`` lists what ``manage.py purge_submissions`` deletes: submissions never
confirmed within ``SUBMISSION_CONFIRM_DAYS``, and rejected ones ``SUBMISSION_REJECTED_RETENTION_DAYS``
after the rejection, with the draft pages and documents they made (never a published page).
``contacts_due()`` lists published submissions whose submitter's name and e-mail address are
erased ``SUBMISSION_CONTACT_RETENTION_DAYS`` after publication; ``erase_contact(email)`` erases
one person's contact details at once, on request.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import PracticeAttachment, ReportPage, Submission, SubmissionStatus


def _days_ago(days, now=None):
    return (now or timezone.now()) - datetime.timedelta(days=days)


def due_for_deletion(now=None):
    unconfirmed = Submission.objects.filter(
        status=SubmissionStatus.UNCONFIRMED, created_at__lt=_days_ago(settings.SUBMISSION_CONFIRM_DAYS, now)
    )
    rejected = Submission.objects.filter(
        status=SubmissionStatus.REJECTED, rejected_at__lt=_days_ago(settings.SUBMISSION_REJECTED_RETENTION_DAYS, now)
    )
    return (unconfirmed | rejected).order_by("pk")


def contacts_due(now=None):
    return Submission.objects.filter(
        status=SubmissionStatus.PUBLISHED,
        contact_deleted_at__isnull=True,
        published_at__lt=_days_ago(settings.SUBMISSION_CONTACT_RETENTION_DAYS, now),
    ).order_by("pk")


@transaction.atomic
def delete_submission(submission):
    """Delete a submission with its unpublished draft page, the draft report made from its Word
    file and the documents it sent. Returns the number of pages deleted."""
    pages = 0
    page = submission.page
    if page is not None and not page.live:
        documents = [attachment.document for attachment in PracticeAttachment.objects.filter(page=page)]
        for report in ReportPage.objects.filter(related_practice=page, live=False, first_published_at__isnull=True):
            report.delete()
            pages += 1
        page.delete()
        pages += 1
        for document in documents:
            document.delete()
    submission.delete()
    return pages


def erase(submission, now=None):
    submission.contact_name = ""
    submission.email = ""
    submission.contact_deleted_at = now or timezone.now()
    submission.save(update_fields=["contact_name", "email", "contact_deleted_at"])


def erase_contact(email, now=None):
    """Erase the name and address of every submission sent from ``email``; the count."""
    email = (email or "").strip()
    if not email:
        return 0
    submissions = list(Submission.objects.filter(email__iexact=email))
    for submission in submissions:
        erase(submission, now)
    return len(submissions)
