"""A practice page has a short table of contents of its sections, a print button and a clean
printed version (its address and date on paper, no «Les også» or other internal link lists);
every content page says when it was last updated («Sist oppdatert», a Norwegian date)."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from practices.models import ArticlePage, InfoPage, PracticePage, ReportPage

pytestmark = pytest.mark.django_db

MONTHS = "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
UPDATED = re.compile(rf"Sist oppdatert \d{{1,2}}\. ({MONTHS}) \d{{4}}")
CSS = Path(settings.BASE_DIR, "kunnskapsbase", "static", "css", "site.css").read_text()
JS = Path(settings.BASE_DIR, "kunnskapsbase", "static", "js", "site.js").read_text()


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def print_rules():
    """The selectors hidden in print (every @media print block of the site's stylesheet)."""
    hidden = set()
    for block in re.findall(r"@media print \{(.*?)\n\}", CSS, re.S):
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
            if "display: none" in body:
                hidden |= {selector.strip() for selector in selectors.split(",")}
    return hidden


def test_table_of_contents_links_to_each_section_with_content(client):
    practice = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
    soup = soup_of(client, practice.url)
    toc = soup.find("nav", attrs={"aria-labelledby": "toc-heading"})
    entries = [(a["href"], a.get_text(strip=True)) for a in toc.find_all("a")]
    assert len(entries) >= 3
    assert entries == [(f"#{anchor}", heading) for anchor, heading in practice.table_of_contents]
    for href, heading in entries:
        target = soup.find(id=href[1:])
        assert target is not None and target.name == "h2" and target.get_text(strip=True) == heading
    # sections without content are not offered
    headings = {h.get_text(strip=True) for h in soup.select("main h2")}
    assert {heading for _, heading in entries} <= headings


def test_print_button_is_a_real_button_shown_by_the_script(client):
    practice = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
    soup = soup_of(client, practice.url)
    button = soup.find("button", attrs={"data-print": True})
    assert button.get_text(strip=True) == "Skriv ut" and button["type"] == "button"
    assert button.has_attr("hidden")  # without JavaScript there is nothing to press
    assert "[data-print]" in JS and "window.print()" in JS


def test_printed_practice_has_its_address_and_date_and_no_link_clutter(client):
    practice = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
    soup = soup_of(client, practice.url)
    on_paper = soup.find(class_="print-only")
    assert f"Adresse: http://testserver{practice.url}" in on_paper.get_text(" ", strip=True)
    assert on_paper.find("time")
    hidden = print_rules()
    assert {".breadcrumbs", ".main-nav", ".site-search", ".site-footer", ".read-also", ".no-print", ".toc--short",
            ".page-tools"} <= hidden
    read_also = soup.find(id="les-ogsa-heading")
    if read_also:
        assert "read-also" in read_also.find_parent("section")["class"]
    assert ".print-only" in CSS and re.search(r"\.print-only \{\s*display: block;", CSS)


@pytest.mark.parametrize(
    "page",
    [
        lambda: ReportPage.objects.get(slug="boligsosialt-arbeid-i-nes-kommune-2009"),
        lambda: ArticlePage.objects.get(slug="gode-grep-for-tett-oppfolging"),
        lambda: InfoPage.objects.get(slug="om"),
        lambda: PracticePage.objects.get(slug="oppfolging-av-brukere-med-depositumgaranti"),
    ],
)
def test_every_content_page_says_when_it_was_last_updated(client, page):
    page = page()
    text = soup_of(client, page.url).find("main").get_text(" ", strip=True)
    if isinstance(page, PracticePage) and page.updated_on is None:
        assert "Sist oppdatert" not in text  # old material says how old it is instead
    else:
        assert len(UPDATED.findall(text)) == 1, text[-400:]
