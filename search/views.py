"""The public search pages: /sok/, a page per tag (/stikkord/<slug>/), per law (/lover/<slug>/)
and per provision (/lover/<slug>/<paragraph>/), and the listing the practice index shares.

Views are thin: the query string is read leniently (``parse_params``), searched with the one
``SearchService`` and shown. Everything here only turns the service's answer into what the
templates show (facet checkboxes, removable filters, links that keep the other parameters,
pagination, help when nothing was found); no view knows which backend answered, and no
result is loaded on its own (the service loads the page of results in one query).

Every link is built from the parsed parameters, never copied from the raw query string, so the
addresses a visitor shares are clean and nothing they type can break a page.
"""

import dataclasses
import logging
import re
from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.text import slugify
from django.views.decorators.http import require_safe
from taggit.models import Tag

from practices.models import County, Law, LegalProvision, TargetGroup, Theme

from .backends.base import FACETS
from .citations import tidy_remainder
from .params import DEFAULT_PAGE_SIZE, ParameterError, SearchParams, parse_params
from .service import FACET_LABELS, TYPE_LABELS, SearchService

logger = logging.getLogger(__name__)

# The order facets are shown in: what kind of page first, then what it is about, then where.
FACET_ORDER = ("type", "theme", "target_group", "tag", "county", "size", "law", "year")
assert set(FACET_ORDER) == set(FACETS)
SIZE_LABELS = {"liten": "Liten", "mellomstor": "Mellomstor", "stor": "Stor"}
LOGICAL_ORDER = {"size": tuple(SIZE_LABELS), "type": tuple(TYPE_LABELS)}
SORT_LABELS = {"relevance": "Relevans", "newest": "Nyeste", "title": "Tittel A–Å"}
FACET_VISIBLE_OPTIONS = 8  # more options than this are folded into «Vis flere»
NEARBY_SUGGESTIONS = 6
PAGINATION_EACH_SIDE = 2

UNAVAILABLE = "Søket er ikke tilgjengelig akkurat nå. Prøv igjen om litt."
TIP_SPELLING = "Sjekk stavemåten."
TIP_FEWER_WORDS = "Bruk færre eller mer generelle ord, f.eks. «bolig» i stedet for «kommunal utleiebolig»."
TIP_FILTERS = "Fjern noen av filtrene."
TIP_LAW = "Søk etter en lovparagraf slik den vanligvis skrives, f.eks. «sosialtjenesteloven § 27»."


def norwegian_number(number):
    """«1 234» with a no-break space, as Norwegian groups thousands."""
    return f"{number:,}".replace(",", "\u00a0")


def natural_key(text):
    """Sort «§ 3-7» before «§ 27» before «§ 100»."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


def law_value_label(value):
    """«sosialtjenesteloven § 27» for the facet value «sosialtjenesteloven:27» (when no label is known)."""
    law, _, paragraph = value.partition(":")
    return f"{law} § {paragraph}" if paragraph else law


def remove_citation(q, source):
    """``q`` without the citation ``source`` (as the citation parser rendered it)."""
    if not source:
        return q
    if source in q:
        rest = q.replace(source, " ", 1)
    else:  # the parser may have normalised spacing or case: match leniently
        pattern = r"\s*".join(re.escape(ch) for ch in source if not ch.isspace())
        rest = re.sub(pattern, " ", q, count=1, flags=re.IGNORECASE) if pattern else q
    return tidy_remainder(rest)


# --- The state of a listing, and links to its neighbours --------------------------------------


@dataclasses.dataclass(frozen=True)
class ListingState:
    """What a visitor chose on a listing page: the page's own address plus its GET parameters.

    ``filters`` holds only what the visitor chose (facet -> tuple of values), never the
    filters a page imposes itself (the tag of a tag page), which live in its address."""

    path: str
    q: str = ""
    filters: dict = dataclasses.field(default_factory=dict)
    sort: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def pairs(self):
        pairs = [("q", self.q)] if self.q else []
        for facet in FACETS:
            pairs += [(facet, value) for value in self.filters.get(facet, ())]
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.page > 1:
            pairs.append(("page", str(self.page)))
        if self.page_size != DEFAULT_PAGE_SIZE:
            pairs.append(("page_size", str(self.page_size)))
        return pairs

    @property
    def url(self):
        query = urlencode(self.pairs())
        return f"{self.path}?{query}" if query else self.path

    def changed(self, **changes):
        """The state with ``changes``, back on the first page unless a page is given."""
        changes.setdefault("page", 1)
        return dataclasses.replace(self, **changes)

    def with_filters(self, filters):
        return self.changed(filters={facet: values for facet, values in filters.items() if values})

    def without_value(self, facet, value):
        return self.with_filters({**self.filters, facet: tuple(v for v in self.filters.get(facet, ()) if v != value)})

    def with_only(self, facet, value):
        return self.with_filters({**self.filters, facet: (value,)})

    def page_url(self, number):
        return self.changed(page=number).url


@dataclasses.dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool
    from_query: bool  # active because the search text cites it (shown checked, not editable)
    input_id: str

    @property
    def count_text(self):
        return norwegian_number(self.count)


@dataclasses.dataclass
class FacetGroup:
    name: str
    label: str
    choices: list
    more: list  # folded away under «Vis flere»

    @property
    def selected_count(self):
        return sum(1 for choice in self.choices + self.more if choice.selected)


@dataclasses.dataclass
class ActiveFilter:
    facet_label: str
    label: str
    remove_url: str
    from_query: bool = False


@dataclasses.dataclass
class Link:
    text: str
    url: str
    count: int | None = None

    @property
    def count_text(self):
        return norwegian_number(self.count) if self.count is not None else ""


@dataclasses.dataclass
class Pagination:
    previous_url: str
    next_url: str
    pages: list  # (number, url, current) or None for a gap
    number: int
    num_pages: int


def page_numbers(current, last, each_side=PAGINATION_EACH_SIDE):
    """1 … 4 5 [6] 7 8 … 20: the first and last page, and a window around the current one."""
    shown = {1, last, *range(current - each_side, current + each_side + 1)}
    numbers, previous = [], 0
    for number in sorted(n for n in shown if 1 <= n <= last):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


# --- The listing --------------------------------------------------------------------------------


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
        """Filtered, searched, sorted or later pages are not for search engines."""
        state = self.state
        return bool(
            state.q or state.filters or state.sort or state.page > 1 or state.page_size != DEFAULT_PAGE_SIZE
            or self.error
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
    listing.facet_groups = _facet_groups(response, shown)
    listing.active_filters = _active_filters(state, response, listing.facet_groups)
    if len(state.filters) > 1 or sum(len(values) for values in state.filters.values()) > 1:
        listing.clear_filters_url = state.with_filters({}).url
    listing.sort_options = _sort_options(state)
    listing.pagination = _pagination(state, response)
    if response.count == 0:
        _help(listing, state, response)
    return listing


def _choice_label(facet, option):
    if facet == "type":
        return TYPE_LABELS.get(option.value, option.label)
    if facet == "size":
        return SIZE_LABELS.get(option.value, option.label)
    if facet == "law" and option.label == option.value:
        return law_value_label(option.value)
    return option.label


def _known_labels(response):
    """Labels for selected values the index no longer counts (they come back labelled with
    their value): looked up only then, one query per facet concerned."""
    missing = {}
    for facet, options in response.facets.items():
        for option in options:
            if option.selected and option.count == 0 and option.label == option.value:
                missing.setdefault(facet, set()).add(option.value)
    labels = {}
    for facet, values in missing.items():
        if facet == "tag":
            found = dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))
        elif facet in ("theme", "target_group"):
            model = Theme if facet == "theme" else TargetGroup
            found = dict(model.objects.filter(slug__in=values).values_list("slug", "name"))
        elif facet == "county":
            found = {slugify(name): name for name in County.objects.values_list("name", flat=True)}
        elif facet == "law":
            slugs = {value.split(":")[0] for value in values}
            names = dict(Law.objects.filter(slug__in=slugs).values_list("slug", "short_name"))
            found = {}
            for value in values:
                law, _, paragraph = value.partition(":")
                if law in names:
                    found[value] = f"{names[law]} § {paragraph}" if paragraph else names[law]
        else:
            found = {}
        labels.update({(facet, value): found[value] for value in values if value in found})
    return labels


def _facet_groups(response, shown):
    known = _known_labels(response)
    from_query = {}
    for reference in response.interpreted.law_references:
        facet, value = reference["filter"]
        from_query.setdefault(facet, set()).add(value)
    groups = []
    for facet in shown:
        options = response.facets.get(facet, [])
        if not options:
            continue
        choices = [
            FacetChoice(
                value=option.value,
                label=known.get((facet, option.value)) or _choice_label(facet, option),
                count=option.count,
                selected=option.selected or option.value in from_query.get(facet, ()),
                from_query=option.value in from_query.get(facet, ()) and not option.selected,
                input_id=f"filter-{facet}-{index}",
            )
            for index, option in enumerate(options, 1)
        ]
        if facet == "year":
            choices.sort(key=lambda choice: choice.value, reverse=True)
        elif facet == "law":  # a law, then its paragraphs in order
            choices.sort(key=lambda choice: natural_key(choice.label))
        elif facet in LOGICAL_ORDER:  # small to large, practice before report before article
            order = LOGICAL_ORDER[facet]
            choices.sort(key=lambda choice: (order.index(choice.value) if choice.value in order else len(order)))
        else:
            choices.sort(key=lambda choice: (-choice.count, choice.label.casefold()))
        if len(choices) > FACET_VISIBLE_OPTIONS + 2:
            visible = [c for i, c in enumerate(choices) if i < FACET_VISIBLE_OPTIONS or c.selected]
            more = [c for i, c in enumerate(choices) if i >= FACET_VISIBLE_OPTIONS and not c.selected]
        else:
            visible, more = choices, []
        groups.append(FacetGroup(name=facet, label=FACET_LABELS.get(facet, facet), choices=visible, more=more))
    return groups


def _active_filters(state, response, groups):
    labels = {(g.name, c.value): c.label for g in groups for c in g.choices + g.more}
    active = []
    for facet in FACET_ORDER:
        for value in state.filters.get(facet, ()):
            label = labels.get((facet, value)) or _choice_label(facet, _Option(value, value))
            active.append(ActiveFilter(FACET_LABELS.get(facet, facet), label, state.without_value(facet, value).url))
    references = response.interpreted.law_references
    for reference in references:
        active.append(
            ActiveFilter(
                FACET_LABELS["law"],
                reference["label"],
                _without_reference(state, references, reference).url,
                from_query=True,
            )
        )
    return active


@dataclasses.dataclass
class _Option:
    value: str
    label: str


def _without_reference(state, references, reference):
    """The state without one law citation understood from the search text.

    The citation's text is taken out of the query; other paragraphs cited in the same breath
    («§§ 15, 17 og 27») stay, as filters (or as «§ 17» text where a filter cannot say it)."""
    q = remove_citation(state.q, reference["source"])
    filters = dict(state.filters)
    extra = []
    for other in references:
        if other is reference or other["source"] != reference["source"]:
            continue
        facet, value = other["filter"]
        if facet in FACETS:
            filters[facet] = tuple(dict.fromkeys([*filters.get(facet, ()), value]))
        else:
            extra.append(f"§ {other['paragraph']}")
    return state.changed(q=" ".join([q, *extra]).strip(), filters=filters)


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


def _pagination(state, response):
    num_pages = response.num_pages
    current = min(state.page, num_pages)
    return Pagination(
        previous_url=state.page_url(current - 1) if current > 1 else "",
        next_url=state.page_url(current + 1) if current < num_pages else "",
        pages=[
            None if n is None else (n, state.page_url(n), n == state.page) for n in page_numbers(current, num_pages)
        ],
        number=state.page,
        num_pages=num_pages,
    )


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
                label = f"{FACET_LABELS.get(facet, facet)}: {_choice_label(facet, option)}"
                nearby.append(Link(text=label, url=state.with_only(facet, option.value).url, count=option.count))
    listing.nearby = sorted(nearby, key=lambda link: -link.count)[:NEARBY_SUGGESTIONS]
    if state.q:
        listing.tips += [TIP_SPELLING, TIP_FEWER_WORDS]
    if state.filters or response.interpreted.law_references:
        listing.tips.append(TIP_FILTERS)
    if state.q and listing.allow_query:
        listing.tips.append(TIP_LAW)


# --- Views --------------------------------------------------------------------------------------


@require_safe
def search_page(request):
    """/sok/: free text, facets, sorting and pages, all in the address."""
    listing = build_listing(request)
    return render(request, "search/search_page.html", {"listing": listing}, status=listing.status)


@require_safe
def tag_page(request, slug):
    """/stikkord/<slug>/: everything tagged with one tag."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        tag = Tag.objects.filter(slug__iexact=slug).first()
        if tag is None:
            raise Http404("Ukjent stikkord")
        return HttpResponsePermanentRedirect(reverse("search:tag", args=[tag.slug]))
    listing = build_listing(request, forced={"tag": (tag.slug,)}, allow_query=False)
    return render(request, "search/tag_page.html", {"tag": tag, "listing": listing}, status=listing.status)


@require_safe
def law_index(request):
    """/lover/: the laws the knowledge base cites, with their provisions."""
    laws = Law.objects.prefetch_related("provisions__replaced_by__law", "provisions__law")
    laws = [(law, sorted(law.provisions.all(), key=lambda p: natural_key(p.paragraph))) for law in laws]
    return render(request, "search/law_index.html", {"laws": laws})


def _provision_rows(law, listing):
    """The law's provisions in paragraph order, each with how many listed pages cite it."""
    counts = {option.value: option.count for option in listing.facet_counts.get("law", [])}
    provisions = sorted(law.provisions.all(), key=lambda p: natural_key(p.paragraph))
    return [(provision, counts.get(f"{law.slug}:{provision.paragraph}", 0)) for provision in provisions]


@require_safe
def law_page(request, law_slug):
    """/lover/<slug>/: a law, its provisions, and what cites it (or a provision it replaced)."""
    law = get_object_or_404(Law.objects.prefetch_related("provisions__replaced_by__law"), slug=law_slug)
    listing = build_listing(request, forced={"law": (law.slug,)}, allow_query=False, extra_facets=("law",))
    context = {"law": law, "provisions": _provision_rows(law, listing), "listing": listing}
    return render(request, "search/law_page.html", context, status=listing.status)


@require_safe
def provision_page(request, law_slug, paragraph):
    """/lover/<slug>/<paragraph>/: one provision and what cites it or the provisions it replaced."""
    law = get_object_or_404(Law, slug=law_slug)
    provision = get_object_or_404(
        LegalProvision.objects.select_related("law", "replaced_by__law"), law=law, paragraph=paragraph
    )
    predecessors = sorted(provision.replaces.select_related("law"), key=lambda p: natural_key(p.label))
    listing = build_listing(request, forced={"law": (f"{law.slug}:{provision.paragraph}",)}, allow_query=False)
    context = {"law": law, "provision": provision, "predecessors": predecessors, "listing": listing}
    return render(request, "search/provision_page.html", context, status=listing.status)
