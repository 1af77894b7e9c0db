"""`bootstrap --create-admin`: ADMIN_PASSWORD must pass Django's password validators (refused
in Norwegian, nothing created), and a generated password is shown once, when the administrator
is created in this database, and never stored or shown again."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError


def bootstrap_admin(monkeypatch, password=None):
    if password is None:
        monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("ADMIN_PASSWORD", password)
    out = io.StringIO()
    call_command("bootstrap", "--create-admin", "--skip-content", stdout=out, verbosity=0)
    return out.getvalue()


@pytest.fixture
def no_admin(db):
    get_user_model().objects.filter(username="admin").delete()


@pytest.mark.parametrize(
    "password, reason",
    [
        ("1", "Dette passordet er for kort. Det må inneholde minst 8 tegn."),
        ("90817263549", "Dette passordet inneholder bare tall."),
        ("password123", "Dette passordet er for vanlig."),
        ("admin2026", "Passordet er for likt brukernavn."),
    ],
)
def test_a_weak_admin_password_is_refused_in_norwegian_and_nothing_is_created(monkeypatch, no_admin, password, reason):
    with pytest.raises(CommandError) as refused:
        bootstrap_admin(monkeypatch, password)
    message = str(refused.value)
    assert message.startswith("ADMIN_PASSWORD er ikke godt nok:")
    assert reason in message
    assert "Ingenting er opprettet" in message
    assert not get_user_model().objects.filter(username="admin").exists()


def test_a_good_admin_password_is_used_and_not_printed(monkeypatch, no_admin):
    password = "Sjøgata-17-Bodø-hybel"
    output = bootstrap_admin(monkeypatch, password)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert password not in output
    assert "passordet i ADMIN_PASSWORD" in output


def test_a_generated_password_is_shown_once_and_never_again(monkeypatch, no_admin, settings, tmp_path):
    settings.BASE_DIR = tmp_path  # nothing may be written next to the checkout
    first = bootstrap_admin(monkeypatch)
    match = re.search(r"passordet (\S+) \(vises bare denne ene gangen\)", first)
    assert match, first
    password = match.group(1)
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password)
    assert list(tmp_path.iterdir()) == []

    second = bootstrap_admin(monkeypatch)
    assert password not in second
    assert "finnes allerede" in second
    assert "python manage.py changepassword admin" in second
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_an_existing_admin_keeps_its_password_when_admin_password_is_set(monkeypatch, no_admin):
    bootstrap_admin(monkeypatch, "Første-passord-som-varer")
    output = bootstrap_admin(monkeypatch, "Et-annet-godt-passord-9")
    assert "finnes allerede" in output
    assert get_user_model().objects.get(username="admin").check_password("Første-passord-som-varer")
