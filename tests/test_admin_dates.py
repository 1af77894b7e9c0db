"""Dates in the admin as Norwegians write them: 2.5.2023, 02.05.2023 and 2023-05-02 are read,
the fields show dd.mm.åååå, and a date that cannot be read is a Norwegian form error, never a
500 and never silently today's date (Wagtail's date picker replaces an unreadable date with
today's on blur; the project's widget templates turn that off)."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.test.utils.form_data import querydict_from_html

from practices.models import County
from tests.admin_screens import text_of
from tests.editors import logged_in
from tests.factories import PracticePageFactory, edit_form_data

DATE_ERROR = "Skriv datoen som dd.mm.åååå, for eksempel 02.05.2023."
DATETIME_ERROR = "Skriv dato og klokkeslett som dd.mm.åååå tt:mm, for eksempel 02.05.2023 14:30."
MAY_2 = datetime.date(2023, 5, 2)


@pytest.fixture
def practice(db):
    return PracticePageFactory(title="Boligkontakt i Hamar", county="34")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def field_errors(response, name):
    """The error messages shown with the field ``name`` (the form may render an input twice)."""
    soup = BeautifulSoup(response.content, "html.parser")
    inputs = soup.find_all("input", attrs={"name": name})
    assert inputs, name
    messages = []
    for field in inputs:
        wrapper = field.find_parent(attrs={"data-field-wrapper": True})
        if wrapper is not None:
            messages += [text_of(el) for el in wrapper.select(".error-message")]
    return [message for message in messages if message]


def save_draft(client, page, data, **fields):
    data = data.copy()
    for name, value in fields.items():
        data[name] = value
    return client.post(edit_url(page), data)


def saved(page):
    """The page as last saved in the admin (its latest revision)."""
    page.refresh_from_db()
    return page.get_latest_revision_as_object()


@pytest.mark.parametrize("typed", ["2.5.2023", "02.05.2023", "2023-05-02", " 2.5.2023 "])
def test_last_reviewed_accepts_norwegian_and_iso_dates(redaktor, practice, typed):
    client = logged_in(redaktor)
    response = save_draft(client, practice, edit_form_data(client, practice), last_reviewed=typed)
    assert response.status_code == 302
    assert saved(practice).last_reviewed == MAY_2
    # The field shows it back the Norwegian way.
    form = client.get(edit_url(practice)).content.decode()
    assert 'value="02.05.2023"' in form


@pytest.mark.parametrize("typed", ["32.5.2023", "2/5/2023", "2.5.23", "mai 2023", "i går", "2023-5", "29.02.2023"])
def test_an_unreadable_date_is_a_norwegian_error(redaktor, practice, typed):
    client = logged_in(redaktor)
    before = saved(practice).last_reviewed
    response = save_draft(client, practice, edit_form_data(client, practice), last_reviewed=typed)
    assert response.status_code == 200
    assert field_errors(response, "last_reviewed") == [DATE_ERROR]
    assert "Siden kunne ikke lagres fordi noen felt har feil." in response.content.decode()
    assert saved(practice).last_reviewed == before


def test_date_fields_show_the_expected_format_and_keep_what_was_typed(redaktor, practice):
    html = logged_in(redaktor).get(edit_url(practice)).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    for name in ("last_reviewed", "source_published", "source_updated"):
        assert soup.find("input", attrs={"name": name})["placeholder"] == "dd.mm.åååå"
    for name in ("go_live_at", "expire_at"):
        assert soup.find("input", attrs={"name": name})["placeholder"] == "dd.mm.åååå tt:mm"
    # Every date picker is told not to put today's date in place of what it cannot read.
    inits = re.findall(r"init(?:Date|DateTime)Chooser\(\"id_(\w+)\", (.*?)\);</script>", html)
    assert {name for name, _config in inits} >= {"last_reviewed", "go_live_at", "expire_at"}
    assert all('{"validateOnBlur": false}' in config for _name, config in inits)
    assert all('"format": "d.m.Y' in config for _name, config in inits)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2.5.2030", datetime.datetime(2030, 5, 2, 0, 0)),
        ("02.05.2030 14:30", datetime.datetime(2030, 5, 2, 14, 30)),
        ("2030-05-02 14:30", datetime.datetime(2030, 5, 2, 14, 30)),
        ("2030-05-02", datetime.datetime(2030, 5, 2, 0, 0)),
    ],
)
def test_scheduling_dialog_reads_norwegian_dates(redaktor, practice, typed, expected):
    client = logged_in(redaktor)
    response = save_draft(client, practice, edit_form_data(client, practice), go_live_at=typed)
    assert response.status_code == 302
    go_live = saved(practice).go_live_at
    assert timezone.localtime(go_live).replace(tzinfo=None) == expected


@pytest.mark.parametrize("field", ["go_live_at", "expire_at"])
def test_scheduling_dialog_refuses_an_unreadable_date_in_norwegian(redaktor, practice, field):
    client = logged_in(redaktor)
    response = save_draft(client, practice, edit_form_data(client, practice), **{field: "neste tirsdag"})
    assert response.status_code == 200
    assert field_errors(response, field) == [DATETIME_ERROR]
    assert saved(practice).go_live_at is None and saved(practice).expire_at is None


def county_form(client, county):
    url = reverse("wagtailsnippets_practices_county:edit", args=[county.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("input", attrs={"name": "valid_from"}).find_parent("form")
    return url, querydict_from_html(str(form), form_index=0), soup


def test_taxonomy_validity_dates_read_norwegian_dates(godkjenner):
    client = logged_in(godkjenner)
    county = County.objects.get(number="34")
    url, data, soup = county_form(client, county)
    assert soup.find("input", attrs={"name": "valid_to"})["placeholder"] == "dd.mm.åååå"
    data["valid_from"] = "1.1.2020"
    data["valid_to"] = "2030-12-31"
    response = client.post(url, data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".error-message")
    county.refresh_from_db()
    assert (county.valid_from, county.valid_to) == (datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))

    data["valid_to"] = "31.12.20300"
    response = client.post(url, data)
    assert response.status_code == 200
    assert field_errors(response, "valid_to") == [DATE_ERROR]
    county.refresh_from_db()
    assert county.valid_to == datetime.date(2030, 12, 31)


# --- Whatever is typed: a correct date or a Norwegian error --------------------------------------


def reading_of(text):
    """What a Norwegian reader takes ``text`` to mean: d.m.yyyy or yyyy-mm-dd, else nothing."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text, re.ASCII) or re.fullmatch(
        r"(\d{4})-(\d{1,2})-(\d{1,2})", text, re.ASCII
    )
    if not match:
        return None
    numbers = [int(part) for part in match.groups()]
    day, month, year = numbers if "." in text else numbers[::-1]
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


plain_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
written_dates = dates.flatmap(
    lambda d: st.sampled_from([f"{d.day}.{d.month}.{d.year}", d.strftime("%d.%m.%Y"), d.isoformat()])
)
near_misses = st.builds(
    lambda day, month, year, sep: sep.join(map(str, (day, month, year))),
    st.integers(0, 40),
    st.integers(0, 14),
    st.integers(0, 99999),
    st.sampled_from([".", "-", "/", ". "]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.one_of(plain_text, written_dates, near_misses))
def test_any_typed_date_is_read_right_or_refused(redaktor, practice, typed):
    client = logged_in(redaktor)
    data = edit_form_data(client, practice)
    data["last_reviewed"] = "1.1.1999"  # a known date, so a silent change would show
    assert save_draft(client, practice, data).status_code == 302
    response = save_draft(client, practice, data, last_reviewed=typed)
    assert response.status_code in (200, 302)
    expected = reading_of(typed)
    last_reviewed = saved(practice).last_reviewed
    if response.status_code == 302:
        if typed.strip() == "":
            assert last_reviewed is None  # emptied on purpose
        else:
            assert expected is not None and last_reviewed == expected
    else:
        assert typed.strip() and expected is None, f"{typed!r} was refused: {field_errors(response, 'last_reviewed')}"
        assert field_errors(response, "last_reviewed") == [DATE_ERROR]
        assert last_reviewed == datetime.date(1999, 1, 1)
    if last_reviewed == timezone.localdate():
        assert expected == timezone.localdate()  # today only when today was typed


# --- In a real browser: the date picker leaves what was typed alone -------------------------------


@pytest.fixture(scope="module")
def browser_editor(django_db_setup, django_db_blocker):
    """A Redaktør's login and the admin address of a seed practice, written before the browser
    starts (no ORM calls while Playwright runs) and removed afterwards."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from practices.editorial import EDITORS
    from practices.models import PracticePage

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_user("dato.redaktor", "dato@example.no", "hemmelig-passord")
        user.groups.add(Group.objects.get(name=EDITORS))
        practice = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
        yield {"username": user.username, "password": "hemmelig-passord", "edit_url": edit_url(practice)}
        user.delete()


@pytest.mark.parametrize("typed", ["ikke en dato", "2023-05-02", "2.5.2023"])
def test_date_picker_keeps_what_was_typed_when_leaving_the_field(browser_editor, page, typed):
    page.goto("/admin/login/")
    page.fill("#id_username", browser_editor["username"])
    page.fill("#id_password", browser_editor["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(browser_editor["edit_url"])
    page.get_by_role("tab", name="Klassifisering og kilde").click()
    field = page.locator("#id_last_reviewed")
    field.fill(typed)
    field.press("Tab")  # blur: Wagtail's picker would put today's date in an unreadable one's place
    page.wait_for_timeout(300)
    assert field.input_value() == typed


def test_without_the_override_the_picker_would_put_today_in_place(browser_editor, page):
    """The control: the same picker with its default validateOnBlur replaces an unreadable date."""
    page.goto("/admin/login/")
    page.fill("#id_username", browser_editor["username"])
    page.fill("#id_password", browser_editor["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(browser_editor["edit_url"])
    page.evaluate(
        """() => {
            const input = document.createElement("input");
            input.id = "kb-control-date";
            document.body.append(input);
            initDateChooser("kb-control-date", {"format": "d.m.Y"});
        }"""
    )
    field = page.locator("#kb-control-date")
    field.fill("ikke en dato")
    field.press("Tab")
    page.wait_for_timeout(300)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", field.input_value())
