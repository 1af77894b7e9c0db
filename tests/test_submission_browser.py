"""«Del ditt eksempel» end to end in a real browser (Chromium): a municipality's caseworker sends
an example through the form, confirms the address from the e-mail,
a Godkjenner sees it on the dashboard and approves it there, it is published, and the submitter
is told by e-mail. Every step of the form, with and without errors, passes axe (WCAG 2.1 AA).

The site runs in a server thread (tests/browser.py); what it writes is committed, so this test
cleans up after itself. The test thread reads the database between browser actions
(DJANGO_ALLOW_ASYNC_UNSAFE: Playwright's event loop runs in this thread, but waits while we read).
"""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from wagtail.documents import get_document_model

from practices.editorial import APPROVERS
from practices.models import LegalProvision, PracticePage, ReportPage, Submission
from tests.editors import PASSWORD, make_user
from tests.email_helpers import BACKGROUND, LOCMEM
from tests.submission_helpers import CONFIRM_LINK_RE, EMAIL, TITLE, word_report
from tests.test_browser import WCAG_21_AA, _axe_report

REPORT_TITLE = "Sluttrapport fra Øksnes"


def next_step(page, slug):
    """Press «Lagre og gå videre» and arrive at step ``slug`` (or say what the form complained of)."""
    page.get_by_role("button", name="Lagre og gå videre").click()
    page.wait_for_load_state()
    path = urlsplit(page.url).path
    assert path == f"/del-ditt-eksempel/{slug}/", page.locator("main").inner_text()[:1500]


def assert_accessible(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, f"{page.url}:\n{_axe_report(results)}"
    assert page.get_attribute("html", "lang") == "nb"


def _clean_up():
    """Delete what the test makes (also what an interrupted earlier run left behind)."""
    for report in ReportPage.objects.filter(title=REPORT_TITLE):
        report.delete()
    for submission in Submission.objects.filter(title=TITLE):
        if submission.page_id:
            PracticePage.objects.get(pk=submission.page_id).delete()
        submission.delete()
    get_document_model().objects.filter(title__startswith=f"{TITLE}:").delete()
    get_user_model().objects.filter(username__in=APPROVER_NAMES).delete()
    cache.clear()


APPROVER_NAMES = ("gunnar.godkjenner", "gro.godkjenner")


@pytest.fixture
def committed(django_db_blocker, settings, monkeypatch):
    """Two Godkjennere the server thread can see, the site's e-mail path to the outbox, and
    everything the test made deleted afterwards."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.EMAIL_BACKEND = BACKGROUND
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    settings.SUBMISSION_MIN_FILL_SECONDS = 1
    mail.outbox = []
    with django_db_blocker.unblock():
        _clean_up()
        users = [
            make_user("gunnar.godkjenner", APPROVERS, first_name="Gunnar", last_name="Godkjenner"),
            make_user("gro.godkjenner", APPROVERS, first_name="Gro", last_name="Godkjenner"),
        ]
        try:
            yield users
        finally:
            _clean_up()


def test_a_submission_goes_from_the_form_to_publication_and_the_submitter_hears_of_it(
    chromium, site_url, committed, django_db_blocker
):
    with django_db_blocker.unblock():
        section_6 = LegalProvision.objects.get(law__slug="boligsosialloven", paragraph="6")

    # The caseworker (axe needs JavaScript; the form itself has none: see the test below).
    context = chromium.new_context(base_url=site_url, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/del-ditt-eksempel/")
    assert_accessible(page)
    page.get_by_role("link", name="Start").click()

    page.wait_for_url("**/del-ditt-eksempel/hvem/")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre og gå videre").click()  # nothing filled in
    assert page.locator(".error-summary h2").inner_text() == "Det er noe som må rettes"
    assert_accessible(page)  # the page with its errors, too
    page.locator(".error-summary a", has_text="Kommune").click()
    page.get_by_label("Kommune").select_option(label="Øksnes")
    page.get_by_label("Enhet").fill("NAV Øksnes")
    page.get_by_label("Ditt navn").fill("Kari Nordmann")
    page.get_by_label("Din e-postadresse").fill(EMAIL)
    next_step(page, "hva")
    assert_accessible(page)
    page.reload()  # progress is kept: the first step is marked as filled in
    assert page.get_by_role("link", name="Hvem (utfylt)").count() == 1
    page.get_by_label("Tittel").fill(TITLE)
    page.get_by_label("Kort oppsummering").fill("Nav Øksnes følger opp brukere med depositumgaranti hjemme.")
    page.get_by_label("Slik gjorde dere det").fill("Kartlegge behovet hjemme.\n\nLage en plan sammen.")
    next_step(page, "hvordan")
    assert_accessible(page)
    page.get_by_label("Lovgrunnlag").select_option(value=str(section_6.pk))
    page.get_by_label("Finansiering").fill("Tilskudd fra Statsforvalteren.")
    next_step(page, "resultater")
    assert_accessible(page)
    page.get_by_label("Suksessfaktorer").fill("Hjemmebesøk\nFast kontaktperson")
    next_step(page, "send")
    assert_accessible(page)
    assert "NAV Øksnes" in page.locator(".contribute-summary").inner_text()
    page.get_by_label("Vedlegg (valgfritt)").set_input_files(
        [{"name": "Sluttrapport.docx", "mimeType": "application/octet-stream", "buffer": word_report(REPORT_TITLE)}]
    )
    page.get_by_label("Jeg samtykker").check()
    page.wait_for_timeout(1100)  # a person takes longer than SUBMISSION_MIN_FILL_SECONDS
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_url(re.compile(r"/del-ditt-eksempel/sendt/(#.*)?$"))
    assert page.locator("h1").inner_text() == "Sjekk e-posten din"
    assert_accessible(page)

    # The link from the e-mail; only confirming makes the draft.
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    link = CONFIRM_LINK_RE.search(message.body).group(0)
    with django_db_blocker.unblock():
        assert Submission.objects.get(title=TITLE).page_id is None
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Bekreft og send inn").click()
    page.wait_for_url(re.compile(r"/del-ditt-eksempel/bekreftet/(#.*)?$"))
    assert "Takk!" in page.locator("h1").inner_text()
    with django_db_blocker.unblock():
        draft = Submission.objects.get(title=TITLE).page
        assert not draft.live and draft.workflow_in_progress
    assert page.goto(f"/praksiseksempler/{draft.slug}/").status == 404  # nothing public yet
    subjects = [m.subject for m in mail.outbox]
    assert f"Kvittering: vi har mottatt «{TITLE}»" in subjects
    assert subjects.count(f"Nytt innsendt eksempel: «{TITLE}»") == 2
    context.close()

    # A Godkjenner, with JavaScript, finds it on the dashboard and approves it there.
    mail.outbox.clear()
    context = chromium.new_context(base_url=site_url, locale="nb-NO")
    admin = context.new_page()
    admin.set_default_timeout(15_000)
    admin.goto("/admin/login/")
    admin.locator("#id_username").fill("gunnar.godkjenner")
    admin.locator("#id_password").fill(PASSWORD)
    admin.locator("#id_password").press("Enter")
    admin.wait_for_url(re.compile(r"/admin/$"))
    panel = admin.locator("#innsendte-eksempler-section, #innsendte-eksempler").first
    assert panel.get_by_role("link", name=TITLE).get_attribute("href") == f"/admin/pages/{draft.pk}/edit/"
    approve = admin.locator(
        f"button[data-workflow-action-url^='/admin/pages/workflow/action/{draft.pk}/approve/']:not([data-launch-modal])"
    )
    row = admin.locator("tr", has=admin.locator("[data-controller~='w-dropdown']"), has_text=TITLE)
    row.locator("[data-controller~='w-dropdown'] button").first.click()  # the row's «Handlinger» menu
    approve.first.click()
    admin.wait_for_load_state("networkidle")
    with django_db_blocker.unblock():
        published = PracticePage.objects.get(pk=draft.pk)
        assert published.live
        assert Submission.objects.get(title=TITLE).status == "publisert"
    context.close()

    # The public page, and the submitter's e-mail.
    context = chromium.new_context(base_url=site_url, locale="nb-NO")
    visitor = context.new_page()
    assert visitor.goto(published.url).status == 200
    assert visitor.locator("h1").inner_text() == TITLE
    context.close()
    (told,) = [m for m in mail.outbox if m.to == [EMAIL]]
    assert told.subject == f"Eksempelet ditt er publisert: «{TITLE}»"
    assert published.url in told.body


def test_the_steps_work_without_javascript(page_without_js, committed):
    page = page_without_js
    page.goto("/del-ditt-eksempel/hvem/")
    page.get_by_role("button", name="Lagre og gå videre").click()
    assert page.locator(".error-summary li").count() == 4
    page.get_by_label("Kommune").select_option(label="Øksnes")
    page.get_by_label("Enhet").fill("NAV Øksnes")
    page.get_by_label("Ditt navn").fill("Kari Nordmann")
    page.get_by_label("Din e-postadresse").fill(EMAIL)
    next_step(page, "hva")
    page.get_by_role("link", name="Hvem (utfylt)").click()
    assert page.get_by_label("Enhet").input_value() == "NAV Øksnes"  # kept on the server
