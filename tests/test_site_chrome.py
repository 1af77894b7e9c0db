"""The header and footer remembered per process (practices/site_chrome.py): read again after
exactly the changes that can alter them, in every process, and not after the others.

«Another process» is simulated by putting back what this process remembered before the
editor's action (the in-process forgetting is undone): only a bumped version makes it read
the header and footer again, as a second server process would."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from practices import site_chrome
from practices.models import HomePage, InfoPage, PracticePage, ReportIndexPage, SiteTexts
from tests.factories import PracticePageFactory


@pytest.fixture
def remembering(monkeypatch):
    """As outside a test's transaction: the process remembers the header's and footer's rows."""
    monkeypatch.setattr(site_chrome, "may_remember", lambda: True)
    site_chrome.forget()
    yield
    site_chrome.forget()


def chrome(client, url):
    """(footer links {title: address}, main menu addresses) as an anonymous visitor sees them."""
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    footer = {a.get_text(strip=True): a["href"] for a in soup.select("footer nav.site-footer__nav a")}
    return footer, [a["href"] for a in soup.select("nav.main-nav a")]


@pytest.fixture
def another_process(client, django_capture_on_commit_callbacks, remembering):
    """``run(action)``: the action committed by an editor, then what a process that had
    remembered the chrome before it shows."""
    url = PracticePage.objects.live().first().url

    def run(action):
        chrome(client, url)  # remembered
        before = dict(site_chrome._remembered)
        assert before
        with django_capture_on_commit_callbacks(execute=True):
            action()
        site_chrome._remembered.clear()
        site_chrome._remembered.update(before)
        return chrome(client, url)

    return run


def texts():
    return SiteTexts.for_site(Site.objects.get(is_default_site=True))


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def about():
    return InfoPage.objects.get(pk=texts().about_page_id)


def test_the_seed_site_has_a_menu_and_footer_pages(client, db):
    footer, menu = chrome(client, PracticePage.objects.live().first().url)
    assert {"/praksiseksempler/", "/rapporter/", "/artikler/"} <= set(menu)
    assert about().title in footer


def test_a_new_title_of_a_footer_page_is_shown(db, another_process):
    footer, _menu = another_process(lambda: publish(about(), title="Om kunnskapsbasen (ny)"))
    assert "Om kunnskapsbasen (ny)" in footer


def test_an_unpublished_footer_page_leaves_the_footer(db, another_process):
    title = about().title
    footer, _menu = another_process(lambda: about().unpublish())
    assert title not in footer


def test_a_renamed_footer_page_is_linked_at_its_new_address(db, another_process):
    footer, _menu = another_process(lambda: publish(about(), slug="om-oss"))
    assert footer[about().title] == "/om-oss/"


def test_a_deleted_footer_page_leaves_the_footer(db, another_process):
    title = about().title
    footer, _menu = another_process(lambda: about().delete())
    assert title not in footer


def test_a_footer_page_below_a_renamed_or_moved_ancestor_gets_its_new_address(
    db, another_process, django_capture_on_commit_callbacks
):
    home = HomePage.objects.get()
    moved = about()
    with django_capture_on_commit_callbacks(execute=True):
        folder = home.add_child(instance=InfoPage(title="Informasjon", slug="informasjon"))
        moved.move(folder, pos="last-child")
    footer, _menu = another_process(lambda: publish(InfoPage.objects.get(pk=folder.pk), slug="info"))
    assert footer[moved.title] == f"/info/{moved.slug}/"
    # The footer page moved back up: its ancestor is no longer on the way.
    footer, _menu = another_process(lambda: InfoPage.objects.get(pk=moved.pk).move(home, pos="last-child"))
    assert not footer[moved.title].startswith("/info/")


def test_saving_the_site_texts_changes_the_footer(db, another_process, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new = HomePage.objects.get().add_child(instance=InfoPage(title="Om tjenesten", slug="om-tjenesten"))

    def choose():
        row = texts()
        row.about_page = new
        row.save()

    footer, _menu = another_process(choose)
    assert footer["Om tjenesten"] == "/om-tjenesten/"


def test_a_view_restriction_on_a_footer_page_hides_it(db, another_process):
    page = about()
    footer, _menu = another_process(
        lambda: PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    )
    assert page.title not in footer


def test_a_section_renamed_away_and_back_follows_the_menu(db, another_process):
    section = ReportIndexPage.objects.get(slug="rapporter")
    _footer, menu = another_process(lambda: publish(ReportIndexPage.objects.get(pk=section.pk), slug="rapportar"))
    assert not any(address.startswith("/rapport") for address in menu)
    # Given the slug again (the page is no longer one the chrome knows: the slug itself counts).
    _footer, menu = another_process(lambda: publish(ReportIndexPage.objects.get(pk=section.pk), slug="rapporter"))
    assert "/rapporter/" in menu


def test_a_new_page_with_a_menu_slug_is_found_by_the_menu(db, another_process, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ReportIndexPage.objects.get(slug="rapporter").delete()

    def add():
        HomePage.objects.get().add_child(instance=InfoPage(title="Rapporter", slug="rapporter", live=False))

    _footer, menu = another_process(add)
    assert "/rapporter/" in menu


def test_a_moved_menu_section_is_linked_at_its_new_address(db, another_process):
    section = ReportIndexPage.objects.get(slug="rapporter")
    folder = HomePage.objects.get().add_child(instance=InfoPage(title="Mer", slug="mer"))
    _footer, menu = another_process(lambda: Page.objects.get(pk=section.pk).move(folder, pos="last-child"))
    assert "/mer/rapporter/" in menu


def test_publishing_an_unrelated_practice_reads_nothing_of_the_chrome_again(
    client, db, django_capture_on_commit_callbacks, remembering
):
    practice = PracticePageFactory(title="Boligkontakt i Alta")
    url = PracticePage.objects.live().exclude(pk=practice.pk).first().url
    chrome(client, url)
    with CaptureQueriesContext(connection) as warm:
        chrome(client, url)
    version = site_chrome.version()
    with django_capture_on_commit_callbacks(execute=True):
        publish(PracticePage.objects.get(pk=practice.pk), title="Boligkontakt i Alta kommune")
    assert site_chrome.version() == version
    with CaptureQueriesContext(connection) as first:
        footer, menu = chrome(client, url)
    assert len(first) == len(warm)
    assert not any("practices_sitetexts" in query["sql"] for query in first.captured_queries)
    assert "/rapporter/" in menu and about().title in footer


def test_the_editors_check_is_two_small_queries_once_per_version(db, remembering):
    practice, other = PracticePage.objects.live().first(), PracticePage.objects.live().last()
    with CaptureQueriesContext(connection) as first:
        site_chrome._page_changing(PracticePage, practice)
    with CaptureQueriesContext(connection) as again:
        site_chrome._page_changing(PracticePage, other)
    assert len(first) == 2 and len(again) == 0
    assert practice.pk not in site_chrome.chrome_page_ids()
    assert about().pk in site_chrome.chrome_page_ids()
    assert HomePage.objects.get().pk in site_chrome.chrome_page_ids()  # an ancestor of them


def footer_and_menu(html):
    soup = BeautifulSoup(html, "html.parser")
    return soup.find("footer").get_text(" ", strip=True), [a["href"] for a in soup.select("nav.main-nav a")]


def test_the_header_and_footer_are_read_once_and_follow_every_change(
    client, db, remembering, django_capture_on_commit_callbacks
):
    practice = PracticePage.objects.live().first()
    assert client.get(practice.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        html = client.get(practice.url).content.decode()
    first = len(queries)
    assert "/praksiseksempler/" in footer_and_menu(html)[1]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(practice.url).status_code == 200
    assert len(queries) == first  # the warm-up view above filled what the process remembers
    assert not any("practices_sitetexts" in q["sql"] for q in queries.captured_queries)

    # An editor saves the texts in this process: shown at once.
    texts = SiteTexts.for_site(Site.objects.get(is_default_site=True))
    texts.organisation_name = "Direktoratet for boligsosialt arbeid"
    with django_capture_on_commit_callbacks(execute=True):
        texts.save()
    assert "Direktoratet for boligsosialt arbeid" in footer_and_menu(client.get(practice.url).content.decode())[0]

    # Another process changes the footer's pages: shown once the chrome's version is bumped.
    about = InfoPage.objects.get(slug="om")
    InfoPage.objects.filter(pk=about.pk).update(title="Om oss")
    site_chrome.bump()
    assert "Om oss" in footer_and_menu(client.get(practice.url).content.decode())[0]

    # A section unpublished: gone from the menu (and the footer page with it).
    with django_capture_on_commit_callbacks(execute=True):
        about.unpublish()
    footer, menu = footer_and_menu(client.get(practice.url).content.decode())
    assert "Om oss" not in footer
