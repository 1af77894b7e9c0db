"""The engine's index follows the page life cycle — publishing, unpublishing, moving and
deleting, not draft saves — and an editor's publish never fails or hangs because the
cluster is slow or down: the update is queued, shown on the dashboard, and retried."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import QueryDict

from practices.models import PracticeIndexPage
from search import sync
from search.backends.elasticsearch import ElasticsearchBackend
from search.engines.elasticsearch import client as engine_client
from search.engines.elasticsearch import indices
from search.models import IndexQueueEntry
from search.params import parse_params
from search.service import SearchService
from tests.elasticsearch_helpers import SilentServer, refused_url
from tests.engine import refresh

TROMSO = "Fra bostedsløs til beboer"


def es_titles(q="", **filters):
    querydict = QueryDict(mutable=True)
    querydict["q"] = q
    for facet, values in filters.items():
        querydict.setlist(facet, values if isinstance(values, list) else [values])
    response = SearchService(ElasticsearchBackend()).search(parse_params(querydict))
    assert not response.notices, response.notices
    return [result.title for result in response.results]


def es_source(page_id):
    client = engine_client.connection().for_sync()
    found = client.options(ignore_status=404).get(index=indices.alias_name(), id=str(page_id))
    return found.body.get("_source") if found.body.get("found") else None


def test_publishing_a_change_updates_the_engine(es_fresh, tromso, django_capture_on_commit_callbacks):
    tromso.title = "Fra bostedsløs til beboer i Zyxwvby"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    refresh()
    assert es_titles("Zyxwvby") == ["Fra bostedsløs til beboer i Zyxwvby"]
    assert not IndexQueueEntry.objects.exists()


def test_saving_a_draft_changes_nothing(es_fresh, tromso, django_capture_on_commit_callbacks):
    tromso.title = "Et utkast om Zyxwvby"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision()
    refresh()
    assert es_titles("Zyxwvby") == []
    assert es_source(tromso.pk)["title"] == TROMSO


def test_unpublishing_removes_and_publishing_adds(es_fresh, tromso, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tromso.unpublish()
    refresh()
    assert TROMSO not in es_titles("Boligskolen")
    assert es_source(tromso.pk) is None
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    refresh()
    assert TROMSO in es_titles("Boligskolen")


def test_restricting_who_may_view_a_page_removes_it_and_lifting_it_adds_it(
    es_fresh, tromso, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=tromso, restriction_type=PageViewRestriction.LOGIN)
    refresh()
    assert TROMSO not in es_titles("Boligskolen")
    assert es_source(tromso.pk) is None
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    refresh()
    assert TROMSO in es_titles("Boligskolen")


def test_moving_a_page_updates_its_address(es_fresh, tromso, django_capture_on_commit_callbacks):
    home = tromso.get_parent().get_parent()
    new_parent = PracticeIndexPage(title="Arkiv", slug="arkiv")
    with django_capture_on_commit_callbacks(execute=True):
        home.add_child(instance=new_parent)
        new_parent.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        tromso.move(new_parent, pos="last-child")
    refresh()
    assert es_source(tromso.pk)["url"] == "/arkiv/fra-bostedslos-til-beboer/"


def test_deleting_a_page_removes_it(es_fresh, tromso, django_capture_on_commit_callbacks):
    page_id = tromso.pk
    with django_capture_on_commit_callbacks(execute=True):
        tromso.delete()
    refresh()
    assert es_source(page_id) is None
    assert TROMSO not in es_titles("Boligskolen")


def test_a_hung_cluster_does_not_hold_up_publishing(es_fresh, settings, tromso, django_capture_on_commit_callbacks):
    with SilentServer() as silent:
        settings.ELASTICSEARCH_URL = silent.url
        settings.ELASTICSEARCH_SYNC_TIMEOUT = 0.5
        tromso.title = "Fra bostedsløs til beboer i Zyxwvby"
        # Publishing returns (a hung call would hang the test) with the update queued after
        # the sync timeout: no wall-clock budget asserted on a shared machine.
        with django_capture_on_commit_callbacks(execute=True):
            tromso.save_revision().publish()
    entry = IndexQueueEntry.objects.get(page_id=tromso.pk)
    assert entry.attempts == 1
    assert any(word in entry.last_error for word in ("Timeout", "Connection"))


def test_a_down_cluster_queues_and_the_breaker_stops_waiting(es_fresh, settings, tromso, oksnes, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = refused_url()
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert engine_client.is_down()
    attempts = []
    monkeypatch.setattr(engine_client, "connection", lambda *args: attempts.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        oksnes.save_revision().publish()
    assert attempts == []  # queued at once, without trying the cluster again
    monkeypatch.undo()
    assert set(IndexQueueEntry.objects.values_list("page_id", flat=True)) == {tromso.pk, oksnes.pk}
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert IndexQueueEntry.objects.get(page_id=tromso.pk).attempts == 2


def test_queued_updates_are_retried_by_the_command(es_fresh, settings, tromso, django_capture_on_commit_callbacks):
    engine_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = refused_url()
    tromso.title = "Fra bostedsløs til beboer i Zyxwvby"
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    with pytest.raises(CommandError, match="svarer ikke"):
        call_command("search_retry_queue", stdout=StringIO())
    assert IndexQueueEntry.objects.count() == 1

    settings.ELASTICSEARCH_URL = engine_url
    out = StringIO()
    call_command("search_retry_queue", stdout=out)
    assert "Oppdatert: 1" in out.getvalue() and "Venter fortsatt: 0" in out.getvalue()
    refresh()
    assert es_titles("Zyxwvby") == ["Fra bostedsløs til beboer i Zyxwvby"]
    assert not IndexQueueEntry.objects.exists()


def test_no_update_works_off_other_pages_failures(es_fresh, settings, tromso, oksnes,
                                                  django_capture_on_commit_callbacks):
    """A publish only ever updates its own page: the recorded failures are the retry
    command's (or a background task's) work, never an editor's request's."""
    engine_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = refused_url()
    with django_capture_on_commit_callbacks(execute=True):
        tromso.unpublish()
    assert IndexQueueEntry.objects.filter(page_id=tromso.pk, action="delete").exists()
    settings.ELASTICSEARCH_URL = engine_url
    engine_client.mark_up()
    with django_capture_on_commit_callbacks(execute=True):
        oksnes.save_revision().publish()
    refresh()
    assert list(IndexQueueEntry.objects.values_list("page_id", flat=True)) == [tromso.pk]
    assert es_source(tromso.pk)["title"] == TROMSO  # still there until the retry
    out = StringIO()
    call_command("search_retry_queue", stdout=out)
    assert "Oppdatert: 1" in out.getvalue()
    refresh()
    assert es_source(tromso.pk) is None
    assert not IndexQueueEntry.objects.exists()


def test_a_later_success_for_the_same_page_clears_its_failure(es_fresh, settings, tromso,
                                                              django_capture_on_commit_callbacks):
    engine_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = refused_url()
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert IndexQueueEntry.objects.filter(page_id=tromso.pk).exists()
    settings.ELASTICSEARCH_URL = engine_url
    engine_client.mark_up()
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
    assert not IndexQueueEntry.objects.exists()


def test_the_dashboard_says_how_far_behind_the_index_is(es_fresh, client, settings, tromso, oksnes,
                                                         django_capture_on_commit_callbacks):
    admin = get_user_model().objects.create_superuser("sokeadmin", "sok@example.no", "passord")
    client.force_login(admin)
    assert "Søkeindeksen ligger" not in client.get("/admin/").content.decode()
    settings.ELASTICSEARCH_URL = refused_url()
    with django_capture_on_commit_callbacks(execute=True):
        tromso.save_revision().publish()
        oksnes.save_revision().publish()
    page = client.get("/admin/").content.decode()
    assert "Søkeindeksen ligger 2 oppdateringer etter" in page
    assert "Søkemotoren svarer ikke" in page


def test_retry_without_a_cluster_configured_says_so(db, settings):
    settings.ELASTICSEARCH_URL = ""
    IndexQueueEntry.objects.create(page_id=123, action="index")
    out = StringIO()
    call_command("search_retry_queue", stdout=out)
    assert "ELASTICSEARCH_URL er ikke satt" in out.getvalue()
    assert sync.sync_page(123) == "off"  # nothing to do without an engine


def test_reconcile_puts_back_what_the_index_lost(es_fresh, tromso):
    client = engine_client.connection().for_sync()
    client.delete(index=indices.alias_name(), id=str(tromso.pk), refresh=True)
    out = StringIO()
    call_command("search_retry_queue", "--reconcile", stdout=out)
    assert "1 sider rettet" in out.getvalue()
    refresh()
    assert es_source(tromso.pk)["title"] == TROMSO
