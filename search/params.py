"""Reading and validating search parameters from a request (the /sok/ page and the JSON API).

Anything a user can type is accepted or rejected with a Norwegian message naming the
parameter; nothing here raises anything but ``ParameterError``.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from .analysis import strip_invisible
from .backends.base import FACETS, SORTS

MAX_QUERY_LENGTH = 500
MAX_VALUE_LENGTH = 150
MAX_VALUES_PER_FACET = 20
MAX_PAGE = 10_000
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

SIZES = ("liten", "mellomstor", "stor")
TYPES = ("praksis", "rapport", "artikkel")
LAW_VALUE_RE = re.compile(r"^[a-z0-9_-]{1,60}(:\d{1,4}(-\d{1,4})?[a-z]?)?$")
YEAR_RE = re.compile(r"^(19|20|21)\d\d$")
PARAMETERS = ("q", *FACETS, "sort", "page", "page_size")


class ParameterError(ValueError):
    def __init__(self, parameter, message):
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}")


def clean_text(value):
    """Printable text only: invisible characters (zero-width space, soft hyphen, …) are dropped so
    they never split a word, other control characters (NUL included) become spaces."""
    value = strip_invisible(value)
    value = "".join(" " if unicodedata.category(ch)[0] == "C" and ch not in "\t\n" else ch for ch in value)
    return " ".join(value.split())


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict = field(default_factory=dict)  # facet -> tuple of values
    sort: str = ""  # empty: relevance with a query, newest without
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    truncated: bool = False

    def effective_sort(self, has_text):
        return self.sort or ("relevance" if has_text else "newest")


def _validate_value(facet, value):
    if len(value) > MAX_VALUE_LENGTH:
        raise ParameterError(facet, f"Verdien er for lang (høyst {MAX_VALUE_LENGTH} tegn).")
    if facet == "size" and value not in SIZES:
        raise ParameterError(facet, f"Ukjent kommunestørrelse «{value}». Bruk {', '.join(SIZES)}.")
    if facet == "type" and value not in TYPES:
        raise ParameterError(facet, f"Ukjent innholdstype «{value}». Bruk {', '.join(TYPES)}.")
    if facet == "year" and not YEAR_RE.match(value):
        raise ParameterError(facet, f"«{value}» er ikke et årstall.")
    if facet == "law" and not LAW_VALUE_RE.match(value):
        raise ParameterError(facet, f"«{value}» er ikke en lov eller lovparagraf (f.eks. sosialtjenesteloven:27).")
    return value


def _integer(querydict, name, default, minimum, maximum, strict):
    raw = querydict.get(name, "")
    if raw in ("", None):
        return default
    try:
        number = int(str(raw).strip())
    except ValueError:
        if strict:
            raise ParameterError(name, f"«{clean_text(str(raw))[:40]}» er ikke et heltall.") from None
        return default
    if not minimum <= number <= maximum:
        if strict:
            raise ParameterError(name, f"Må være mellom {minimum} og {maximum}.")
        return min(max(number, minimum), maximum)
    return number


def parse_params(querydict, strict=False):
    """SearchParams from a QueryDict. ``strict`` (the API) rejects what the page forgives."""
    if strict:
        unknown = sorted(set(querydict.keys()) - set(PARAMETERS))
        if unknown:
            raise ParameterError(unknown[0], f"Ukjent parameter. Tillatte: {', '.join(PARAMETERS)}.")
    q = clean_text(querydict.get("q", "") or "")
    truncated = len(q) > MAX_QUERY_LENGTH
    q = q[:MAX_QUERY_LENGTH]

    filters = {}
    for facet in FACETS:
        values = []
        for raw in querydict.getlist(facet):
            value = clean_text(raw).strip()
            if not value:
                continue
            try:
                values.append(_validate_value(facet, value.casefold()))
            except ParameterError:
                if strict:
                    raise
        values = tuple(dict.fromkeys(values))
        if len(values) > MAX_VALUES_PER_FACET:
            if strict:
                raise ParameterError(facet, f"Høyst {MAX_VALUES_PER_FACET} verdier.")
            values = values[:MAX_VALUES_PER_FACET]
        if values:
            filters[facet] = values

    sort = clean_text(querydict.get("sort", "") or "")
    if sort and sort not in SORTS:
        if strict:
            raise ParameterError("sort", f"Ukjent sortering. Bruk {', '.join(SORTS)}.")
        sort = ""
    page = _integer(querydict, "page", 1, 1, MAX_PAGE, strict)
    page_size = _integer(querydict, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, strict)
    return SearchParams(q=q, filters=filters, sort=sort, page=page, page_size=page_size, truncated=truncated)
