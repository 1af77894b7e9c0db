"""A followed search as a normalised query string, and back.

A subscription, a feed and an export all name «exactly that search» the same way: the free text
and the facet filters of ``search.params.parse_params`` (sorting and paging left out), values
in a fixed order, so the same search written two ways is one subscription. A listing's own
filters (the tag of a tag page, «praksis» on the practice index) are folded into the filters:
the search is then the same on /sok/.
"""

from urllib.parse import urlencode

from django.http import QueryDict

from search.backends.base import FACETS
from search.opendata import describe_search
from search.params import SearchParams, parse_params

FOLLOWED_PARAMETERS = ("q", *FACETS)


def normalise(params: SearchParams, forced=None) -> str:
    """«q=bolig&county=nordland&tag=depositum» for the text and filters of ``params`` (plus
    ``forced``, a listing's own filters); the empty string for everything."""
    filters = {facet: set(values) for facet, values in params.filters.items()}
    for facet, values in (forced or {}).items():
        filters[facet] = set(values)
    pairs = [("q", params.q)] if params.q else []
    for facet in FACETS:
        pairs += [(facet, value) for value in sorted(filters.get(facet, ()))]
    return urlencode(pairs)


def normalise_querydict(querydict, strict=False) -> str:
    """The normalised search of a request's GET (or POST) parameters; ``strict`` raises
    ``ParameterError`` for an invalid value instead of leaving it out."""
    followed = QueryDict(mutable=True)
    for name in FOLLOWED_PARAMETERS:
        values = querydict.getlist(name)
        if values:
            followed.setlist(name, values)
    return normalise(parse_params(followed, strict=strict))


def params_for(query: str, **options) -> SearchParams:
    """SearchParams of a stored, normalised query (``options``: sort, page, page_size)."""
    params = parse_params(QueryDict(query))
    return SearchParams(q=params.q, filters=params.filters, truncated=params.truncated, **options)


def describe(query: str) -> str:
    """The search in words, for e-mails and the subscriber's page: «"bolig", Fylke: Nordland»."""
    return describe_search(parse_params(QueryDict(query))) or "alt nytt innhold"
