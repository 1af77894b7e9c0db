"""The public JSON search API: a read-only contract for other municipal sites.

``GET /api/search/`` searches with the same service as the /sok/ page, but strictly: any
unknown or invalid parameter is answered with 400 and a Norwegian message naming it.
``GET /api/search/autocomplete/?q=`` suggests titles, tags and laws.

Every response is JSON, public for a minute and open to every origin (CORS ``*``).
"""

import functools
import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .params import ParameterError, clean_text, parse_params
from .service import SearchService

logger = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=60"
AUTOCOMPLETE_MAX_PREFIX = 100


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(parameter, message, status=400):
    response = _json({"error": {"parameter": parameter, "message": message}}, status=status)
    if status >= 500:
        response["Cache-Control"] = "no-store"
    return response


def _get_only(view):
    """GET (and HEAD) only, 405 otherwise; errors as JSON. CSRF-exempt so that a POST gets the
    405 of this read-only API rather than Django's HTML 403 page."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":  # CORS preflight: only simple GETs are allowed
            response = _json({}, status=200)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        if request.method not in ("GET", "HEAD"):
            response = _error("", "Bare GET er tillatt.", status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        try:
            return view(request, *args, **kwargs)
        except ParameterError as error:
            return _error(error.parameter, error.message)
        except (OperationalError, InterfaceError):
            raise  # the database is down: 503 from kunnskapsbase/outage.py, not this 500
        except Exception:  # a last resort: the goal is that no input gets here
            logger.exception("Uventet feil i søke-API-et: %s", request.get_full_path())
            return _error("", "Det oppstod en uventet feil. Prøv igjen senere.", status=500)

    return wrapper


@_get_only
def search(request):
    """Search results, facets and how the query was understood."""
    params = parse_params(request.GET, strict=True)
    return _json(SearchService().search(params).as_dict())


@_get_only
def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/search/ answer in JSON too."""
    return _error("", "Finnes ikke. Bruk /api/search/ eller /api/search/autocomplete/.", status=404)


@_get_only
def autocomplete(request):
    """Suggestions for what has been typed so far: [{"label", "kind", "url"}]."""
    prefix = clean_text(request.GET.get("q", "") or "")[:AUTOCOMPLETE_MAX_PREFIX]
    suggestions = SearchService().autocomplete(prefix) if prefix else []
    return _json({"suggestions": suggestions})
