"""HTML from a converted Word document (mammoth) to the raw StreamField data of a report body.

mammoth gives flat, semantic HTML: headings, paragraphs, lists, tables, images and the
blockquotes our style map makes of quotation styles. This module turns that HTML into the
report blocks of ``practices.blocks.body_blocks`` and finds the document's title:

* ``h1.docx-title`` (the Title style) is the title; without one, the paragraph or heading whose
  text is ``title_hint`` (the cover page's largest text, see ``docx_cover``) is; without that, the
  first heading. The title is not repeated in the body; ``title_source`` says where it came from.
  The first ``p.docx-subtitle`` becomes the summary.
* Headings keep their hierarchy: the document's top heading level (normally Heading 1) becomes
  ``heading`` blocks on level h2, the next h3, and deeper ones h4.
* Paragraphs and lists next to each other become one ``paragraph`` block of rich text,
  sanitised to what the editor offers: ``p``, ``b``, ``i``, ``u``, ``sup``, ``sub``,
  ``ul``/``ol``/``li``, ``br`` and ``a`` with an http(s), mailto or tel address. Everything else
  keeps only its text.
* Tables become ``table`` blocks (plain-text cells; a fully bold body cell is written
  ``**…**`` as the table template shows subtotals). The first row is the header row when Word
  marks it as one, when all its cells are bold, or when it holds only text while a row below
  holds numbers. Merged cells are spread out to keep the grid rectangular.
* Images become ``image`` blocks; the ``image`` value is the ``src`` mammoth was given, for the
  caller to replace with a Wagtail image id. A caption paragraph (Word's Caption style) right
  after an image is its caption, right before or after a table its caption.
* A paragraph in a quotation style, or one that is entirely italic and starts and ends with
  quotation marks, becomes a ``quote`` block; a following line starting with a dash is its
  attribution.
* Footnotes and endnotes are kept as a numbered list under a heading «Noter».

Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field
from html import escape

from bs4 import BeautifulSoup, NavigableString, Tag

from ..blocks import is_number_cell

TITLE_CLASS = "docx-title"
SUBTITLE_CLASS = "docx-subtitle"
CAPTION_CLASS = "docx-caption"

NOTES_HEADING = "Noter"

HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DEEPEST_LEVEL = 4  # h4: the deepest heading a report body offers
RICH_TEXT_TAGS = {"p", "ul", "ol"}
INLINE_RENAMES = {"strong": "b", "em": "i", "b": "b", "i": "i", "u": "u", "sup": "sup", "sub": "sub"}
SAFE_URL_RE = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)

OPENING_QUOTES = "«“„\"'‘‚"
CLOSING_QUOTES = "»”“\"'’"
QUOTE_TEXT_RE = re.compile(rf"^[{OPENING_QUOTES}].*[{CLOSING_QUOTES}][.!?]?$", re.DOTALL)
ATTRIBUTION_RE = re.compile(r"^[—–-]\s*(\S.*)$", re.DOTALL)
MAX_ATTRIBUTION_LENGTH = 200

WHITESPACE_RE = re.compile(r"[ \t\r\n\u00a0]+")


@dataclass
class Converted:
    """A report read from HTML: title (may be empty), summary, raw blocks and warnings for the editor."""

    title: str = ""
    summary: str = ""
    blocks: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    title_source: str = ""  # "style", "cover" (title_hint), "heading" or "" (none found)


def plain_text(element):
    """The visible text of an element with whitespace collapsed (non-breaking spaces kept as spaces)."""
    if element is None:
        return ""
    if isinstance(element, NavigableString):
        text = str(element)
    else:
        text = element.get_text(" " if element.name in {"table", "tr", "ul", "ol"} else "")
    return WHITESPACE_RE.sub(" ", text).strip()


def _lines(paragraph):
    """The text of a paragraph split at its line breaks, as lines of (text, is italic) pieces."""
    lines = [[]]
    for node in paragraph.descendants:
        if isinstance(node, Tag) and node.name == "br":
            lines.append([])
        elif type(node) is NavigableString:
            lines[-1].append((str(node), any(parent.name in {"em", "i"} for parent in node.parents)))
    return lines


def _line_text(pieces):
    return WHITESPACE_RE.sub(" ", "".join(text for text, _italic in pieces)).strip()


def _all_bold(element):
    texts = [t for t in element.find_all(string=True) if str(t).strip()]
    return bool(texts) and all(any(p.name in {"strong", "b"} for p in t.parents) for t in texts)


def italic_quote(paragraph):
    """(text, attribution) if the paragraph is an italic quotation «…» (optionally with «— Navn»
    on its last line), else None."""
    lines = [line for line in _lines(paragraph) if _line_text(line)]
    attribution = ""
    if len(lines) > 1:
        last = _line_text(lines[-1])
        match = ATTRIBUTION_RE.match(last)
        if match and len(last) <= MAX_ATTRIBUTION_LENGTH:
            attribution = match.group(1).strip()
            lines = lines[:-1]
    text = "\n".join(_line_text(line) for line in lines)
    all_italic = all(italic for line in lines for piece, italic in line if piece.strip())
    if not text or not all_italic or not QUOTE_TEXT_RE.match(text):
        return None
    return text, attribution


def attribution_of(paragraph):
    """The name in a short paragraph «— Navn», or None."""
    text = plain_text(paragraph)
    match = ATTRIBUTION_RE.match(text)
    if match and len(text) <= MAX_ATTRIBUTION_LENGTH:
        return match.group(1).strip()
    return None


# --- Rich text ----------------------------------------------------------------------------


def _clean_inline(element):
    """Sanitise the children of ``element`` in place to b, i, u, sup, sub, br and safe links."""
    for child in list(element.children):
        if isinstance(child, NavigableString):
            if child.__class__ is not NavigableString:  # comments, CDATA, processing instructions
                child.extract()
            continue
        _clean_inline(child)
        name = child.name
        if name == "br":
            child.attrs = {}
        elif name in INLINE_RENAMES:
            child.name = INLINE_RENAMES[name]
            child.attrs = {}
            if not child.get_text().strip() and not child.find("br"):
                child.unwrap()
        elif name == "a":
            href = (child.get("href") or "").strip()
            if SAFE_URL_RE.match(href) and child.get_text().strip():
                child.attrs = {"href": href}
            else:
                child.unwrap()  # bookmarks, internal anchors, footnote back links, unsafe schemes
        else:
            child.unwrap()


def _clean_list(element, soup):
    """A ul/ol with only li children, each li holding inline content and nested lists."""
    new_list = soup.new_tag(element.name)
    for item in element.find_all("li", recursive=False):
        new_item = soup.new_tag("li")
        for child in list(item.children):
            if isinstance(child, Tag) and child.name in {"ul", "ol"}:
                nested = _clean_list(child, soup)
                if nested.contents:
                    new_item.append(nested)
            elif isinstance(child, Tag) and child.name == "p":
                if new_item.contents:
                    new_item.append(soup.new_tag("br"))
                for grandchild in list(child.children):
                    new_item.append(grandchild)
            else:
                new_item.append(child)
        nested_lists = [c.extract() for c in new_item.find_all(["ul", "ol"], recursive=False)]
        _clean_inline(new_item)
        for nested in nested_lists:
            new_item.append(nested)
        if new_item.get_text().strip():
            new_list.append(new_item)
    return new_list


def rich_text_html(elements):
    """Sanitised rich text HTML for a run of p/ul/ol elements ('' if it has no text)."""
    soup = BeautifulSoup("", "html.parser")
    parts = []
    for element in elements:
        if element.name == "p":
            paragraph = soup.new_tag("p")
            for child in list(element.children):
                paragraph.append(child)
            _clean_inline(paragraph)
            # Trailing line breaks (Shift+Enter at the end of a line) add nothing.
            while paragraph.contents and getattr(paragraph.contents[-1], "name", None) == "br":
                paragraph.contents[-1].extract()
            if paragraph.get_text().strip():
                parts.append(str(paragraph))
        else:
            cleaned = _clean_list(element, soup)
            if cleaned.contents:
                parts.append(str(cleaned))
    return "".join(parts)


# --- Tables -------------------------------------------------------------------------------


def _cell_text(cell, bold_marks):
    text = " ".join(plain_text(p) for p in (cell.find_all(["p", "li"]) or [cell]) if plain_text(p))
    if not text:
        text = plain_text(cell)
    if bold_marks and _all_bold(cell):
        return f"**{text}**"
    return text


def table_value(table, caption=""):
    """TableBlock value for a <table>, and a warning text if something could not be kept."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid, merges, occupied = [], [], {}
    warning = ""
    if table.find("table"):
        warning = "En tabell inne i en tabell ble gjort om til tekst."
    first_row_cells = []
    for row_index, tr in enumerate(rows):
        row, col = [], 0
        cells = tr.find_all(["td", "th"], recursive=False)
        if row_index == 0:
            first_row_cells = cells
        for cell in cells:
            while (row_index, col) in occupied:
                row.append("")
                col += 1
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            row.append(_cell_text(cell, bold_marks=row_index > 0))
            row.extend([""] * (colspan - 1))
            if colspan > 1 or rowspan > 1:
                merges.append({"row": row_index, "col": col, "rowspan": rowspan, "colspan": colspan})
            for r in range(row_index, row_index + rowspan):
                for c in range(col, col + colspan):
                    occupied[(r, c)] = True
            col += colspan
        while (row_index, col) in occupied:
            row.append("")
            col += 1
        grid.append(row)
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    if not any(cell for row in grid for cell in row):
        grid = []
    header = _first_row_is_header(table, rows, first_row_cells, grid)
    value = {
        "data": grid,
        "first_row_is_table_header": header,
        "first_col_is_header": False,
        "table_caption": caption,
        "cell": [],
        "mergeCells": merges,
    }
    return value, warning


def _span(value):
    try:
        return max(1, min(int(value or 1), 1000))
    except (TypeError, ValueError):
        return 1


def _first_row_is_header(table, rows, first_row_cells, grid):
    if len(grid) < 2 or not rows:
        return False
    if rows[0].find_parent("thead") is not None or any(cell.name == "th" for cell in first_row_cells):
        return True
    filled = [cell for cell in first_row_cells if plain_text(cell)]
    if filled and all(_all_bold(cell) for cell in filled):
        return True
    first_has_numbers = any(is_number_cell(text) for text in grid[0])
    later_has_numbers = any(is_number_cell(text.strip("*")) for row in grid[1:] for text in row)
    return not first_has_numbers and later_has_numbers


# --- The document -------------------------------------------------------------------------


def _is_notes_list(element):
    if element.name != "ol":
        return False
    items = element.find_all("li", recursive=False)
    return bool(items) and all(str(li.get("id", "")).startswith(("footnote-", "endnote-")) for li in items)


def _classes(element):
    return set(element.get("class") or [])


def _same_text(a, b):
    return WHITESPACE_RE.sub(" ", a).strip().casefold() == WHITESPACE_RE.sub(" ", b).strip().casefold()


class _Builder:
    def __init__(self, has_title_style, title_hint=""):
        self.has_title_style = has_title_style
        self.title_hint = title_hint
        self.result = Converted()
        self.heading_values = []  # body headings, their level still the HTML tag (h1 … h6)
        self.text_run = []  # p/ul/ol elements waiting to become one paragraph block
        self.pending_images = []  # images found inside text, emitted after it
        self.pending_caption = ""  # a caption paragraph waiting for the table that follows

    # Output ------------------------------------------------------------------------------

    def flush_text(self):
        if self.text_run:
            html = rich_text_html(self.text_run)
            if html:
                self.result.blocks.append({"type": "paragraph", "value": html})
            self.text_run = []
        self.flush_images()

    def flush_images(self):
        for image in self.pending_images:
            self.result.blocks.append(image)
        self.pending_images = []

    def add(self, block_type, value):
        self.flush_text()
        self.result.blocks.append({"type": block_type, "value": value})

    @staticmethod
    def extract_images(element):
        """Take the images out of ``element``, as image blocks."""
        images = []
        for img in element.find_all("img"):
            src = img.get("src") or ""
            if src:
                images.append(
                    {"type": "image", "value": {"image": src, "alt_text": plain_alt(img.get("alt")), "caption": ""}}
                )
            img.extract()
        return images

    def take_images(self, element):
        """Move the images in ``element`` out of it, to follow the text around it."""
        self.pending_images.extend(self.extract_images(element))

    def add_then_images(self, block_type, value, images):
        """Add a block and, right after it, the images that were inside it."""
        self.add(block_type, value)
        self.result.blocks.extend(images)

    # Input -------------------------------------------------------------------------------

    def take_title(self, text, source):
        self.result.title, self.result.title_source = text, source

    def title_source_of(self, element, text):
        """Why ``element`` is the document's title ("style", "cover", "heading"), or ""."""
        if self.result.title or not text:
            return ""
        if TITLE_CLASS in _classes(element):
            return "style"
        if self.has_title_style:
            return ""
        if self.title_hint:
            return "cover" if _same_text(text, self.title_hint) else ""
        return "heading" if element.name in HEADING_TAGS else ""

    def heading(self, element):
        images = self.extract_images(element)
        text = plain_text(element)
        source = self.title_source_of(element, text)
        if source:
            # The Title style is the title; without one, the cover's largest text or the first heading.
            self.take_title(text, source)
            if images:
                self.flush_text()
                self.result.blocks.extend(images)
        elif text:
            value = {"text": text, "level": element.name}
            self.heading_values.append(value)
            self.add_then_images("heading", value, images)
        elif images:
            self.flush_text()
            self.result.blocks.extend(images)

    def finish_headings(self):
        """Levels from the document's top heading level down: h2, h3, then h4 for all deeper."""
        if not self.heading_values:
            return
        top = min(int(value["level"][1]) for value in self.heading_values)
        for value in self.heading_values:
            value["level"] = f"h{min(int(value['level'][1]) - top + 2, DEEPEST_LEVEL)}"

    def paragraph(self, element, next_element):
        classes = _classes(element)
        if self.title_source_of(element, plain_text(element)) == "cover":
            self.take_images(element)
            self.take_title(plain_text(element), "cover")
            return
        if SUBTITLE_CLASS in classes and not self.result.summary and not self.result.blocks and not self.text_run:
            self.result.summary = plain_text(element)
            return
        if CAPTION_CLASS in classes and self.caption(element, next_element):
            return
        quote = italic_quote(element)
        if quote is not None:
            self.add("quote", {"text": quote[0], "attribution": quote[1]})
            return
        if self.attribution(element):
            return
        images = element.find_all("img")
        if images:
            self.take_images(element)
            if plain_text(element):
                self.text_run.append(element)
            self.flush_text()
            return
        self.text_run.append(element)

    def caption(self, element, next_element):
        text = plain_text(element)
        last = self.result.blocks[-1] if self.result.blocks and not self.text_run else None
        if last is None and self.pending_images:
            last = self.pending_images[-1]
        if last and last["type"] == "image" and not last["value"]["caption"]:
            last["value"]["caption"] = text
            return True
        if next_element is not None and next_element.name == "table":
            self.pending_caption = text
            return True
        if last and last["type"] == "table" and not last["value"]["table_caption"]:
            last["value"]["table_caption"] = text
            return True
        return False

    def attribution(self, element):
        """A «— Navn» line right after a quote without attribution completes that quote."""
        if self.text_run or self.pending_images or not self.result.blocks:
            return False
        last = self.result.blocks[-1]
        if last["type"] != "quote" or last["value"]["attribution"]:
            return False
        name = attribution_of(element)
        if not name:
            return False
        last["value"]["attribution"] = name
        return True

    def blockquote(self, element):
        images = self.extract_images(element)
        paragraphs = [plain_text(p) for p in element.find_all("p")] or [plain_text(element)]
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            self.flush_text()
            self.result.blocks.extend(images)
            return
        attribution = ""
        if len(paragraphs) > 1:
            match = ATTRIBUTION_RE.match(paragraphs[-1])
            if match and len(paragraphs[-1]) <= MAX_ATTRIBUTION_LENGTH:
                attribution = match.group(1).strip()
                paragraphs.pop()
        self.add_then_images("quote", {"text": "\n\n".join(paragraphs), "attribution": attribution}, images)

    def table(self, element):
        self.flush_text()
        images = self.extract_images(element)
        value, warning = table_value(element, caption=self.pending_caption)
        self.pending_caption = ""
        if warning:
            self.result.warnings.append(warning)
        if images:
            self.result.warnings.append("Bilder inne i en tabell ble flyttet ut og står under tabellen.")
        if value["data"]:
            self.add_then_images("table", value, images)
        else:
            self.result.blocks.extend(images)

    def notes(self, element):
        self.flush_text()
        for back_link in element.select('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"]'):
            back_link.decompose()
        self.add("heading", {"text": NOTES_HEADING, "level": "h2"})
        html = rich_text_html([element])
        if html:
            self.add("paragraph", html)

    def other(self, element):
        """Anything else at the top level (a div, a stray inline element): kept as text."""
        self.take_images(element)
        if plain_text(element):
            wrapper = BeautifulSoup("", "html.parser").new_tag("p")
            wrapper.string = plain_text(element)
            self.text_run.append(wrapper)


def plain_alt(alt):
    return WHITESPACE_RE.sub(" ", alt or "").strip()


def convert_html(html, title_hint=""):
    """Convert mammoth's HTML to a :class:`Converted` report (title, summary, blocks, warnings).

    ``title_hint`` is the text of the title when the document has no Title style (its cover
    page's largest text); that paragraph becomes the title and leaves the body."""
    soup = BeautifulSoup(html or "", "html.parser")
    builder = _Builder(has_title_style=soup.find(class_=TITLE_CLASS) is not None, title_hint=title_hint)
    elements = [child for child in soup.children if isinstance(child, Tag)]
    for index, element in enumerate(elements):
        following = elements[index + 1] if index + 1 < len(elements) else None
        name = element.name
        if name in HEADING_TAGS:
            builder.heading(element)
        elif name == "p":
            builder.paragraph(element, following)
        elif name in {"ul", "ol"}:
            if _is_notes_list(element):
                builder.notes(element)
            else:
                builder.take_images(element)
                builder.text_run.append(element)
        elif name == "blockquote":
            builder.blockquote(element)
        elif name == "table":
            builder.table(element)
        elif name == "img":
            builder.flush_text()
            wrapper = soup.new_tag("p")
            element.wrap(wrapper)
            builder.take_images(wrapper)
            builder.flush_images()
        else:
            builder.other(element)
    builder.flush_text()
    builder.finish_headings()
    if builder.pending_caption:
        builder.result.blocks.append({"type": "paragraph", "value": f"<p>{escape(builder.pending_caption)}</p>"})
    return builder.result
