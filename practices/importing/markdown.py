"""Markdown (CommonMark, with tables and ::: containers) to Wagtail values: rich text HTML,
StreamField blocks for report and article bodies, and the sections of a practice example."""

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

CONTAINERS = {"faktaboks": "fact_box", "utvidbar": "collapsible", "video": "video"}

# Wagtail stores rich text with <b> and <i>; Markdown renders <strong> and <em>.
_CANONICAL_TAGS = [(re.compile(r"<(/?)strong>"), r"<\1b>"), (re.compile(r"<(/?)em>"), r"<\1i>")]


def _parser():
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    for name in CONTAINERS:
        md.use(
            container_plugin,
            name=name,
            validate=lambda params, *args, name=name: params.strip().split(" ", 1)[0] == name,
        )
    return md


MD = _parser()


class MarkdownError(Exception):
    def __init__(self, message, line):
        self.message = message
        self.line = line
        super().__init__(message)


@dataclass
class Body:
    """A Markdown body with the file line number of its first line."""

    text: str
    first_line: int
    tokens: list = field(init=False)

    def __post_init__(self):
        self.tokens = MD.parse(self.text)

    def line_of(self, token):
        return self.first_line + (token.map[0] if token.map else 0)


def body_from_lines(numbered_lines):
    if not numbered_lines:
        return Body("", 1)
    return Body("\n".join(text for _n, text in numbered_lines), numbered_lines[0][0])


def render_rich_text(tokens):
    html = MD.renderer.render(tokens, MD.options, {}).strip()
    for pattern, replacement in _CANONICAL_TAGS:
        html = pattern.sub(replacement, html)
    return html


def inline_text(token):
    """The plain text of an inline token: emphasis markers dropped, soft breaks kept as newlines."""
    parts = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append("\n")
    return "".join(parts)


def split_blocks(tokens):
    """Top-level blocks: (first token, tokens of the block)."""
    blocks, depth, current = [], 0, []
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            blocks.append(current)
            current = []
    return blocks


def _heading_level(token):
    return int(token.tag[1]) if token.type == "heading_open" else None


def _quote_value(block):
    """Quote text, and an attribution from a last line starting with a dash («> — Navn»)."""
    lines = "\n\n".join(inline_text(t).strip() for t in block if t.type == "inline").split("\n")
    attribution = ""
    if len(lines) > 1 and re.match(r"^[—–-]\s*\S", lines[-1]):
        attribution = re.sub(r"^[—–-]\s*", "", lines.pop()).strip()
    return {"text": "\n".join(lines).strip(), "attribution": attribution}


def _table_value(block):
    rows, row, has_header = [], None, False
    for token in block:
        if token.type == "thead_open":
            has_header = True
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content.strip())
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return {
        "data": rows,
        "first_row_is_table_header": has_header,
        "first_col_is_header": False,
        "table_caption": "",
        "cell": [],
        "mergeCells": [],
    }


def stream_blocks(body, allowed):
    """Report/article body to raw StreamField data; ``allowed`` is the set of block types the page offers."""
    result, paragraph = [], []

    def flush():
        if paragraph:
            html = render_rich_text([t for block in paragraph for t in block])
            if html:
                result.append({"type": "paragraph", "value": html})
            paragraph.clear()

    def add(block_type, value, token):
        if block_type not in allowed:
            shown = next((f"::: {name}" for name, kind in CONTAINERS.items() if kind == block_type), block_type)
            raise MarkdownError(f"Blokken «{shown}» kan ikke brukes på denne sidetypen.", body.line_of(token))
        flush()
        result.append({"type": block_type, "value": value})

    for block in split_blocks(body.tokens):
        first = block[0]
        level = _heading_level(first)
        if level is not None:
            if level not in (2, 3):
                raise MarkdownError("Bruk overskrifter på nivå 2 (##) eller 3 (###).", body.line_of(first))
            add("heading", {"text": inline_text(block[1]).strip(), "level": f"h{level}"}, first)
        elif first.type == "blockquote_open":
            add("quote", _quote_value(block), first)
        elif first.type == "table_open":
            add("table", _table_value(block), first)
        elif first.type.startswith("container_") and first.type.endswith("_open"):
            name = first.type[len("container_") : -len("_open")]
            params = first.info.strip()[len(name) :].strip()
            inner = block[1:-1]
            if name == "video":
                if not params.startswith(("http://", "https://")):
                    raise MarkdownError("::: video må følges av videoens adresse (https://…).", body.line_of(first))
                caption = " ".join(inline_text(t) for t in inner if t.type == "inline").strip()
                add("video", {"video": params, "caption": caption}, first)
            else:
                if not params:
                    raise MarkdownError(f"::: {name} må følges av en tittel.", body.line_of(first))
                add(CONTAINERS[name], {"title": params, "body": render_rich_text(inner)}, first)
        else:
            paragraph.append(block)
    flush()
    return result


def split_sections(body, level=2):
    """Split at headings of ``level``: [(heading text, heading token, tokens)]; text before the first is an error."""
    sections = []
    for block in split_blocks(body.tokens):
        if _heading_level(block[0]) == level:
            sections.append((inline_text(block[1]).strip(), block[0], []))
        elif not sections:
            raise MarkdownError(
                f"Teksten må begynne med en overskrift på nivå {level} ({'#' * level} Overskrift).",
                body.line_of(block[0]),
            )
        else:
            sections[-1][2].extend(block)
    return sections


STEP_HEADING_RE = re.compile(r"^Trinn\s+(\d+)\s*(?::\s*(.*))?$", re.IGNORECASE)


def steps_value(body, section_tokens, heading_token):
    steps = []
    for block in split_blocks(section_tokens):
        if _heading_level(block[0]) == 3:
            match = STEP_HEADING_RE.match(inline_text(block[1]).strip())
            if not match:
                raise MarkdownError(
                    "Trinn skrives som «### Trinn 1» eller «### Trinn 1: Tittel».", body.line_of(block[0])
                )
            if int(match.group(1)) != len(steps) + 1:
                raise MarkdownError(
                    f"Trinnene må nummereres fortløpende; ventet Trinn {len(steps) + 1}.", body.line_of(block[0])
                )
            steps.append({"title": (match.group(2) or "").strip(), "tokens": [], "line": body.line_of(block[0])})
        elif not steps:
            raise MarkdownError("Under «## Trinn» må hvert trinn begynne med «### Trinn N».", body.line_of(block[0]))
        else:
            steps[-1]["tokens"].extend(block)
    result = []
    for step in steps:
        text = render_rich_text(step["tokens"])
        if not text:
            raise MarkdownError("Trinnet mangler tekst.", step["line"])
        result.append({"type": "step", "value": {"title": step["title"], "text": text}})
    if not result:
        raise MarkdownError("Seksjonen «Trinn» har ingen trinn.", body.line_of(heading_token))
    return result


def statements_value(body, section_tokens, heading_token):
    """A bullet list whose items are «statement» + optional elaboration (indented lines or paragraphs)."""
    blocks = split_blocks(section_tokens)
    if len(blocks) != 1 or blocks[0][0].type != "bullet_list_open":
        line = body.line_of(blocks[0][0]) if blocks else body.line_of(heading_token)
        raise MarkdownError("Seksjonen må være én punktliste («- Utsagn», med utdyping på innrykkede linjer).", line)
    items, depth, current = [], 0, None
    for token in blocks[0][1:-1]:
        if token.type == "list_item_open" and depth == 0:
            current = {"paragraphs": [], "line": body.line_of(token)}
        elif token.type == "list_item_close" and depth == 1:
            items.append(current)
        elif token.type == "inline" and current is not None:
            current["paragraphs"].append(inline_text(token).strip())
        depth += token.nesting if token.type in {"list_item_open", "list_item_close"} else 0
    result = []
    for item in items:
        lines = "\n\n".join(item["paragraphs"]).split("\n")
        statement, elaboration = lines[0].strip(), "\n".join(lines[1:]).strip()
        if not statement:
            raise MarkdownError("Et punkt mangler utsagn.", item["line"])
        if len(statement) > 500:
            raise MarkdownError(
                "Utsagnet er lengre enn 500 tegn; flytt resten til utdypingen på en ny linje.", item["line"]
            )
        result.append({"type": "item", "value": {"statement": statement, "elaboration": elaboration}})
    return result
