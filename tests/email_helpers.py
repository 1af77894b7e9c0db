"""Fixtures for the e-mail tests: the real background path (BackgroundEmailBackend → a task →
the delivery backend), with Django's in-memory outbox as the delivery backend, and the database
task backend with its worker (``manage.py db_worker --batch``) when a test proves that nothing is
sent inside the request."""

import io
import logging
import signal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
BACKGROUND = "practices.email_backend.BackgroundEmailBackend"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EMAIL_TASK = "practices.tasks.send_email_task"


@pytest.fixture
def background_mail(db, settings):
    """The site's own EMAIL_BACKEND (pytest-django replaces it by locmem), delivering to the outbox.
    Tasks run at once (the test settings' immediate backend)."""
    settings.EMAIL_BACKEND = BACKGROUND
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def database_tasks(db, settings, background_mail):
    """Tasks are stored in the database as in production, and run only by ``run_worker()``."""
    settings.TASKS = DATABASE_TASKS
    return background_mail


def run_worker():
    """Run the database worker once over every task that is due, as `make run` and cron do.
    The worker installs its own signal handlers and log levels; the test process gets its own back.
    Like Django's test client, it must not close the database connection between tasks: that
    would end the test's transaction (PostgreSQL)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    out = io.StringIO()
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=out, stderr=out)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    return out.getvalue()


def queued_emails():
    return DBTaskResult.objects.filter(task_path=EMAIL_TASK, status="READY")
