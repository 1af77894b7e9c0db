"""Anonymous visitors get Wagtail pages from the cache (kunnskapsbase/page_cache.py): the second
view costs no database query, publishing shows at once, a browser that has the page gets a 304,
and nothing is cached for editors or for responses that set a cookie."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from practices.models import PracticeIndexPage


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_the_second_anonymous_view_comes_from_the_cache_without_queries(client, page_cache, tromso):
    first = client.get(tromso.url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(tromso.url)
    assert len(queries) == 0
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content and tromso.title in second.content.decode()


def test_listings_are_cached_too(client, page_cache, db):
    url = PracticeIndexPage.objects.get().url
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert client.get(url + "?side=2")["X-Page-Cache"] == "miss"  # another address, another entry


def test_publishing_changes_what_the_next_visitor_sees(client, page_cache, tromso, django_capture_on_commit_callbacks):
    listing = PracticeIndexPage.objects.get().url
    client.get(tromso.url), client.get(listing)
    tromso.title = "Fra bostedsløs til beboer i Zyxwvby"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert "Zyxwvby" in client.get(tromso.url).content.decode()
    assert "Zyxwvby" in client.get(listing).content.decode()


def test_an_unpublished_page_is_not_served_from_the_cache(client, page_cache, tromso,
                                                          django_capture_on_commit_callbacks):
    assert client.get(tromso.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        tromso.unpublish()
    assert client.get(tromso.url).status_code == 404


def test_a_saved_taxonomy_row_makes_cached_pages_stale(client, page_cache, tromso, django_capture_on_commit_callbacks):
    theme = tromso.themes.first()
    client.get(tromso.url)
    theme.name = "Bolig og bosetting (nytt navn)"
    with django_capture_on_commit_callbacks(execute=True):
        theme.save()
    response = client.get(tromso.url)
    assert response["X-Page-Cache"] == "miss" and "nytt navn" in response.content.decode()


def test_a_browser_with_the_page_gets_304(client, page_cache, tromso):
    first = client.get(tromso.url)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(tromso.url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(tromso.url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_anonymous_html_is_compressed(client, page_cache, tromso):
    client.get(tromso.url)
    response = client.get(tromso.url, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip" and response["X-Page-Cache"] == "hit"


def test_logged_in_editors_never_get_or_fill_the_cache(client, page_cache, tromso):
    editor = get_user_model().objects.create_user("redaktor-cache", password="passord-123456")
    client.force_login(editor)
    response = client.get(tromso.url)
    assert response.status_code == 200 and not response.has_header("X-Page-Cache")
    client.logout()
    assert client.get(tromso.url)["X-Page-Cache"] == "miss"  # the editor's view was not stored


def test_a_page_with_a_csrf_protected_form_is_not_cached(client, page_cache, tromso):
    PageViewRestriction.objects.create(page=tromso, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig")
    for _ in range(2):
        response = client.get(tromso.url)
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "csrftoken" in response.cookies and not response.has_header("X-Page-Cache")


def test_searches_are_not_cached(client, page_cache, db):
    client.get("/sok/?q=bolig")
    assert not client.get("/sok/?q=bolig").has_header("X-Page-Cache")
