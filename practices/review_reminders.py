"""Reminders to review old content: who is told about which practice examples.

The rule is the stale-content report's (practices/admin_reports.py ``stale_practices``, narrowed
by ``PracticePage.is_stale``), so a page published or described recently is not due even if it
was never reviewed. A page's owner is told; a page without an owner who can receive e-mail goes
to the Godkjennere. Each (page, person) reminder is stored (``ReviewReminder``), and nobody is
reminded of the same page again within ``REVIEW_REMINDER_INTERVAL_DAYS``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .admin_reports import URL_NAME as REPORT_URL_NAME
from .admin_reports import norwegian_date, stale_practices
from .editorial import APPROVERS
from .models import ReviewReminder

SUBJECT = "Innhold som bør gjennomgås: {count} {noun} i Kunnskapsbasen"


def can_receive(user):
    return user is not None and user.is_active and bool(user.email)


def due_pages():
    """Live practice examples due for review, oldest first."""
    return [page for page in stale_practices().select_related("owner") if page.is_stale]


def approvers():
    return list(
        get_user_model().objects.filter(groups__name=APPROVERS, is_active=True).exclude(email="").order_by("pk")
    )


@dataclass
class Plan:
    pages_by_recipient: dict = field(default_factory=dict)  # user -> [pages]
    already_reminded: int = 0  # (page, person) pairs left out: reminded within the interval
    without_recipient: int = 0  # pages nobody can be told about

    @property
    def page_count(self):
        return len({page.pk for pages in self.pages_by_recipient.values() for page in pages})


def plan_reminders(pages, interval_days, now=None):
    now = now or timezone.now()
    recent = set(
        ReviewReminder.objects.filter(sent_at__gte=now - datetime.timedelta(days=interval_days)).values_list(
            "page_id", "recipient_id"
        )
    )
    fallback = None
    plan = Plan()
    by_recipient = defaultdict(list)
    for page in pages:
        if can_receive(page.owner):
            recipients = [page.owner]
        else:
            fallback = approvers() if fallback is None else fallback
            recipients = fallback
        if not recipients:
            plan.without_recipient += 1
        for recipient in recipients:
            if (page.pk, recipient.pk) in recent:
                plan.already_reminded += 1
            else:
                by_recipient[recipient].append(page)
    plan.pages_by_recipient = dict(sorted(by_recipient.items(), key=lambda item: item[0].pk))
    return plan


def reminder_message(recipient, pages):
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    items = [
        {
            "title": page.title,
            "last_reviewed": norwegian_date(page.last_reviewed) or "aldri",
            "edit_url": base_url + reverse("wagtailadmin_pages:edit", args=[page.pk]),
        }
        for page in pages
    ]
    body = render_to_string(
        "practices/email/review_reminder.txt",
        {
            "user": recipient,
            "pages": items,
            "is_owner": all(page.owner_id == recipient.pk for page in pages),
            "report_url": base_url + reverse(REPORT_URL_NAME),
        },
    ).strip()
    noun = "side" if len(pages) == 1 else "sider"
    return EmailMessage(SUBJECT.format(count=len(pages), noun=noun), body, to=[recipient.email])


def send_reminder(recipient, pages):
    """Queue the e-mail and record the reminders together."""
    with transaction.atomic():
        reminder_message(recipient, pages).send()
        ReviewReminder.objects.bulk_create([ReviewReminder(page=page, recipient=recipient) for page in pages])
