"""manage.py search_reindex rebuilds the same index the page signals keep current, and the
signals follow publishing: unpublishing hides a page from search, publishing shows it, and
saving a draft changes nothing that search finds."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict

from practices.models import ArticlePage, PracticePage, ReportPage
from search.models import SearchDocument, SearchFacetValue, SearchTerm
from search.params import parse_params
from search.service import SearchService

TROMSO = "Fra bostedsløs til beboer"
SEED_QUERIES = [
    {"q": "depositumgaranti"},
    {"q": "sosialtjenesteloven § 27"},
    {"q": "Housing First"},
    {"q": "husleierestanser"},
    {"q": "tett oppfølging"},
    {"q": ""},
    {"q": "", "type": "praksis"},
    {"q": "bolig", "county": "troms"},
]


def search(q="", **filters):
    querydict = QueryDict(mutable=True)
    querydict["q"] = q
    for facet, values in filters.items():
        querydict.setlist(facet, values if isinstance(values, list) else [values])
    return SearchService().search(parse_params(querydict))


def snapshot():
    """What the seed queries find: ordered hits, counts and facet counts."""
    result = []
    for query in SEED_QUERIES:
        response = search(**query)
        facets = {name: [(o.value, o.count) for o in options] for name, options in response.facets.items()}
        result.append((response.count, [r.id for r in response.results], facets))
    return result


def reindex():
    out = StringIO()
    call_command("search_reindex", stdout=out)
    return out.getvalue()


def live_page_count():
    return sum(model.objects.live().public().count() for model in (PracticePage, ReportPage, ArticlePage))


def titles(response):
    return [result.title for result in response.results]


def test_reindex_gives_the_same_results_as_the_signals_built(db):
    before = snapshot()
    assert before[0][0] > 0, "the seed content should be found before reindexing"
    reindex()
    assert snapshot() == before


def test_reindex_rebuilds_an_emptied_index(db):
    before = snapshot()
    SearchDocument.objects.all().delete()
    assert search("depositumgaranti").count == 0
    reindex()
    assert snapshot() == before


def test_reindex_prints_progress_and_a_summary(db):
    output = reindex()
    documents = live_page_count()
    assert f"[{documents}/{documents}] 100 %" in output
    assert f"Dokumenter:    {documents}" in output
    assert f"Termer:        {SearchTerm.objects.count()} " in output
    assert f"Fasettverdier: {SearchFacetValue.objects.count()}" in output
    assert "Tid:" in output and "sider/s" in output
    assert SearchDocument.objects.count() == documents


def test_unpublishing_removes_a_page_and_publishing_adds_it(tromso, django_capture_on_commit_callbacks):
    assert TROMSO in titles(search("Boligskolen"))
    with django_capture_on_commit_callbacks(execute=True):
        tromso.unpublish()
    assert TROMSO not in titles(search("Boligskolen"))
    assert not SearchDocument.objects.filter(pk=tromso.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert TROMSO in titles(search("Boligskolen"))
    # A rebuild agrees with what the signals did.
    before = snapshot()
    reindex()
    assert snapshot() == before


def test_publishing_a_change_updates_what_search_finds(tromso, django_capture_on_commit_callbacks):
    tromso.title = "Fra bostedsløs til beboer i Zyxwvby"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert titles(search("Zyxwvby")) == ["Fra bostedsløs til beboer i Zyxwvby"]


def test_saving_a_draft_does_not_change_what_search_finds(tromso, django_capture_on_commit_callbacks):
    before = snapshot()
    tromso.title = "Et utkast om Zyxwvby"
    tromso.summary = "Utkastet nevner Qwertyfjord."
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision()
    assert search("Zyxwvby").count == 0
    assert search("Qwertyfjord").count == 0
    assert TROMSO in titles(search("Boligskolen"))
    assert snapshot() == before
    assert SearchDocument.objects.get(pk=tromso.pk).title == TROMSO


@pytest.mark.parametrize("query", ["Boligskolen", "sosialtjenesteloven § 27"])
def test_unpublished_pages_stay_out_after_a_rebuild(tromso, django_capture_on_commit_callbacks, query):
    with django_capture_on_commit_callbacks(execute=True):
        tromso.unpublish()
    reindex()
    assert TROMSO not in titles(search(query))
    assert SearchDocument.objects.count() == live_page_count()


def test_a_password_restricted_page_and_its_subpages_leave_search_until_the_restriction_is_lifted(
    grunerlokka, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    grunerlokka_title = grunerlokka.title
    assert grunerlokka_title in titles(search("Hjem Først"))
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=grunerlokka, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
        )
    assert grunerlokka_title not in titles(search("Hjem Først"))
    assert not SearchDocument.objects.filter(pk=grunerlokka.pk).exists()

    # A restriction on the section hides every practice in it.
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
        PageViewRestriction.objects.create(page=grunerlokka.get_parent(), restriction_type=PageViewRestriction.LOGIN)
    assert search("", type="praksis").count == 0

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.all().delete()
    assert grunerlokka_title in titles(search("Hjem Først"))
    assert search("", type="praksis").count == PracticePage.objects.live().count() == 9



def test_a_provision_newly_marked_as_replaced_finds_its_citers_under_the_successor(
    db, django_capture_on_commit_callbacks
):
    from practices.models import Law
    from tests.factories import LegalProvisionFactory, provision

    successor = LegalProvisionFactory(law=Law.objects.get(slug="husleieloven"), paragraph="3-5")
    citers = {r.title for r in search("boligsosialloven § 6").results}
    assert citers and search("husleieloven § 3-5").count == 0

    replaced = provision("boligsosialloven", "6")
    replaced.replaced_by = successor
    with django_capture_on_commit_callbacks(execute=True):
        replaced.save()
    # Pages citing § 6, and pages citing what § 6 replaced (sotjl. § 15), are found under § 3-5.
    assert {r.title for r in search("husleieloven § 3-5").results} >= citers
    before = snapshot()
    reindex()
    assert snapshot() == before  # what the signals did is what a rebuild gives


def test_renaming_a_law_relabels_what_cites_it(tromso, django_capture_on_commit_callbacks):
    from practices.models import Law

    law = Law.objects.get(slug="sosialtjenesteloven")
    law.short_name = "sosialtjenestelova"
    with django_capture_on_commit_callbacks(execute=True):
        law.save()
    labels = {option.label for option in search("", type="praksis").facets["law"]}
    assert "sosialtjenestelova § 27" in labels and "sosialtjenesteloven § 27" not in labels


def test_saving_a_law_unchanged_reindexes_nothing(db, django_capture_on_commit_callbacks):
    from practices.models import Law

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Law.objects.get(slug="sosialtjenesteloven").save()
    from kunnskapsbase import page_cache

    # Cached pages may show the law, so they are made stale; nothing is re-indexed.
    assert [callback for callback in callbacks if callback is not page_cache.bump] == []
