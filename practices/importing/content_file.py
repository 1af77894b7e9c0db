"""Reading a content file: YAML front matter (with the line of every key) and a Markdown body."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml


class ContentFileError(Exception):
    """A problem in a content file, located by file, line and field, in Norwegian for the editor."""

    def __init__(self, path, message, line=None, field=None):
        self.path = str(path)
        self.message = message
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self):
        where = [self.path]
        if self.line:
            where.append(f"linje {self.line}")
        if self.field:
            where.append(f"felt «{self.field}»")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ContentFile:
    path: Path
    front: dict
    key_lines: dict
    body: list = field(default_factory=list)  # (line number, text) pairs
    raw: bytes = b""

    def error(self, message, key=None, line=None):
        if line is None and key is not None:
            line = self.key_lines.get(key.split(".")[0])
        return ContentFileError(self.path, message, line=line, field=key)


def _line(exc):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 2
    position = getattr(exc, "position", None)  # ReaderError: a character YAML does not allow
    return 2 if position is None else None


def _problem(exc):
    if isinstance(exc, yaml.reader.ReaderError):
        return f"tegnet {exc.character!r} er ikke tillatt"
    return "ugyldig YAML (sjekk kolon, innrykk, anførselstegn og klammer)"


def _unstorable(value, depth=0):
    """Why a value cannot be stored (a NUL or a lone surrogate in its text), or None."""
    if depth > 50:
        return "Verdien er nøstet for dypt."
    if isinstance(value, str):
        if "\x00" in value:
            return "Verdien inneholder et NUL-tegn."
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            return "Verdien inneholder et ugyldig Unicode-tegn."
        return None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set)):
        items = list(value)
    else:
        return None
    for item in items:
        problem = _unstorable(item, depth + 1)
        if problem:
            return problem
    return None


def read_content_file(path):
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentFileError(path, f"Filen kan ikke leses ({exc.strerror or exc}).") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentFileError(path, "Filen er ikke lagret som UTF-8.", line=line) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ContentFileError(path, "Filen inneholder et NUL-tegn; den ser ikke ut som en tekstfil.", line=line)
    return parse_content_text(path, text, raw)


def parse_content_text(path, text, raw=b""):
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentFileError(path, "Filen må begynne med et hode mellom to linjer med «---».", line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentFileError(path, "Hodet avsluttes ikke med en linje med «---».", line=1) from None

    front_text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(front_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ContentFileError(path, f"Hodet kan ikke leses: {_problem(exc)}.", line=_line(exc)) from exc
    except RecursionError as exc:
        raise ContentFileError(path, "Hodet er nøstet for dypt.", line=2) from exc
    if not isinstance(node, yaml.MappingNode):
        raise ContentFileError(path, "Hodet må være en liste med «felt: verdi».", line=2)

    # Each value is built on its own, so an impossible value is reported at its own key.
    constructor = yaml.SafeLoader("")
    front, key_lines = {}, {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or not key:
            raise ContentFileError(path, "Feltnavnet må være tekst.", line=line)
        if key in front:
            raise ContentFileError(path, "Feltet står to ganger.", line=line, field=key)
        try:
            value = constructor.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as exc:
            raise ContentFileError(path, "Verdien kan ikke leses (ugyldig dato, tall eller YAML-merke).",
                                   line=line, field=key) from exc
        except RecursionError as exc:
            raise ContentFileError(path, "Verdien er nøstet for dypt.", line=line, field=key) from exc
        problem = _unstorable(value)
        if problem:
            raise ContentFileError(path, problem, line=line, field=key)
        front[key], key_lines[key] = value, line

    body = [(number, line) for number, line in enumerate(lines[end + 1 :], start=end + 2)]
    return ContentFile(path=Path(path), front=front, key_lines=key_lines, body=body, raw=raw or text.encode())
