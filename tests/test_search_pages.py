"""The public search pages: /sok/ with facets, snippets, sorting, pages and help; the practice
index with the same filters; a page per tag, per law and per provision; «Les også» on every
practice. All of it plain HTML that works without JavaScript, with addresses that can be shared."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from search.indexing import index_page
from search.service import FACET_LABELS

from .factories import TAGS, PracticePageFactory, rich
from .seed_content import DERIVED_PRACTICES, GRUNERLOKKA, NES, OKSNES, SEED_PRACTICES, TROMSO, TROMSO_TEAM


def squash(text):
    return " ".join(text.split())


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def results(soup):
    """Titles of the results, in order."""
    return [squash(a.get_text()) for a in soup.select("ul.search-results article h3 a")]


def result(soup, title):
    for article in soup.select("ul.search-results article"):
        if squash(article.find("h3").get_text()) == title:
            return article
    raise AssertionError(f"no result «{title}»")


def robots(soup):
    meta = soup.find("meta", attrs={"name": "robots"})
    return meta["content"] if meta else ""


def query(href):
    """The parameters of a link, as a dict of lists."""
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


def checkbox(soup, name, value):
    return soup.find("input", attrs={"type": "checkbox", "name": name, "value": value})


def removal_links(soup):
    """{visible text without the ✕: href} of the «Fjern filter» links."""
    links = {}
    for a in soup.select("a.active-filters__remove"):
        text = squash(a.get_text(" "))
        assert text.startswith("Fjern filter:"), text
        links[squash(text.removeprefix("Fjern filter:").replace("✕", ""))] = a["href"]
    return links


def add_indexed_practices(n, **kwargs):
    """Practice pages in the search index, as publishing them would leave them."""
    pages = []
    for i in range(n):
        page = PracticePageFactory(tags=[TAGS[i % len(TAGS)], f"lokalt stikkord {i}"], **kwargs)
        index_page(page)
        pages.append(page)
    return pages


# --- /sok/ ----------------------------------------------------------------------------------------


def test_depositumgaranti_finds_oksnes_first_with_the_word_highlighted(client, db):
    soup = get(client, "/sok/?q=depositumgaranti")
    assert results(soup)[0] == OKSNES
    first = soup.select_one("ul.search-results article")
    assert first.find("mark"), "the matched word is highlighted in the snippet"
    assert "depositumgaranti" in first.find("mark").get_text().casefold()
    assert "1 treff på «depositumgaranti»" in squash(soup.find("h2", id="treff").get_text())
    assert soup.find("html")["lang"] == "nb"
    assert [squash(h.get_text()) for h in soup.find_all("h1")] == ["Søk"]


def test_a_law_citation_is_shown_as_an_understood_removable_filter(client, db):
    soup = get(client, "/sok/?q=sosialtjenesteloven+%C2%A7+27")
    assert results(soup) == [TROMSO]
    links = removal_links(soup)
    label = next(text for text in links if "sosialtjenesteloven § 27" in text)
    assert query(links[label]).get("q", [""]) == [""], "removing it takes the citation out of the query"
    assert "lovhenvisningen sosialtjenesteloven § 27" in squash(soup.find(class_="interpretation").get_text(" "))
    # The facet shows the understood paragraph as chosen; it is removed with its link, not unticked.
    law_box = soup.find("input", attrs={"type": "checkbox", "value": "sosialtjenesteloven:27"})
    assert law_box.has_attr("checked") and law_box.has_attr("disabled") and not law_box.has_attr("name")


def test_removing_one_of_several_cited_paragraphs_keeps_the_others(client, db):
    soup = get(client, "/sok/?q=sosialtjenesteloven+%C2%A7%C2%A7+15+og+27")
    links = removal_links(soup)
    href = next(href for text, href in links.items() if "sosialtjenesteloven § 15" in text)
    assert query(href).get("q", [""]) == [""]
    assert query(href)["law"] == ["sosialtjenesteloven:27"]
    assert results(get(client, href)) == [TROMSO]


def test_removing_a_citation_keeps_the_other_words(client, db):
    soup = get(client, "/sok/?q=bostedsl%C3%B8se+sosialtjenesteloven+%C2%A7+27")
    links = removal_links(soup)
    href = next(href for text, href in links.items() if "sosialtjenesteloven § 27" in text)
    assert query(href)["q"] == ["bostedsløse"]


@pytest.mark.parametrize(
    "q, left",
    [("botilbud (sotjl. § 27)", ["botilbud"]), ("jf. sotjl. § 27", None), ("bolig og sotjl. § 27", ["bolig"])],
)
def test_removing_a_citation_leaves_no_brackets_or_glue_words(client, db, q, left):
    soup = get(client, "/sok/?" + urlencode({"q": q}))
    href = next(href for text, href in removal_links(soup).items() if "sosialtjenesteloven § 27" in text)
    assert query(href).get("q") == left


def test_facets_are_fieldsets_of_checkboxes_with_counts_that_keep_the_query(client, db):
    soup = get(client, "/sok/?q=bolig")
    form = soup.find("form", class_="listing")
    assert form["method"] == "get" and form["action"] == "/sok/#treff"  # the browser lands on the count
    assert form.find("input", attrs={"name": "q"})["value"] == "bolig"
    legends = [squash(legend.get_text()) for legend in form.select("fieldset > legend")]
    assert FACET_LABELS["type"] in legends and FACET_LABELS["county"] in legends and FACET_LABELS["law"] in legends
    for box in form.select("fieldset input[type=checkbox]"):
        label = form.find("label", attrs={"for": box["id"]})
        assert label is not None and re.search(r"\(\d+", label.get_text()), "every checkbox is labelled with its count"
    type_labels = {squash(form.find("label", attrs={"for": box["id"]}).get_text(" ")).split(" (")[0]
                   for box in form.select("input[name=type]")}
    assert type_labels <= {"Praksiseksempel", "Rapport", "Artikkel"} and "Praksiseksempel" in type_labels
    assert any(squash(b.get_text()) == "Bruk filtre" and b.get("type") == "submit" for b in form.find_all("button"))


def test_filters_fold_under_filtrer_with_the_number_chosen_and_long_facets_under_vis_alle(client, db):
    soup = get(client, "/sok/?type=praksis&county=troms")
    filters = soup.select_one("form.listing details.listing__filters")
    assert not filters.has_attr("open")  # folded: on a phone the results come first
    assert squash(filters.summary.get_text(" ")).startswith("Filtrer (2)")
    assert squash(get(client, "/sok/").select_one("details.listing__filters summary").get_text()) == "Filtrer"
    # The count and the results are not inside the folded filters.
    assert not filters.find(id="treff") and not filters.select("ul.search-results")
    # Where a facet has more values than are shown, «Vis alle (n)» names them all.
    everything = get(client, "/sok/")
    for fieldset in everything.select("fieldset.facet"):
        more = fieldset.select_one("details.facet__more")
        if more is None:
            continue
        total = len(fieldset.select("input[type=checkbox]"))
        assert re.fullmatch(rf"Vis alle .*\({total}\)", squash(more.summary.get_text(" ")))
        assert len(fieldset.select(":scope > ul .facet__option")) < total
    assert everything.select("details.facet__more"), "the seed has a facet long enough to fold"


def test_facets_combine_or_within_a_facet_and_across_facets(client, db):
    both_types = get(client, "/sok/?type=praksis&type=rapport")
    assert set(results(both_types)) == {TROMSO, OKSNES, GRUNERLOKKA, NES, *DERIVED_PRACTICES}
    assert checkbox(both_types, "type", "praksis").has_attr("checked")
    assert checkbox(both_types, "type", "rapport").has_attr("checked")

    soup = get(client, "/sok/?type=praksis&county=troms")
    assert set(results(soup)) == {TROMSO, TROMSO_TEAM}
    assert checkbox(soup, "type", "praksis").has_attr("checked")
    assert checkbox(soup, "county", "troms").has_attr("checked")
    # Counted under the other filters: the other counties are offered with their own counts.
    nordland = checkbox(soup, "county", "nordland")
    assert nordland is not None and not nordland.has_attr("checked")
    assert "(1" in soup.find("label", attrs={"for": nordland["id"]}).get_text()
    # Each active filter can be removed on its own, keeping the other one.
    links = removal_links(soup)
    assert query(links["Fylke: Troms"]) == {"type": ["praksis"]}
    assert query(links["Innholdstype: Praksiseksempel"]) == {"county": ["troms"]}


def test_size_labels_are_norwegian(client, db):
    soup = get(client, "/sok/?size=stor")
    labels = {squash(soup.find("label", attrs={"for": box["id"]}).get_text(" ")).split(" (")[0]
              for box in soup.select("input[name=size]")}
    assert labels <= {"Liten", "Mellomstor", "Stor"} and "Stor" in labels
    assert "Kommunestørrelse: Stor" in removal_links(soup)


def test_sorting_is_a_select_with_norwegian_labels(client, db):
    soup = get(client, "/sok/?q=bolig")
    select = soup.find("select", attrs={"name": "sort"})
    assert soup.find("label", attrs={"for": select["id"]})
    options = {squash(o.get_text()): o for o in select.find_all("option")}
    assert list(options) == ["Relevans", "Nyeste", "Tittel A–Å"]
    assert options["Relevans"].has_attr("selected")
    assert options["Relevans"]["value"] == "", "the default follows the query, so it is not fixed in the address"

    by_title = get(client, "/sok/?sort=title")
    titles = results(by_title)
    assert titles == sorted(titles, key=str.casefold)
    assert by_title.find("option", attrs={"value": "title"}).has_attr("selected")


def test_pages_of_results_keep_the_parameters(client, db):
    first = get(client, "/sok/?type=praksis&type=rapport&page_size=2")
    nav = first.find("nav", class_="pagination")
    assert nav["aria-label"]
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True).endswith("1")
    next_link = nav.find("a", rel="next")
    assert "Neste" in next_link.get_text()
    assert query(next_link["href"]) == {"type": ["praksis", "rapport"], "page": ["2"], "page_size": ["2"]}
    assert nav.find("a", rel="prev") is None

    second = get(client, next_link["href"])
    nav = second.find("nav", class_="pagination")
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True).endswith("2")
    assert "Forrige" in nav.find("a", rel="prev").get_text()
    assert len(results(second)) == 2
    assert not set(results(second)) & set(results(first))
    assert robots(second) == "noindex"


def test_a_page_beyond_the_last_helps_back(client, db):
    soup = get(client, "/sok/?page=500")
    assert results(soup) == []
    assert soup.find("a", string=re.compile("siste siden"))


def test_only_the_bare_search_page_and_single_filter_landing_pages_are_indexable(client, db):
    assert robots(get(client, "/sok/")) == ""
    assert robots(get(client, "/sok/?county=troms")) == ""  # a landing page: one filter, one value
    filtered = (
        "/sok/?q=bolig",
        "/sok/?county=troms&county=oslo",
        "/sok/?county=troms&theme=bolig-og-bosetting",
        "/sok/?county=troms&sort=title",
        "/sok/?page=2",
        "/sok/?sort=title",
        "/sok/?q=finnesikke",
        "/praksiseksempler/?theme=bolig-og-bosetting",
    )
    for url in filtered:
        assert robots(get(client, url)) == "noindex", url


def test_a_typo_shows_the_corrected_results_and_a_link_to_search_as_typed(client, db):
    soup = get(client, "/sok/?q=depositumgarnati")
    assert results(soup) == [OKSNES]
    assert squash(soup.find("h2", id="treff").get_text()) == "1 treff på «depositumgaranti»"
    correction = soup.find(class_="listing__correction")
    assert squash(correction.get_text()) == "Viser treff for «depositumgaranti». Søk i stedet etter «depositumgarnati»"
    assert query(correction.find("a")["href"]) == {"q": ['"depositumgarnati"']}


def test_zero_results_give_tips(client, db):
    soup = get(client, "/sok/?q=depositumgarnati+Boligskolen")
    assert results(soup) == []
    assert "Ingen treff" in squash(soup.find("h2", id="treff").get_text())
    assert soup.find(class_="listing__correction") is None
    assert soup.find(class_="no-results__tips").find_all("li")


def test_zero_results_under_filters_link_to_the_results_without_them(client, db):
    soup = get(client, "/sok/?q=depositumgaranti&county=troms")
    assert results(soup) == []
    without = soup.find("a", string=re.compile(r"1 treff uten filtrene"))
    assert query(without["href"]) == {"q": ["depositumgaranti"]}
    assert results(get(client, without["href"])) == [OKSNES]
    nearby = soup.find("a", string=re.compile("Fylke: Nordland"))
    assert query(nearby["href"]) == {"q": ["depositumgaranti"], "county": ["nordland"]}
    # The chosen county is still named, though nothing is counted under it now.
    assert "Fylke: Troms" in removal_links(soup)


def test_the_count_without_filters_keeps_the_law_citation_and_so_does_its_link(client, db):
    soup = get(client, "/sok/?q=midlertidig+sotjl.+§+27&type=artikkel")
    assert results(soup) == []
    without = soup.find("a", string=re.compile(r"treff uten filtrene"))
    count = int(re.match(r"(\d+)", without.get_text()).group(1))
    assert query(without["href"]) == {"q": ["midlertidig sotjl. § 27"]}
    assert len(results(get(client, without["href"]))) == count == 1


def test_results_show_type_place_laws_and_tags_from_the_index(client, db):
    soup = get(client, "/sok/?q=midlertidig+botilbud")
    tromso = result(soup, TROMSO)
    text = squash(tromso.get_text(" "))
    assert "Praksiseksempel" in text and "Stor kommune" in text
    assert tromso.find("a", href="/lover/sosialtjenesteloven/27/", string="sosialtjenesteloven § 27")
    assert "Boligskolen" in [squash(li.get_text()) for li in tromso.select("ul.tags li")]


def test_user_input_is_escaped(client, db):
    response = client.get("/sok/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content
    assert "«&lt;script&gt;alert(1)&lt;/script&gt;»" in response.content.decode()


def test_facet_labels_and_snippets_from_the_content_are_escaped(client, db):
    """The facet checkboxes and the results (Jinja2 templates, autoescaped) and the snippets
    (search/highlight.py): an editor's title, tag and text with markup characters show as text."""
    PracticePageFactory(
        title='Vaktmesterordning <b>med</b> "krokodiller" & co',
        tags=['<b>"Bo & bli"</b>'],
        description=rich('Vaktmesterordningen &lt;i&gt;«x»&lt;/i&gt; &amp; "Bo &amp; bli" i praksis.'),
    )
    response = client.get("/sok/", {"q": "vaktmesterordningen"})
    html = response.content.decode()
    assert "<b>" not in html and "<i>" not in html
    soup = BeautifulSoup(html, "html.parser")
    slug = Tag.objects.get(name='<b>"Bo & bli"</b>').slug
    tag = checkbox(soup, "tag", slug)
    assert tag is not None and not tag.has_attr("checked")
    assert squash(soup.find("label", attrs={"for": tag["id"]}).get_text()) == '<b>"Bo & bli"</b> (1 treff)'
    hit = result(soup, 'Vaktmesterordning <b>med</b> "krokodiller" & co')
    assert [squash(li.get_text()) for li in hit.select(".search-result__tags li")] == ['<b>"Bo & bli"</b>']
    snippet = hit.select_one(".search-result__snippet")
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["Vaktmesterordningen"]
    assert '<i>«x»</i> & "Bo & bli"' in snippet.get_text()

    chosen = get(client, "/sok/?" + urlencode({"q": "vaktmesterordningen", "tag": slug}))
    assert checkbox(chosen, "tag", slug).has_attr("checked")


@pytest.mark.parametrize(
    "params",
    [
        "page=abc&sort=zzz&size=enorm&type=x&year=1&law=%3Cscript%3E",
        "page=-5&page_size=100000",
        "q=%00&tag=" + "x" * 500,
        "q=%C2%A7%C2%A7+1+til+9999",
        "side=2",
    ],
)
def test_bad_parameters_give_a_page_not_an_error(client, db, params):
    soup = get(client, f"/sok/?{params}")
    assert soup.find("h2", id="treff")


def test_every_page_has_a_labelled_search_form_for_the_search_page(client, db):
    soup = get(client, "/")
    form = soup.find("form", class_="site-search")
    assert form["action"] == "/sok/" and form["method"] == "get" and form["role"] == "search"
    field = form.find("input", attrs={"name": "q"})
    assert squash(form.find("label", attrs={"for": field["id"]}).get_text()) == "Søk i kunnskapsbasen"
    assert field["data-autocomplete-url"] == "/api/search/autocomplete/"


# --- Tag, law and provision pages ---------------------------------------------------------------


def test_tag_page_lists_what_is_tagged_and_is_indexable(client, db):
    soup = get(client, "/stikkord/depositumgaranti/")
    assert squash(soup.find("h1").get_text()) == "depositumgaranti"
    assert results(soup) == [OKSNES]
    assert robots(soup) == ""
    assert soup.find("link", rel="canonical")["href"].endswith("/stikkord/depositumgaranti/")
    assert robots(get(client, "/stikkord/depositumgaranti/?type=praksis")) == "noindex"


def test_tag_page_with_letters_beyond_ascii(client, db):
    soup = get(client, "/stikkord/tett-oppf%C3%B8lging/")
    assert squash(soup.find("h1").get_text()) == "tett oppfølging"
    assert results(soup)


@pytest.mark.parametrize("url", ["/stikkord/finnes-ikke/", "/lover/finnes-ikke/", "/lover/sosialtjenesteloven/999/",
                                 "/lover/finnes-ikke/27/"])
def test_unknown_tag_law_or_provision_is_404(client, db, url):
    get(client, url, status=404)


def test_law_page_lists_what_cites_it_and_links_to_lovdata(client, db):
    soup = get(client, "/lover/sosialtjenesteloven/")
    assert squash(soup.find("h1").get_text()) == "sosialtjenesteloven"
    assert TROMSO in results(soup)
    assert soup.find("a", href="https://lovdata.no/lov/2009-12-18-131")
    assert soup.find("a", href="/lover/sosialtjenesteloven/27/")
    assert soup.find("a", href="https://lovdata.no/lov/2009-12-18-131/§27")
    assert robots(soup) == ""


def test_provision_page_includes_what_cites_the_provisions_it_replaced(client, db):
    soup = get(client, "/lover/boligsosialloven/6/")
    assert squash(soup.find("h1").get_text()) == "boligsosialloven § 6"
    assert set(results(soup)) == {OKSNES, TROMSO}
    via = squash(result(soup, TROMSO).find(class_="search-result__via").get_text(" "))
    assert via.startswith("Treff via forgjenger") and "helse- og omsorgstjenesteloven § 3-7" in via
    assert result(soup, OKSNES).find(class_="search-result__via") is None
    replaced = squash(soup.get_text(" "))
    assert "erstattet" in replaced and "helse- og omsorgstjenesteloven § 3-7" in replaced
    assert soup.find("a", href="/lover/helse-og-omsorgstjenesteloven/3-7/")
    assert soup.find("a", href="https://lovdata.no/lov/2022-12-20-121/§6")
    assert robots(soup) == ""


def test_repealed_provision_page_points_to_its_successor(client, db):
    soup = get(client, "/lover/helse-og-omsorgstjenesteloven/3-7/")
    notice = squash(soup.find(class_="notice").get_text(" "))
    assert "opphevet" in notice and "boligsosialloven § 6" in notice
    assert soup.find(class_="notice").find("a", href="/lover/boligsosialloven/6/")
    assert results(soup) == [TROMSO]


def test_law_index_lists_the_laws(client, db):
    soup = get(client, "/lover/")
    assert soup.find("a", href="/lover/sosialtjenesteloven/")
    assert soup.find("a", href="/lover/boligsosialloven/6/")


# --- Links from the content pages ---------------------------------------------------------------


def test_practice_page_links_tags_to_tag_pages_and_provisions_to_lovdata_and_here(client, tromso):
    soup = get(client, tromso.url)
    assert soup.find("a", href="/stikkord/boligskolen/", string="Boligskolen")
    assert soup.find("a", href="https://lovdata.no/lov/2009-12-18-131/§27", string="sosialtjenesteloven § 27")
    assert soup.find("a", href="/lover/sosialtjenesteloven/27/")
    # Themes and target groups are no tags: they stay plain chips.
    themes = [li for li in soup.select("ul.tags li") if squash(li.get_text()) == "Tett oppfølging"]
    assert themes and all(li.find("a") is None for li in themes)


def test_les_ogsa_on_the_tromso_page(client, tromso):
    soup = get(client, tromso.url)
    heading = soup.find("h2", string="Les også")
    assert heading is not None
    links = [squash(a.get_text()) for a in heading.find_parent("section").find_all("a")]
    assert OKSNES in links and TROMSO not in links


# --- The practice index ---------------------------------------------------------------------------


def test_practice_index_filters_like_the_search_page(client, db):
    soup = get(client, "/praksiseksempler/?county=nordland")
    assert results(soup) == [OKSNES]
    assert robots(soup) == "noindex"
    assert checkbox(soup, "county", "nordland").has_attr("checked")
    assert soup.find("input", attrs={"name": "type"}) is None, "only practice examples: no type facet"
    assert "Fylke: Nordland" in removal_links(soup)
    assert query(removal_links(soup)["Fylke: Nordland"]) == {}


def test_practice_index_lists_only_practices_and_is_indexable(client, db):
    soup = get(client, "/praksiseksempler/")
    assert set(results(soup)) == {TROMSO, OKSNES, GRUNERLOKKA, *DERIVED_PRACTICES}
    assert robots(soup) == ""
    assert f"{SEED_PRACTICES} praksiseksempler" in squash(soup.find("h2", id="treff").get_text())
    searched = get(client, "/praksiseksempler/?q=depositumgaranti")
    assert results(searched) == [OKSNES]


# --- Queries ---------------------------------------------------------------------------------------


def count_queries(client, url):
    assert client.get(url).status_code == 200  # warm the caches (site root, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), BeautifulSoup(response.content, "html.parser"), queries


def test_search_page_queries_do_not_grow_with_the_number_of_results(client, db):
    url = "/sok/?q=bolig"
    seed = len(results(get(client, url)))
    assert 0 < seed < 19
    add_indexed_practices(1)
    few_count, few, few_queries = count_queries(client, url)
    add_indexed_practices(19)
    many_count, many, many_queries = count_queries(client, url)
    assert len(results(few)) == seed + 1 and len(results(many)) == 20
    assert many_count == few_count, "\n".join(q["sql"][:200] for q in many_queries.captured_queries)


def test_practice_index_queries_do_not_grow_with_the_number_of_practices(client, db):
    add_indexed_practices(2)
    few_count, few, _ = count_queries(client, "/praksiseksempler/")
    add_indexed_practices(15)
    many_count, many, _ = count_queries(client, "/praksiseksempler/")
    assert len(results(few)) == SEED_PRACTICES + 2 and len(results(many)) == 20
    assert many_count == few_count
