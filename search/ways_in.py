"""Ways into the content by theme, target group, law and place: the counts the home page and
the overview pages (/stikkord/, /fylker/, /fylker/<fylke>/) show, and the schematic county map.

Counts come from the search index, so they are what a visitor finds when following the link:
the home page and /fylker/ ask the search service once for every facet's counts; the lists that
may be longer than a facet shows (all tags, one county's pages) are read from the index's facet
table in one grouped query. No query per item anywhere."""

import dataclasses
import unicodedata
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.text import slugify

from practices.models.taxonomy import County, Municipality

from .models import SearchDocument, SearchFacetValue
from .params import SearchParams
from .service import SearchService

NEWEST_ON_HOME = 6
TYPE_NOUNS = {"praksis": "praksiseksempel", "rapport": "rapport", "artikkel": "artikkel"}

# The schematic county map: each county of today (by number) as a tile at (column, row) of a grid,
# roughly where it lies. Counties added later (not in this table) are still in the list below the map.
MAP_TILES = {
    "56": (3, 0),  # Finnmark
    "55": (2, 1),  # Troms
    "18": (1, 2),  # Nordland
    "50": (1, 3),  # Trøndelag
    "15": (0, 4),  # Møre og Romsdal
    "34": (1, 4),  # Innlandet
    "46": (0, 5),  # Vestland
    "33": (1, 5),  # Buskerud
    "32": (2, 5),  # Akershus
    "03": (3, 5),  # Oslo
    "11": (0, 6),  # Rogaland
    "40": (1, 6),  # Telemark
    "39": (2, 6),  # Vestfold
    "31": (3, 6),  # Østfold
    "42": (0.5, 7),  # Agder
}
TILE_WIDTH, TILE_HEIGHT, TILE_GAP = 140, 56, 8


def place_slug(name):
    """«more-og-romsdal» for «Møre og Romsdal»: Norwegian letters spelt out in ASCII."""
    text = name.replace("Æ", "Ae").replace("æ", "ae").replace("Ø", "O").replace("ø", "o")
    text = text.replace("Å", "A").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    return slugify(text)


def norwegian_sort_key(text):
    """Alphabetical as in Norwegian: æ, ø and å after z."""
    order = {"æ": "{", "ø": "|", "å": "}"}
    return "".join(order.get(ch, ch) for ch in text.casefold())


def norwegian_number(number):
    """«1 234» with a no-break space, as Norwegian groups thousands."""
    return f"{number:,}".replace(",", "\u00a0")


def counted(count, singular, plural):
    return f"{norwegian_number(count)} {singular if count == 1 else plural}"


@dataclasses.dataclass
class Entry:
    label: str
    url: str
    count: int

    @property
    def count_text(self):
        return norwegian_number(self.count)


@dataclasses.dataclass
class CountyEntry(Entry):
    number: str = ""
    x: float = 0
    y: float = 0
    on_map: bool = False

    @property
    def description(self):
        return f"{self.label}: {counted(self.count, 'praksiseksempel eller rapport', 'praksiseksempler og rapporter')}"

    @property
    def text_x(self):
        return self.x + TILE_WIDTH / 2

    @property
    def label_y(self):
        return self.y + 24

    @property
    def count_y(self):
        return self.y + 44


def current_counties():
    return list(County.objects.filter(valid_to__isnull=True).order_by("number"))


def county_entries(county_counts, counties=None):
    """Today's counties with their counts (by label) and their place on the schematic map."""
    rows = []
    for county in counties if counties is not None else current_counties():
        tile = MAP_TILES.get(county.number)
        x, y = tile if tile else (0, 0)
        rows.append(
            CountyEntry(
                label=county.name,
                url=reverse("ways_in:county", args=[place_slug(county.name)]),
                count=county_counts.get(county.name, 0),
                number=county.number,
                x=x * (TILE_WIDTH + TILE_GAP) + TILE_GAP,
                y=y * (TILE_HEIGHT + TILE_GAP) + TILE_GAP,
                on_map=bool(tile),
            )
        )
    return rows


def map_size():
    columns = max(x for x, _ in MAP_TILES.values()) + 1
    rows = max(y for _, y in MAP_TILES.values()) + 1
    return columns * (TILE_WIDTH + TILE_GAP) + TILE_GAP, rows * (TILE_HEIGHT + TILE_GAP) + TILE_GAP


def _sorted_entries(options, url):
    entries = [Entry(option.label, url(option.value), option.count) for option in options if option.count]
    return sorted(entries, key=lambda entry: norwegian_sort_key(entry.label))


def home_entries(service=None):
    """Everything the home page's ways in show: themes, target groups, counties (with the map),
    laws, and the newest practice examples by their own date. Two searches, whatever the numbers."""
    service = service or SearchService()
    facets = ("theme", "target_group", "county", "law")
    counts = service.search(SearchParams(page_size=1), facets=facets).facets
    search = reverse("search:search")
    laws = [option for option in counts.get("law", []) if ":" not in option.value]
    width, height = map_size()
    return {
        "themes": _sorted_entries(counts.get("theme", []), lambda value: f"{search}?{urlencode({'theme': value})}"),
        "target_groups": _sorted_entries(
            counts.get("target_group", []), lambda value: f"{search}?{urlencode({'target_group': value})}"
        ),
        "counties": county_entries({option.label: option.count for option in counts.get("county", [])}),
        "laws": _sorted_entries(laws, lambda value: reverse("search:law", args=[value])),
        "map_width": width,
        "map_height": height,
    }


def all_counties(service=None):
    """/fylker/: today's counties with how many pages each has (one search)."""
    service = service or SearchService()
    counts = service.search(SearchParams(page_size=1), facets=("county",)).facets
    width, height = map_size()
    return {
        "counties": county_entries({option.label: option.count for option in counts.get("county", [])}),
        "map_width": width,
        "map_height": height,
    }


@dataclasses.dataclass
class LetterGroup:
    letter: str
    entries: list


def all_tags():
    """/stikkord/: every tag on a published page with its count, grouped by first letter."""
    rows = (
        SearchFacetValue.objects.filter(facet="tag")
        .values("value", "label")
        .annotate(count=Count("document_id", distinct=True))
        .order_by()
    )
    entries = sorted(
        (Entry(row["label"], reverse("search:tag", args=[row["value"]]), row["count"]) for row in rows),
        key=lambda entry: norwegian_sort_key(entry.label),
    )
    groups = []
    for entry in entries:
        letter = entry.label[:1].upper() if entry.label[:1].isalpha() else "#"
        if not groups or groups[-1].letter != letter:
            groups.append(LetterGroup(letter, []))
        groups[-1].entries.append(entry)
    return groups


def find_county(slug):
    """The county (today's first, then a former one) whose name gives ``slug``; None if none."""
    matches = [county for county in County.objects.prefetch_related("successors") if place_slug(county.name) == slug]
    matches.sort(key=lambda county: (county.valid_to is not None, county.number))
    return matches[0] if matches else None


@dataclasses.dataclass
class PageItem:
    title: str
    url: str
    type: str
    summary: str
    registered_under: list  # former municipality names the page is registered under

    @property
    def type_label(self):
        from .service import TYPE_LABELS

        return TYPE_LABELS.get(self.type, self.type)


@dataclasses.dataclass
class MunicipalityGroup:
    name: str
    former: list  # former municipalities now part of this one that pages are registered under
    pages: list


def _current_successors(start, municipalities, edges):
    """Ids of today's municipalities that took over ``start`` (itself if current), in memory."""
    seen, frontier, current = {start}, [start], []
    while frontier:
        pk = frontier.pop(0)
        municipality = municipalities.get(pk)
        if municipality is None:
            continue
        if municipality["valid_to"] is None:
            current.append(pk)
            continue
        for successor in edges.get(pk, ()):
            if successor not in seen:
                seen.add(successor)
                frontier.append(successor)
    return current


def county_overview(county):
    """/fylker/<fylke>/: today's municipalities of ``county`` with the published pages of each;
    pages registered under a former municipality are listed under the one that took it over
    (Skedsmo under Lillestrøm), and say so. A fixed number of queries, whatever the numbers."""
    from practices.models.practice import PracticePage
    from practices.models.report import ReportPage

    documents = list(
        SearchDocument.objects.filter(facet_values__facet="county", facet_values__label=county.name)
        .distinct()
        .order_by("title_sort")
        .values("page_id", "title", "url", "page_type", "summary")
    )
    ids = [document["page_id"] for document in documents]
    links = {}
    for model, column in ((PracticePage, "practicepage_id"), (ReportPage, "reportpage_id")):
        through = model.municipalities.through
        for page_id, municipality_id in through.objects.filter(**{f"{column}__in": ids}).values_list(
            column, "municipality_id"
        ):
            links.setdefault(page_id, []).append(municipality_id)
    municipalities = {row["id"]: row for row in Municipality.objects.values("id", "name", "valid_to", "county_id")}
    edges = {}
    for source, target in Municipality.successors.through.objects.values_list(
        "from_municipality_id", "to_municipality_id"
    ):
        edges.setdefault(source, []).append(target)

    groups = {
        pk: MunicipalityGroup(row["name"], [], [])
        for pk, row in municipalities.items()
        if row["county_id"] == county.pk and row["valid_to"] is None
    }
    whole_county = MunicipalityGroup("Uten kommune eller i flere kommuner", [], [])
    for document in documents:
        registered = links.get(document["page_id"], [])
        placed = False
        for municipality_id in registered:
            former = municipalities[municipality_id]["valid_to"] is not None
            for current in _current_successors(municipality_id, municipalities, edges):
                group = groups.get(current)
                if group is None:
                    continue
                name = municipalities[municipality_id]["name"]
                item = PageItem(
                    document["title"], document["url"], document["page_type"], document["summary"],
                    [name] if former and name != group.name else [],
                )
                if all(existing.url != item.url for existing in group.pages):
                    group.pages.append(item)
                if item.registered_under and name not in group.former:
                    group.former.append(name)
                placed = True
        if not placed:
            whole_county.pages.append(
                PageItem(document["title"], document["url"], document["page_type"], document["summary"], [])
            )
    ordered = sorted(groups.values(), key=lambda group: norwegian_sort_key(group.name))
    facet_value = (
        SearchFacetValue.objects.filter(facet="county", label=county.name).values_list("value", flat=True).first()
        if documents
        else None
    )
    return {
        "county_facet": facet_value,
        "with_pages": [group for group in ordered if group.pages] + ([whole_county] if whole_county.pages else []),
        "without_pages": [group.name for group in ordered if not group.pages],
        "page_count": len(documents),
    }
