"""A practice or report page without the page cache (a logged-in editor, the first view after a
publish) reads its rows in a few queries: the page and the pages on the way to it in one query
from the site's plain root page (practices/models/routing.py, practices/page_serving.py); whether
a practice has attachments, reports, articles or related practices at all in one; the view
restrictions once per request (practices/models/public.py); the terms and tags in one
(practices/models/view_terms.py). What the visitor sees is the same as without these shortcuts,
and the number of queries does not grow with the rows attached."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from practices.models import HomePage, PracticeAttachment, PracticePage, ReportPage
from practices.models import practice as practice_module
from practices.models.base import ActorPage
from tests.factories import (
    MUNICIPALITIES,
    PROVISIONS,
    TAGS,
    TARGET_GROUPS,
    THEMES,
    ArticlePageFactory,
    PracticePageFactory,
    ReportPageFactory,
)

# The queries of a practice or report page without the page cache, with the seed content's site
# (menu, footer texts and pages, «Les også»). Before this round: 17 and 11 served (32 and 25 the
# round before). A practice: the site; the page and the pages above it; its own row; whether it
# has attachments, reports, articles, related practices; the view restrictions; municipalities;
# legal references; terms and tags; «Les også»; one more for each of the four lists it has
# rows in. A report: the same without the lists and «Les også». A test runs inside a
# transaction, where the header's and footer's rows are not remembered (practices/site_chrome.py):
# three queries more than a served page makes.
CHROME_QUERIES = 3
PRACTICE_QUERIES = 9 + CHROME_QUERIES
REPORT_QUERIES = 7 + CHROME_QUERIES


def view(client, url):
    """(number of queries, HTML) of one view of ``url`` after a first one."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode(), queries


def listing(queries):
    return "\n".join(f"{n}. {q['sql'][:200]}" for n, q in enumerate(queries.captured_queries, 1))


@pytest.fixture
def without_shortcuts(monkeypatch):
    """Switches the shortcuts off: Wagtail's walk, the taxonomies read where the templates ask,
    Wagtail's ``public()`` each time."""

    def switch_off():
        monkeypatch.setattr(HomePage, "route", Page.route)
        monkeypatch.setattr("practices.page_serving.route_by_url_path", lambda *args: None)
        monkeypatch.setattr(PracticePage, "note_lists", lambda self: None)
        monkeypatch.setattr(ActorPage, "prefetch_for_view", lambda self, request: None)
        monkeypatch.setattr(practice_module, "public_pages", lambda queryset, request: queryset.public())
        monkeypatch.setattr("practices.models.public.public_pages", lambda queryset, request: queryset.public())

    return switch_off


def test_seed_pages_look_the_same_with_and_without_the_shortcuts(client, db, without_shortcuts):
    pages = list(PracticePage.objects.live()) + list(ReportPage.objects.live())
    assert len(pages) >= 9
    fast = {page.url: view(client, page.url) for page in pages}
    without_shortcuts()
    for page in pages:
        plain = view(client, page.url)
        assert fast[page.url][1] == plain[1], page.url
        assert fast[page.url][0] < plain[0], page.url


def test_practice_page_queries_stay_few_and_flat_with_the_rows_attached(client, small_and_large_practice):
    small, large = small_and_large_practice
    few, many = view(client, small.url), view(client, large.url)
    assert all(tag in many[1] for tag in TAGS[:6])
    assert "særlig om forsøk" in many[1]
    assert few[0] == many[0], f"{few[0]} mot {many[0]} spørringer\n{listing(many[2])}"
    assert many[0] == PRACTICE_QUERIES, listing(many[2])
    # Neither the home page's own row nor the view restrictions twice.
    assert not any("practices_homepage" in q["sql"] for q in many[2].captured_queries), listing(many[2])
    assert sum("wagtailcore_pageviewrestriction" in q["sql"] for q in many[2].captured_queries) == 1


def test_a_practice_with_every_list_asks_once_per_list_however_long(client, db):
    from wagtail.documents import get_document_model
    from wagtail.documents.tests.utils import get_test_document_file

    def practice_with(count, name):
        practice = PracticePageFactory(title=f"Boligkontakt i {name}")
        others = [PracticePageFactory(title=f"Naboprosjekt {n} i {name}") for n in range(count)]
        practice.related_practices.set(others)
        practice.save_revision().publish()
        for n in range(count):
            ReportPageFactory(title=f"Rapport {n} fra {name}", related_practice=practice)
            ArticlePageFactory(title=f"Artikkel {n} om {name}", related_practices=[practice])
            document = get_document_model().objects.create(title=f"Plan {n} {name}", file=get_test_document_file())
            PracticeAttachment.objects.create(page=practice, document=document, title=f"Prosjektplan {n} {name}")
        return practice

    one, three = practice_with(1, "Bodø"), practice_with(3, "Narvik")
    few, many = view(client, one.url), view(client, three.url)
    for n in range(3):
        for text in (
            f"Naboprosjekt {n} i Narvik",
            f"Rapport {n} fra Narvik",
            f"Artikkel {n} om Narvik",
            f"Prosjektplan {n} Narvik",
        ):
            assert text in many[1], text
    assert few[0] == many[0] == PRACTICE_QUERIES + 4, listing(many[2])


def test_report_page_queries_stay_few_and_flat_with_the_rows_attached(client, db):
    practice = PracticePageFactory(title="Boligkontakt i Alta")
    small = ReportPageFactory(
        title="Rapport fra Bergen",
        municipalities=["4601"],
        tags=TAGS[:1],
        themes=THEMES[:1],
        legal_references=PROVISIONS[:1],
        related_practice=practice,
    )
    large = ReportPageFactory(
        title="Rapport fra Trondheim",
        municipalities=[number for number, *_ in MUNICIPALITIES[:4]],
        tags=TAGS[:6],
        themes=THEMES,
        target_groups=TARGET_GROUPS,
        legal_references=PROVISIONS,
        related_practice=practice,
    )
    few, many = view(client, small.url), view(client, large.url)
    assert "Hører til praksiseksempelet" in many[1] and "Boligkontakt i Alta" in many[1]
    assert few[0] == many[0], f"{few[0]} mot {many[0]} spørringer\n{listing(many[2])}"
    assert many[0] == REPORT_QUERIES, listing(many[2])


def test_a_restricted_practice_is_not_linked_from_its_report(client, db):
    practice = PracticePageFactory(title="Boligkontakt i Vardø")
    report = ReportPageFactory(title="Rapport fra Vardø", related_practice=practice)
    assert "Boligkontakt i Vardø" in client.get(report.url).content.decode()
    PageViewRestriction.objects.create(page=practice, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(report.url).content.decode()
    assert "Hører til praksiseksempelet" not in html


def test_routing_finds_what_wagtails_walk_finds(client, db):
    practice = PracticePageFactory(title="Boligkontakt i Hammerfest")
    index = practice.get_parent()
    assert client.get(practice.url).status_code == 200
    assert client.get(practice.url + "finnes-ikke/").status_code == 404
    assert client.get(index.url + "finnes-ikke/").status_code == 404
    draft = PracticePageFactory(title="Utkast i Hammerfest", live=False)
    assert client.get(index.url + draft.slug + "/").status_code == 404
    # A page below an unpublished section is still found, as Wagtail's walk finds it.
    index.live = False
    index.save(update_fields=["live"])
    assert client.get(practice.url).status_code == 200


def test_view_restrictions_still_guard_a_routed_page_and_the_pages_below(client, db):
    practice = PracticePageFactory(title="Boligkontakt i Vadsø")
    assert client.get(practice.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=practice, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(practice.url)
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    PageViewRestriction.objects.create(
        page=practice.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    response = client.get(practice.url)
    assert response.status_code == 200
    assert "Boligkontakt i Vadsø" not in response.content.decode()
    assert 'name="password"' in response.content.decode()
    # The form posts to Wagtail's own address (not taken by the page view's pattern); the right
    # password opens the page.
    form = re.search(r'<form[^>]*action="([^"]+)"', response.content.decode()).group(1)
    assert client.post(form, {"password": "feil", "return_url": practice.url}).status_code == 200
    assert "Boligkontakt i Vadsø" not in client.get(practice.url).content.decode()
    response = client.post(form, {"password": "hemmelig", "return_url": practice.url})
    assert response.status_code == 302 and response["Location"] == practice.url
    assert "Boligkontakt i Vadsø" in client.get(practice.url).content.decode()


def test_terms_and_tags_come_in_their_own_order_for_each_page(client, db):
    """One statement for every practice (made once per process), each page its own rows: themes
    by name, tags in the order they were added."""
    first = PracticePageFactory(
        title="Boligkontakt i Moss",
        themes=["tett-oppfolging", "bolig-og-bosetting"],
        tags=["økonomisk rådgivning", "bostøtte", "arbeid"],
    )
    second = PracticePageFactory(title="Boligkontakt i Ås", themes=["housing-first"], tags=["arbeid"])
    for page, themes, tags in (
        (first, ["Bolig og bosetting", "Tett oppfølging"], ["økonomisk rådgivning", "bostøtte", "arbeid"]),
        (second, ["Housing First"], ["arbeid"]),
    ):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
        rows = {
            row.find("dt").get_text(strip=True): [li.get_text(strip=True) for li in row.find_all("li")]
            for row in soup.select(".classification__list > div")
        }
        assert rows["Stikkord"] == tags
        assert [name.lower() for name in rows["Tema"]] == [name.lower() for name in themes]


def test_a_statement_needs_the_page_id_as_a_parameter(db):
    from practices.models.statements import page_rows

    with pytest.raises(ValueError):
        page_rows(("test_without_id",), lambda pk: PracticePage.objects.filter(live=True).values_list("pk"), 1)
