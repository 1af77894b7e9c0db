"""Bad input never reaches Wagtail's read API v2 (/api/v2/) unchecked.

``ValidatedAPIMixin`` goes in front of a Wagtail endpoint class (pages, images, documents).
Every query parameter is checked before Wagtail's own code sees it: anything malformed
(control characters, numbers out of range, dates that are not dates, unknown fields, deep
``fields`` nesting) gets 400 with a Norwegian message in Wagtail's error format,
``{"message": "…"}``, instead of a 500. Wagtail's own English messages are translated.

The pages endpoint's ``search`` is answered by the project's search service
(``ServiceSearchFilter``): the same query understanding as /sok/ and /api/search/, at most
``MAX_SEARCH_HITS`` hits, still filtered to the live, public pages of the request's site.
Images and documents keep Wagtail's search, over plain words only (``WordSearchFilter``).
"""

import datetime
import logging
import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import DataError, IntegrityError, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from taggit.managers import TaggableManager
from wagtail.api.rich_text import APIRichText, RichTextFormatError
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError, page_models_from_string, parse_boolean, parse_fields_parameter
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from search.params import MAX_QUERY_LENGTH, SearchParams, clean_text
from search.service import SearchService

logger = logging.getLogger(__name__)

MAX_VALUE_LENGTH = 500  # any one parameter value except ``search`` (which is shortened instead)
MAX_PARAMETERS = 50
MAX_OFFSET = 100_000
MAX_ORDER_FIELDS = 5
MAX_FIELDS_LENGTH = 1_000
MAX_FIELDS_DEPTH = 4
MAX_TYPES = 10
MAX_SEARCH_HITS = 200  # the pages endpoint's search: the best hits of the search service
MAX_SEARCH_WORDS = 10  # images and documents: Wagtail's search nests one level per word
ID_RANGE = BaseDatabaseOperations.integer_field_ranges["AutoField"]
# Ranges every supported database accepts (the portable ones, not SQLite's wider ones).
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges

NUMBER_RE = re.compile(r"^-?\d{1,20}$")
ORDER_FIELD_RE = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_]{0,63}$")
MODEL_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63}$")
LOCALE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$")
SITE_RE = re.compile(r"^[A-Za-z0-9.\-]{1,253}(:\d{1,5})?$")
WORD_RE = re.compile(r"\w+")

# Wagtail's own error messages (raised after our checks, e.g. for a page that does not exist).
TRANSLATIONS = [
    (re.compile(r"^parent page doesn't exist$"), "Siden i child_of finnes ikke."),
    (re.compile(r"^ancestor page doesn't exist$"), "Siden i descendant_of finnes ikke."),
    (re.compile(r"^descendant page doesn't exist$"), "Siden i ancestor_of finnes ikke."),
    (re.compile(r"^translation_of page doesn't exist$"), "Siden i translation_of finnes ikke."),
    (re.compile(r"^filtering by descendant_of with child_of"), "child_of og descendant_of kan ikke brukes sammen."),
    (re.compile(r"^unknown fields: (.*)$"), "Ukjente felt i fields: {0}."),
    (re.compile(r"^'(.*)' does not support nested fields$"), "Feltet «{0}» har ingen underfelt."),
    (re.compile(r"^Your query returned multiple sites"), "Flere nettsteder passer til site; ta med porten."),
    (re.compile(r"^type doesn't exist$"), "Ukjent sidetype i type."),
]
NOT_FOUND_TRANSLATIONS = {
    "No Locale matches the given query.": "Ukjent språk i locale.",
    "No Site matches the given query.": "Ukjent nettsted i site.",
}
STATUS_MESSAGES = {
    404: "Finnes ikke.",
    405: "Metoden er ikke tillatt. API-et kan bare leses (GET).",
    406: "Kan ikke svare i formatet som Accept-hodet ber om. Bruk application/json.",
    415: "Ukjent innholdstype i forespørselen.",
    429: "For mange forespørsler. Vent litt og prøv igjen.",
}


class ApiParameterError(BadRequestError):
    """A bad parameter: 400 with a Norwegian ``message``."""


def _shown(value, limit=40):
    """Part of a value, safe to repeat in a message."""
    text = clean_text(str(value))
    return text[:limit] + ("…" if len(text) > limit else "")


def parse_integer(name, value, minimum, maximum):
    value = str(value).strip()
    if not NUMBER_RE.match(value):
        raise ApiParameterError(f"{name} må være et heltall, ikke «{_shown(value)}».")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ApiParameterError(f"{name} må være mellom {minimum} og {maximum}.")
    return number


def parse_page_reference(name, value, allow_root=True):
    """``child_of``, ``descendant_of``, …: a page id, or ``root`` for the site's root page."""
    if allow_root and value == "root":
        return value
    return parse_integer(name, value, 1, ID_RANGE[1])


def check_fields(value):
    """``fields``: Wagtail's syntax, not too long and not too deep."""
    if len(value) > MAX_FIELDS_LENGTH:
        raise ApiParameterError(f"fields er for lang (høyst {MAX_FIELDS_LENGTH} tegn).")
    depth = deepest = 0
    for char in value:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_FIELDS_DEPTH:
        raise ApiParameterError(f"fields kan ha underfelt i høyst {MAX_FIELDS_DEPTH} nivåer.")
    try:
        parse_fields_parameter(value)
    except ValueError as error:
        position = re.search(r"position (\d+)", str(error))
        where = f" (tegn nr. {int(position.group(1)) + 1})" if position else ""
        raise ApiParameterError(f"fields har feil oppbygning{where}. Eksempel: fields=title,tags") from None


def check_order(value, allowed_fields, has_offset):
    names = value.split(",")
    if len(names) > MAX_ORDER_FIELDS:
        raise ApiParameterError(f"order kan ha høyst {MAX_ORDER_FIELDS} felt.")
    if "random" in names:
        if len(names) > 1:
            raise ApiParameterError("order=random kan ikke kombineres med andre felt.")
        if has_offset:
            raise ApiParameterError("order=random kan ikke brukes sammen med offset.")
        return
    for name in names:
        if not ORDER_FIELD_RE.match(name) or name.lstrip("-") not in allowed_fields:
            raise ApiParameterError(
                f"Kan ikke sortere på «{_shown(name)}». Mulige felt: {', '.join(sorted(allowed_fields))}."
            )


def model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def parse_moment(name, value):
    """A point in time as an aware datetime in UTC: an ISO date (midnight, Norwegian time) or date
    and time, with an offset that exists on Earth (the databases refuse e.g. -23:23)."""
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            parsed = datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        offset = parsed.utcoffset()
        if abs(offset) > datetime.timedelta(hours=14) or not 1000 <= parsed.year <= 9998:
            raise ValueError(value)
        return parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise ApiParameterError(
            f"{name} må være et tidspunkt, f.eks. 2024-01-31 eller 2024-01-31T12:00:00+01:00."
        ) from None


def filter_value(model, name, value):
    """A field filter's value (``?county=3``, ``?first_published_at=2024-01-01``) as the Python
    value the field compares with; 400 for anything the field cannot hold."""
    field = model_field(model, name)
    if isinstance(field, TaggableManager):
        return value
    if isinstance(field, models.BooleanField):
        try:
            return parse_boolean(value)
        except ValueError:
            raise ApiParameterError(f"{name} må være true eller false.") from None
    if isinstance(field, (models.ForeignKey, models.ManyToManyField)) or getattr(field, "many_to_many", False):
        target = field.target_field
        return parse_integer(name, value, *INTEGER_RANGES.get(target.get_internal_type(), ID_RANGE))
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return parse_integer(name, value, *INTEGER_RANGES.get(field.get_internal_type(), ID_RANGE))
    if isinstance(field, models.DateTimeField):
        return parse_moment(name, value)
    if isinstance(field, models.DateField):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ApiParameterError(f"{name} må være en dato på formen ÅÅÅÅ-MM-DD, f.eks. 2024-01-31.") from None
    if field is None or isinstance(field, (models.CharField, models.TextField)):
        return value
    raise ApiParameterError(f"Kan ikke filtrere på {name}.")


class ValidatedFieldsFilter(FieldsFilter):
    """Wagtail's field filters (``?title=…``, ``?county=3``, ``?tags=a,b``), with every value
    converted and range-checked first."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True)) - {"locale"}
        for name, value in request.GET.items():
            if name not in fields:
                continue
            value = filter_value(queryset.model, name, value)
            if isinstance(model_field(queryset.model, name), TaggableManager):
                for tag in value.split(","):
                    queryset = queryset.filter(**{f"{name}__name": tag})
                queryset._filtered_by_tag = True
            else:
                queryset = queryset.filter(**{name: value})
        return queryset


class ServiceSearchFilter(BaseFilterBackend):
    """The pages endpoint's ``?search=``: the project's search service finds the pages (at most
    ``MAX_SEARCH_HITS``), the endpoint's queryset (live, public, the site's, the filters) keeps
    those it allows, best first unless ``order`` is given."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        text = clean_text(request.GET["search"])[:MAX_QUERY_LENGTH]
        if not WORD_RE.search(text):  # nothing to search for (Wagtail: no results either)
            return queryset.none()
        found = SearchService().search(SearchParams(q=text, page_size=MAX_SEARCH_HITS), facets=())
        ids = [result.id for result in found.results]
        queryset = queryset.filter(pk__in=ids)
        if "order" not in request.GET and ids:
            rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
            queryset = queryset.order_by(rank)
        return queryset


class WordSearchFilter(SearchFilter):
    """Wagtail's search (images, documents) over plain words only: quotes, operators and control
    characters are dropped and at most ``MAX_SEARCH_WORDS`` words kept, so the database's
    full-text syntax never sees raw input."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if getattr(queryset, "_filtered_by_tag", False):
            raise ApiParameterError("search kan ikke kombineres med filter på tags.")
        words = WORD_RE.findall(clean_text(request.GET["search"])[:MAX_QUERY_LENGTH])[:MAX_SEARCH_WORDS]
        if not words:
            return queryset.none()
        try:
            return get_search_backend().search(
                " ".join(words),
                queryset,
                operator=request.GET.get("search_operator") or None,
                order_by_relevance="order" not in request.GET,
            )
        except FilterFieldError as error:
            raise ApiParameterError(f"search kan ikke kombineres med filter på {error.field_name}.") from None
        except OrderByFieldError as error:
            raise ApiParameterError(f"search kan ikke kombineres med sortering på {error.field_name}.") from None


SAFE_FILTERS = {FieldsFilter: ValidatedFieldsFilter, SearchFilter: WordSearchFilter}


class ValidatedAPIMixin:
    """Put in front of a Wagtail API v2 endpoint: the query string is validated before Wagtail
    reads it, Wagtail's filters are replaced by checked ones (``SAFE_FILTERS``; the pages
    endpoint's search by ``search_filter``), and every error is JSON with a Norwegian message."""

    search_operators = ("and", "or")  # what this endpoint's search understands
    search_filter = None  # a filter backend class replacing Wagtail's SearchFilter

    # --- checks ------------------------------------------------------------------------

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.validate_query(request.GET, kwargs)

    def validate_query(self, query, kwargs):
        if len(query) > MAX_PARAMETERS:
            raise ApiParameterError(f"For mange parametere (høyst {MAX_PARAMETERS}).")
        if "pk" in kwargs:
            parse_integer("id", kwargs["pk"], 1, ID_RANGE[1])
        for name, values in query.lists():
            if len(name) > 100 or any(unicode_control(ch) for ch in name):
                raise ApiParameterError(f"Ukjent parameter «{_shown(name)}».")
            if name == "search":  # cleaned and shortened by the search filters instead
                continue
            for value in values:
                if len(value) > MAX_VALUE_LENGTH and name != "fields":  # fields: MAX_FIELDS_LENGTH
                    raise ApiParameterError(f"{name} er for lang (høyst {MAX_VALUE_LENGTH} tegn).")
                if any(unicode_control(ch) for ch in value):
                    raise ApiParameterError(f"{name} inneholder ugyldige tegn (kontrolltegn).")
        checks = {
            "limit": lambda v: parse_integer("limit", v, 0, self.limit_max()),
            "offset": lambda v: parse_integer("offset", v, 0, MAX_OFFSET),
            "fields": check_fields,
            "search_operator": self.check_search_operator,
            "rich_text_format": check_rich_text_format,
            "type": check_type,
            "child_of": lambda v: parse_page_reference("child_of", v),
            "descendant_of": lambda v: parse_page_reference("descendant_of", v),
            "translation_of": lambda v: parse_page_reference("translation_of", v),
            "ancestor_of": lambda v: parse_page_reference("ancestor_of", v, allow_root=False),
            "locale": check_locale,
            "site": check_site,
            "html_path": check_html_path,
        }
        if getattr(self, "action", "") == "find_view" and "id" in query:
            parse_integer("id", query["id"], 1, ID_RANGE[1])
        for name, check in checks.items():
            if name in query:
                check(query[name])

    def limit_max(self):
        return getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20) or 10_000

    def check_search_operator(self, value):
        if value not in self.search_operators:
            raise ApiParameterError(f"search_operator må være {' eller '.join(self.search_operators)}.")

    def check_query_parameters(self, queryset):
        """The listing's parameters against the model (``type`` decides which fields exist)."""
        allowed_fields = set(self.get_available_fields(queryset.model, db_fields_only=True))
        unknown = set(self.request.GET.keys()) - allowed_fields - set(self.known_query_parameters)
        if unknown:
            raise ApiParameterError(
                f"Ukjent parameter: {', '.join(_shown(name) for name in sorted(unknown))}. "
                "Felt som kan filtreres, avhenger av type."
            )
        if self.request.GET.get("order"):
            check_order(self.request.GET["order"], allowed_fields, "offset" in self.request.GET)

    # --- filters -----------------------------------------------------------------------

    def filter_queryset(self, queryset):
        for backend in self.filter_backends:
            if backend is SearchFilter and self.search_filter:
                backend = self.search_filter
            backend = SAFE_FILTERS.get(backend, backend)
            queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    # --- errors ------------------------------------------------------------------------

    def handle_exception(self, exc):
        if isinstance(exc, ApiParameterError):
            return error_response(str(exc), status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, BadRequestError):
            return error_response(translate(str(exc)), status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, Http404):
            return error_response(NOT_FOUND_TRANSLATIONS.get(str(exc), STATUS_MESSAGES[404]), 404)
        if isinstance(exc, drf_exceptions.APIException):
            response = error_response(
                STATUS_MESSAGES.get(exc.status_code, "Forespørselen kunne ikke behandles."), exc.status_code
            )
            if isinstance(exc, drf_exceptions.MethodNotAllowed):
                response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        if isinstance(
            exc, (ValueError, OverflowError, ValidationError, DataError, IntegrityError, FieldError, RecursionError)
        ):
            # A last resort: the checks above should have caught it. Bad input, not a server fault.
            logger.warning(
                "Ugyldig forespørsel til API-et slapp gjennom kontrollene: %s",
                self.request.get_full_path(),
                exc_info=exc,
            )
            return error_response("Ugyldig verdi i forespørselen.", status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


def unicode_control(char):
    """NUL and the other control characters (not tab and newline, which forms may send)."""
    code = ord(char)
    return (
        (code < 32 and char not in "\t\n\r")
        or 0x7F <= code <= 0x9F
        or char in "\u2028\u2029\ufeff"
        or (0xD800 <= code <= 0xDFFF)
    )


def error_response(message, status_code):
    response = Response({"message": message}, status=status_code)
    response["Cache-Control"] = "no-store" if status_code >= 500 else "public, max-age=60"
    return response


def translate(message):
    for pattern, norwegian in TRANSLATIONS:
        match = pattern.match(message)
        if match:
            return norwegian.format(*(_shown(group, 200) for group in match.groups()))
    return f"Ugyldig forespørsel ({_shown(message, 200)})."


def check_rich_text_format(value):
    try:
        APIRichText.resolve_format(value)
    except RichTextFormatError:
        raise ApiParameterError("Ukjent rich_text_format. Bruk db_html, html, markdown eller db_markdown.") from None


def check_type(value):
    names = value.split(",")
    if len(names) > MAX_TYPES or not all(MODEL_NAME_RE.match(name) for name in names):
        raise ApiParameterError("type må være en sidetype som practices.PracticePage (flere med komma).")
    try:
        page_models_from_string(value)
    except (LookupError, ValueError):
        raise ApiParameterError(f"Ukjent sidetype i type: «{_shown(value)}».") from None


def check_locale(value):
    if not LOCALE_RE.match(value):
        raise ApiParameterError("locale må være en språkkode, f.eks. nb.")


def check_site(value):
    if not SITE_RE.match(value):
        raise ApiParameterError("site må være et vertsnavn, eventuelt med port (vert:port).")
    if ":" in value:
        parse_integer("Porten i site", value.split(":", 1)[1], 1, 65535)


def check_html_path(value):
    if len(value.split("/")) > 50:
        raise ApiParameterError("html_path må være en sti som /praksiseksempler/navn/.")


def api_not_found(request, *args, **kwargs):
    """Any other address under /api/ (e.g. /api/v2/pages/-1/): a JSON 404, not the HTML page."""
    response = JsonResponse(
        {"message": "Finnes ikke. Se /api/schema/ for API-ets adresser."},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
