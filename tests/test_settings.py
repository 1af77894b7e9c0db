"""Settings: production hardening passes Django's deploy checks, configuration comes from the
environment and is validated, and the site speaks Norwegian bokmål.

Settings modules are imported in a fresh subprocess: they read the environment at import time,
and the test process has already configured Django with the test settings."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = BASE_DIR / "manage.py"

# Variables the settings read; cleared so the developer's own environment cannot leak in.
SETTINGS_VARIABLES = [
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "ELASTICSEARCH_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
]


def random_secret_key(length=60):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def production_env(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kunnskapsbase.settings.production",
            "SECRET_KEY": random_secret_key(),
            "ALLOWED_HOSTS": "kunnskapsbase.example.no",
            "DEBUG": "false",
            # A throwaway database and static root: the checks must not touch the developer's files.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def settings_value(env, expression):
    """Import the settings module named in ``env`` in a subprocess and print ``expression``."""
    code = (
        "import importlib, os, sys\n"
        "s = importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE'])\n"
        f"print({expression})\n"
    )
    return run(["-c", code], env)


# --- Production -----------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = run([str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run([str(MANAGE), "check"], production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "secret_key",
    ["too-short-for-production", "local-development-only-not-secret" + "x" * 40],
    ids=["short", "development-default"],
)
def test_production_refuses_weak_secret_keys(tmp_path, secret_key):
    result = run([str(MANAGE), "check"], production_env(tmp_path, SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run([str(MANAGE), "check"], production_env(tmp_path, ALLOWED_HOSTS=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_is_not_in_debug_mode_by_default(tmp_path):
    result = settings_value(production_env(tmp_path, DEBUG=None), "s.DEBUG, s.ALLOWED_HOSTS")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['kunnskapsbase.example.no']"


def test_production_static_files_are_hashed_for_caching(tmp_path):
    result = settings_value(production_env(tmp_path), "s.STORAGES['staticfiles']['BACKEND']")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


# --- Database --------------------------------------------------------------------------------


def test_database_url_selects_postgresql(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://u:p@h:5432/db")
    keys = "('ENGINE', 'NAME', 'USER', 'HOST', 'PORT')"
    result = settings_value(env, f"'|'.join(str(s.DATABASES['default'][k]) for k in {keys})")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql|db|u|h|5432"


def test_without_database_url_local_development_uses_sqlite(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="kunnskapsbase.settings.base", DATABASE_URL=None)
    result = settings_value(env, "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']")
    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("var/kunnskapsbase.sqlite3")


# --- DEBUG parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("true", "True"), ("1", "True"), ("Yes", "True"), (" off ", "False"), ("0", "False"), ("", "True")],
)
def test_debug_accepts_the_usual_boolean_spellings(tmp_path, value, expected):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="kunnskapsbase.settings.base", DEBUG=value)
    result = settings_value(env, "s.DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["kanskje", "flase", "2"])
def test_debug_rejects_nonsense_with_a_clear_error(tmp_path, value):
    env = production_env(tmp_path, DEBUG=value)
    result = run([str(MANAGE), "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DEBUG must be a boolean (true/false), got {value!r}" in result.stderr


# --- Language ------------------------------------------------------------------------------------


def test_site_and_admin_are_in_norwegian_bokmal():
    assert settings.LANGUAGE_CODE == "nb"
    assert settings.LANGUAGES == [("nb", "Norsk bokmål")]
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES == [("nb", "Norsk bokmål")]
    assert settings.TIME_ZONE == "Europe/Oslo"


def test_production_keeps_the_norwegian_language(tmp_path):
    result = settings_value(production_env(tmp_path), "s.LANGUAGE_CODE, s.TIME_ZONE")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["nb", "Europe/Oslo"]
