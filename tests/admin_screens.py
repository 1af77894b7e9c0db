"""The admin screens Redaktører and Godkjennere use, set up as they meet them: a page in review,
a scheduled page, a page with history and comments, a form with errors. Shared by the tests of
the Norwegian admin (tests/test_admin_norwegian.py) and its dates (tests/test_admin_dates.py)."""

import datetime
from dataclasses import dataclass

import pytest
from bs4 import element as bs4_element
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Comment

from practices.models import County, PracticeIndexPage, PracticePage
from tests.factories import PracticePageFactory


@dataclass
class Scenario:
    index: PracticeIndexPage
    in_review: PracticePage  # a live page with a draft that a Redaktør sent for review
    scheduled: PracticePage  # a draft approved to go live in three days
    with_history: PracticePage  # published, edited twice, with an open comment


@pytest.fixture
def scenario(redaktor, godkjenner):
    index = PracticeIndexPage.objects.get()

    in_review = PracticePageFactory(title="Boligkontakt for unge i Bodø", county="18")
    in_review.save_revision(user=godkjenner).publish(user=godkjenner)
    in_review.summary = "Redaktøren har skrevet om sammendraget."
    revision = in_review.save_revision(user=redaktor)
    in_review.get_workflow().start(in_review, redaktor)
    assert in_review.current_workflow_state.current_task_state.revision_id == revision.pk

    scheduled = PracticePageFactory(title="Husbankens startlån i Narvik", live=False, county="18")
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
    scheduled.save_revision(user=godkjenner).publish(user=godkjenner)
    scheduled.refresh_from_db()
    assert not scheduled.live and scheduled.scheduled_revision is not None

    with_history = PracticePageFactory(title="Tett oppfølging i Alta", county="56")
    with_history.save_revision(user=godkjenner).publish(user=godkjenner)
    for summary in ("Første endring av sammendraget.", "Andre endring av sammendraget."):
        with_history.summary = summary
        with_history.save_revision(user=redaktor, log_action=True)
    Comment.objects.create(
        page=with_history,
        user=godkjenner,
        text="Kan du legge til en kilde her?",
        contentpath="summary",
        revision_created=with_history.get_latest_revision(),
    )
    return Scenario(index=index, in_review=in_review, scheduled=scheduled, with_history=with_history)


def text_of(element):
    """All text in ``element``, including what sits in <template> (dialogs), which bs4's get_text skips."""
    strings = element.find_all(string=True)
    skipped = (bs4_element.Comment, bs4_element.Declaration, bs4_element.Doctype, bs4_element.ProcessingInstruction)
    return " ".join(s.strip() for s in strings if s.strip() and not isinstance(s, skipped))


def revisions_of(page):
    return list(page.revisions.order_by("created_at", "pk").values_list("pk", flat=True))


def screens(scenario, approver):
    """(name, URL) of the screens an editor uses; ``approver`` adds the Godkjenner's own."""
    review, scheduled, history = scenario.in_review, scenario.scheduled, scenario.with_history
    first, *_rest, last = revisions_of(history)
    county = County.objects.get(number="18")
    result = [
        ("dashbord", reverse("wagtailadmin_home")),
        ("sidetreet", reverse("wagtailadmin_explore", args=[scenario.index.pk])),
        ("søk i sidene", reverse("wagtailadmin_pages:search") + "?q=bolig"),
        ("ny side", reverse("wagtailadmin_pages:add", args=["practices", "practicepage", scenario.index.pk])),
        ("side til godkjenning", reverse("wagtailadmin_pages:edit", args=[review.pk])),
        ("planlagt side", reverse("wagtailadmin_pages:edit", args=[scheduled.pk])),
        ("side med historikk", reverse("wagtailadmin_pages:edit", args=[history.pk])),
        ("historikk", reverse("wagtailadmin_pages:history", args=[history.pk])),
        ("planlagt sides historikk", reverse("wagtailadmin_pages:history", args=[scheduled.pk])),
        ("sammenlign versjoner", reverse("wagtailadmin_pages:revisions_compare", args=[history.pk, first, last])),
        ("arbeidsflythistorikk", reverse("wagtailadmin_pages:workflow_history", args=[review.pk])),
        (
            "arbeidsflytdetaljer",
            reverse("wagtailadmin_pages:workflow_history_detail", args=[review.pk, review.current_workflow_state.pk]),
        ),
        ("bruk av sidetypen", reverse("wagtailadmin_pages:type_use", args=["practices", "practicepage"])),
        ("arbeidsflytrapport", reverse("wagtailadmin_reports:workflow")),
        ("arbeidsflytoppgaver", reverse("wagtailadmin_reports:workflow_tasks")),
        ("praksiseksempler til gjennomgang", reverse("practices_review_report")),
        ("fylker", reverse("wagtailsnippets_practices_county:list")),
        ("se versjon", reverse("wagtailadmin_pages:revisions_view", args=[history.pk, first])),
        ("kopier side", reverse("wagtailadmin_pages:copy", args=[history.pk])),
        ("bruk av siden", reverse("wagtailadmin_pages:usage", args=[history.pk])),
        ("søketreff", reverse("wagtailadmin_pages:search_results") + "?q=oppfølging"),
        ("velg side", reverse("wagtailadmin_choose_page")),
        ("søk i sidevelgeren", reverse("wagtailadmin_choose_page_search") + "?q=bolig"),
        ("velg bilde", reverse("wagtailimages_chooser:choose")),
        ("last opp bilde", reverse("wagtailimages:index")),
        ("velg dokument", reverse("wagtaildocs_chooser:choose")),
        ("dokumenter", reverse("wagtaildocs:index")),
        ("konto", reverse("wagtailadmin_account")),
    ]
    if approver:
        task_state = review.current_workflow_state.current_task_state
        result += [
            (
                "godkjenn med kommentar",
                reverse("wagtailadmin_pages:workflow_action", args=[review.pk, "approve", task_state.pk]),
            ),
            (
                "be om endringer",
                reverse("wagtailadmin_pages:workflow_action", args=[review.pk, "reject", task_state.pk]),
            ),
            ("rediger fylke", reverse("wagtailsnippets_practices_county:edit", args=[county.pk])),
            ("avpubliser", reverse("wagtailadmin_pages:unpublish", args=[history.pk])),
            (
                "avbryt arbeidsflyten",
                reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[review.pk]),
            ),
            ("flytt side", reverse("wagtailadmin_pages:move", args=[history.pk])),
            ("sidevern", reverse("wagtailadmin_pages:set_privacy", args=[history.pk])),
        ]
    return result
