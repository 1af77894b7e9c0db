"""With the database down, every page and API answers 503 with Retry-After — a Norwegian page,
JSON under /api/ — and the site recovers by itself when the database is back.

The outage is real: the site's connection is replaced by one whose settings point at a database
that cannot be reached (on SQLite a file in a directory that does not exist, on PostgreSQL a
closed port). "The database is back" is that same connection's settings put right again: the
next request opens a new connection by itself, as after a real outage.
"""

import socket

import pytest
from django.db import connections
from django.test import override_settings

from search.health import healthz  # noqa: F401 - /healthz/ is part of the site under test

PAGES = [
    "/",
    "/praksiseksempler/",
    "/praksiseksempler/fra-bostedslos-til-beboer/",
    "/sok/?q=bolig",
    "/finnes-ikke/",
]
APIS = [
    "/api/search/?q=bolig",
    "/api/search/autocomplete/?q=bo",
    "/api/v2/pages/",
    "/api/v2/pages/?search=bolig",
    "/api/v2/images/",
    "/api/v2/documents/",
]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(db, tmp_path):
    """Swap in a connection that cannot reach the database; yields a function that brings it
    back. The test's own connection (and its transaction) is restored afterwards."""
    good = connections["default"]
    unreachable = dict(good.settings_dict)
    if good.vendor == "sqlite":
        unreachable["NAME"] = str(tmp_path / "finnes-ikke" / "database.sqlite3")
    else:
        unreachable.update({"HOST": "127.0.0.1", "PORT": str(closed_port())})
    outage = good.__class__(unreachable, alias="default")
    connections["default"] = outage

    def back_up():
        outage.settings_dict.update(
            {key: good.settings_dict[key] for key in ("NAME", "HOST", "PORT", "OPTIONS", "TEST")}
        )

    try:
        yield back_up
    finally:
        connections["default"] = good
        if outage.connection is not None:
            outage.connection.close()
            outage.connection = None


def assert_outage_page(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Midlertidig utilgjengelig" in html
    assert "Prøv igjen om litt" in html


def assert_outage_json(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"message": "Kunnskapsbasen er midlertidig utilgjengelig. Prøv igjen om litt."}


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_503_while_the_database_is_down_and_200_when_it_is_back(client, database_down, url):
    client.raise_request_exception = False  # middleware-level errors go through handler500
    assert_outage_page(client.get(url))

    database_down()  # the database is back: nothing restarted, nothing cleared
    response = client.get(url)
    assert response.status_code == (404 if url == "/finnes-ikke/" else 200)
    assert "Midlertidig utilgjengelig" not in response.content.decode()


@pytest.mark.parametrize("url", APIS)
def test_apis_answer_503_json_while_the_database_is_down_and_200_when_it_is_back(client, database_down, url):
    client.raise_request_exception = False
    assert_outage_json(client.get(url))

    database_down()
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert "meta" in response.json() or "results" in response.json() or "suggestions" in response.json()


def test_healthz_reports_the_outage_itself(client, database_down):
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    database_down()
    assert client.get("/healthz/").status_code == 200


def test_a_logged_in_editor_gets_the_outage_page_from_the_session_middleware(client, django_user_model, db, tmp_path):
    """The session is read before the view runs and saved after it: both meet the outage."""
    user = django_user_model.objects.create_superuser("redaktor", "redaktor@example.no", "hemmelig-passord-123")
    client.force_login(user)
    client.raise_request_exception = False
    good = connections["default"]
    settings_dict = dict(good.settings_dict)
    if good.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "borte" / "db.sqlite3")
    else:
        settings_dict.update({"HOST": "127.0.0.1", "PORT": str(closed_port())})
    connections["default"] = good.__class__(settings_dict, alias="default")
    try:
        assert_outage_page(client.get("/admin/"))
        assert_outage_page(client.get("/praksiseksempler/"))
    finally:
        connections["default"] = good
    assert client.get("/admin/").status_code == 200


def test_an_outage_met_in_middleware_gets_503_too(client, database_down):
    """/api/v2/pages/-1/ is answered without the database (a JSON 404), but Wagtail's redirect
    middleware then looks the 404 up in the database: that error is raised outside any view and
    reaches the handler500 (kunnskapsbase.outage.server_error)."""
    client.raise_request_exception = False
    assert_outage_json(client.get("/api/v2/pages/-1/"))
    response = client.get("/finnes/ikke/her/")
    assert_outage_page(response)
    database_down()
    assert client.get("/api/v2/pages/-1/").status_code == 404


@override_settings(OUTAGE_RETRY_AFTER=120)
def test_retry_after_comes_from_the_settings(client, database_down):
    client.raise_request_exception = False
    response = client.get("/api/v2/pages/")
    assert response.status_code == 503
    assert response["Retry-After"] == "120"


def test_bad_input_that_is_not_an_outage_still_gets_its_own_answer(client, db):
    """The outage handling is for the database being down, not a cover for bad input."""
    assert client.get("/api/v2/pages/?offset=99999999999999999999").status_code == 400
    assert client.get("/api/search/?page=x").status_code == 400


# --- The load balancer's probe under the production settings ---------------------------------


def production_values(tmp_path):
    """SECURE_* as kunnskapsbase.settings.production sets them (imported in a fresh process: the
    settings read the environment at import time)."""
    import json
    import os
    import subprocess
    import sys

    names = ["SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS"]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SECURE_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kunnskapsbase.settings.production",
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "kunnskapsbase.example.no",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        }
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    values = json.loads(output.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_healthz_answers_plain_http_under_the_production_settings(client, db, tmp_path):
    values = production_values(tmp_path)
    assert values["SECURE_SSL_REDIRECT"] is True
    with override_settings(**values, ALLOWED_HOSTS=["kunnskapsbase.example.no"]):
        probe = client.get("/healthz/", HTTP_HOST="kunnskapsbase.example.no")
        assert probe.status_code == 200, probe.get("Location")
        assert probe.json()["status"] == "ok"
        # Everything else is still sent to HTTPS, and HTTPS requests (through the proxy) are served.
        page = client.get("/praksiseksempler/", HTTP_HOST="kunnskapsbase.example.no")
        assert page.status_code == 301
        assert page["Location"] == "https://kunnskapsbase.example.no/praksiseksempler/"
        api = client.get("/api/v2/pages/", HTTP_HOST="kunnskapsbase.example.no")
        assert api.status_code == 301
        secure = client.get("/praksiseksempler/", HTTP_HOST="kunnskapsbase.example.no", HTTP_X_FORWARDED_PROTO="https")
        assert secure.status_code == 200
