"""Background tasks of the site: sending one e-mail, with retries when the mail server fails.

Messages reach this task through ``practices.email_backend.BackgroundEmailBackend`` (the
EMAIL_BACKEND), so nothing is sent inside an editor's request. The worker
(``manage.py db_worker``) runs the task and sends with ``EMAIL_DELIVERY_BACKEND`` (from EMAIL_URL).

django-tasks has no retries of its own: when sending fails with a network or SMTP error, the task
enqueues itself again with a delay of ``EMAIL_RETRY_DELAY * 4 ** (attempt - 1)`` seconds (1, 4, 16,
64 minutes by default), up to ``EMAIL_MAX_ATTEMPTS`` attempts in all; the last failure is logged and
recorded as the task's error.
"""

import base64
import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Failures worth trying again later: the server is down, slow, or refuses for now.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def message_to_data(message):
    """A JSON-serialisable description of a Django ``EmailMessage`` (the task's argument)."""
    alternatives = [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])]
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple | list):
            raise TypeError("Vedlegg må gis som (filnavn, innhold, MIME-type) for å kunne sendes i bakgrunnen.")
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": alternatives,
        "attachments": attachments,
    }


def data_to_message(data, connection):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=connection,
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def retry_delay(attempt):
    """Seconds to wait before attempt ``attempt + 1``."""
    return settings.EMAIL_RETRY_DELAY * 4 ** (attempt - 1)


@task()
def send_email_task(data, attempt=1):
    """Send one message now; on a transient failure, enqueue the next attempt and return."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    recipients = ", ".join(data["to"] + data["cc"] + data["bcc"])
    try:
        sent = data_to_message(data, connection).send()
    except TRANSIENT_ERRORS as error:
        if attempt >= settings.EMAIL_MAX_ATTEMPTS:
            logger.error(
                "E-post «%s» til %s ble ikke sendt etter %s forsøk: %s", data["subject"], recipients, attempt, error
            )
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "E-post «%s» til %s feilet (forsøk %s av %s): %s; nytt forsøk om %s sekunder",
            data["subject"], recipients, attempt, settings.EMAIL_MAX_ATTEMPTS, error, int(delay),
        )
        enqueue_email(data, attempt=attempt + 1, delay=delay)
        return {"sent": 0, "retry": attempt + 1}
    return {"sent": sent, "retry": None}


def enqueue_email(data, attempt=1, delay=0):
    """Queue ``data`` for sending; a delay is kept when the task backend can defer (the database
    backend can, the immediate backend of the tests runs the next attempt at once)."""
    scheduled = send_email_task
    if delay and scheduled.get_backend().supports_defer:
        scheduled = scheduled.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    return scheduled.enqueue(data, attempt=attempt)
