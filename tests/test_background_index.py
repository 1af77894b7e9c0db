"""No editor's action waits on the search index: publishing, unpublishing and saving a law
provision or a municipality enqueue background tasks (search/tasks.py) and return after a fixed
number of queries, however many pages they concern; the worker then brings search up to date.

The tests' task backend runs tasks at once; here a deferring backend (django-tasks'
DummyBackend, which only records what is enqueued) proves that nothing runs in the request,
and ``run_worker`` then does what ``manage.py db_worker`` does.
"""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import task_backends

from practices.models import Law, Municipality
from search import sync, tasks
from search.models import ReadAlso, SearchDocument
from search.params import parse_params
from search.service import SearchService
from tests.factories import LegalProvisionFactory, PracticePageFactory

DEFERRED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def deferred(db):
    """A task backend that keeps what is enqueued until ``run_worker``."""
    with override_settings(TASKS=DEFERRED):
        backend = task_backends["default"]
        backend.clear()
        yield backend


def run_worker(backend):
    """Run every enqueued task, and those they enqueue, as the worker would. Returns their names."""
    ran = []
    while backend.results:
        result = backend.results.pop(0)
        result.task.call(*result.args, **result.kwargs)
        ran.append(result.task.name)
    return ran


def ours(backend):
    """The search tasks enqueued (Wagtail enqueues its own reference-index tasks beside them)."""
    return [r.task.name for r in backend.results if r.task.module_path.startswith("search.tasks.")]


def search(q="", **filters):
    querydict = QueryDict(mutable=True)
    querydict["q"] = q
    for facet, value in filters.items():
        querydict[facet] = value
    return SearchService().search(parse_params(querydict))


def law_labels():
    return {option.label: option.count for option in search("", type="praksis").facets["law"]}


def citing_pages(n, provision):
    return [PracticePageFactory(title=f"Boligtiltak {i} etter § {provision.paragraph}", legal_references=[
        {"provision": provision}]) for i in range(n)]


def save_in_request(obj, capture):
    """Save ``obj`` as an editor's request would, committing; the number of queries it took."""
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        obj.save()
    return len(queries)


def test_saving_a_provision_cited_by_many_pages_costs_the_same_as_one_and_the_worker_catches_up(
    db, deferred, django_capture_on_commit_callbacks
):
    husleieloven = Law.objects.get(slug="husleieloven")
    lonely = LegalProvisionFactory(law=husleieloven, paragraph="90")
    popular = LegalProvisionFactory(law=husleieloven, paragraph="91")
    citing_pages(1, lonely)
    citing_pages(200, popular)
    run_worker(deferred)
    assert law_labels()["husleieloven § 91"] == 200

    lonely.paragraph, popular.paragraph = "95", "96"
    few = save_in_request(lonely, django_capture_on_commit_callbacks)
    many = save_in_request(popular, django_capture_on_commit_callbacks)
    assert many == few, f"{few} spørringer for én siterende side, {many} for 200"
    assert ours(deferred) == ["reindex_citing_task", "reindex_citing_task"]
    # Nothing has been re-indexed yet: search still shows the old paragraph.
    assert law_labels()["husleieloven § 91"] == 200 and "husleieloven § 96" not in law_labels()

    ran = run_worker(deferred)
    assert ran.count("index_pages_task") == 1 + 2  # one batch for 1 page, two of 100 for 200
    labels = law_labels()
    assert labels["husleieloven § 96"] == 200 and labels["husleieloven § 95"] == 1
    assert "husleieloven § 91" not in labels
    assert search("husleieloven § 96").count == 200


def test_publishing_enqueues_the_index_work_and_search_follows_after_the_worker(
    deferred, tromso, django_capture_on_commit_callbacks
):
    tromso.title = "Fra bostedsløs til beboer i Zyxwvby"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert ours(deferred) == ["index_pages_task"]
    assert search("Zyxwvby").count == 0  # the request did not index
    run_worker(deferred)
    assert [r.title for r in search("Zyxwvby").results] == ["Fra bostedsløs til beboer i Zyxwvby"]


def test_an_unpublished_page_leaves_search_at_once_and_the_worker_refreshes_read_also(
    deferred, tromso, oksnes, django_capture_on_commit_callbacks
):
    tasks.index_pages_task.call([tromso.pk, oksnes.pk])  # what publishing them did
    assert oksnes.pk in ReadAlso.objects.filter(page=tromso).values_list("target_id", flat=True)

    with django_capture_on_commit_callbacks(execute=True):
        oksnes.unpublish()
    assert not SearchDocument.objects.filter(pk=oksnes.pk).exists()  # gone before the worker runs
    assert oksnes.pk not in [d.id for d in search("", type="praksis").results]
    run_worker(deferred)
    listed = set(ReadAlso.objects.filter(page=tromso).values_list("target_id", flat=True))
    assert listed and oksnes.pk not in listed


def test_changing_a_municipality_reindexes_its_pages_in_the_worker_only(
    db, deferred, django_capture_on_commit_callbacks
):
    skedsmo = Municipality.objects.get(number="0231")
    pages = [PracticePageFactory(county="02", municipalities=["0231"]) for _ in range(3)]
    run_worker(deferred)
    skedsmo.name = "Skedsmo herred"
    save_in_request(skedsmo, django_capture_on_commit_callbacks)
    assert ours(deferred) == ["reindex_places_task"]
    assert search("herred").count == 0
    run_worker(deferred)
    assert {r.id for r in search("Skedsmo herred").results} >= {page.pk for page in pages}


def test_the_page_view_reads_read_also_from_what_publishing_stored(client, tromso, oksnes, monkeypatch):
    tasks.index_pages_task.call([tromso.pk, oksnes.pk])
    stored = list(ReadAlso.objects.filter(page=tromso).order_by("position").values_list("target_id", flat=True))
    assert stored

    def not_per_view(*args, **kwargs):
        raise AssertionError("«Les også» must not be computed when the page is viewed")

    monkeypatch.setattr(SearchService, "similar", not_per_view)
    response = client.get(tromso.url)
    assert response.status_code == 200
    section = response.content.decode().split('id="les-ogsa-heading"')[1].split("</section>")[0]
    titles = [SearchDocument.objects.get(pk=pk).title for pk in stored]
    assert all(title in section for title in titles)
    assert section.index(titles[0]) < section.index(titles[-1])


def test_engine_updates_that_fail_are_retried_later_with_back_off_and_then_given_up(
    db, deferred, settings, monkeypatch
):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_SYNC_MAX_ATTEMPTS = 3
    tried = []
    monkeypatch.setattr(
        sync, "try_sync_page", lambda page_id, action="index": tried.append((page_id, action)) and False
    )

    before = timezone.now()
    tasks.sync_engine_task.call([41, 42], removed=[42])
    (retry,) = deferred.results
    assert retry.kwargs == {"attempt": 2, "removed": [42]} and retry.args == [[41, 42]]
    assert retry.task.run_after >= before + datetime.timedelta(seconds=settings.SEARCH_SYNC_RETRY_DELAY)
    deferred.clear()
    tasks.sync_engine_task.call([41, 42], attempt=2)
    assert deferred.results[0].task.run_after >= before + datetime.timedelta(
        seconds=4 * settings.SEARCH_SYNC_RETRY_DELAY
    )
    deferred.clear()
    tasks.sync_engine_task.call([41, 42], attempt=3)
    assert deferred.results == []  # the last attempt: left to the retry queue
    assert tried[:2] == [(41, "index"), (42, "delete")]
