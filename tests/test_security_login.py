"""Login protection: django-axes locks a user name or an address out of the admin after repeated
failures, with a Norwegian page; other users elsewhere still log in; superusers see the
lockouts in the admin report «Innloggingssperrer» and `axes_reset` lifts them."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

LOGIN = "/admin/login/"
PASSWORD = "riktig-hest-batteri-stift"
LOCKOUT_TEXT = "Innloggingen er midlertidig sperret"


@pytest.fixture
def users(db):
    User = get_user_model()
    return {
        "kari": User.objects.create_user("kari", "kari@example.no", PASSWORD, is_staff=True, is_superuser=True),
        "ola": User.objects.create_user("ola", "ola@example.no", PASSWORD, is_staff=True, is_superuser=True),
    }


def login(client, username, password, address="203.0.113.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def is_logged_in(client):
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_wrong_password_is_refused_with_the_admins_norwegian_message(client, users):
    response = login(client, "kari", "feil")
    assert response.status_code == 200
    assert "passord stemmer ikke overens" in text_of(response)
    assert not is_logged_in(client)


def test_after_the_failure_limit_the_right_password_is_refused_with_a_norwegian_page(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "kari", "feil-passord")
    response = login(client, "kari", PASSWORD)
    assert response.status_code == 429
    text = text_of(response)
    assert LOCKOUT_TEXT in text
    assert f"etter {settings.AXES_FAILURE_LIMIT} mislykkede forsøk" in text
    assert "Prøv igjen om 15 minutter" in text
    assert not is_logged_in(client)


def test_the_lock_holds_for_the_account_from_another_address_too(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "kari", "feil-passord", address="203.0.113.10")
    response = login(client, "kari", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_lock_holds_for_the_address_with_another_account_too(client, users, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"gjetning{attempt}", "feil-passord", address="203.0.113.10")
    response = login(client, "ola", PASSWORD, address="203.0.113.10")
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_another_account_from_another_address_still_logs_in(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        login(client, "kari", "feil-passord", address="203.0.113.10")
    response = login(client, "ola", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_failures_below_the_limit_are_forgiven_by_a_successful_login(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "kari", "feil-passord")
    assert login(client, "kari", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "kari", "feil-passord")
    assert login(client, "kari", PASSWORD).status_code == 302


def test_axes_reset_lifts_the_lock(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "kari", "feil-passord")
    assert login(client, "kari", PASSWORD).status_code == 429
    call_command("axes_reset_username", "kari", verbosity=0)
    call_command("axes_reset_ip", "203.0.113.10", verbosity=0)
    assert login(client, "kari", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_cool_off_comes_from_the_environment(settings):
    # base.py reads AXES_COOLOFF_MINUTES; checked in a subprocess in test_security_settings.py.
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_lockouts_are_listed_for_a_superuser_in_the_admin(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "inntrenger", "feil-passord", address="192.0.2.66")
    assert AccessFailureLog.objects.filter(username="inntrenger", locked_out=True).exists()
    client.force_login(users["ola"])
    response = client.get(reverse("security_lockout_report"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Innloggingssperrer" in text
    assert "Sperret nå" in text
    assert "Brukernavn «inntrenger» fra 192.0.2.66" in text
    assert "Ja, sperret" in text
    assert "axes_reset" in text
    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("security_lockout_report") in home.content.decode()


def test_the_lockout_report_is_hidden_from_editors_who_are_not_superusers(client, users, db):
    from django.contrib.auth.models import Group, Permission

    editor = get_user_model().objects.create_user("redaktor", "r@example.no", PASSWORD)
    group = Group.objects.create(name="Admintilgang for test")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    assert client.get(reverse("security_lockout_report")).status_code in (302, 403)
    assert reverse("security_lockout_report") not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert AccessAttempt.objects.count() == 0
