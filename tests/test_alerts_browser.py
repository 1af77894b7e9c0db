"""«Varsle meg om nye treff» in a real browser (Chromium): from a search to the subscribe form,
the confirmation link from the e-mail, the address's page, and unsubscribing; each page passes
axe's WCAG 2.1 AA checks. The e-mail is read from Django's outbox (the server runs in this
process); the test leaves no subscription behind (unsubscribing deletes it)."""

import re

from django.core import mail

from tests.test_browser import _assert_accessible

EMAIL = "nettleser-test@kommune.no"


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_subscribe_confirm_and_unsubscribe_in_the_browser(page):
    mail.outbox = []
    page.goto("/sok/?q=bolig&county=nordland")
    page.get_by_role("link", name="Varsle meg om nye treff").click()
    page.wait_for_url(re.compile(r"/varsler/ny/\?q=bolig&county=nordland$"))
    assert "«bolig», Fylke: Nordland" in page.locator("main").inner_text()

    page.get_by_label("E-postadresse").fill("ikke en adresse")
    page.get_by_role("button", name="Meld meg på").click()
    assert "Skriv en gyldig e-postadresse" in page.locator("[role=alert]").inner_text()
    assert mail.outbox == []

    page.get_by_label("E-postadresse").fill(EMAIL)
    page.get_by_label("Daglig").check()
    page.get_by_role("button", name="Meld meg på").click()
    assert page.locator("h1").inner_text() == "Sjekk e-posten din"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]

    confirm_url = next(u for u in re.findall(r"https?://\S+", mail.outbox[0].body) if "/varsler/bekreft/" in u)
    page.goto(_path(confirm_url))
    page.get_by_role("button", name="Bekreft varselet").click()
    assert page.locator("h1").inner_text() == "Varselet er bekreftet"
    assert "daglig e-post" in page.locator("main").inner_text()

    page.get_by_role("link", name="Se alle varslene dine").click()
    assert page.locator("h1").inner_text() == "Varslene dine"
    assert "«bolig», Fylke: Nordland – daglig" in page.locator(".alert-list").inner_text()
    page.get_by_role("button", name=re.compile("^Avslutt varselet for")).click()
    assert page.locator("h1").inner_text() == "Varselet er avsluttet"
    page.get_by_role("link", name="Se alle varslene dine").click()
    assert "Adressen får ingen varsler." in page.locator("main").inner_text()


def test_alert_form_and_statistics_meet_wcag_21_aa(page):
    for path in ("/varsler/ny/?q=bolig&tag=depositumgaranti", "/statistikk/"):
        _assert_accessible(page, path)
