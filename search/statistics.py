"""/statistikk/: the practice examples counted per county, theme, law provision and year.

One search with the one search service (``type=praksis``, the facets counted), so the numbers
are those of /sok/: live, public pages, counties as they are today. Each count is shown as a
server-rendered SVG bar chart (hidden from screen readers) beside a real table with the numbers,
which is what assistive technology reads; no script, no inline style (the CSP forbids them).
"""

import dataclasses
from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .opendata import LICENCE_NAME, LICENCE_URL, norwegian_number
from .params import SearchParams
from .service import SearchService

SECTIONS = (
    ("county", "Praksiseksempler per fylke", "Fylke"),
    ("theme", "Praksiseksempler per tema", "Tema"),
    ("law", "Praksiseksempler per lovparagraf", "Lovparagraf"),
    ("year", "Praksiseksempler per startår", "År"),
)
BAR_HEIGHT = 22
CHART_WIDTH = 300


@dataclasses.dataclass
class Bar:
    label: str
    count: int
    url: str
    y: int = 0
    width: int = 0

    @property
    def count_text(self):
        return norwegian_number(self.count)

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 7


@dataclasses.dataclass
class Section:
    name: str
    heading: str
    column: str
    bars: list

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)

    @property
    def height(self):
        return len(self.bars) * BAR_HEIGHT


def _bars(name, options):
    options = [o for o in options if o.count]
    if name == "law":  # provisions only: «sosialtjenesteloven:27», not the whole law
        options = [o for o in options if ":" in o.value]
    if name == "year":
        options.sort(key=lambda o: o.value)
    else:
        options.sort(key=lambda o: (-o.count, o.label.casefold()))
    largest = max((o.count for o in options), default=0)
    bars = []
    for index, option in enumerate(options):
        bars.append(
            Bar(
                label=option.label,
                count=option.count,
                url="/sok/?" + urlencode({"type": "praksis", name: option.value}),
                y=index * BAR_HEIGHT,
                width=max(1, round(CHART_WIDTH * 0.8 * option.count / largest)) if largest else 0,
            )
        )
    return bars


def practice_statistics(service=None):
    """(number of practice examples, [Section]) from one search."""
    params = SearchParams(filters={"type": ("praksis",)}, sort="newest", page=1, page_size=1)
    response = (service or SearchService()).search(params, facets=tuple(name for name, _, _ in SECTIONS))
    sections = [
        Section(name, heading, column, _bars(name, list(response.facets.get(name, []))))
        for name, heading, column in SECTIONS
    ]
    return response.count, sections


@require_safe
def statistics_page(request):
    total, sections = practice_statistics()
    context = {
        "total": norwegian_number(total),
        "sections": sections,
        "chart_width": CHART_WIDTH,
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }
    return render(request, "search/statistics.html", context)
