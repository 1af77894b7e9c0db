"""manage.py generate_demo_content: many realistic, clearly fictional practice examples that
live in a valid page tree, render, and are found by search; --clear removes them again."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import QueryDict
from wagtail.models import Page

from practices.demo_content import DEMO_TAG, SLUG_PREFIX, SOURCE_NOTE, Taxonomies, build_spec, demo_pages
from practices.models import PracticeIndexPage, PracticePage
from search.documents import PRACTICE_BODY, plain
from search.models import SearchDocument
from search.params import parse_params
from search.service import SearchService

COUNT = 30


def generate(*args, **options):
    out = StringIO()
    call_command("generate_demo_content", *args, stdout=out, **options)
    return out.getvalue()


def search(q="", page_size=100, **filters):
    querydict = QueryDict(mutable=True)
    querydict["q"] = q
    querydict["page_size"] = str(page_size)
    for facet, values in filters.items():
        querydict.setlist(facet, values if isinstance(values, list) else [values])
    return SearchService().search(parse_params(querydict))


def assert_tree_is_valid():
    assert Page.find_problems() == ([], [], [], [], [])
    index = PracticeIndexPage.objects.get()
    assert index.numchild == index.get_children().count()


@pytest.fixture
def generated(db):
    output = generate("--practices", str(COUNT), "--seed", "7")
    pages = list(demo_pages().order_by("path").prefetch_related("tags", "legal_references__provision__law"))
    return output, pages


def test_generates_live_practices_in_a_valid_tree(generated):
    _output, pages = generated
    assert len(pages) == COUNT
    assert all(page.live and not page.has_unpublished_changes and page.first_published_at for page in pages)
    assert all(page.slug.startswith(SLUG_PREFIX) and page.source_note == SOURCE_NOTE for page in pages)
    assert all(DEMO_TAG in page.tags.names() for page in pages)
    index = PracticeIndexPage.objects.get()
    assert all(page.get_parent().pk == index.pk and page.url_path.startswith(index.url_path) for page in pages)
    assert_tree_is_valid()


def test_generated_practices_are_varied(generated):
    _output, pages = generated
    assert len({page.county_id for page in pages}) >= 8
    assert len({tag for page in pages for tag in page.tags.names()}) >= 15
    assert len({ref.provision_id for page in pages for ref in page.legal_references.all()}) >= 4
    assert len({page.status for page in pages}) == 3
    assert len({page.municipality_size for page in pages}) >= 3
    assert len({page.period_start for page in pages}) >= 6
    assert len({page.title for page in pages}) >= 20
    assert any(page.other_actor.endswith("(demo)") for page in pages)


def test_counties_and_laws_fit_the_period(generated):
    _output, pages = generated
    for page in pages:
        county = page.county
        if county.valid_from:
            assert page.period_start >= county.valid_from.year, page.slug
        if county.valid_to:
            assert page.period_start <= county.valid_to.year, page.slug
        for reference in page.legal_references.all():
            if reference.provision.repealed_on:
                assert page.period_start <= reference.provision.repealed_on.year, page.slug
    historic = PracticePage.objects.filter(pk__in=[p.pk for p in pages], county__valid_to__isnull=False)
    assert historic.exists(), "some demo practices should be under a former county such as Viken"


def test_texts_are_norwegian_and_of_realistic_length(generated):
    _output, pages = generated
    for page in pages:
        text = " ".join([page.summary, *(plain(getattr(page, name)) for name in PRACTICE_BODY)])
        assert 150 <= len(text.split()) <= 300, (page.slug, len(text.split()))
        assert page.steps and page.success_factors and page.challenges
    assert len({page.summary for page in pages}) == COUNT


def test_every_generated_page_renders(generated, client):
    _output, pages = generated
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()
    assert client.get(PracticeIndexPage.objects.get().url).status_code == 200


def test_generated_pages_are_searchable(generated):
    _output, pages = generated
    by_tag = search(tag=DEMO_TAG)
    assert by_tag.count == COUNT
    assert {result.id for result in by_tag.results} == {page.pk for page in pages}
    assert SearchDocument.objects.filter(pk__in=[p.pk for p in pages]).count() == COUNT
    for page in pages[:10]:
        found = search(page.title, tag=DEMO_TAG)
        assert page.pk in {result.id for result in found.results}, page.title
    # The seed pages are still found alongside them.
    assert "Fra bostedsløs til beboer" in [r.title for r in search("Boligskolen").results]


def test_prints_progress_and_a_summary(generated):
    output, _pages = generated
    assert f"[{COUNT}/{COUNT}] 100 %" in output
    assert "sider/s" in output
    assert f"Opprettet: {COUNT} praksiseksempler" in output
    assert "Søkeindeks:" in output and "Tid totalt:" in output


def test_clear_removes_the_demo_pages_and_only_them(generated):
    _output, pages = generated
    others = PracticePage.objects.exclude(pk__in=[p.pk for p in pages]).count()
    output = generate("--clear")
    assert f"{COUNT} demosider slettet" in output
    assert not demo_pages().exists()
    assert PracticePage.objects.count() == others
    assert search(tag=DEMO_TAG).count == 0
    assert not SearchDocument.objects.filter(pk__in=[p.pk for p in pages]).exists()
    assert_tree_is_valid()


def test_clear_then_generate_is_repeatable(generated):
    _output, pages = generated
    generate("--clear", "--practices", str(COUNT), "--seed", "7")
    again = list(demo_pages().order_by("path"))
    assert [(p.slug, p.title, p.summary) for p in again] == [(p.slug, p.title, p.summary) for p in pages]
    assert_tree_is_valid()


def test_generating_more_continues_the_numbering(generated):
    generate("--practices", "5", "--seed", "7", "--skip-index")
    slugs = sorted(demo_pages().values_list("slug", flat=True))
    assert len(slugs) == COUNT + 5 == len(set(slugs))
    assert slugs[-1].startswith(f"{SLUG_PREFIX}{COUNT + 5:05d}-")
    assert_tree_is_valid()


def test_same_seed_same_page_other_seed_other_page(db):
    taxonomies = Taxonomies.load()
    first, again, other = build_spec(1, 42, taxonomies), build_spec(1, 42, taxonomies), build_spec(1, 43, taxonomies)
    assert first.fields == again.fields and first.tags == again.tags
    assert first.fields != other.fields


def test_asks_for_a_number_of_practices(db):
    with pytest.raises(CommandError):
        generate()
