"""The admin's page search finds pages by their words, as /sok/ does: body text, structured
fields and Norwegian inflection («leietakere» finds «leietaker»), and also drafts, unpublished
changes and private pages, which the public search leaves out. Logged in as a Redaktør."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from practices.models import PracticeIndexPage
from search.indexing import index_page
from search.service import SearchService
from tests.editors import logged_in
from tests.factories import PracticePageFactory, rich


def found(client, q, **params):
    """Titles the admin search lists for ``q``, in order."""
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": q, **params})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [cell.get_text(" ", strip=True) for cell in soup.select("table.listing tbody .title-wrapper a")]


@pytest.fixture
def tenants(db):
    """A published practice whose body, not its title, speaks of a tenant («leietaker»)."""
    return PracticePageFactory(
        title="Fast kontaktperson i Bodø",
        county="18",
        description=rich("Hver leietaker fikk en fast kontaktperson i kommunen."),
    )


def test_finds_published_pages_by_an_inflected_word_in_the_body(redaktor, tenants):
    client = logged_in(redaktor)
    assert "Fast kontaktperson i Bodø" in found(client, "leietakere")
    assert "Fast kontaktperson i Bodø" in found(client, "Leietakeren")
    assert found(client, "vindmølleparker") == []


def test_finds_pages_by_their_structured_fields(redaktor, db):
    PracticePageFactory(title="Boligkontakt for unge", county="50", responsible_unit="Husbankkontoret i Røros")
    client = logged_in(redaktor)
    assert "Boligkontakt for unge" in found(client, "husbankkontoret")


def test_finds_drafts_changes_and_private_pages(redaktor, tenants):
    draft = PracticePageFactory(
        title="Utkast om bostøtte", live=False, county="34", description=rich("Vi hjalp beboerne med husleiegaranti.")
    )
    private = PracticePageFactory(
        title="Intern evaluering", county="46", description=rich("Evalueringen gjaldt husleiegarantier i Bergen.")
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    index_page(private)  # what the restriction's signal does once the transaction commits
    tenants.description = rich("Hver leietaker fikk en fast kontaktperson.", "Noen fikk husleiegaranti.")
    tenants.save_revision()

    # The public search knows none of them by this word.
    assert SearchService().page_ids("husleiegaranti") == []
    client = logged_in(redaktor)
    titles = found(client, "husleiegarantiene")
    assert sorted(titles) == sorted(["Utkast om bostøtte", "Intern evaluering", "Fast kontaktperson i Bodø"])
    assert draft.pk and private.pk


def test_still_finds_section_pages_by_title(redaktor, db):
    index = PracticeIndexPage.objects.get()
    assert index.title in found(logged_in(redaktor), index.title.split()[0])


def test_live_filter_and_page_type_filter(redaktor, tenants):
    PracticePageFactory(title="Utkast om leietakere", live=False, county="34")
    client = logged_in(redaktor)
    assert {"Fast kontaktperson i Bodø", "Utkast om leietakere"} <= set(found(client, "leietaker"))
    assert found(client, "leietaker live:no") == ["Utkast om leietakere"]
    assert found(client, "leietaker", content_type="practices.practicepage")


def test_best_match_first(redaktor, db):
    PracticePageFactory(title="Oppfølging i Alta", county="56", description=rich("En leietaker ble fulgt opp."))
    PracticePageFactory(title="Leietakere i Narvik", county="18", description=rich("Leietakere og utleiere møttes."))
    assert found(logged_in(redaktor), "leietakere")[0] == "Leietakere i Narvik"


def test_admin_search_needs_a_login(client, db):
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "leietaker"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_search_queries_do_not_grow_with_the_published_pages(redaktor, tenants):
    client = logged_in(redaktor)
    found(client, "leietaker")  # warm caches (content types, the facet snapshot)
    with CaptureQueriesContext(connection) as before:
        found(client, "leietaker")
    for n in range(8):
        PracticePageFactory(title=f"Annen praksis {n}", county="46", description=rich("Om boligsosialt arbeid."))
    found(client, "leietaker")
    with CaptureQueriesContext(connection) as after:
        assert "Fast kontaktperson i Bodø" in found(client, "leietaker")
    assert len(after.captured_queries) == len(before.captured_queries)
