"""An e-mail backend that sends nothing itself: every message becomes a background task.

It is the site's EMAIL_BACKEND, so everything that sends e-mail through Django — Wagtail's
workflow and comment notifications, password reset, the review reminders — only stores a task
in the request; the worker sends it (``practices.tasks.send_email_task``). Opening a
connection cannot fail here, so the admin never shows Wagtail's «Mail connection error».
"""

from django.core.mail.backends.base import BaseEmailBackend

from .tasks import enqueue_email, message_to_data


class BackgroundEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            enqueue_email(message_to_data(message))
            count += 1
        return count
