"""The whole editorial path of issue 8, as the editors meet it: a Redaktør registers a practice
example from a municipality and a provision that only the full registers hold (Hamar, Nav-loven
§ 14), sends it for review, another person approves it, e-mail goes out at each step through the
background worker, and the public page shows the municipality, its county and the provision."""

from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from practices.editorial import APPROVERS, EDITORS
from practices.models import County, Municipality, PracticePage
from tests.editors import logged_in, make_user
from tests.email_helpers import run_worker
from tests.factories import chosen, provision
from tests.test_admin_authoring import SLUG, TITLE, add_url, practice_form_data


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_a_practice_from_hamar_citing_nav_loven_goes_from_redaktor_to_the_public(database_tasks, db):
    redaktor = make_user("hanne.redaktor", EDITORS, first_name="Hanne", last_name="Redaktør")
    make_user("gunnar.godkjenner", APPROVERS, first_name="Gunnar", last_name="Godkjenner")
    from practices.models import PracticeIndexPage

    practice_index = PracticeIndexPage.objects.get()
    hamar = Municipality.objects.get(number="3403")
    innlandet = County.objects.get(number="34")
    section_14 = provision("nav-loven", "14")

    # The Redaktør finds Hamar and the provision in the searchable choosers...
    editor = logged_in(redaktor)
    found = editor.post(reverse("practices_autocomplete_search"), {"type": "practices.Municipality", "query": "Ham"})
    assert "Hamar" in [item["title"] for item in found.json()["items"]]
    found = editor.post(
        reverse("practices_autocomplete_search"), {"type": "practices.LegalProvision", "query": "nav-loven § 14"}
    )
    assert any(item["title"].startswith("Nav-loven § 14") for item in found.json()["items"])

    # ...fills in the practice and sends it to «Faglig godkjenning».
    data = practice_form_data()
    del data["action-publish"]
    data["action-submit"] = "action-submit"
    data["municipalities"] = chosen([hamar])
    data["county"] = innlandet.pk
    data["legal_references-0-provision"] = chosen(section_14)
    response = editor.post(add_url(practice_index), data, follow=True)
    assert response.redirect_chain[-1][1] == 302
    page = PracticePage.objects.get(slug=SLUG)
    assert page.workflow_in_progress and not page.live
    assert Client().get(page.url).status_code == 404  # nothing public yet

    # The Godkjenner is told by e-mail, in Norwegian, sent by the worker, not inside the request.
    assert mail.outbox == []
    run_worker()
    (to_approver,) = mail.outbox
    assert to_approver.to == ["gunnar.godkjenner@example.no"]
    assert to_approver.subject == f"Til godkjenning: «{TITLE}»"
    mail.outbox.clear()

    # The Redaktør cannot approve; the Godkjenner can, and the author hears of it.
    task_state = page.current_workflow_state.current_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    editor.post(approve)
    page.refresh_from_db()
    assert not page.live
    approver = Client()
    approver.force_login(make_user("gro.godkjenner", APPROVERS, first_name="Gro", last_name="Godkjenner"))
    assert approver.post(approve).status_code == 302
    page.refresh_from_db()
    assert page.live
    run_worker()
    (to_author,) = mail.outbox
    assert to_author.to == ["hanne.redaktor@example.no"]
    assert to_author.subject == f"Godkjent: «{TITLE}»"

    # The public page says where and on what legal basis.
    public = text_of(Client().get(page.url))
    assert "Hamar" in public
    assert "Innlandet" in public
    assert "Nav-loven § 14" in public
