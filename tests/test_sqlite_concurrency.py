"""The embedded default has several writers at once: the server, the background worker and
`bootstrap` on a deploy. With the project's SQLite options a transaction that reads and then
writes waits for another writer instead of failing with «database is locked»."""

import threading
import time

from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper


def connection_to(path, options):
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "TEST": {},
        }
    )
    wrapper.ensure_connection()
    return wrapper


def read_then_write_while_another_writes(path, options):
    """Connection A holds a write transaction for a moment; B reads, then writes. B's outcome."""
    setup = connection_to(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    setup.close()

    started = threading.Event()

    def writer():
        a = connection_to(path, options)
        with a.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO t VALUES (1)")
            started.set()
            time.sleep(1)
            cursor.execute("COMMIT")
        a.close()

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait()
    b = connection_to(path, options)
    try:
        with b.cursor() as cursor:
            cursor.execute(f"BEGIN {options.get('transaction_mode') or 'DEFERRED'}")
            cursor.execute("SELECT count(*) FROM t")
            cursor.execute("INSERT INTO t VALUES (2)")
            cursor.execute("COMMIT")
        return "committed"
    except OperationalError as error:  # the outcome is what the test compares
        return str(error)
    finally:
        b.close()
        thread.join()


def test_a_reader_turned_writer_waits_for_the_other_writer(tmp_path, django_db_blocker):
    from kunnskapsbase.settings.base import SQLITE_OPTIONS

    with django_db_blocker.unblock():
        assert read_then_write_while_another_writes(tmp_path / "site.sqlite3", SQLITE_OPTIONS) == "committed"
        # Without the project's options the same work fails: what `bootstrap` met beside the worker.
        assert "locked" in read_then_write_while_another_writes(tmp_path / "plain.sqlite3", {"timeout": 20})
