"""The OpenAPI description at /api/schema/ matches the real endpoints, and schemathesis, driven
by it, finds no server error: every operation gets schema-valid and schema-violating requests
through the Django WSGI application (no network server), and every answer must be < 500,
JSON of the documented shape, with a documented status code.

The number of examples is bounded (``EXAMPLES``, ``FUZZ_EXAMPLES`` in the environment) so that
the run stays within a minute or so; on PostgreSQL the same suite runs with DATABASE_URL set.
"""

import gzip
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kunnskapsbase.api import api_router
from kunnskapsbase.openapi import schema as openapi_schema
from search.params import PARAMETERS as SEARCH_PARAMETERS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))  # more for a longer hunt: FUZZ_EXAMPLES=500
UNDOCUMENTED = {"_", "format"}  # jQuery's cache-buster and the browsable API's switch


def documented(path, location="query"):
    operation = openapi_schema()["paths"][path]["get"]
    components = openapi_schema()["components"]["parameters"]
    names = set()
    for parameter in operation["parameters"]:
        if "$ref" in parameter:
            parameter = components[parameter["$ref"].rsplit("/", 1)[1]]
        if parameter["in"] == location:
            names.add(parameter["name"])
    return names


# --- The description matches the endpoints ---------------------------------------------------


def test_schema_is_served_as_json_openapi_3(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["openapi"].startswith("3.")
    assert data == openapi_schema()


def test_every_api_path_is_described():
    described = set(openapi_schema()["paths"])
    expected = {"/api/search/", "/api/search/autocomplete/", "/sok/eksport.json", "/sok/eksport.csv"}
    for name in api_router._endpoints:
        expected |= {f"/api/v2/{name}/", f"/api/v2/{name}/{{id}}/", f"/api/v2/{name}/find/"}
    assert described == expected


def test_search_parameters_are_the_ones_the_search_api_accepts():
    assert documented("/api/search/") == set(SEARCH_PARAMETERS)
    assert documented("/api/search/autocomplete/") == {"q"}
    assert documented("/sok/eksport.json") == documented("/sok/eksport.csv") == set(SEARCH_PARAMETERS)


def test_export_fields_are_the_ones_described():
    from search.export import FIELD_NAMES

    row = openapi_schema()["components"]["schemas"]["PracticeExportRow"]
    assert list(row["properties"]) == list(FIELD_NAMES) == row["required"]


@pytest.mark.parametrize("name", ["pages", "images", "documents"])
def test_api_v2_parameters_are_the_ones_wagtail_accepts(name):
    endpoint = api_router._endpoints[name]
    filters = set(endpoint.get_available_fields(endpoint.model, db_fields_only=True))
    assert documented(f"/api/v2/{name}/") == (set(endpoint.known_query_parameters) | filters) - UNDOCUMENTED
    assert documented(f"/api/v2/{name}/find/") == set(endpoint.find_query_parameters)
    assert documented(f"/api/v2/{name}/{{id}}/") == {"fields", "rich_text_format"}
    assert documented(f"/api/v2/{name}/{{id}}/", "path") == {"id"}


@pytest.mark.parametrize("name", ["pages", "images", "documents"])
def test_search_operators_documented_are_the_ones_accepted(client, db, name):
    parameter = next(
        p
        for p in openapi_schema()["paths"][f"/api/v2/{name}/"]["get"]["parameters"]
        if p.get("name") == "search_operator"
    )
    for operator in parameter["schema"]["enum"]:
        assert client.get(f"/api/v2/{name}/", {"search": "bolig", "search_operator": operator}).status_code == 200
    for operator in {"and", "or"} - set(parameter["schema"]["enum"]):
        assert client.get(f"/api/v2/{name}/", {"search": "bolig", "search_operator": operator}).status_code == 400


# --- schemathesis --------------------------------------------------------------------------


def decoding_gzip(app):
    """The site's WSGI application as an HTTP client sees it: schemathesis sends requests'
    ``Accept-Encoding: gzip``, and the site compresses anonymous answers
    (AnonymousGZipMiddleware), but its WSGI transport, unlike requests over the network, does not
    undo the encoding. Here the body is decompressed (a bad gzip stream fails the test)."""

    def application(environ, start_response):
        answer = {}

        def capture(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return lambda data: None

        result = app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        headers = answer["headers"]
        if any(name.lower() == "content-encoding" and value == "gzip" for name, value in headers):
            body = gzip.decompress(body)
            headers = [(n, v) for n, v in headers if n.lower() not in ("content-encoding", "content-length")]
            headers.append(("Content-Length", str(len(body))))
        start_response(answer["status"], headers)
        return [body]

    return application


@pytest.fixture(scope="module")
def api_schema(django_db_blocker):
    """The schema as the site serves it, bound to the site's WSGI application. As Django's test
    client does, connections are not closed between requests: the test's transaction stays."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock():
            yield schemathesis.openapi.from_wsgi("/api/schema/", decoding_gzip(get_wsgi_application()))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operation_labels():
    return [f"GET {path}" for path in openapi_schema()["paths"]]


def json_errors_are_json(response):
    if response.status_code >= 400:
        content_type = (response.headers.get("content-type") or [""])[0]
        assert content_type.startswith("application/json"), response.text[:200]
        data = response.json()
        message = data.get("message") or data.get("error", {}).get("message")
        assert isinstance(message, str) and message, data


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("label", operation_labels())
def test_schemathesis_finds_no_server_error(api_schema, db, label, mode):
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, label

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call_and_validate(checks=CHECKS)
        json_errors_are_json(response)

    check()
