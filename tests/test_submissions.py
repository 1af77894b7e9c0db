"""«Del ditt eksempel» through the Django test client: the steps without JavaScript, progress kept
in the session, double opt-in, the draft practice example in «Faglig godkjenning» that nobody
outside sees, the Godkjennere's e-mail and dashboard, approval and the submitter's e-mail; the
editors' question; retention (purge_submissions) and erasure on request."""

import datetime
import io
import time
from unittest import mock

from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from practices.models import PracticePage, ReportPage, Submission, SubmissionStatus
from practices.submissions.admin import NewSubmissionsPanel, submission_viewset
from practices.submissions.views import CONFIRM_SALT, SESSION_KEY
from tests.editors import logged_in
from tests.submission_helpers import (
    EMAIL,
    PDF,
    TITLE,
    confirm_link,
    fill_text_steps,
    send,
    upload,
    valid_answers,
    word_report,
)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(response):
    return " ".join(soup(response).get_text(" ").split())


def path_of(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def submit(client, files=()):
    fill_text_steps(client)
    response = send(client, files=files)
    assert response.status_code == 302, text_of(response)[:2000]
    assert response["Location"] == "/del-ditt-eksempel/sendt/"
    return Submission.objects.get(title=TITLE)


def confirm(client, submission):
    (message,) = [m for m in mail.outbox if m.subject.startswith("Bekreft")]
    path = path_of(confirm_link(message))
    assert TITLE in text_of(client.get(path))
    response = client.post(path)
    assert response.status_code == 302
    submission.refresh_from_db()
    return submission


# --- The form ------------------------------------------------------------------------------------


def test_every_step_has_labels_help_with_examples_and_works_without_javascript(contribute, db):
    client = Client()
    start = client.get("/del-ditt-eksempel/")
    assert "Du trenger ingen konto" in text_of(start)
    assert "avviste etter 90 dager" in text_of(start)  # the consent text: what is kept how long

    page = soup(client.get("/del-ditt-eksempel/hvem/"))
    select = page.find("select", {"name": "municipality"})
    nordland = select.find("optgroup", {"label": "Nordland"})
    assert "Øksnes" in [option.get_text() for option in nordland.find_all("option")]
    for name in ("municipality", "unit", "contact_name", "email"):
        field = page.find(attrs={"name": name})
        assert page.find("label", {"for": field["id"]}), name
    unit = page.find("input", {"name": "unit"})
    help_text = page.find(id=unit["aria-describedby"])
    assert "Eksempel: «NAV Øksnes»" in help_text.get_text()
    assert page.find("form", class_="contribute-form")["method"] == "post"
    assert page.find("script", src=lambda s: s and "contribute" in s) is None  # nothing needs JavaScript


def test_each_step_is_kept_so_a_reload_loses_nothing_and_steps_cannot_be_skipped(contribute, db):
    client = Client()
    assert client.get("/del-ditt-eksempel/hvordan/")["Location"] == "/del-ditt-eksempel/hvem/"
    answers = valid_answers()
    assert client.post("/del-ditt-eksempel/hvem/", answers["hvem"]).status_code == 302
    reloaded = soup(client.get("/del-ditt-eksempel/hvem/"))
    assert reloaded.find("input", {"name": "unit"})["value"] == "NAV Øksnes"
    assert reloaded.find("option", selected=True)["value"] == answers["hvem"]["municipality"]
    assert client.get("/del-ditt-eksempel/resultater/")["Location"] == "/del-ditt-eksempel/hva/"
    assert Submission.objects.count() == 0


def test_an_error_is_summarised_with_links_to_the_fields_and_described_on_the_field(contribute, db):
    client = Client()
    empty = {"municipality": "", "unit": "", "contact_name": "", "email": "x"}
    response = client.post("/del-ditt-eksempel/hvem/", empty)
    assert response.status_code == 200
    page = soup(response)
    summary = page.find(class_="error-summary")
    assert summary.find("h2").get_text() == "Det er noe som må rettes"
    links = {a["href"]: a.get_text() for a in summary.find_all("a")}
    assert links["#id_email"] == "Din e-postadresse: Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."
    assert links["#id_municipality"] == "Kommune: Velg kommunen som har gjort arbeidet."
    email = page.find("input", {"name": "email"})
    assert email["aria-invalid"] == "true"
    described = [page.find(id=i).get_text(" ", strip=True) for i in email["aria-describedby"].split()]
    assert any("gyldig e-postadresse" in text for text in described)
    assert page.title.get_text().startswith("Feil: ")
    assert SESSION_KEY not in client.session or "hvem" not in client.session[SESSION_KEY]["answers"]


# --- From the form to publication ----------------------------------------------------------------


def test_a_submission_becomes_a_private_draft_in_review_and_is_published_after_approval(
    contribute, db, godkjenner, godkjenner2, django_assert_max_num_queries
):
    practices_before = PracticePage.objects.count()
    client = Client()
    submission = submit(client, files=[upload("Sluttrapport.docx", word_report()), upload("Vedlegg.pdf", PDF)])

    # Nothing but the submission and the confirmation e-mail until the address is confirmed.
    assert submission.status == SubmissionStatus.UNCONFIRMED and submission.page is None
    assert PracticePage.objects.count() == practices_before
    assert [m.subject for m in mail.outbox] == [f"Bekreft innsendingen: «{TITLE}»"]
    assert mail.outbox[0].to == [EMAIL]
    assert f"Vi har sendt en e-post til {EMAIL}" in text_of(client.get("/del-ditt-eksempel/sendt/"))

    submission = confirm(Client(), submission)  # the link works in another browser too
    page = submission.page.specific
    assert submission.status == SubmissionStatus.CONFIRMED
    assert not page.live and page.workflow_in_progress
    assert page.get_parent().specific_class.__name__ == "PracticeIndexPage"
    assert page.responsible_unit == "NAV Øksnes"
    assert [m.name for m in page.municipalities.all()] == ["Øksnes"] and page.county.name == "Nordland"
    assert [str(ref.provision) for ref in page.legal_references.all()] == ["boligsosialloven § 6"]
    assert [step.value["text"].source for step in page.steps] == [
        "<p>Kartlegge behovet hjemme hos brukeren.</p>",
        "<p>Lage en plan sammen med brukeren.</p>",
    ]
    assert [item.value["statement"] for item in page.success_factors] == ["Hjemmebesøk", "Fast kontaktperson"]
    assert "Kari" not in page.contact and EMAIL not in page.contact  # the submitter's details stay private

    # Nothing of it is public: the page, the Word report's draft and the PDF.
    anonymous = Client()
    assert anonymous.get(page.url or "/praksiseksempler/" + page.slug + "/").status_code == 404
    report = ReportPage.objects.get(related_practice=page)
    assert not report.live and report.title == "Sluttrapport fra Øksnes"
    pdf = get_document_model().objects.get(title=f"{TITLE}: Vedlegg.pdf")
    assert pdf.file.read() == PDF
    assert [bytes(f.data) for f in submission.files.all()] == [b"", b""]  # no second copy kept
    assert anonymous.get(pdf.url).status_code == 404
    assert TITLE not in text_of(anonymous.get("/praksiseksempler/"))

    # The submitter gets a receipt with what was sent; the Godkjennere a notice.
    receipt = next(m for m in mail.outbox if m.subject.startswith("Kvittering"))
    assert receipt.to == [EMAIL]
    for sent in ("Nav Øksnes følger opp brukere med depositumgaranti hjemme.", "boligsosialloven § 6",
                 "Sluttrapport.docx (Word-dokument)", "Vedlegg.pdf (PDF)", "Tilskudd fra Statsforvalteren."):
        assert sent in receipt.body
    notices = [m for m in mail.outbox if m.subject == f"Nytt innsendt eksempel: «{TITLE}»"]
    assert sorted(m.to[0] for m in notices) == ["gro.godkjenner@example.no", "gunnar.godkjenner@example.no"]
    assert f"/admin/pages/{page.pk}/edit/" in notices[0].body

    # The dashboard lists it for the Godkjenner.
    approver = logged_in(godkjenner)
    dashboard = soup(approver.get("/admin/"))
    panel = dashboard.find(id="innsendte-eksempler-section") or dashboard.find(id="innsendte-eksempler")
    assert panel is not None, dashboard.get_text()[:500]
    assert panel.find("a", string=TITLE)["href"] == f"/admin/pages/{page.pk}/edit/"

    # Approval publishes it, and the submitter is told.
    mail.outbox.clear()
    task_state = page.current_workflow_state.current_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    assert approver.post(approve).status_code == 302
    page.refresh_from_db()
    assert page.live
    assert anonymous.get(page.url).status_code == 200
    (published,) = [m for m in mail.outbox if m.to == [EMAIL]]
    assert published.subject == f"Eksempelet ditt er publisert: «{TITLE}»"
    assert page.full_url in published.body
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED
    # The confirmation link cannot make a second copy.
    assert "allerede bekreftet" in text_of(Client().post(path_of(confirm_link(_Message(submission)))))
    assert PracticePage.objects.count() == practices_before + 1


class _Message:
    """A confirmation message for ``submission`` as the view would send it (the token is stable)."""

    def __init__(self, submission):
        token = signing.dumps({"id": submission.pk, "email": submission.email}, salt=CONFIRM_SALT)
        self.body = f"http://testserver/del-ditt-eksempel/bekreft/{token}/"


def test_the_dashboard_panel_queries_do_not_grow_with_the_submissions(contribute, db, godkjenner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from practices.models import Municipality

    municipality = Municipality.objects.get(name="Øksnes", valid_to__isnull=True)
    request = mock.Mock(user=godkjenner)

    def queries_to_render():
        with CaptureQueriesContext(connection) as queries:
            html = NewSubmissionsPanel().render_html({"request": request})
        return len(queries), html

    def add(title):
        Submission.objects.create(title=title, unit="NAV", municipality=municipality,
                                  status=SubmissionStatus.CONFIRMED, confirmed_at=timezone.now())

    add("Det første")
    one, html = queries_to_render()
    assert "Det første" in html and "Øksnes" in html
    for number in range(5):
        add(f"Flere {number}")
    six, html = queries_to_render()
    assert "Flere 4" in html
    assert six == one <= 2


def test_confirmation_links_that_are_altered_or_too_old_are_refused_in_norwegian(contribute, db):
    submission = submit(Client())
    token = signing.dumps({"id": submission.pk, "email": submission.email}, salt=CONFIRM_SALT)
    altered = Client().get(f"/del-ditt-eksempel/bekreft/{token[:-2]}xx/")
    assert altered.status_code == 400 and "Lenken er ikke gyldig" in text_of(altered)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 8 * 24 * 60 * 60):
        old = signing.dumps({"id": submission.pk, "email": submission.email}, salt=CONFIRM_SALT)
    expired = Client().post(f"/del-ditt-eksempel/bekreft/{old}/")
    assert expired.status_code == 400 and "Lenken er for gammel" in text_of(expired)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.UNCONFIRMED and submission.page is None


def test_a_godkjenner_asks_the_submitter_a_question_by_e_mail(contribute, db, godkjenner):
    submission = confirm(Client(), submit(Client()))
    mail.outbox.clear()
    approver = logged_in(godkjenner)
    edit_url = reverse(submission_viewset.get_url_name("edit"), args=[submission.pk])
    question = "Hvor mange brukere fulgte dere opp i 2022?"
    response = approver.post(edit_url, {"status": "bekreftet", "question_to_submitter": question}, follow=True)
    assert "Spørsmålet om" in text_of(response)
    (message,) = mail.outbox
    assert message.to == [EMAIL] and message.reply_to == ["gunnar.godkjenner@example.no"]
    assert message.subject == f"Spørsmål om eksempelet «{TITLE}»" and question in message.body
    listing = approver.get(reverse(submission_viewset.get_url_name("index")))
    assert TITLE in text_of(listing) and "Innsendte eksempler" in text_of(listing)
    inspect = text_of(approver.get(reverse(submission_viewset.get_url_name("inspect"), args=[submission.pk])))
    assert "Innsenderens navn Kari Nordmann" in inspect and "Avvist –" in inspect and "None" not in inspect


# --- Retention and erasure -----------------------------------------------------------------------


def test_purge_deletes_old_unconfirmed_and_rejected_submissions_with_their_drafts(contribute, db, godkjenner):
    rejected = confirm(Client(), submit(Client(), files=[upload("Vedlegg.pdf", PDF)]))
    page_pk = rejected.page_id
    approver = logged_in(godkjenner)
    edit_url = reverse(submission_viewset.get_url_name("edit"), args=[rejected.pk])
    approver.post(edit_url, {"status": "avvist", "question_to_submitter": ""})
    rejected.refresh_from_db()
    assert rejected.status == SubmissionStatus.REJECTED and rejected.rejected_at is not None

    out = io.StringIO()
    call_command("purge_submissions", stdout=out)
    assert Submission.objects.filter(pk=rejected.pk).exists()  # within the period
    assert "Ferdig: 0 innsendinger" in out.getvalue()

    long_ago = timezone.now() - datetime.timedelta(days=91)
    Submission.objects.filter(pk=rejected.pk).update(rejected_at=long_ago)
    unconfirmed = Submission.objects.create(title="Aldri bekreftet", unit="NAV", email="a@b.no")
    Submission.objects.filter(pk=unconfirmed.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    out = io.StringIO()
    call_command("purge_submissions", stdout=out)
    assert "Ferdig: 2 innsendinger og 1 kladdesider slettet" in out.getvalue()
    assert "Sletter «Aldri bekreftet»" in out.getvalue()
    assert not Submission.objects.filter(pk__in=[rejected.pk, unconfirmed.pk]).exists()
    assert not PracticePage.objects.filter(pk=page_pk).exists()
    assert not get_document_model().objects.filter(title__endswith="Vedlegg.pdf").exists()


def test_a_submitters_contact_details_are_deleted_on_request(contribute, db):
    submission = confirm(Client(), submit(Client()))
    out = io.StringIO()
    call_command("delete_submitter_contact", EMAIL.upper(), stdout=out)
    assert "slettet fra 1 innsendte eksempler" in out.getvalue()
    submission.refresh_from_db()
    assert (submission.contact_name, submission.email) == ("", "")
    assert submission.contact_deleted_at is not None and submission.page is not None


def test_every_page_and_the_home_page_invite_municipalities_to_share_an_example(db, client):
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert html.count('href="/del-ditt-eksempel/"') >= 2  # the footer and the home page's invitation
    assert "Har kommunen din et godt eksempel?" in html
    practices = client.get("/praksiseksempler/")
    assert 'href="/del-ditt-eksempel/"' in practices.content.decode()
