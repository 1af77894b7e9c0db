"""A real browser for UI checks, as pytest fixtures: the site served from the test database
in a thread, and Debian's Chromium driven by Playwright.

The site is the bootstrapped test database (fixtures/ as content); the browser tests only read,
so the server runs once per module without flushing the database the other tests share.
What the tests need from the database (the seed pages' titles and addresses) is read before
the browser starts: Playwright's synchronous API runs an event loop in the test's thread, and
Django would rightly refuse ORM calls made while it runs.

In CI (``CI`` set) the browser is required: if Chromium cannot be started the tests error
loudly instead of being skipped. Elsewhere they are skipped with the reason (install Chromium
with ``apt-get install chromium``, or point ``CHROMIUM`` at a Chromium binary).
"""

import os
import shutil
from dataclasses import dataclass

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler

# Flags for a headless Chromium on a closed network, as root, with a fresh profile.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path():
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(message):
    if os.environ.get("CI"):
        pytest.fail(message + " — nettlesertestene er påkrevd i CI.", pytrace=False)
    pytest.skip(message)


def _shared_in_memory_connections():
    """An in-memory SQLite database exists only in its connection: the server threads use ours."""
    shared = {}
    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            connection.inc_thread_sharing()
            shared[connection.alias] = connection
    return shared


@pytest.fixture(scope="module")
def site_url(django_db_setup, django_db_blocker):
    """The base URL of the site, served by a real WSGI server on a free local port."""
    with django_db_blocker.unblock():
        shared = _shared_in_memory_connections()
        server = LiveServerThread("127.0.0.1", _StaticFilesHandler, connections_override=shared, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
        server.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


SEED_SLUGS = {
    "tromso": "fra-bostedslos-til-beboer",
    "oksnes": "oppfolging-av-brukere-med-depositumgaranti",
    "grunerlokka": "hjem-forst-grunerlokka",
    "nes_report": "boligsosialt-arbeid-i-nes-kommune-2009",
    "close_follow_up_article": "gode-grep-for-tett-oppfolging",
}


@dataclass(frozen=True)
class SeedPage:
    title: str
    url: str


@pytest.fixture(scope="module")
def seed_pages(django_db_setup, django_db_blocker):
    """{name: SeedPage} for the five seed pages (names as in conftest's fixtures)."""
    from wagtail.models import Page

    with django_db_blocker.unblock():
        pages = {page.slug: page for page in Page.objects.live().filter(slug__in=SEED_SLUGS.values())}
        return {name: SeedPage(pages[slug].title, pages[slug].url) for name, slug in SEED_SLUGS.items()}


@pytest.fixture(scope="module")
def chromium(site_url, seed_pages):
    """Chromium, started after everything the tests read from the database (see above)."""
    executable = _chromium_path()
    if not executable:
        _unavailable("Fant ikke Chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"Playwright mangler: {error}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
    except Exception as error:
        playwright.stop()
        _unavailable(f"Chromium kunne ikke startes: {type(error).__name__}: {error}")
    yield browser
    browser.close()
    playwright.stop()


def _new_page(browser, site_url, **options):
    context = browser.new_context(base_url=site_url, locale="nb-NO", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(chromium, site_url):
    """A fresh browser tab with JavaScript, as most visitors have it."""
    tab = _new_page(chromium, site_url)
    yield tab
    tab.context.close()


@pytest.fixture
def page_without_js(chromium, site_url):
    """A tab with JavaScript switched off: everything must still work."""
    tab = _new_page(chromium, site_url, java_script_enabled=False)
    yield tab
    tab.context.close()
