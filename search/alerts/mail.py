"""The e-mails of the alerts, in Norwegian: the confirmation (double opt-in) and an alert.

Every alert carries a one-click unsubscribe (RFC 8058: ``List-Unsubscribe`` with an HTTPS
address and ``List-Unsubscribe-Post``, and the same link in the text) and a link to the page
where the address manages all its subscriptions. Messages go through the site's EMAIL_BACKEND,
which sends them as background tasks (practices/email_backend.py).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from . import tokens
from .models import Frequency
from .queries import describe


def site_url():
    """The site's public base address (no trailing slash), for links in e-mails."""
    base = getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/")


def absolute(path):
    return f"{site_url()}{path}"


def search_path(query):
    return reverse("search:search") + (f"?{query}" if query else "")


def search_url(query):
    return absolute(search_path(query))


def manage_path(email):
    return reverse("alerts:manage", args=[tokens.manage_token(email)])


def unsubscribe_url(subscription):
    return absolute(reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(subscription)]))


def manage_url(email):
    return absolute(manage_path(email))


def confirmation_message(subscription, frequency):
    context = {
        "search": describe(subscription.query),
        "search_url": search_url(subscription.query),
        "frequency": Frequency(frequency).label.lower(),
        "confirm_url": absolute(reverse("alerts:confirm", args=[tokens.confirm_token(subscription, frequency)])),
        "days": tokens.CONFIRM_MAX_AGE.days,
    }
    return EmailMessage(
        subject="Bekreft varsel om nye treff i Kunnskapsbase",
        body=render_to_string("alerts/email/confirm.txt", context),
        to=[subscription.email],
    )


def alert_message(subscription, items):
    """``items``: [(title, absolute url, "ny"|"oppdatert")], newest first."""
    unsubscribe = unsubscribe_url(subscription)
    context = {
        "search": describe(subscription.query),
        "search_url": search_url(subscription.query),
        "items": items,
        "count": len(items),
        "unsubscribe_url": unsubscribe,
        "manage_url": manage_url(subscription.email),
        "frequency": subscription.get_frequency_display().lower(),
    }
    noun = "nytt treff" if len(items) == 1 else "nye treff"
    return EmailMessage(
        subject=f"{len(items)} {noun}: {describe(subscription.query)}"[:150],
        body=render_to_string("alerts/email/alert.txt", context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
