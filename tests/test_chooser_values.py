"""The searchable choosers keep what was chosen when a form comes back with an error.

Wagtail's autosave sends the page form as soon as an editor is back on a form with an error (the
page counts as changed), before the choosers' script has mounted. What the form holds then is
what the HTML holds: ``querydict_from_html`` of the page, without ``autocomplete_values``. The
chosen municipalities, themes, funding sources and law provisions must be in it, or the draft is
saved with them emptied (practices/chooser_panel.py)."""

import json

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from practices.models import FundingSource, Municipality, PracticePage, Theme
from tests.editors import logged_in
from tests.factories import autocomplete_values, chosen, edit_form_data, provision
from tests.test_admin_authoring import SLUG, add_url, practice_form_data
from tests.test_personal_data import VALID


def autosave(client, url, data):
    """What Wagtail's autosave posts: the form as it is, answered in JSON."""
    return client.post(url, data, HTTP_ACCEPT="application/json")


CHOOSERS = ("municipalities", "themes", "target_groups", "funding_sources", "related_practices")


def before_choosers_mount(html, sent):
    """The refused form as the browser holds it before the choosers' script has mounted: the HTML's
    own fields, and the StreamFields, which Wagtail's own script has built by then (as sent)."""
    data = querydict_from_html(html, form_id="page-edit-form")
    for name in sent:
        if name not in data and name not in CHOOSERS and not name.endswith("-provision") and "action-" not in name:
            data.setlist(name, sent.getlist(name) if hasattr(sent, "getlist") else [sent[name]])
    return data


def chooser_pks(data, name):
    value = json.loads(data[name])
    return sorted(obj["pk"] for obj in value) if isinstance(value, list) else value["pk"]


@pytest.fixture
def editor_client(redaktor):
    return logged_in(redaktor)


def refused_submission(client, oksnes):
    """A Redaktør sends Øksnes for approval with other municipalities, themes, a funding source and a
    law provision chosen, and an identity number in the summary: the form comes back."""
    data = edit_form_data(client, oksnes)
    data["municipalities"] = chosen(
        list(Municipality.objects.exclude(pk__in=oksnes.municipalities.all()).order_by("pk")[:2])
    )
    data["themes"] = chosen(list(Theme.objects.order_by("pk")[:2]))
    data["funding_sources"] = chosen(list(FundingSource.objects.order_by("-pk")[:1]))
    section = provision("sosialtjenesteloven", "27")
    data["legal_references-0-provision"] = chosen(section)
    data["summary"] = f"Leietaker med fødselsnummer {VALID} fikk garanti."
    data["action-submit"] = "action-submit"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[oksnes.pk]), data)
    assert response.status_code == 200  # the form again, nothing sent
    assert "fødselsnummer" in response.content.decode()
    return data, response.content.decode()


def assert_draft_keeps_the_choices(oksnes, sent):
    oksnes.refresh_from_db()
    draft = oksnes.get_latest_revision_as_object()
    assert sorted(m.pk for m in draft.municipalities.all()) == chooser_pks(sent, "municipalities")
    assert sorted(t.pk for t in draft.themes.all()) == chooser_pks(sent, "themes")
    assert sorted(f.pk for f in draft.funding_sources.all()) == chooser_pks(sent, "funding_sources")
    assert [r.provision_id for r in draft.legal_references.all()] == [chooser_pks(sent, "legal_references-0-provision")]


def test_the_refused_form_holds_the_choices_before_any_script_runs(editor_client, oksnes):
    sent, html = refused_submission(editor_client, oksnes)
    before_scripts = querydict_from_html(html, form_id="page-edit-form")
    for name in ("municipalities", "themes", "funding_sources", "legal_references-0-provision"):
        assert chooser_pks(before_scripts, name) == chooser_pks(sent, name), name
        # and the widget's script, once mounted, posts the same
        assert chooser_pks(autocomplete_values(html, "page-edit-form"), name) == chooser_pks(sent, name), name


def test_the_autosave_after_a_refused_submission_keeps_the_choices(editor_client, oksnes):
    sent, html = refused_submission(editor_client, oksnes)
    before_scripts = before_choosers_mount(html, sent)

    response = autosave(editor_client, reverse("wagtailadmin_pages:edit", args=[oksnes.pk]), before_scripts)

    assert response.status_code == 200, response.content
    assert response.json()["success"] is True
    assert_draft_keeps_the_choices(oksnes, sent)


def test_saving_the_draft_after_a_refused_submission_keeps_the_choices(editor_client, oksnes):
    sent, html = refused_submission(editor_client, oksnes)
    data = before_choosers_mount(html, sent)
    data.update(autocomplete_values(html, "page-edit-form"))  # the form once the choosers have mounted

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[oksnes.pk]), data)  # «Lagre kladd»

    assert response.status_code == 302
    assert_draft_keeps_the_choices(oksnes, sent)


def test_a_new_practice_refused_for_an_error_keeps_its_choices_when_sent_again(editor_client, practice_index):
    data = practice_form_data(period_start="2023", period_end="2021")
    del data["action-publish"]
    url = add_url(practice_index)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Sluttåret kan ikke være før startåret." in response.content.decode()

    again = before_choosers_mount(response.content.decode(), data)
    again["period_end"] = "2024"
    assert editor_client.post(url, again).status_code == 302

    page = PracticePage.objects.get(slug=SLUG).get_latest_revision_as_object()
    assert [m.pk for m in page.municipalities.all()] == [chooser_pks(data, "municipalities")[0]]
    assert [t.pk for t in page.themes.all()] == chooser_pks(data, "themes")
    assert [r.provision_id for r in page.legal_references.all()] == [chooser_pks(data, "legal_references-0-provision")]
