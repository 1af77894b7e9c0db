"""What the feeds, the export and the statistics share: the licence of the open data, the
search a request asks for, and Norwegian number formatting.

The content is published under the Norwegian Licence for Open Government Data (NLOD) 2.0, the
Norwegian public sector's standard licence; the footer of every page says so
(templates/includes/open_data_footer.html).
"""

from django.db.models import Q

from .backends.base import FACETS
from .params import SearchParams, parse_params

LICENCE_NAME = "Norsk lisens for offentlige data (NLOD) 2.0"
LICENCE_URL = "https://data.norge.no/nlod/no/2.0"
LICENCE_NOTE = (
    f"Innholdet i Kunnskapsbase kan brukes fritt under {LICENCE_NAME} ({LICENCE_URL}). Oppgi Kunnskapsbase som kilde."
)


def norwegian_number(number):
    """«1 234» with a no-break space, as Norwegian groups thousands."""
    return f"{number:,}".replace(",", "\u00a0")


def requested_search(querydict, **options) -> SearchParams:
    """The search a feed or export request asks for: the parameters of /sok/, read strictly (an
    unknown parameter or an invalid value raises ``ParameterError`` with a Norwegian message).
    ``options`` (sort, page, page_size) are the caller's; the request's sort is kept otherwise."""
    params = parse_params(querydict, strict=True)
    options.setdefault("sort", params.sort)
    return SearchParams(q=params.q, filters=params.filters, truncated=params.truncated, **options)


def describe_search(params: SearchParams) -> str:
    """The search in words, for feed titles and e-mails: «"bolig", Fylke: Nordland, Tema: Bolig».
    Facet values are named by their labels in the index (one query), or by their value."""
    from .models import SearchFacetValue
    from .service import FACET_LABELS

    condition = Q()
    for facet, values in params.filters.items():
        condition |= Q(facet=facet, value__in=values)
    labels = {}
    if params.filters:
        rows = SearchFacetValue.objects.filter(condition).values_list("facet", "value", "label").distinct()
        labels = {(facet, value): label for facet, value, label in rows[:500]}
    parts = [f"«{params.q}»"] if params.q else []
    for facet in FACETS:
        values = params.filters.get(facet)
        if values:
            names = ", ".join(labels.get((facet, value), value) for value in values)
            parts.append(f"{FACET_LABELS.get(facet, facet)}: {names}")
    return ", ".join(parts)
