"""Template helpers for the public pages: Norwegian dates, tables with numbers, the table of
contents, heading levels inside StreamField bodies, pagination and navigation state."""

import re
from urllib.parse import urlsplit

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from ..models.practice import EXAMPLE_IS_NOT_A_RECOMMENDATION

register = template.Library()

NORWEGIAN_DATE = "j. F Y"

# A Norwegian number: digits grouped in threes by a space, no-break space or narrow no-break space,
# an optional decimal comma, an optional minus (hyphen or the typographic minus) and an optional
# per cent sign: «809 687,45», «-900 803,00», «1 014,00», «12,5 %».
NUMBER_CELL_RE = re.compile(
    r"^[-\u2212]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?(?:[ \u00a0]?%)?$"
)
BOLD_MARKER_RE = re.compile(r"\*\*(.+?)\*\*")
HEADING_TAG_RE = re.compile(r"<h([1-6])[\s>]", re.IGNORECASE)

# Element ids the page templates use themselves; heading anchors must not collide with them.
RESERVED_IDS = frozenset({"main", "fakta-heading", "toc-heading", "kilde-heading"})


# --- Dates -------------------------------------------------------------------------------


def _as_local_date(value):
    if hasattr(value, "hour") and timezone.is_aware(value):
        return timezone.localtime(value).date()
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    return value


@register.filter
def time_tag(value, fmt=NORWEGIAN_DATE):
    """``<time datetime="2019-05-09">9. mai 2019</time>`` for a date or datetime; empty for None."""
    if not value:
        return ""
    day = _as_local_date(value)
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_filter(day, fmt))


@register.filter
def is_future(value):
    """True if the date (or datetime) lies after today (Norwegian time)."""
    if not value:
        return False
    return _as_local_date(value) > timezone.localdate()


# --- Practice pages ------------------------------------------------------------------------


@register.simple_tag
def example_is_not_a_recommendation():
    """The standard sentence that a practice example is not a norm (kept in the model)."""
    return EXAMPLE_IS_NOT_A_RECOMMENDATION


# --- Tables --------------------------------------------------------------------------------


def _cell_text(cell):
    if cell is None:
        return ""
    text = str(cell).strip()
    match = BOLD_MARKER_RE.fullmatch(text)
    return match.group(1).strip() if match else text


def is_number_cell(cell):
    """Whether a table cell holds a (Norwegian formatted) number and should be right-aligned.

    A cell wrapped in ``**…**`` (a subtotal) counts by its content."""
    return bool(NUMBER_CELL_RE.match(_cell_text(cell)))


def table_cell(cell):
    """A table cell's text, escaped, with ``**bold**`` spans rendered as ``<strong>``."""
    if cell is None:
        return ""
    escaped = str(conditional_escape(str(cell)))
    # Safe: the text is escaped first, and only <strong> tags are added around escaped text.
    return mark_safe(BOLD_MARKER_RE.sub(r"<strong>\1</strong>", escaped))


def numeric_columns(rows):
    """Indexes of the columns whose non-empty cells are all numbers (for aligning their headers)."""
    numeric, non_numeric = set(), set()
    for row in rows or []:
        for index, cell in enumerate(row or []):
            if not _cell_text(cell):
                continue
            if is_number_cell(cell):
                numeric.add(index)
            else:
                non_numeric.add(index)
    return numeric - non_numeric


# --- Headings, anchors and the table of contents ---------------------------------------------


class _AnchorRegistry:
    """Makes heading anchors unique in document order: «mal», «mal-2», «mal-3» …"""

    def __init__(self):
        self.used = set(RESERVED_IDS)

    def claim(self, anchor):
        anchor = anchor or "seksjon"
        candidate, number = anchor, 1
        while candidate in self.used:
            number += 1
            candidate = f"{anchor}-{number}"
        self.used.add(candidate)
        return candidate


@register.filter
def nested_toc(entries):
    """Turn ``page.table_of_contents`` (flat dicts with text, anchor, level) into a tree:
    level-3 headings become children of the level-2 heading before them, level-4 headings
    children of the level-3 heading before them (or of the level-2 heading when there is none).

    Anchors are made unique exactly as ``annotate_body`` does, so links and ids match."""
    registry = _AnchorRegistry()
    tree = []
    for entry in entries or []:
        level = str(entry.get("level"))
        item = {"text": entry["text"], "anchor": registry.claim(entry["anchor"]), "level": level, "children": []}
        if level == "h4" and tree and tree[-1]["children"] and tree[-1]["children"][-1]["level"] == "h3":
            tree[-1]["children"][-1]["children"].append(item)
        elif level in {"h3", "h4"} and tree:
            tree[-1]["children"].append(item)
        else:
            tree.append(item)
    return tree


@register.filter
def annotate_body(stream):
    """Pair each block of a body StreamField with rendering hints:

    * ``anchor``: a unique id for heading blocks (same algorithm as ``nested_toc``);
    * ``heading_level``: the level a block's own title (fact box) should use so that the page's
      heading order has no gaps, one below the nearest heading before it (h2 at the start);
    * ``block_id``: the block's id, for ``aria-labelledby``;
    * ``section_title``: the text of the nearest heading block before it (names tables).
    """
    registry = _AnchorRegistry()
    current = 1  # the page's h1
    section_title = ""
    annotated = []
    for block in stream or []:
        extras = {
            "heading_level": min(current + 1, 6),
            "block_id": getattr(block, "id", "") or "",
            "anchor": "",
            "section_title": section_title,
        }
        if block.block_type == "heading":
            value = block.value
            extras["anchor"] = registry.claim(getattr(value, "anchor", ""))
            section_title = value.get("text", "")
            current = {"h3": 3, "h4": 4}.get(value.get("level"), 2)
        else:
            source = getattr(block.value, "source", None)
            if isinstance(source, str):
                levels = HEADING_TAG_RE.findall(source)
                if levels:
                    current = int(levels[-1])
        annotated.append((block, extras))
    return annotated


# --- Pagination and navigation --------------------------------------------------------------


@register.simple_tag
def page_links(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to link to, with ``None`` where numbers are left out (shown as «…»)."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends)
    ]


@register.filter
def nav_current(path, url):
    """``aria-current`` value for a navigation link: "page" on the page itself, "true" below it."""
    if not url or not path:
        return ""
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return ""


# --- Rich text ------------------------------------------------------------------------------


@register.filter
def has_text(value):
    """Whether a rich text value has visible content (editors may leave «<p></p>» behind)."""
    if not value:
        return False
    source = str(getattr(value, "source", value))
    return bool(strip_tags(source).replace("\u00a0", " ").strip()) or "<embed" in source


@register.filter
def table_parts(value):
    """Split a TableBlock value into caption, header row and body rows, and find numeric columns.

    The value is a dict with ``data`` (rows of cell strings, cells may be None),
    ``first_row_is_table_header``, ``first_col_is_header`` and ``table_caption``."""
    value = value or {}
    rows = [list(row or []) for row in value.get("data") or []]
    header = rows[0] if rows and value.get("first_row_is_table_header") else None
    body = rows[1:] if header is not None else rows
    row_headers = bool(value.get("first_col_is_header"))
    numeric = numeric_columns(body)
    return {
        "caption": value.get("table_caption") or "",
        "header": header,
        "rows": body,
        "row_headers": row_headers,
        "numeric": numeric,
        # Each row's cells as HTML, made here rather than by template tags cell by cell (a
        # report's table has hundreds of cells).
        "header_html": _header_html(header or [], numeric),
        "rows_html": [_row_html(row, row_headers) for row in body],
    }


def _num(is_numeric):
    return ' class="num"' if is_numeric else ""


def _header_html(cells, numeric):
    """``<th scope="col">`` cells, right-aligned where the whole column holds numbers."""
    return mark_safe(
        "".join(f'<th scope="col"{_num(index in numeric)}>{table_cell(cell)}</th>' for index, cell in enumerate(cells))
    )


def _row_html(cells, row_headers):
    """A body row's cells: ``<th scope="row">`` first when the first column holds headers, else
    ``<td>``; each right-aligned when it holds a number."""
    html = []
    for index, cell in enumerate(cells):
        tag, scope = ("th", ' scope="row"') if row_headers and index == 0 else ("td", "")
        html.append(f"<{tag}{scope}{_num(is_number_cell(cell))}>{table_cell(cell)}</{tag}>")
    return mark_safe("".join(html))


@register.filter
def hostname(url):
    """«youtube.com» from «https://www.youtube.com/watch?v=…» (for link texts)."""
    host = urlsplit(str(url or "")).hostname or ""
    return host.removeprefix("www.")


@register.filter
def published(pages):
    """The live, public pages of a relation, e.g. ``page.related_practices|published``.

    In a preview, relations of an unsaved page are modelcluster FakeQuerySets without ``live()``;
    then the pages are filtered in Python (view restrictions cannot be checked there)."""
    if pages is None:
        return []
    queryset = pages.all() if hasattr(pages, "all") else pages
    if hasattr(queryset, "live") and hasattr(queryset, "public"):
        return queryset.live().public()
    return [page for page in queryset if getattr(page, "live", False)]
