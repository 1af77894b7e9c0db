"""Before publishing, editors are warned about what must not be public: national identity numbers
(checked with their control digits) and mobile numbers of private persons in the text."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from practices.personal_data import find_in_page, find_in_text
from tests.factories import edit_form_data


def identity_number(birth="150586"):
    """A synthetic fødselsnummer with correct control digits (the first individual number that has them)."""
    for individual in range(500, 1000):
        candidate = f"{birth}{individual:03d}00"
        first = fodselsnummer.calc_check_digit1(candidate)
        candidate = candidate[:9] + first + "0"
        number = candidate[:10] + fodselsnummer.calc_check_digit2(candidate)
        if len(number) == 11 and fodselsnummer.is_valid(number):
            return number
    raise AssertionError("no valid number")


VALID = identity_number()


def kinds(text):
    return [(finding.kind, finding.text) for finding in find_in_text(text)]


def test_identity_numbers_with_correct_control_digits_are_found():
    assert fodselsnummer.is_valid(VALID)
    assert kinds(f"Brukeren ({VALID}) fikk bolig.") == [("fødselsnummer", VALID)]
    spaced = f"{VALID[:6]} {VALID[6:]}"
    assert kinds(f"Fnr. {spaced}.") == [("fødselsnummer", spaced)]


def test_eleven_digits_with_wrong_control_digits_are_not_reported():
    wrong = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)
    assert kinds(f"Saksnummer {wrong}") == []
    assert kinds(f"Kontonummer 1503{VALID}") == []  # part of a longer number


@pytest.mark.parametrize("written", ["41234567", "412 34 567", "41 23 45 67", "+47 912 34 567", "0047 91234567"])
def test_mobile_numbers_are_found_however_they_are_written(written):
    assert [kind for kind, _text in kinds(f"Ring {written} for å avtale.")] == ["mobilnummer"]


@pytest.mark.parametrize(
    "text",
    [
        "Sentralbord 22 33 44 55",  # a landline: an office's number
        "Budsjettet var 45 000 000 kroner",  # an amount, grouped in thousands
        "I 2019 fikk 4123 husstander bostøtte",
        "Lov 18. desember 2009 nr. 131",
    ],
)
def test_offices_amounts_and_years_are_not_reported(text):
    assert kinds(text) == []


def test_rich_text_markup_is_not_in_the_way():
    assert kinds("<p>Kontakt <b>412</b> 34 567</p>") == [("mobilnummer", "412 34 567")]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_scanned_without_error(text):
    for finding in find_in_text(text, field="Beskrivelse"):
        assert finding.kind in {"fødselsnummer", "mobilnummer"}
        assert finding.text.replace(" ", "").replace(".", "") or finding.text


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[2-35-8]\d{7}", fullmatch=True))
def test_landline_numbers_are_never_reported(number):
    assert kinds(f"Telefon {number}") == []


# --- In the page editor -------------------------------------------------------------------------


@pytest.fixture
def approver(db):
    user = get_user_model().objects.create_superuser("gudrun.godkjenner", "gudrun@example.no", "passord-123-abc")
    client = Client()
    client.force_login(user)
    return client


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def errors_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(error.get_text(" ", strip=True) for error in soup.select(".error-message, .w-field__errors"))


def test_publishing_a_page_with_an_identity_number_asks_for_confirmation(approver, oksnes):
    data = edit_form_data(approver, oksnes)
    data["summary"] = f"Leietaker med fødselsnummer {VALID} fikk garanti."
    data["action-publish"] = "action-publish"

    response = approver.post(edit_url(oksnes), data)

    assert response.status_code == 200  # the form again, nothing published
    assert f"fødselsnummer «{VALID}» i feltet «Ingress»" in errors_of(response)
    oksnes.refresh_from_db()
    assert VALID not in oksnes.summary
    assert VALID not in Client().get(oksnes.url).content.decode()


def test_the_editor_may_confirm_and_publish(approver, oksnes):
    data = edit_form_data(approver, oksnes)
    data["contact"] = "Kontaktperson: 412 34 567"
    data["action-publish"] = "action-publish"
    data["personal_data_checked"] = "on"

    assert approver.post(edit_url(oksnes), data).status_code == 302
    oksnes.refresh_from_db()
    assert oksnes.contact == "Kontaktperson: 412 34 567"


def test_saving_a_draft_is_never_blocked_and_the_editor_sees_the_warning(approver, oksnes):
    data = edit_form_data(approver, oksnes)
    data["contact"] = "Ring Ola på 98 76 54 32"

    assert approver.post(edit_url(oksnes), data).status_code == 302
    oksnes.refresh_from_db()
    assert "98 76 54 32" in oksnes.get_latest_revision_as_object().contact

    soup = BeautifulSoup(approver.get(edit_url(oksnes)).content, "html.parser")
    editor = soup.get_text(" ", strip=True)
    assert "Teksten ser ut til å inneholde personopplysninger" in editor
    assert "mobilnummer «98 76 54 32» i feltet «Kontakt»" in editor
    # The checkbox is labelled with what the editor confirms.
    checkbox = soup.find("input", {"name": "personal_data_checked"})
    label = soup.find("label", attrs={"for": checkbox["id"]})
    assert label.get_text(" ", strip=True).startswith("Jeg har kontrollert funnene")


def test_the_warning_is_absent_when_the_text_is_clean(approver, oksnes):
    assert find_in_page(oksnes.get_latest_revision_as_object()) == []
    editor = approver.get(edit_url(oksnes)).content.decode()
    assert "personal_data_checked" not in editor


def test_a_number_in_a_report_body_block_is_found(approver, nes_report):
    data = edit_form_data(approver, nes_report)
    attribution = next(key for key in data if key.startswith("body-") and key.endswith("-value-attribution"))
    data[attribution] = f"Bruker med fødselsnummer {VALID}"
    data["action-publish"] = "action-publish"
    response = approver.post(edit_url(nes_report), data)
    assert response.status_code == 200
    assert "fødselsnummer" in errors_of(response)


def test_a_redaktor_cannot_send_an_article_with_a_mobile_number_for_review_unconfirmed(close_follow_up_article):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("rolf.redaktor", "rolf@example.no", "passord-123-abc")
    user.groups.add(Group.objects.get(name="Redaktører"))
    client = Client()
    client.force_login(user)
    data = edit_form_data(client, close_follow_up_article)
    data["summary"] = "Spørsmål? Ring Per på 41 23 45 67."
    data["action-submit"] = "action-submit"

    response = client.post(edit_url(close_follow_up_article), data)

    assert response.status_code == 200
    assert "mobilnummer «41 23 45 67» i feltet «Ingress»" in errors_of(response)
    close_follow_up_article.refresh_from_db()
    assert not close_follow_up_article.workflow_in_progress

    data["personal_data_checked"] = "on"
    assert client.post(edit_url(close_follow_up_article), data).status_code == 302
    close_follow_up_article.refresh_from_db()
    assert close_follow_up_article.workflow_in_progress
