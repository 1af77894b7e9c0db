"""The view-model of a searched listing (/sok/, tag, law and provision pages, the practice,
report and article index pages): the request's parameters searched with the one
``SearchService`` and turned into what templates/search/includes/listing.html shows (facet
checkboxes, removable filters, sort order, pagination, help when nothing was found). No
listing knows which backend answered, and no result is loaded on its own (the service loads
the page of results in one query)."""

import dataclasses
import logging

from django.urls import reverse
from django.utils.encoding import escape_uri_path

from .listing_facets import FACET_ORDER, active_filters, choice_label, facet_groups, facets_html
from .listing_results import results_html
from .listing_state import Link, ListingState, Pagination, norwegian_number, pagination_for
from .params import DEFAULT_PAGE_SIZE, ParameterError, SearchParams, parse_params
from .service import FACET_LABELS, SearchService

logger = logging.getLogger(__name__)

SORT_LABELS = {"relevance": "Relevans", "newest": "Nyeste", "title": "Tittel A–Å"}
NEARBY_SUGGESTIONS = 6

UNAVAILABLE = "Søket er ikke tilgjengelig akkurat nå. Prøv igjen om litt."
TIP_SPELLING = "Sjekk stavemåten."
TIP_FEWER_WORDS = "Bruk færre eller mer generelle ord, f.eks. «bolig» i stedet for «kommunal utleiebolig»."
TIP_FILTERS = "Fjern noen av filtrene."
TIP_LAW = "Søk etter en lovparagraf slik den vanligvis skrives, f.eks. «sosialtjenesteloven § 27»."


@dataclasses.dataclass
class Listing:
    """A searched listing, ready for templates/search/includes/listing.html."""

    state: ListingState
    response: object = None  # SearchResponse, None if the search could not be made
    forced: dict = dataclasses.field(default_factory=dict)
    allow_query: bool = True
    noun: tuple = ("treff", "treff")
    query_label: str = "Søk i kunnskapsbasen"
    error: str = ""
    status: int = 200
    facet_groups: list = dataclasses.field(default_factory=list)
    active_filters: list = dataclasses.field(default_factory=list)
    clear_filters_url: str = ""
    sort_options: list = dataclasses.field(default_factory=list)
    pagination: Pagination | None = None
    suggestions: list = dataclasses.field(default_factory=list)
    without_filters: Link | None = None
    nearby: list = dataclasses.field(default_factory=list)
    tips: list = dataclasses.field(default_factory=list)
    facet_counts: dict = dataclasses.field(default_factory=dict)  # every facet's counts, shown or not

    @property
    def results(self):
        return self.response.results if self.response else []

    @property
    def facets_html(self):
        return facets_html(self.facet_groups)

    @property
    def results_html(self):
        return results_html(self.results, self.show_type)

    @property
    def count(self):
        return self.response.count if self.response else 0

    @property
    def count_text(self):
        noun = self.noun[0] if self.count == 1 else self.noun[1]
        text = f"{norwegian_number(self.count)} {noun}"
        q = self.correction.text if self.correction else self.state.q
        return f"{text} på «{q}»" if q else text

    @property
    def correction(self):
        """The query searched instead of the one typed (it found nothing), and a link to search
        exactly what was typed: «Viser treff for «…». Søk i stedet etter «…»»."""
        corrected = getattr(self.response, "corrected_query", "") if self.response else ""
        if not corrected:
            return None
        return Link(text=corrected, url=self.state.changed(q=self.response.exact_query).url)

    @property
    def active_filter_count(self):
        """How many filters the visitor chose (shown on the «Filtrer (n)» button)."""
        return sum(len(values) for values in self.state.filters.values())

    @property
    def range_text(self):
        """«Viser 21–40 av 57» when there is more than one page."""
        if not self.pagination or self.pagination.num_pages < 2 or not self.results:
            return ""
        first = (self.state.page - 1) * self.state.page_size + 1
        last = first + len(self.results) - 1
        return f"Viser {norwegian_number(first)}–{norwegian_number(last)} av {norwegian_number(self.count)}."

    @property
    def interpreted(self):
        return self.response.interpreted if self.response else None

    @property
    def law_references(self):
        return self.response.interpreted.law_references if self.response else []

    @property
    def notices(self):
        return self.response.notices if self.response else []

    @property
    def page_out_of_range(self):
        return bool(self.response) and self.count > 0 and not self.results and self.state.page > 1

    @property
    def last_page_url(self):
        return self.state.page_url(self.response.num_pages) if self.response else self.state.path

    @property
    def noindex(self):
        """Searched, sorted, later or filtered pages are not for search engines, except a landing
        page with one filter value (/sok/?theme=bolig), which robots.txt lets them crawl too."""
        state = self.state
        landing = not self.forced and sum(len(values) for values in state.filters.values()) == 1
        return bool(
            state.q or (state.filters and not landing) or state.sort or state.page > 1
            or state.page_size != DEFAULT_PAGE_SIZE or self.error
        )

    @property
    def hidden_inputs(self):
        """Parameters the form keeps that have no visible field."""
        if self.state.page_size != DEFAULT_PAGE_SIZE:
            return [("page_size", str(self.state.page_size))]
        return []

    @property
    def show_type(self):
        return "type" not in self.forced


def _read_params(querydict):
    """Lenient parameters; «side» (the listings' old page parameter) is read as «page»."""
    if "page" not in querydict and "side" in querydict:
        querydict = querydict.copy()
        querydict.setlist("page", querydict.getlist("side")[:1])
    try:
        return parse_params(querydict), ""
    except ParameterError as error:  # cannot happen leniently, but a page must never fail
        return SearchParams(), f"Søket kunne ikke leses ({error.message}). Viser alt i stedet."


def build_listing(
    request,
    *,
    forced=None,
    allow_query=True,
    noun=("treff", "treff"),
    query_label="Søk i kunnskapsbasen",
    extra_facets=(),
    service=None,
):
    """Search with the request's parameters and everything a listing page shows.

    ``forced``: filters the page imposes (facet -> values); those facets are neither shown
    nor read from the query string. ``allow_query``: whether free text is searched (pages
    about one tag or law list, they do not search). ``extra_facets``: facets to count though
    they are not shown (a law page counts its provisions)."""
    forced = {facet: tuple(values) for facet, values in (forced or {}).items()}
    params, error = _read_params(request.GET)
    user_filters = {facet: values for facet, values in params.filters.items() if facet not in forced}
    state = ListingState(
        path=escape_uri_path(request.path),
        q=params.q if allow_query else "",
        filters=user_filters,
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
    )
    listing = Listing(
        state=state, forced=forced, allow_query=allow_query, noun=noun, query_label=query_label, error=error
    )
    search_params = SearchParams(
        q=state.q,
        filters={**user_filters, **forced},
        sort=state.sort,
        page=state.page,
        page_size=state.page_size,
        truncated=params.truncated and allow_query,
    )
    shown = [facet for facet in FACET_ORDER if facet not in forced]
    counted = tuple(dict.fromkeys([*shown, *extra_facets]))
    try:
        listing.response = (service or SearchService()).search(search_params, facets=counted)
    except ParameterError as problem:
        listing.error = f"Søket kunne ikke utføres: {problem.message}"
        return listing
    except Exception:  # a backend that is down must not take the page with it
        logger.exception("Søket feilet for %s", request.get_full_path())
        listing.error, listing.status = UNAVAILABLE, 503
        return listing

    response = listing.response
    listing.facet_counts = response.facets
    listing.facet_groups = facet_groups(response, shown)
    listing.active_filters = active_filters(state, response, listing.facet_groups)
    if len(state.filters) > 1 or sum(len(values) for values in state.filters.values()) > 1:
        listing.clear_filters_url = state.with_filters({}).url
    listing.sort_options = _sort_options(state)
    listing.pagination = pagination_for(state, response)
    if response.count == 0:
        _help(listing, state, response)
    return listing


def _sort_options(state):
    """(value, label, selected). The default order is submitted as an empty value so that it
    follows the query: relevance with search words, newest without."""
    default = state.q and "relevance" or "newest"
    options = []
    for value, label in SORT_LABELS.items():
        selected = value == (state.sort or default)
        submitted = "" if not state.sort and value == default else value
        options.append((submitted, label, selected))
    return options


def _help(listing, state, response):
    """Nothing found: spelling suggestions, the count without filters, and filters nearby."""
    listing.suggestions = [Link(text=text, url=state.changed(q=text).url) for text in response.suggestions]
    if response.without_filters_count:
        # The count keeps what the text asks for, law citations included, and so does the link.
        plain = ListingState(path=reverse("search:search"), q=state.q)
        listing.without_filters = Link(text="uten filtrene", url=plain.url, count=response.without_filters_count)
    nearby = []
    for facet in FACET_ORDER:
        if not state.filters.get(facet):
            continue
        for option in response.facets.get(facet, []):
            if option.count and not option.selected:
                label = f"{FACET_LABELS.get(facet, facet)}: {choice_label(facet, option)}"
                nearby.append(Link(text=label, url=state.with_only(facet, option.value).url, count=option.count))
    listing.nearby = sorted(nearby, key=lambda link: -link.count)[:NEARBY_SUGGESTIONS]
    if state.q:
        listing.tips += [TIP_SPELLING, TIP_FEWER_WORDS]
    if state.filters or response.interpreted.law_references:
        listing.tips.append(TIP_FILTERS)
    if state.q and listing.allow_query:
        listing.tips.append(TIP_LAW)

