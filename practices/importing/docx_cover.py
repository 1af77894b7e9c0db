"""Guessing a Word document's title from its cover page, for documents without the Title style.

mammoth's HTML carries no font sizes, so this reads the package's XML itself: the paragraphs of
the first page (up to the first page break, page-break-before or section break) and, for each,
the largest font size of its text, resolved as Word does (the run's own size, its character
style, the paragraph style and the styles they are based on, the document defaults). The
paragraph with the largest text, when that is larger than ordinary body text, is the title.
A document without a page break early on has no cover page, and no guess is made.
"""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DEFAULT_SIZE = 20  # half-points: Word's 10 pt when nothing says otherwise
MAX_COVER_PARAGRAPHS = 40
WHITESPACE_RE = re.compile(r"\s+")


def _attr(element, name):
    return element.get(f"{W}{name}") if element is not None else None


def _size_of(rpr):
    size = rpr.find(f"{W}sz") if rpr is not None else None
    try:
        return int(_attr(size, "val")) if size is not None else None
    except (TypeError, ValueError):
        return None


class _Styles:
    def __init__(self, root):
        self.styles, self.default_paragraph = {}, None
        self.default_size = DEFAULT_SIZE
        if root is None:
            return
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.default_size = _size_of(defaults) or DEFAULT_SIZE
        for style in root.iter(f"{W}style"):
            style_id = _attr(style, "styleId")
            if style_id:
                self.styles[style_id] = style
                if _attr(style, "type") == "paragraph" and _attr(style, "default") in {"1", "true", "on"}:
                    self.default_paragraph = style_id

    def size(self, style_id, seen=()):
        """The font size a style sets, following basedOn; None if none does."""
        style = self.styles.get(style_id)
        if style is None or style_id in seen or len(seen) > 20:
            return None
        own = _size_of(style.find(f"{W}rPr"))
        if own:
            return own
        based_on = style.find(f"{W}basedOn")
        return self.size(_attr(based_on, "val"), (*seen, style_id)) if based_on is not None else None

    @property
    def body_size(self):
        return (self.size(self.default_paragraph) if self.default_paragraph else None) or self.default_size


def _walk(element, stop_at_paragraphs=False):
    """Descendants in document order; with ``stop_at_paragraphs``, not into nested paragraphs
    (text boxes), which are paragraphs of their own."""
    for child in element:
        yield child
        if stop_at_paragraphs and child.tag == f"{W}p":
            continue
        yield from _walk(child, stop_at_paragraphs)


def _paragraphs(body):
    for element in _walk(body):
        if element.tag == f"{W}p":
            yield element


def _runs(paragraph):
    for element in _walk(paragraph, stop_at_paragraphs=True):
        if element.tag == f"{W}r":
            yield element


def _run_text(run):
    parts = []
    for child in run:
        if child.tag == f"{W}t":
            parts.append(child.text or "")
        elif child.tag in {f"{W}tab", f"{W}br", f"{W}cr"} and _attr(child, "type") != "page":
            parts.append(" ")
    return "".join(parts)


def _page_break_in(run):
    return any(child.tag == f"{W}br" and _attr(child, "type") == "page" for child in run)


def _paragraph_size_and_text(paragraph, styles):
    ppr = paragraph.find(f"{W}pPr")
    style = ppr.find(f"{W}pStyle") if ppr is not None else None
    paragraph_style = _attr(style, "val") or styles.default_paragraph
    paragraph_size = (styles.size(paragraph_style) if paragraph_style else None) or styles.default_size
    biggest, texts, page_break = 0, [], False
    for run in _runs(paragraph):
        text = _run_text(run)
        if text.strip():
            rpr = run.find(f"{W}rPr")
            run_style = rpr.find(f"{W}rStyle") if rpr is not None else None
            size = _size_of(rpr) or (styles.size(_attr(run_style, "val")) if run_style is not None else None)
            biggest = max(biggest, size or paragraph_size)
            texts.append(text)
        if _page_break_in(run):
            page_break = True
            break
    return biggest, WHITESPACE_RE.sub(" ", "".join(texts)).strip(), page_break


def _starts_new_page(paragraph):
    ppr = paragraph.find(f"{W}pPr")
    if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
        flag = _attr(ppr.find(f"{W}pageBreakBefore"), "val")
        return flag not in {"0", "false", "off"}
    return any(e.tag == f"{W}lastRenderedPageBreak" for e in _walk(paragraph, stop_at_paragraphs=True))


def _ends_section(paragraph):
    ppr = paragraph.find(f"{W}pPr")
    return ppr is not None and ppr.find(f"{W}sectPr") is not None


def _read_xml(archive, name):
    try:
        with archive.open(name) as handle:
            return ET.fromstring(handle.read())
    except (KeyError, ET.ParseError, OSError, zipfile.BadZipFile):
        return None


def cover_page_title(data):
    """The text of the largest paragraph on the cover page, or "" when there is none to trust."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = _read_xml(archive, "word/document.xml")
            styles = _Styles(_read_xml(archive, "word/styles.xml"))
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        return ""
    cover, ended = [], False
    for number, paragraph in enumerate(_paragraphs(body)):
        if number >= MAX_COVER_PARAGRAPHS:
            break
        if cover and _starts_new_page(paragraph):
            ended = True
            break
        size, text, page_break = _paragraph_size_and_text(paragraph, styles)
        if text:
            cover.append((size, text))
        if page_break or _ends_section(paragraph):
            ended = True
            break
    if not ended or not cover:
        return ""
    largest = max(size for size, _text in cover)
    if largest <= styles.body_size:
        return ""
    return next(text for size, text in cover if size == largest)
