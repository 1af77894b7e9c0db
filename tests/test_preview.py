"""Preview works for every page type through the admin, as Wagtail's own tests drive it
(wagtail/admin/tests/pages/test_preview.py): the editor's form data is POSTed to the preview URL,
which answers whether it is valid, then the preview is fetched with GET.

New pages are previewed before their first save (``preview_on_add``): such a page has no id, so
nothing in its template or context may need one (reports of a practice, «Les også», relations)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import querydict_from_html

from practices.editorial import EDITORS
from practices.models import (
    ArticleIndexPage,
    ArticlePage,
    HomePage,
    PracticeIndexPage,
    PracticePage,
    ReportIndexPage,
    ReportPage,
)
from tests.factories import PracticePageFactory, autocomplete_values, block_form_data, chosen, edit_form_data


@pytest.fixture
def admin(db):
    """An administrator: the home and index pages are theirs to edit."""
    user = get_user_model().objects.create_superuser("forhandsviser-admin", "admin@example.no", "passord-for-test")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(db):
    """An editor of the «Redaktører» group: may write and preview, not publish."""
    user = get_user_model().objects.create_user("forhandsviser", "forhandsviser@example.no", "passord-for-test")
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client()
    client.force_login(user)
    return client


def rich_text(model, field, html):
    """The editor widget's value for ``html`` in the rich text ``field``."""
    form_class = model.get_edit_handler().get_form_class()
    return form_class.base_fields[field].widget.format_value(html)


def add_form_data(client, model, parent, fields, streams=None):
    """The create form's data for a new ``model`` page under ``parent``, with ``fields`` filled in."""
    add_url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    response = client.get(add_url)
    assert response.status_code == 200
    html = response.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update(autocomplete_values(html, "page-edit-form"))  # the searchable choosers' hidden inputs
    for field in model._meta.get_fields():
        if isinstance(field, StreamField):
            value = field.stream_block.to_python((streams or {}).get(field.name, []))
            stream = {}
            block_form_data(field.stream_block, value, field.name, stream)
            data.update(stream)
    for name, value in fields.items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = value
    return data


def as_post(data):
    """A QueryDict as the test client must get it to post every value of a repeated field."""
    return {key: data.getlist(key) for key in data}


def preview(client, preview_url, data):
    """POST ``data`` to the preview, then GET it as the preview panel does."""
    response = client.post(preview_url, as_post(data))
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}, response.content
    shown = client.get(preview_url)
    assert shown.status_code == 200
    return shown.content.decode()


def preview_new(client, model, parent, fields, streams=None):
    url = reverse("wagtailadmin_pages:preview_on_add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    return preview(client, url, add_form_data(client, model, parent, fields, streams))


def test_new_practice_example_before_its_first_save(editor, tromso, oksnes):
    html = preview_new(
        editor,
        PracticePage,
        PracticeIndexPage.objects.get(),
        {
            "title": "Boligkontakt i Hammerfest",
            "slug": "boligkontakt-i-hammerfest",
            "summary": "Hammerfest ga alle i midlertidig botilbud en fast boligkontakt.",
            "description": rich_text(PracticePage, "description", "<p>Boligkontakten møtte brukerne hjemme.</p>"),
            "related_practices": chosen([tromso, oksnes]),  # what the searchable chooser posts
            "municipalities": chosen([]),
        },
        streams={"steps": [{"type": "step", "value": {"title": "Kartlegging", "text": "<p>Alle ble kartlagt.</p>"}}]},
    )
    assert "Boligkontakt i Hammerfest" in html
    assert "Boligkontakten møtte brukerne hjemme." in html
    assert "Kartlegging" in html
    assert tromso.title in html  # the related practices chosen in the form
    assert not PracticePage.objects.filter(slug="boligkontakt-i-hammerfest").exists()  # nothing saved


def test_new_report_before_its_first_save(editor, tromso):
    html = preview_new(
        editor,
        ReportPage,
        ReportIndexPage.objects.get(),
        {
            "title": "Sluttrapport fra boligkontakten i Hammerfest",
            "slug": "sluttrapport-hammerfest",
            "report_type": "sluttrapport",
            "related_practice": tromso.pk,
        },
        streams={"body": [{"type": "heading", "value": {"text": "Oppsummering", "level": "h2"}},
                          {"type": "paragraph", "value": "<p>Prosjektet nådde målene.</p>"}]},
    )
    assert "Sluttrapport fra boligkontakten i Hammerfest" in html
    assert "Prosjektet nådde målene." in html
    assert tromso.title in html  # «Hører til praksiseksempelet»


def test_new_article_before_its_first_save(editor, tromso):
    html = preview_new(
        editor,
        ArticlePage,
        ArticleIndexPage.objects.get(),
        {
            "title": "Fem råd om boligkontakter",
            "slug": "fem-rad-om-boligkontakter",
            "date": "2025-03-14",
            "kind": "fagartikkel",
            "related_practices": chosen([tromso]),
        },
        streams={"body": [{"type": "paragraph", "value": "<p>Start med dem som bor midlertidig.</p>"}]},
    )
    assert "Fem råd om boligkontakter" in html
    assert "Start med dem som bor midlertidig." in html
    assert tromso.title in html


def test_new_page_with_invalid_data_is_not_previewed(editor):
    parent = PracticeIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:preview_on_add", args=("practices", "practicepage", parent.pk))
    data = add_form_data(editor, PracticePage, parent, {"title": "Boligkontakt", "period_start": "i fjor"})
    response = editor.post(url, as_post(data))
    assert response.json() == {"is_valid": False, "is_available": False}


@pytest.mark.parametrize(
    "model, slug",
    [
        (HomePage, None),
        (PracticeIndexPage, None),
        (ReportIndexPage, None),
        (ArticleIndexPage, None),
        (PracticePage, "fra-bostedslos-til-beboer"),
        (ReportPage, "boligsosialt-arbeid-i-nes-kommune-2009"),
        (ArticlePage, "gode-grep-for-tett-oppfolging"),
    ],
)
def test_every_page_type_with_changes_in_the_edit_form(admin, editor, model, slug):
    page = model.objects.get() if slug is None else model.objects.get(slug=slug)
    editor = editor if slug else admin  # editors write content pages; the home and index pages are the admin's
    data = edit_form_data(editor, page)
    data["title"] = f"{page.title} (endret i forhåndsvisningen)"
    html = preview(editor, reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]), data)
    assert '<html lang="nb">' in html
    assert "(endret i forhåndsvisningen)" in html
    page.refresh_from_db()
    assert "forhåndsvisningen" not in page.title  # the preview saved nothing


def test_a_saved_draft_without_reports_or_similar_pages(editor):
    draft = PracticePageFactory(title="Boligkontakt i Midt-Telemark (utkast)", live=False)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])
    html = preview(editor, url, edit_form_data(editor, draft))
    assert "Boligkontakt i Midt-Telemark (utkast)" in html
