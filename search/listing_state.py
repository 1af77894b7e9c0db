"""Where a listing page is and where its links lead: the visitor's choices (``ListingState``),
the addresses of its neighbours (another page, one filter less, another order) and the
pagination. Every link is built from the parsed parameters, never copied from the raw query
string, so the addresses a visitor shares are clean and nothing they type can break a page."""

import dataclasses
from urllib.parse import urlencode

from .backends.base import FACETS
from .params import DEFAULT_PAGE_SIZE

PAGINATION_EACH_SIDE = 2


def norwegian_number(number):
    """«1 234» with a no-break space, as Norwegian groups thousands."""
    return f"{number:,}".replace(",", "\u00a0")


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


def pagination_for(state, response):
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

