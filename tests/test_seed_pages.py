"""The five seed documents read as complete, structured pages on the Norwegian site."""

import re

import pytest
from bs4 import BeautifulSoup


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def squash(text):
    return " ".join(text.split())


@pytest.fixture
def tromso_html(client, tromso):
    return get_page(client, tromso.url)


@pytest.fixture
def oksnes_html(client, oksnes):
    return get_page(client, oksnes.url)


@pytest.fixture
def nes_html(client, nes_report):
    return get_page(client, nes_report.url)


def section(soup, heading):
    """The <section> whose h2 reads ``heading``."""
    for h2 in soup.find_all("h2"):
        if squash(h2.get_text()) == heading:
            return h2.find_parent("section")
    raise AssertionError(f"no section «{heading}»")


def fact(soup, label):
    """The value of a row in the fact box."""
    for dt in soup.find_all("dt"):
        if squash(dt.get_text()) == label:
            return squash(dt.find_next_sibling("dd").get_text(" "))
    raise AssertionError(f"no fact «{label}»")


def test_every_seed_page_is_norwegian_and_has_one_main_heading(
    client, tromso, oksnes, grunerlokka, nes_report, close_follow_up_article
):
    for page in (tromso, oksnes, grunerlokka, nes_report, close_follow_up_article):
        soup = get_page(client, page.url)
        assert soup.html["lang"] == "nb"
        assert [squash(h.get_text()) for h in soup.find_all("h1")] == [page.title]


def test_tromso_practice_shows_its_seven_steps_in_order(tromso_html):
    steps = section(tromso_html, "Trinn for trinn").find("ol").find_all("li", recursive=False)
    assert len(steps) == 7
    assert "Trinn 1" in steps[0].get_text()
    assert "Boligsosial handlingsplan i 2009" in steps[0].get_text()
    assert "Trinn 7" in steps[6].get_text()
    assert "«Boligskolen»" in steps[6].get_text()


def test_tromso_fact_box_shows_actor_unit_size_county_and_period(tromso_html):
    assert fact(tromso_html, "Ansvarlig aktør") == "Tromsø kommune"
    assert fact(tromso_html, "Ansvarlig enhet") == "NAV Tromsø og Boligkontoret"
    assert fact(tromso_html, "Kommunestørrelse").startswith("Stor")
    county = fact(tromso_html, "Fylke")
    assert "Troms og Finnmark" in county and "Troms" in county.replace("Troms og Finnmark", "")
    assert "2013" in fact(tromso_html, "Periode")
    assert fact(tromso_html, "Status") == "Videreført"


def test_tromso_practice_cites_four_provisions_linked_to_lovdata(tromso_html):
    links = [
        (squash(a.get_text()), a["href"])
        for a in tromso_html.find_all("a", href=re.compile(r"^https://lovdata\.no/lov/.+/§"))
    ]
    cited = {text for text, _href in links}
    assert cited >= {
        "sosialtjenesteloven § 15",
        "sosialtjenesteloven § 17",
        "sosialtjenesteloven § 27",
        "helse- og omsorgstjenesteloven § 3-7",
    }
    assert ("sosialtjenesteloven § 27", "https://lovdata.no/lov/2009-12-18-131/§27") in links
    assert "med særlig fokus på § 3-7" in tromso_html.get_text()


def test_repealed_provisions_point_the_reader_to_boligsosialloven(tromso_html):
    text = squash(tromso_html.get_text(" "))
    assert "Opphevet" in text
    assert "boligsosialloven § 6" in text


def test_tromso_practice_lists_three_success_factors_and_three_challenges(tromso_html):
    factors = section(tromso_html, "Suksessfaktorer").find_all("li")
    challenges = section(tromso_html, "Utfordringer").find_all("li")
    assert len(factors) == 3 and len(challenges) == 3
    assert factors[0].find("strong").get_text().startswith("Tverrfaglig samhandling")
    assert "skulder mot skulder" in factors[0].get_text()
    assert "Meget stramt privat boligmarked" in challenges[0].get_text()


def test_tromso_results_keep_their_figures(tromso_html):
    results = squash(section(tromso_html, "Resultater").get_text(" "))
    assert "213 husstander" in results and "152 bosatt i egen bolig" in results


def test_oksnes_practice_cites_boligsosialloven_section_6_and_is_tagged_depositumgaranti(oksnes_html, oksnes):
    assert oksnes_html.find(
        "a", string=re.compile(r"boligsosialloven § 6"), href="https://lovdata.no/lov/2022-12-20-121/§6"
    )
    assert "depositumgaranti" in list(oksnes.tags.names())
    assert "depositumgaranti" in squash(oksnes_html.get_text(" "))
    assert fact(oksnes_html, "Ansvarlig enhet") == "NAV Øksnes"
    assert len(section(oksnes_html, "Suksessfaktorer").find_all("li")) == 4


def test_grunerlokka_practice_is_tagged_housing_first_and_run_by_a_district(client, grunerlokka):
    soup = get_page(client, grunerlokka.url)
    assert "Housing First" in list(grunerlokka.tags.names())
    assert "Bydel Grünerløkka" in fact(soup, "Ansvarlig aktør")
    assert "Bolig er en menneskerett" in soup.get_text()


def test_nes_report_accounts_are_a_real_table_with_amounts_right_aligned(nes_html):
    table = nes_html.find("table")
    headers = [squash(th.get_text()) for th in table.find("thead").find_all("th")]
    assert headers == ["Art", "Tekst", "Regnskap 2009"]
    amount = table.find("td", string=re.compile("809 687,45"))
    assert amount is not None and "num" in amount.get("class", [])
    assert table.find(string=re.compile("Netto driftsresultat")).find_parent("strong")


def test_nes_report_user_quotes_are_quotes(nes_html):
    quotes = [squash(q.get_text()) for q in nes_html.find_all("blockquote")]
    assert any("kanskje reddet livet mitt" in q for q in quotes)
    assert sum("noen som" in q for q in quotes) >= 3
    assert len(quotes) >= 19


def test_nes_report_has_a_table_of_contents_from_its_headings(nes_html):
    toc = nes_html.find("nav", attrs={"aria-labelledby": "toc-heading"})
    entries = [squash(a.get_text()) for a in toc.find_all("a")]
    assert "Forord" in entries and "3.10 Brukernes egne synspunkter" in entries
    for link in toc.find_all("a"):
        assert nes_html.find(id=link["href"].lstrip("#")), link["href"]


def test_article_shows_its_date_in_norwegian_and_the_collapsible_example(client, close_follow_up_article):
    soup = get_page(client, close_follow_up_article.url)
    assert soup.find("time", datetime="2019-05-09").get_text().strip() == "9. mai 2019"
    details = soup.find("details")
    assert "Tverrfaglig samarbeid i Øvre Eiker" in details.find("summary").get_text()
    assert "Ressursteam 15-24" in details.get_text()
