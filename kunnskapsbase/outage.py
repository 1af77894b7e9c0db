"""When the database is down, visitors get an honest «try again shortly» instead of an error.

Every page and API answers 503 Service Unavailable with ``Retry-After`` while the database
cannot be reached (``django.db.OperationalError`` or ``InterfaceError``): a Norwegian page
(templates/503.html, which needs neither the database nor a request context) or, under
``/api/``, a JSON ``{"message": …}``. Nothing is cached and nothing needs restarting: Django
opens a new connection for the next request, so the site recovers by itself when the
database is back.

Two entry points, because Django turns an exception into a response at every middleware layer:

- ``OutageMiddleware.process_exception`` catches the errors raised in views and in rendering
  their templates (including lazy ``request.user`` and session reads there);
- ``server_error``, the project's ``handler500``, catches the rest: errors raised in middleware
  (the session being saved, Wagtail's redirect lookup on a 404) and in the 404 page itself.
  With ``DEBUG`` on Django shows its debug page there instead, as for any other error.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
MESSAGE = "Kunnskapsbasen er midlertidig utilgjengelig. Prøv igjen om litt."


def retry_after():
    return int(getattr(settings, "OUTAGE_RETRY_AFTER", 30))


def is_outage(error):
    """The database cannot be reached: the error itself or what it was raised from."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        seen.add(id(error))
        error = error.__cause__
    return False


def outage_response(request):
    path = getattr(request, "path", "") or ""
    if path.startswith(API_PREFIX):
        response = JsonResponse({"message": MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(retry_after())
    response["Cache-Control"] = "no-store"
    return response


class OutageMiddleware:
    """503 with Retry-After when a view (or its template) finds the database down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            logger.error("Databasen svarer ikke (%s): %s", type(exception).__name__, exception)
            return outage_response(request)
        return None


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's ``handler500``: 503 for a database outage met outside a view, else the 500 page."""
    import sys

    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    path = getattr(request, "path", "") or ""
    if path.startswith(API_PREFIX):
        return JsonResponse(
            {"message": "Det oppstod en uventet feil. Prøv igjen senere."},
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponseServerError(loader.render_to_string(template_name))
