"""The admin is Norwegian bokmål for Redaktører and Godkjennere: every screen they use, rendered
through the test client with a page in review, a scheduled page and a page with history and
comments, shows none of Wagtail's English phrases. The project's own catalogue
(kunnskapsbase/locale/nb) fills and corrects Wagtail's, and its compiled .mo files are current."""

import glob
import json
import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tests import admin_screens
from tests.admin_screens import screens, text_of
from tests.editors import logged_in
from tests.factories import edit_form_data

# The shared fixture: pages in review, scheduled and with history (the Redaktør and Godkjenner
# come from tests/editors.py).
scenario = admin_screens.scenario

LOCALE_DIR = Path(settings.BASE_DIR) / "kunnskapsbase" / "locale"
WAGTAIL_DIR = Path(__import__("wagtail").__file__).parent

# English phrases from Wagtail's (and Django's) source that an editor met on these screens before the project's
# catalogue filled them in (each is checked below to be a real Wagtail msgid or a part of one).
ENGLISH = [
    "Approve with comment",
    "Request changes",
    "Set schedule",
    "Set publishing schedule",
    "Schedule to publish",
    "Go to the first error",
    "History",
    "Checks",
    "Save draft",
    "Publish",
    "Submit to",
    "Comments",
    "Comment",
    "Edited",
    "Created",
    "Draft",
    "Live",
    "Tiittel",
    "Workflow",
    "In Moderation",
    "Awaiting",
    "Preview",
    "Toggle",
    "Content metrics",
    "Reading time",
    "Skip to main content",
    "Keyboard shortcuts",
    "Side panels",
    "Actions",
    "Requested by",
    "Started at",
    "Timeline",
    "Initial Revision",
    "Privacy",
    "Visible to all",
    "No publishing schedule set",
    "Go-live",
    "Why not",
    "upload one now",
    "The page could not be saved",
    "This field is required",
    "Enter a valid date",
    "Search",
    "Help",
    "This page",
    "Wagtail admin",
]
# Visible text plus what screen readers and tooltips say.
SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-w-tooltip-content-value")


def readable_text(body):
    """What an editor reads or hears on a screen (modal JSON responses carry their HTML)."""
    if body.lstrip().startswith("{"):
        body = json.loads(body).get("html", "")
    soup = BeautifulSoup(body, "html.parser")
    for element in soup(["script", "style"]):
        element.decompose()
    for element in soup.select("[hidden]"):
        element.decompose()
    parts = [text_of(soup)]  # with the dialogs in <template>, such as the scheduling dialog
    parts += [str(el[attr]) for el in soup.find_all(True) for attr in SPOKEN_ATTRIBUTES if el.has_attr(attr)]
    return "\n".join(parts)


def english_in(text):
    return sorted({phrase for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)})


def wagtail_msgids():
    ids = set()
    django_dir = Path(__import__("django").__file__).parent
    paths = glob.glob(str(WAGTAIL_DIR / "**/locale/en/LC_MESSAGES/*.po"), recursive=True)
    paths.append(str(django_dir / "conf/locale/en/LC_MESSAGES/django.po"))
    for path in paths:
        ids.update(entry.msgid for entry in polib.pofile(path))
    return ids


def test_the_english_phrases_are_wagtails_own():
    msgids = wagtail_msgids()
    wagtail_nb = polib.pofile(str(WAGTAIL_DIR / "locale/nb/LC_MESSAGES/django.po"))
    assert any("Tiittel" in entry.msgstr for entry in wagtail_nb)  # Wagtail's typo, corrected here
    for phrase in ENGLISH:
        if phrase != "Tiittel":
            assert any(phrase in msgid for msgid in msgids), phrase


@pytest.mark.parametrize("who", ["redaktor", "godkjenner"])
def test_every_screen_an_editor_uses_is_norwegian(request, scenario, who):
    user = request.getfixturevalue(who)
    client = logged_in(user)
    english = {}
    for name, url in screens(scenario, approver=who == "godkjenner"):
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        found = english_in(readable_text(response.content.decode()))
        if found:
            english[name] = found
    assert english == {}


def test_the_check_finds_english_when_the_catalogue_is_english(scenario, redaktor):
    """The control: the same screen in Wagtail's English is caught, so the test above can fail."""
    client = logged_in(redaktor)
    with override_settings(
        LANGUAGE_CODE="en",
        LANGUAGES=[("en", "English"), ("nb", "Norsk bokmål")],
        WAGTAILADMIN_PERMITTED_LANGUAGES=[("en", "English")],
    ):
        body = client.get(reverse("wagtailadmin_pages:edit", args=[scenario.with_history.pk])).content.decode()
    found = english_in(readable_text(body))
    assert {"History", "Checks", "Comments", "Save draft", "Preview", "Toggle", "Skip to main content"} <= set(found)


def test_form_errors_are_norwegian(scenario, redaktor):
    client = logged_in(redaktor)
    page = scenario.with_history
    data = edit_form_data(client, page)
    data["title"] = ""
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    text = readable_text(response.content.decode())
    assert "Siden kunne ikke lagres fordi noen felt har feil." in text
    assert "Gå til den første feilen" in text
    assert english_in(text) == []


def test_the_title_help_text_is_spelt_right(scenario, redaktor):
    body = logged_in(redaktor).get(reverse("wagtailadmin_pages:edit", args=[scenario.in_review.pk])).content.decode()
    assert "Tittelen på siden slik den vises offentlig" in body
    assert "Tiittel" not in body


def test_workflow_history_reads_in_norwegian(scenario, redaktor, godkjenner):
    """History entries of a whole review: sent, changes requested with a comment, approved."""
    page = scenario.in_review
    task_state = page.current_workflow_state.current_task_state
    approver = logged_in(godkjenner)
    approver.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]),
        {"comment": "Legg til kilde."},
    )
    body = approver.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    text = readable_text(body)
    assert "Endringer etterspurt" in text
    assert "Legg til kilde." in text
    assert english_in(text) == []


def test_javascript_strings_are_norwegian(client):
    """Wagtail's JavaScript reads its strings from /admin/jsi18n/: the project's djangojs wins."""
    catalogue = polib.pofile(str(LOCALE_DIR / "nb/LC_MESSAGES/djangojs.po"))
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    js = response.content.decode()
    match = re.search(r"const newcatalog = (\{.*?\});\n", js, re.DOTALL)
    served = json.loads(match.group(1))
    assert len(catalogue) > 40
    for entry in catalogue:
        expected = [entry.msgstr_plural[0], entry.msgstr_plural[1]] if entry.msgid_plural else entry.msgstr
        assert served.get(entry.msgid) == expected, entry.msgid
    assert (
        served["Write something or type ‘/’ to insert a block"] == "Skriv noe, eller skriv «/» for å sette inn en blokk"
    )
    assert served["Add a comment"] == "Legg til en kommentar"


def catalogue_of(entries):
    result = {}
    for entry in entries:
        if entry.msgid == "" or entry.obsolete or "fuzzy" in entry.flags:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        result[key] = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
    return result


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogues_are_current(domain):
    """The .mo files are committed (a fresh machine may lack msgfmt); they must match the .po.
    Recompile: `python kunnskapsbase/locale/catalogue.py compile` (see kunnskapsbase/locale/README.md)."""
    po = polib.pofile(str(LOCALE_DIR / f"nb/LC_MESSAGES/{domain}.po"))
    mo = polib.mofile(str(LOCALE_DIR / f"nb/LC_MESSAGES/{domain}.mo"))
    assert catalogue_of(po) == catalogue_of(mo), "kunnskapsbase/locale: the .mo is out of date, recompile"
    assert not po.fuzzy_entries() and not po.untranslated_entries()


def test_project_catalogue_keeps_wagtails_placeholders():
    """A translated string keeps every %(name)s / {name} placeholder of the original."""
    pattern = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(LOCALE_DIR / f"nb/LC_MESSAGES/{domain}.po")):
            translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            for translated in translations:
                assert set(pattern.findall(translated)) <= set(pattern.findall(entry.msgid_plural or entry.msgid))
                if not entry.msgid_plural:
                    assert set(pattern.findall(translated)) == set(pattern.findall(entry.msgid)), entry.msgid


def test_translations_are_active_in_norwegian():
    with translation.override("nb"):
        assert translation.gettext("Request changes") == "Be om endringer"
        assert translation.gettext("Approve with comment") == "Godkjenn med kommentar"
        assert translation.gettext("Set schedule") == "Planlegg publisering"
