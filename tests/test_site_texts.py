"""Site-wide texts and the pages about the site are edited in the admin, not written in templates:
`bootstrap` creates them once and never overwrites an editor's change. The Wagtail Site's address
follows SITE_URL, so the API's meta.html_url and every absolute link point at the real site."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from practices.models import AccessibilityStatementPage, InfoPage, PracticePage, SiteTexts
from practices.site_pages import ensure_site_address, ensure_site_pages, site_address
from tests.editors import logged_in, make_user

pytestmark = pytest.mark.django_db

MONTHS = "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
NORWEGIAN_DATE = rf"\d{{1,2}}\. ({MONTHS}) \d{{4}}"


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def texts():
    return SiteTexts.for_site(Site.objects.get(is_default_site=True))


# --- Site texts and info pages ------------------------------------------------------------------


def test_bootstrap_creates_the_pages_about_the_site_and_links_them_in_the_footer(client):
    footer = soup_of(client, "/").find("footer")
    links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
    assert links["Om Kunnskapsbase"] == "/om/"
    assert links["Kontakt"] == "/kontakt/"
    assert links["Personvern"] == "/personvern/"
    assert links["Tilgjengelighetserklæring"] == "/tilgjengelighetserklaering/"
    assert InfoPage.objects.live().count() == 3


def test_footer_and_tagline_come_from_the_site_texts_an_editor_changes(client):
    site_texts = texts()
    site_texts.footer_text = "<p>Drevet av <b>Husbanken</b> og NAV.</p>"
    site_texts.contact_email = "redaksjonen@example.no"
    site_texts.organisation_name = "Husbanken"
    site_texts.tagline = "Erfaringer fra kommunene"
    site_texts.save()
    soup = soup_of(client, "/praksiseksempler/")
    footer = soup.find("footer")
    assert "Drevet av Husbanken og NAV." in footer.get_text(" ", strip=True)
    assert footer.find("a", href="mailto:redaksjonen@example.no")
    assert soup.find(class_="site-tagline").get_text(strip=True) == "Erfaringer fra kommunene"
    assert soup.find("meta", property="og:site_name")["content"] == "Husbanken"
    # the accessibility statement's feedback address falls back to the contact address
    statement = soup_of(client, "/tilgjengelighetserklaering/")
    assert statement.find("a", href="mailto:redaksjonen@example.no")


def test_a_footer_page_that_is_unpublished_is_not_linked(client):
    privacy = InfoPage.objects.get(slug="personvern")
    privacy.unpublish()
    footer = soup_of(client, "/").find("footer")
    assert not footer.find("a", href="/personvern/")
    assert footer.find("a", href="/om/")


def test_accessibility_statement_has_what_uutilsynet_asks_for(client):
    soup = soup_of(client, "/tilgjengelighetserklaering/")
    text = soup.find("main").get_text(" ", strip=True)
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    assert headings == ["Status", "Kjente avvik", "Tilbakemelding", "Tilsyn og klage"]
    assert "WCAG 2.1" in text
    assert "Nettstedet oppfyller kravene delvis" in text
    assert "Uutilsynet" in text and "Digdir" in text
    assert soup.find("a", href="https://www.uutilsynet.no/")
    made = soup.find("dt", string="Erklæringen ble laget").find_next("dd").find("time")
    assert made["datetime"] == AccessibilityStatementPage.objects.get().statement_date.isoformat()
    assert re.fullmatch(NORWEGIAN_DATE, made.get_text())


def test_bootstrap_never_overwrites_what_an_editor_changed():
    about = InfoPage.objects.get(slug="om")
    about.title = "Om oss"
    about.body = "<p>Redaksjonens egen tekst.</p>"
    about.save_revision().publish()
    site_texts = texts()
    site_texts.footer_text = "<p>Redaktørens bunntekst.</p>"
    site_texts.tagline = ""  # emptied fields are filled again; written ones stay
    site_texts.save()
    AccessibilityStatementPage.objects.get().delete()

    created = ensure_site_pages()

    assert created == 1  # only the deleted statement
    about.refresh_from_db()
    assert about.title == "Om oss" and "Redaksjonens egen tekst" in about.body
    site_texts = texts()
    assert site_texts.footer_text == "<p>Redaktørens bunntekst.</p>"
    assert site_texts.tagline == "Gode eksempler på boligsosialt arbeid"
    assert site_texts.accessibility_page_id == AccessibilityStatementPage.objects.get().pk
    assert InfoPage.objects.count() == 3


def test_site_texts_are_edited_in_the_admin_in_norwegian(client):
    admin = make_user("admin-tekster", is_superuser=True, is_staff=True)
    response = logged_in(admin).get(f"/admin/settings/practices/sitetexts/{Site.objects.get().pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Tekster på nettstedet", "Bunntekst", "E-post for kontakt", "Lenker i bunnteksten"):
        assert label.casefold() in html.casefold(), label


# --- The site's address -------------------------------------------------------------------------


def test_site_address_is_read_from_the_url():
    assert site_address("http://127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert site_address("https://kb.example.no") == ("kb.example.no", 443)
    assert site_address("http://kb.example.no/") == ("kb.example.no", 80)


@override_settings(SITE_URL="https://kb.example.no", SITE_URL_FROM_ENV=True)
def test_an_explicit_site_url_sets_the_site_and_the_apis_html_url(client):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "kb.intern", 8080  # even an address changed in the admin
    site.save()
    ensure_site_address()
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == ("kb.example.no", 443, "https://kb.example.no")

    practice = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
    data = client.get(f"/api/v2/pages/{practice.pk}/").json()
    assert data["meta"]["html_url"] == "https://kb.example.no/praksiseksempler/fra-bostedslos-til-beboer/"
    soup = soup_of(client, "/praksiseksempler/fra-bostedslos-til-beboer/")
    assert soup.find("link", rel="canonical")["href"] == data["meta"]["html_url"]
    assert "Sitemap: https://kb.example.no/sitemap.xml" in client.get("/robots.txt").content.decode()


@override_settings(SITE_URL="http://127.0.0.1:8000", SITE_URL_FROM_ENV=False)
def test_the_default_address_sets_only_a_fresh_site():
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80  # Wagtail's placeholder: never chosen by anyone
    site.save()
    assert ensure_site_address() == "Adressen er satt til http://127.0.0.1:8000"
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)

    site.hostname, site.port = "kb.intern", 8080  # an editor's choice in the admin
    site.save()
    assert "beholdes" in ensure_site_address()
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("kb.intern", 8080)


def test_bootstrap_reports_the_address_and_keeps_the_pages(capsys):
    call_command("bootstrap", "--skip-content")
    out = capsys.readouterr().out
    assert "Adressen er http://testserver" in out
    assert "0 sider opprettet" in out
