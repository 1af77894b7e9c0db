"""Shared fixtures: the test database is bootstrapped once per session with the real seed
content (fixtures/), so every test sees the site as a newcomer would after `make run`."""

import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from practices.models import ArticlePage, PracticePage, ReportPage
from tests.browser import chromium, page, page_without_js, seed_pages, site_url  # noqa: F401
from tests.editors import godkjenner, godkjenner2, practice_index, redaktor, report_index  # noqa: F401
from tests.email_helpers import background_mail, database_tasks  # noqa: F401
from tests.engine import (  # noqa: F401
    _database_backend_unless_asked,
    either_backend,
    es_fresh,
    es_seed,
    search_engine,
    seed_index,
)
from tests.factories import PROVISIONS, TAGS, TARGET_GROUPS, THEMES, LegalProvisionFactory, PracticePageFactory
from tests.submission_helpers import contribute  # noqa: F401

# Hypothesis: no per-example deadline anywhere (it is a wall-clock assertion, and the suite runs
# on busy shared machines). In CI the examples are derandomized (the same every run, no example
# database), so a red CI run can be repeated exactly; locally they vary to find new cases.
# Choose with HYPOTHESIS_PROFILE=ci|dev; CI=true selects "ci".
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("bootstrap", verbosity=0)


@pytest.fixture
def tromso(db):
    return PracticePage.objects.get(slug="fra-bostedslos-til-beboer")


@pytest.fixture
def tromso_team(db):
    """NAV Tromsø's practice from the 2019 article, registered under Tromsø as it was numbered then (1902)."""
    return PracticePage.objects.get(slug="team-og-fast-kontaktperson-i-nav-tromso")


@pytest.fixture
def oksnes(db):
    return PracticePage.objects.get(slug="oppfolging-av-brukere-med-depositumgaranti")


@pytest.fixture
def grunerlokka(db):
    return PracticePage.objects.get(slug="hjem-forst-grunerlokka")


@pytest.fixture
def nes_report(db):
    return ReportPage.objects.get(slug="boligsosialt-arbeid-i-nes-kommune-2009")


@pytest.fixture
def close_follow_up_article(db):
    return ArticlePage.objects.get(slug="gode-grep-for-tett-oppfolging")


@pytest.fixture
def small_and_large_practice(db):
    """Two practice examples, one with a single row of each kind attached, one with many
    (six references, two of them to repealed provisions, six tags, every theme and target group)."""
    small = PracticePageFactory(
        title="Boligkontakt i Bergen",
        municipalities=["4601"],
        tags=["tett oppfølging"],
        themes=THEMES[:1],
        target_groups=TARGET_GROUPS[:1],
        funding_sources=["husbanken"],
        legal_references=PROVISIONS[:1],
    )
    large = PracticePageFactory(
        title="Boligkontakt i Trondheim",
        municipalities=["5001", "5025", "1804"],
        tags=TAGS[:6],
        themes=THEMES,
        target_groups=TARGET_GROUPS,
        funding_sources=["husbanken", "statsforvalteren", "arbeids-og-velferdsdirektoratet"],
        # six references: the five seeded provisions (two of them repealed and replaced) and one more
        legal_references=[*PROVISIONS, {"provision": LegalProvisionFactory(), "comment": "særlig om forsøk"}],
    )
    return small, large
