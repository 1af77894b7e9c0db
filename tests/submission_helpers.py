"""Filling in «Del ditt eksempel» as a visitor does, for the submission tests: valid answers for
every step (from the Øksnes seed), a Word report and a PDF, and the confirmation link from the e-mail."""

import io
import re
import time

import docx
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from practices.models import LegalProvision, Municipality
from practices.submissions.views import SESSION_KEY

TITLE = "Oppfølging av leietakere med depositumgaranti i Øksnes"
EMAIL = "kari.nordmann@oksnes.kommune.no"
CONFIRM_LINK_RE = re.compile(r"https?://\S+/del-ditt-eksempel/bekreft/\S+/")


def valid_answers():
    oksnes = Municipality.objects.get(name="Øksnes", valid_to__isnull=True)
    section_6 = LegalProvision.objects.get(law__slug="boligsosialloven", paragraph="6")
    return {
        "hvem": {
            "municipality": str(oksnes.pk),
            "unit": "NAV Øksnes",
            "contact_name": "Kari Nordmann",
            "email": EMAIL,
        },
        "hva": {
            "title": TITLE,
            "summary": "Nav Øksnes følger opp brukere med depositumgaranti hjemme.",
            "background": "Mange med depositumgaranti hadde vansker med å bo.",
            "goals": "Brukerne skal klare å bo i egen leid bolig.",
            "steps": "Kartlegge behovet hjemme hos brukeren.\n\nLage en plan sammen med brukeren.",
        },
        "hvordan": {
            "provisions": [str(section_6.pk)],
            "user_participation": "Brukerne bestemte temaene for besøkene.",
            "financing": "Tilskudd fra Statsforvalteren.",
            "resources": "To årsverk.",
        },
        "resultater": {
            "results": "Færre utkastelser.",
            "success_factors": "Hjemmebesøk\nFast kontaktperson",
            "challenges": "Det tar tid å bygge tillit.",
            "continuation": "Videreført i fast drift.",
        },
    }


def word_report(title="Sluttrapport fra Øksnes"):
    document = docx.Document()
    document.add_heading(title, level=0)
    document.add_paragraph("Prosjektet fulgte opp leietakere med depositumgaranti.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def fill_text_steps(client, answers=None):
    answers = answers or valid_answers()
    for slug in ("hvem", "hva", "hvordan", "resultater"):
        response = client.post(f"/del-ditt-eksempel/{slug}/", answers[slug])
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
    backdate(client)


def backdate(client, seconds=3600):
    """The visitor began a while ago (the fill time is kept in the session)."""
    session = client.session
    state = session[SESSION_KEY]
    state["started"] = time.time() - seconds
    session[SESSION_KEY] = state
    session.save()


def send(client, files=(), **extra):
    data = {"consent": "on", "website": "", **extra}
    if files:
        data["attachments"] = list(files)
    return client.post("/del-ditt-eksempel/send/", data)


def confirm_link(message):
    return CONFIRM_LINK_RE.search(message.body).group(0)


@pytest.fixture
def contribute(background_mail, settings):
    """The site's e-mail path to the outbox, a fresh throttle, no minimum fill time in the way."""
    cache.clear()
    settings.SUBMISSION_MIN_FILL_SECONDS = 20
    yield background_mail
    cache.clear()
