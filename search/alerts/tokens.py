"""Signed links: confirming a subscription, unsubscribing from one, managing an address's.

Django's signing (HMAC with SECRET_KEY, a salt per purpose) so that no token is stored. A
confirmation link expires after ``CONFIRM_MAX_AGE``; the links in alert e-mails (unsubscribe,
manage) must keep working as long as the e-mails are read, so they do not expire, and they stop
working when the subscription is gone.
"""

import datetime

from django.core import signing

CONFIRM_MAX_AGE = datetime.timedelta(days=7)
_CONFIRM = "alerts.confirm"
_UNSUBSCRIBE = "alerts.unsubscribe"
_MANAGE = "alerts.manage"


class BadToken(Exception):
    pass


def confirm_token(subscription, frequency):
    return signing.dumps({"s": subscription.pk, "f": frequency}, salt=_CONFIRM, compress=True)


def read_confirm_token(token):
    """(subscription id, frequency); ``BadToken`` if the link is altered or too old."""
    try:
        data = signing.loads(token, salt=_CONFIRM, max_age=CONFIRM_MAX_AGE)
        return int(data["s"]), str(data["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken(str(error)) from None


def unsubscribe_token(subscription):
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=_UNSUBSCRIBE, compress=True)


def read_unsubscribe_token(token):
    """(subscription id, e-mail address); ``BadToken`` if the link is altered."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE)
        return int(data["s"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken(str(error)) from None


def manage_token(email):
    return signing.dumps(email.casefold(), salt=_MANAGE, compress=True)


def read_manage_token(token):
    try:
        email = signing.loads(token, salt=_MANAGE)
    except signing.BadSignature as error:
        raise BadToken(str(error)) from None
    if not isinstance(email, str):
        raise BadToken("not an address")
    return email
