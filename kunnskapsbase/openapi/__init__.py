"""The OpenAPI 3 description of the public APIs (/api/search/ and /api/v2/), served at /api/schema/.

``openapi.yaml`` beside this module is maintained by hand; tests/test_fuzz_schema.py checks it
against the real endpoints' parameters and fuzzes the endpoints from it with schemathesis.
"""

import functools
from pathlib import Path

import yaml
from django.http import JsonResponse
from django.views.decorators.http import require_GET

SCHEMA_PATH = Path(__file__).with_name("openapi.yaml")


@functools.cache
def schema():
    with SCHEMA_PATH.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


@require_GET
def schema_view(request):
    response = JsonResponse(schema(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
