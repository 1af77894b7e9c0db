"""Optional two-factor login: off by default (the login form asks for no code); switched on,
the admin's login needs the one-time code from the user's authenticator app, set up with
`manage.py totp_device`, and refuses users without one."""

import io
import re
from base64 import b32decode

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp

LOGIN = "/admin/login/"
PASSWORD = "riktig-hest-batteri-stift"
FORM = "kunnskapsbase.security.twofactor.TwoFactorLoginForm"


@pytest.fixture
def kari(db):
    return get_user_model().objects.create_superuser("kari", "kari@example.no", PASSWORD)


@pytest.fixture
def two_factor(settings):
    settings.WAGTAILADMIN_USER_LOGIN_FORM = FORM


def set_up_app(username):
    out = io.StringIO()
    call_command("totp_device", username, stdout=out)
    text = out.getvalue()
    secret = re.search(r"nøkkelen for hånd: ([A-Z2-7=]+)", text).group(1)
    assert "otpauth://totp/" in text
    return b32decode(secret)


def login(client, token=None):
    data = {"username": "kari", "password": PASSWORD}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data, REMOTE_ADDR="198.51.100.20")


def logged_in(client):
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_off_by_default_no_code_is_asked_for(client, kari, settings):
    assert not hasattr(settings, "WAGTAILADMIN_USER_LOGIN_FORM")
    assert "otp_token" not in client.get(LOGIN).content.decode()
    assert login(client).status_code == 302 and logged_in(client)


def test_switched_on_the_login_page_asks_for_the_code(client, two_factor, db):
    soup = BeautifulSoup(client.get(LOGIN).content, "html.parser")
    field = soup.find("input", attrs={"name": "otp_token"})
    assert field is not None and field["autocomplete"] == "one-time-code"
    assert "Engangskode" in soup.get_text()


def test_a_user_without_an_app_is_refused_with_a_norwegian_message(client, kari, two_factor):
    response = login(client, "123456")
    assert response.status_code == 200
    assert "du har ikke satt opp en ennå" in text_of(response)
    assert not logged_in(client)


def test_the_password_and_the_current_code_log_in(client, kari, two_factor):
    key = set_up_app("kari")
    response = login(client, str(totp(key)).zfill(6))
    assert response.status_code == 302
    assert logged_in(client)


def test_a_wrong_or_missing_code_is_refused(client, kari, two_factor):
    key = set_up_app("kari")
    wrong = str((totp(key) + 1) % 1_000_000).zfill(6)
    for token in ("", wrong):
        response = login(client, token)
        assert response.status_code == 200
        assert "Engangskoden mangler, er feil eller er utløpt" in text_of(response)
        assert not logged_in(client)


def test_a_removed_app_no_longer_logs_in(client, kari, two_factor):
    key = set_up_app("kari")
    call_command("totp_device", "kari", "--delete", stdout=io.StringIO())
    assert login(client, str(totp(key)).zfill(6)).status_code == 200
    assert not logged_in(client)
