"""The OpenAPI document as a page people can read: /api/dokumentasjon/.

Rendered on the server from the same ``openapi.yaml`` that /api/schema/ serves, so the two never
disagree: every address with its parameters (where, type, required, what it does) and its answers,
and the fields of the open-data rows. No script and nothing from other sites (the site's content
security policy allows neither); the JSON document stays the machine-readable source.
"""

import functools

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import schema

METHODS = ("get", "post", "put", "patch", "delete")
BRACES = str.maketrans("", "", "{}")
WHERE = {"query": "i adressen (?navn=verdi)", "path": "i stien", "header": "i en header"}


def _resolve(document, node):
    """``node`` with a local ``$ref`` («#/components/…») replaced by what it points to."""
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _type(schema_node):
    """«tekst», «liste av tekst», «heltall (1–100)»: a parameter's type as a reader wants it."""
    kind = schema_node.get("type", "")
    names = {"string": "tekst", "integer": "heltall", "number": "tall", "boolean": "ja/nei",
             "array": "liste", "object": "objekt"}
    text = names.get(kind, kind or "–")
    if kind == "array":
        text = f"liste av {names.get(schema_node.get('items', {}).get('type', ''), 'verdier')}"
    if "enum" in schema_node:
        text += ": " + ", ".join(str(value) for value in schema_node["enum"])
    low, high = schema_node.get("minimum"), schema_node.get("maximum")
    if low is not None and high is not None:
        text += f" ({low}–{high})"
    return text


@functools.cache
def reference():
    """The document's operations and schemas in the order the page shows them."""
    document = schema()
    operations = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            parameters = []
            for raw in [*item.get("parameters", []), *operation.get("parameters", [])]:
                parameter = _resolve(document, raw)
                parameters.append({
                    "name": parameter.get("name", ""),
                    "where": WHERE.get(parameter.get("in", ""), parameter.get("in", "")),
                    "type": _type(_resolve(document, parameter.get("schema", {}))),
                    "required": bool(parameter.get("required")),
                    "description": parameter.get("description", ""),
                })
            responses = [
                {"status": status, "description": _resolve(document, answer).get("description", "")}
                for status, answer in operation.get("responses", {}).items()
            ]
            operations.append({
                "anchor": f"{method}{path}".rstrip("/").replace("/", "-").replace(".", "-").translate(BRACES),
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": parameters,
                "responses": responses,
            })
    schemas = []
    for name, node in document.get("components", {}).get("schemas", {}).items():
        node = _resolve(document, node)
        fields = [
            {"name": field, "type": _type(_resolve(document, spec)), "description": spec.get("description", "")}
            for field, spec in node.get("properties", {}).items()
        ]
        schemas.append({"name": name, "description": node.get("description", ""), "fields": fields})
    info = document.get("info", {})
    return {"title": info.get("title", ""), "description": info.get("description", ""),
            "operations": operations, "schemas": schemas}


@require_safe
def reference_view(request):
    context = {**reference(), "breadcrumbs": [("API-dokumentasjon", request.path)]}
    return render(request, "api/reference.html", context)
