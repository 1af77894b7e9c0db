"""E-mail settings come from EMAIL_URL (django-environ's parser), DEFAULT_FROM_EMAIL and
SERVER_EMAIL; without them mail is written to files in var/mail/, in development and production
alike, and production's deploy checks still pass. Settings are imported in a subprocess, as in
tests/test_settings.py."""

from ast import literal_eval

import pytest

from tests.test_settings import BASE_DIR, production_env, settings_value

EMAIL_VARIABLES = ("EMAIL_URL", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL", "EMAIL_TIMEOUT")


def env_with(tmp_path, **email):
    env = production_env(tmp_path, **dict.fromkeys(EMAIL_VARIABLES))
    env.update(email)
    return env


SHOW = (
    "s.EMAIL_BACKEND, s.EMAIL_DELIVERY_BACKEND.rsplit('.', 2)[-2], s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
    "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL, "
    "s.TASKS['default']['BACKEND']"
)


def test_without_configuration_mail_goes_to_files_in_var(tmp_path):
    result = settings_value(env_with(tmp_path), f"repr(({SHOW}, s.EMAIL_FILE_PATH))")
    assert result.returncode == 0, result.stderr
    values = literal_eval(result.stdout)
    assert values[0] == "practices.email_backend.BackgroundEmailBackend"
    assert values[1] == "filebased"
    assert values[8] == "Kunnskapsbase <ikke-svar@localhost>"
    assert values[10] == "django_tasks_db.DatabaseBackend"
    assert values[11] == str(BASE_DIR / "var" / "mail")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://kb%40nav.no:hemmelig%2Fpassord@smtp.example.no:587",
            ("smtp", "smtp.example.no", 587, "kb@nav.no", "hemmelig/passord", True, False),
        ),
        ("smtp+ssl://smtp.example.no", ("smtp", "smtp.example.no", 465, "", "", False, True)),
        ("smtp://mail.internal", ("smtp", "mail.internal", 25, "", "", False, False)),
        ("consolemail://", ("console", "localhost", 25, "", "", False, False)),
    ],
    ids=["smtp+tls", "smtp+ssl", "smtp", "console"],
)
def test_email_url_is_parsed(tmp_path, url, expected):
    result = settings_value(env_with(tmp_path, EMAIL_URL=url), f"repr(({SHOW}))")
    assert result.returncode == 0, result.stderr
    assert literal_eval(result.stdout)[1:8] == expected


def test_a_file_url_keeps_its_absolute_path(tmp_path):
    result = settings_value(env_with(tmp_path, EMAIL_URL=f"filemail://{tmp_path}/post"), "s.EMAIL_FILE_PATH")
    assert result.stdout.strip() == f"{tmp_path}/post"


def test_sender_addresses_come_from_the_environment(tmp_path):
    env = env_with(tmp_path, DEFAULT_FROM_EMAIL="Kunnskapsbasen <post@example.no>", SERVER_EMAIL="drift@example.no")
    result = settings_value(env, "repr((s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL))")
    assert literal_eval(result.stdout) == ("Kunnskapsbasen <post@example.no>", "drift@example.no")


def test_an_unknown_scheme_is_refused_with_a_clear_error(tmp_path):
    result = settings_value(env_with(tmp_path, EMAIL_URL="pigeon://loft"), "s.EMAIL_HOST")
    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_URL: Invalid email schema pigeon" in result.stderr
