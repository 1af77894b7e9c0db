"""Norwegian legal-citation parser for the knowledge base's search box.

People search for practice examples by the law provision they work under, e.g.
"midlertidig botilbud sosialtjenesteloven § 27", "sotjl. § 27", "§ 3-7 i hol." or
"Lov om sosiale tjenester i NAV §§ 15, 17 og 27". :func:`parse_query` finds such
citations in a free-text query and returns them as structured
:class:`LawReference` objects (law slug + normalised paragraph) together with the
remaining free text, so search can filter or boost on the provisions and run
full-text search on the rest.

The module is pure Python: no Django, no database. Law names are not hard-coded;
they come from a :class:`LawAliases` registry built from ``(slug, [names...])``
pairs. :func:`default_registry` loads it from ``practices/taxonomy_data/laws.yaml``;
the law snippets in the database can later supply the same pairs.

Design notes:

* The query is split into tokens by one linear regular-expression scan and the
  grammar is matched on tokens by hand-written code, so there is no regex
  backtracking and the cost is linear in the length of the query.
* A law's Lovdata identifier ("LOV-2009-12-18-131") is one of its names: it is
  recognised on its own and before or after a paragraph.
* Invisible characters (zero-width space, soft hyphen, word joiner, BOM) are
  dropped before tokenising, so they never split a word or a citation.
* Law names are matched case-insensitively, ignoring spaces, hyphens and dashes
  ("helse- og omsorgstjenesteloven", "helse og omsorgstjenesteloven",
  "boligsosial lov"), with the inflections lov/loven/lova/lovens/lovas and a
  trailing period on abbreviations ("sotjl." / "sotjl").
* Abbreviations ("hol", "sotjl") only count when they stand next to a paragraph:
  "Hol" is also a municipality. Full names ("sosialtjenesteloven") also count on
  their own, as a reference to the whole law.
* Citations are removed from the token list one by one and the scan resumes a
  little before each removal, so words that become neighbours after a removal are
  examined again ("sosialtjeneste § 1 loven"). Hence parsing the remaining text
  never finds another citation.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_LAWS_FILE",
    "LawAliases",
    "LawReference",
    "ParsedQuery",
    "default_registry",
    "load_law_aliases",
    "parse_query",
]

DEFAULT_LAWS_FILE = Path(__file__).resolve().parent.parent / "practices" / "taxonomy_data" / "laws.yaml"

# A "§§ a til b" range of plain integers is expanded only up to this many
# paragraphs; wider or reversed ranges give just their two end points.
MAX_RANGE_EXPANSION = 30
# Paragraph numbers (and chapter numbers) have at most this many digits.
MAX_PARAGRAPH_DIGITS = 4
# An abbreviation followed directly by a number ("sotjl. 27") needs a short
# number, so "hol 2011" is not read as a paragraph.
MAX_BARE_NUMBER_DIGITS = 3


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LawReference:
    """One cited provision.

    ``law`` is the law's slug, or None for a bare "§ 27" (paragraph 27 of any law).
    ``paragraph`` is normalised ("27", "3-7", "4a"), or None when the whole law is
    meant ("sosialtjenesteloven"). ``source`` is the citation as the user wrote it
    (whitespace normalised); a citation listing several paragraphs gives one
    reference per paragraph, all with the same ``source``.
    """

    law: str | None
    paragraph: str | None
    source: str
    law_name: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """Norwegian display text: "sosialtjenesteloven § 27", "§ 27 (alle lover)"."""
        law = self.law_name or self.law
        if self.paragraph is None:
            return law or ""
        paragraph = "§ " + _display_paragraph(self.paragraph)
        if law is None:
            return f"{paragraph} (alle lover)"
        return f"{law} {paragraph}"


@dataclass(frozen=True)
class ParsedQuery:
    """A search query split into law references and the remaining free text."""

    text: str
    references: list[LawReference] = field(default_factory=list)


def _display_paragraph(paragraph: str) -> str:
    # Norwegian statutes write a letter suffix with a space: "§ 4 a".
    if paragraph[-1:].isalpha():
        return f"{paragraph[:-1]} {paragraph[-1]}"
    return paragraph


# --------------------------------------------------------------------------- registry


def _fold_name(name: str) -> str:
    """Comparison key for a law name: case-folded letters and digits only."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


_LAW_ENDINGS = ("lovens", "lovas", "loven", "lova", "lov")


def _inflections(key: str) -> list[str]:
    """Other inflected forms of a folded law name ending in lov/loven/lova."""
    for ending in _LAW_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending):
            stem = key[: -len(ending)]
            return [stem + other for other in _LAW_ENDINGS if other != ending]
    return []


class LawAliases:
    """The names people write for each law, for matching in free text.

    Built from ``(slug, names)`` pairs; the first name of each law is its display
    name (use the short name, e.g. "helse- og omsorgstjenesteloven"). A name that
    contains "lov" is a full name and is recognised on its own; any other name is
    an abbreviation ("sotjl.", "hol") and is recognised only next to a paragraph.
    If two laws share a name, the first law listed keeps it.
    """

    def __init__(self, laws: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._display: dict[str, str] = {}
        self._keys: dict[str, tuple[str, bool]] = {}
        variants: list[tuple[str, str]] = []
        for slug, names in laws:
            slug = str(slug)
            name_list = [str(name).strip() for name in names if name and str(name).strip()]
            self._display.setdefault(slug, name_list[0] if name_list else slug)
            for name in name_list:
                key = _fold_name(name)
                if len(key) < 2:
                    continue
                self._keys.setdefault(key, (slug, "lov" not in key))
                if "lov" in key:
                    variants.extend((variant, slug) for variant in _inflections(key))
        # Generated inflections never take a name that some law lists explicitly.
        for key, slug in variants:
            self._keys.setdefault(key, (slug, False))
        self._prefixes = frozenset(key[:end] for key in self._keys for end in range(1, len(key) + 1))
        self.max_key_length = max((len(key) for key in self._keys), default=0)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(self._display)

    def display_name(self, slug: str) -> str:
        return self._display.get(slug, slug)

    def lookup(self, name: str) -> str | None:
        """The slug of the law called ``name`` (any alias or inflection), else None."""
        hit = self._keys.get(_fold_name(name))
        return hit[0] if hit else None

    def _is_prefix(self, folded: str) -> bool:
        """Whether ``folded`` (see ``_fold_name``) is the beginning of some law name."""
        return folded in self._prefixes

    def _match(self, tokens: Sequence[_Token], start: int) -> tuple[str, int, bool] | None:
        """Longest law name starting at ``tokens[start]``: (slug, end, is_abbreviation)."""
        key = ""
        best = None
        pos = start
        count = len(tokens)
        while pos < count:
            token = tokens[pos]
            if token.kind not in (_WORD, _NUMBER) or not token.fold:
                break
            key += token.fold
            if key not in self._prefixes:
                break
            pos += 1
            hit = self._keys.get(key)
            if hit is not None:
                best = (hit[0], pos, hit[1])
            # "helse- og", "nav-loven": a single hyphen between words is ignored.
            if pos + 1 < count and tokens[pos].kind == _DASH and tokens[pos + 1].kind in (_WORD, _NUMBER):
                pos += 1
        return best


def load_law_aliases(path: str | Path = DEFAULT_LAWS_FILE) -> LawAliases:
    """Build a registry from a laws.yaml file (slug, short_name, abbreviation, aliases)."""
    import yaml  # Imported here so the parser itself does not need PyYAML.

    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or []
    entries = []
    for law in data:
        if not isinstance(law, dict) or not law.get("slug"):
            continue
        names = [law.get("short_name"), law.get("abbreviation"), *(law.get("aliases") or []), law.get("lovdata_id")]
        entries.append((str(law["slug"]), [str(name) for name in names if name]))
    return LawAliases(entries)


@functools.lru_cache(maxsize=1)
def default_registry() -> LawAliases:
    """The registry from ``practices/taxonomy_data/laws.yaml`` (loaded once)."""
    return load_law_aliases(DEFAULT_LAWS_FILE)


# --------------------------------------------------------------------------- tokens

_WORD, _NUMBER, _SECTION, _DASH, _OTHER = range(5)

_TOKEN_RE = re.compile(
    r"""
      (?P<space>[\s\x00-\x1f\x7f-\x9f]+)
    | (?P<section>§+)
    | (?P<number>[0-9]+)
    | (?P<word>[^\W\d_]+)
    | (?P<dash>[\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_KINDS = {"section": _SECTION, "number": _NUMBER, "word": _WORD, "dash": _DASH, "other": _OTHER}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: int
    text: str
    fold: str
    space: bool  # whitespace (or a removed citation) before this token


# Invisible characters never split a word or a citation: zero-width space, (non-)joiners, word
# joiner, byte order mark, soft hyphen (as search.analysis.INVISIBLE).
_INVISIBLE = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    space = False
    for match in _TOKEN_RE.finditer(text.translate(_INVISIBLE)):
        group = match.lastgroup
        value = match.group()
        if group == "space":
            space = True
            continue
        kind = _KINDS[group]
        fold = _fold_name(value) if kind == _WORD else value
        tokens.append(_Token(kind, value, fold, space))
        space = False
    return tokens


def _render(tokens: Sequence[_Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.space and parts:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


# --------------------------------------------------------------------------- grammar

_SINGLE_MARKERS = frozenset({"paragraf", "paragrafen"})
_PLURAL_MARKERS = frozenset({"paragrafer", "paragrafene"})
_LIST_SEPARATORS = frozenset({"og", "eller", "samt"})
_RANGE_WORDS = frozenset({"til"})
_LAW_CONNECTORS = frozenset({"i", "etter"})
_CITE_PREFIXES = frozenset({"jf", "jfr", "jamfør", "jamfor"})
_ORDINALS = frozenset(
    {
        "første", "andre", "annet", "anna", "tredje", "fjerde", "femte", "sjette",
        "sjuende", "syvende", "åttende", "niende", "tiende",
    }
)
_SUBDIVISIONS = frozenset({"ledd", "punktum"})
_NUMBER_WORDS = frozenset({"nr"})  # "nr. 3"
_LETTER_WORDS = frozenset({"bokstav"})  # "bokstav a"
_SUFFIX_LETTERS = frozenset(string.ascii_lowercase)  # "§ 4 a"
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True, slots=True)
class _Paragraph:
    value: str  # normalised, e.g. "27", "3-7", "4a"
    number: int | None  # set for plain integers, which may form "til" ranges


@dataclass(frozen=True, slots=True)
class _Citation:
    start: int  # first token of the citation proper (used for ``source``)
    end: int  # one past the last token
    law: str | None
    paragraphs: tuple[str | None, ...]


def _token(tokens: Sequence[_Token], pos: int) -> _Token | None:
    return tokens[pos] if pos < len(tokens) else None


def _is_word(token: _Token | None, words: frozenset[str]) -> bool:
    return token is not None and token.kind == _WORD and token.fold in words


def _is_text(token: _Token | None, text: str) -> bool:
    return token is not None and token.kind == _OTHER and token.text == text


def _marker(token: _Token | None) -> bool | None:
    """None if ``token`` is no paragraph marker, else whether it is plural ("§§")."""
    if token is None:
        return None
    if token.kind == _SECTION:
        return len(token.text) > 1
    if token.kind == _WORD:
        if token.fold in _SINGLE_MARKERS:
            return False
        if token.fold in _PLURAL_MARKERS:
            return True
    return None


def _small_number(token: _Token | None, max_digits: int = MAX_PARAGRAPH_DIGITS) -> int | None:
    if token is None or token.kind != _NUMBER or len(token.text) > max_digits:
        return None
    value = int(token.text)
    return value or None


def _parse_paragraph(
    tokens: Sequence[_Token], pos: int, max_digits: int = MAX_PARAGRAPH_DIGITS
) -> tuple[_Paragraph, int] | None:
    """A paragraph number at ``pos``: "27", "3-7", "3–7", "4a", "4 a"."""
    number = _small_number(_token(tokens, pos), max_digits)
    if number is None:
        return None
    pos += 1
    value, plain = str(number), number
    dash, after = _token(tokens, pos), _token(tokens, pos + 1)
    if dash is not None and dash.kind == _DASH and not dash.space and after is not None and not after.space:
        second = _small_number(after)
        if second is not None:  # chapter-numbered law: "3-7" is one paragraph
            value, plain = f"{number}-{second}", None
            pos += 2
    suffix = _token(tokens, pos)
    if (
        suffix is not None
        and suffix.kind == _WORD
        and len(suffix.text) == 1
        and suffix.fold in _SUFFIX_LETTERS
        and not (suffix.space and suffix.fold == "i")  # "§ 27 i sotjl": "i" is a preposition
    ):
        value, plain = value + suffix.fold, None
        pos += 1
    return _Paragraph(value, plain), _skip_subdivisions(tokens, pos)


def _skip_subdivisions(tokens: Sequence[_Token], pos: int) -> int:
    """Skip "første ledd", "2. ledd", "annet punktum", "nr. 3", "bokstav a"."""
    for _ in range(8):
        token, following = _token(tokens, pos), _token(tokens, pos + 1)
        if _is_word(token, _ORDINALS) and _is_word(following, _SUBDIVISIONS):
            pos += 2
        elif (
            token is not None
            and token.kind == _NUMBER
            and _is_text(following, ".")
            and _is_word(_token(tokens, pos + 2), _SUBDIVISIONS)
        ):
            pos += 3
        elif _is_word(token, _NUMBER_WORDS):
            skip = 2 if _is_text(following, ".") else 1
            if _small_number(_token(tokens, pos + skip)) is None:
                break
            pos += skip + 1
        elif (
            _is_word(token, _LETTER_WORDS)
            and following is not None
            and following.kind == _WORD
            and len(following.text) == 1
        ):
            pos += 2
        else:
            break
    return pos


def _parse_marked(tokens: Sequence[_Token], pos: int) -> tuple[list[_Paragraph], int] | None:
    """Marker and paragraphs: "§ 27", "§§ 15, 17 og 27", "§§ 15 til 17", "paragraf 3-7".

    Further marked paragraphs joined by "og"/"," are included: "§ 15 og § 17".
    """
    paragraphs: list[_Paragraph] = []
    while True:
        plural = _marker(_token(tokens, pos))
        if plural is None:
            break
        parsed = _parse_paragraph(tokens, pos + 1)
        if parsed is None:
            break
        first, pos = parsed
        paragraphs.append(first)
        if plural:
            pos = _parse_list_tail(tokens, pos, paragraphs)
        # Continue with another marker after a separator: "§ 15 og § 17".
        separator_end = _separator_end(tokens, pos)
        if separator_end is None or _marker(_token(tokens, separator_end)) is None:
            break
        if _parse_paragraph(tokens, separator_end + 1) is None:
            break
        pos = separator_end
    if not paragraphs:
        return None
    return paragraphs, pos


def _separator_end(tokens: Sequence[_Token], pos: int) -> int | None:
    """End of a list separator at ``pos``: ",", "og", "eller", ", og"; else None."""
    token = _token(tokens, pos)
    if _is_text(token, ",") or _is_text(token, "&"):
        if _is_word(_token(tokens, pos + 1), _LIST_SEPARATORS):
            return pos + 2
        return pos + 1
    if _is_word(token, _LIST_SEPARATORS):
        return pos + 1
    return None


def _parse_list_tail(tokens: Sequence[_Token], pos: int, paragraphs: list[_Paragraph]) -> int:
    """After "§§ 15": ", 17 og 27", " til 17", " – 17"."""
    while True:
        token = _token(tokens, pos)
        is_range = _is_word(token, _RANGE_WORDS) or (
            token is not None
            and token.kind == _DASH
            and (token.space or (_token(tokens, pos + 1) is not None and tokens[pos + 1].space))
        )
        if is_range:
            parsed = _parse_paragraph(tokens, pos + 1)
            if parsed is None:
                return pos
            last, pos = parsed
            paragraphs.extend(_expand_range(paragraphs[-1], last))
            continue
        separator_end = _separator_end(tokens, pos)
        if separator_end is None:
            return pos
        parsed = _parse_paragraph(tokens, separator_end)
        if parsed is None:
            return pos
        paragraph, pos = parsed
        paragraphs.append(paragraph)


def _expand_range(first: _Paragraph, last: _Paragraph) -> list[_Paragraph]:
    if first.number is not None and last.number is not None and 0 < last.number - first.number <= MAX_RANGE_EXPANSION:
        return [_Paragraph(str(n), n) for n in range(first.number + 1, last.number + 1)]
    return [last]


def _law_end(tokens: Sequence[_Token], end: int, abbreviation: bool) -> int:
    """Include the period of an abbreviation: "sotjl." / "hol."."""
    if abbreviation:
        token = _token(tokens, end)
        if _is_text(token, ".") and not token.space:
            return end + 1
    return end


def _parse_citation(tokens: Sequence[_Token], pos: int, registry: LawAliases) -> _Citation | None:
    law = registry._match(tokens, pos)
    if law is not None:
        slug, end, abbreviation = law
        end = _law_end(tokens, end, abbreviation)
        marked = _parse_marked(tokens, end)
        if marked is not None:  # "sotjl. § 27", "sosialtjenesteloven §§ 15, 17 og 27"
            paragraphs, end = marked
            return _Citation(pos, end, slug, tuple(p.value for p in paragraphs))
        if abbreviation:  # "sotjl. 27", "hol 3-7"
            bare = _parse_paragraph(tokens, end, MAX_BARE_NUMBER_DIGITS)
            if bare is None:
                return None
            paragraph, end = bare
            return _Citation(pos, end, slug, (paragraph.value,))
        return _Citation(pos, end, slug, (None,))  # "sosialtjenesteloven"

    marked = _parse_marked(tokens, pos)
    if marked is None:
        return None
    paragraphs, end = marked
    values = tuple(p.value for p in paragraphs)
    # A law after the paragraphs: "§ 27 i sosialtjenesteloven", "§ 3-7 hol."
    law_pos = end + 1 if _is_word(_token(tokens, end), _LAW_CONNECTORS) else end
    law = registry._match(tokens, law_pos)
    if law is not None:
        slug, law_end, abbreviation = law
        law_end = _law_end(tokens, law_end, abbreviation)
        # A law followed by its own paragraph starts the next citation instead.
        following = _token(tokens, law_end)
        if _marker(following) is None and not (abbreviation and _small_number(following) is not None):
            return _Citation(pos, law_end, slug, values)
    return _Citation(pos, end, None, values)


def _match_at(tokens: Sequence[_Token], pos: int, registry: LawAliases) -> _Citation | None:
    """A citation starting at ``pos``, possibly introduced by "jf." (removed, not in ``source``)."""
    if _is_word(_token(tokens, pos), _CITE_PREFIXES):
        start = pos + 2 if _is_text(_token(tokens, pos + 1), ".") else pos + 1
        citation = _parse_citation(tokens, start, registry)
        if citation is not None:
            return citation
    return _parse_citation(tokens, pos, registry)


class _Ahead(Sequence[_Token]):
    """The tokens from the scan position on, stored reversed so that consuming,
    removing and pushing back tokens at the scan position are cheap."""

    __slots__ = ("_reversed",)

    def __init__(self, tokens: Iterable[_Token]) -> None:
        self._reversed = list(tokens)[::-1]

    def __len__(self) -> int:
        return len(self._reversed)

    def __getitem__(self, index: int) -> _Token:  # type: ignore[override]  # no slices, no negative indexes
        return self._reversed[-1 - index]

    def pop(self) -> _Token:
        return self._reversed.pop()

    def push(self, token: _Token) -> None:
        self._reversed.append(token)

    def drop(self, count: int) -> None:
        del self._reversed[len(self._reversed) - count :]


# Every failed match attempt looks at most this many tokens past the end of a
# law name: "sotjl" "." "§" <number?>.
_LOOKAHEAD = 3
# "jf" "." before a citation.
_PREFIX_TOKENS = 2


def _restart_count(done: Sequence[_Token], registry: LawAliases) -> int:
    """How many kept tokens to scan again after a removal just after ``done``.

    A failed match attempt has to be retried if it looked at the tokens now
    joined by the removal: attempts starting in the last few tokens, and law-name
    walks long enough to reach them, i.e. those whose words up to the last few
    tokens spell the beginning of a law name.
    """
    count = len(done)
    back = min(count, 2 * _LOOKAHEAD)
    end = count - _LOOKAHEAD - 1  # a walk reaching index ``end`` reaches the look-ahead zone
    key = ""
    for start in range(end - 1, -1, -1):
        token = done[start]
        if token.kind == _DASH:
            continue
        if token.kind not in (_WORD, _NUMBER):
            break
        key = token.fold + key
        if len(key) > registry.max_key_length:
            break
        if registry._is_prefix(key):
            back = count - start
    return min(count, back + _PREFIX_TOKENS)


def _extract(tokens: Iterable[_Token], registry: LawAliases) -> tuple[list[_Token], list[LawReference]]:
    """Remove citations (and stray "§") from ``tokens``: (kept tokens, references).

    ``done`` holds the kept tokens before the scan position and ``ahead`` the
    tokens from it on; both ends meet at the scan position, so every step costs
    time proportional to the tokens it touches and the whole scan is linear.
    """
    references: list[LawReference] = []
    done: list[_Token] = []
    ahead = _Ahead(tokens)
    while ahead:
        citation = _match_at(ahead, 0, registry)
        if citation is not None:
            end = citation.end
            source = _render([ahead[index] for index in range(citation.start, citation.end)])
            law_name = registry.display_name(citation.law) if citation.law else None
            references.extend(
                LawReference(citation.law, paragraph, source, law_name) for paragraph in citation.paragraphs
            )
        elif ahead[0].kind == _SECTION:
            end = 1  # a lone "§" or "§ abc": drop the sign, keep the words
        else:
            done.append(ahead.pop())
            continue
        ahead.drop(end)
        # Drop brackets left empty: "botilbud (sotjl. § 27)".
        while done and ahead and _BRACKETS.get(done[-1].text) == ahead[0].text:
            done.pop()
            ahead.drop(1)
        if ahead and not ahead[0].space:
            first = ahead.pop()
            ahead.push(_Token(first.kind, first.text, first.fold, True))
        for _ in range(_restart_count(done, registry)):
            ahead.push(done.pop())
    return done, references


def _deduplicate(references: Iterable[LawReference]) -> list[LawReference]:
    seen: set[tuple[str | None, str | None]] = set()
    unique = []
    for reference in references:
        key = (reference.law, reference.paragraph)
        if key not in seen:
            seen.add(key)
            unique.append(reference)
    return unique


# --------------------------------------------------------------------------- API

# What a citation leaves behind when it is taken out of a query and means nothing on its own:
# empty brackets, and a list word, "jf." or a comma at either end of what remains.
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_GLUE = r"(?:(?:og|eller|samt|jf|jfr|jamfør)\.?|[,;:])"
_GLUE_AT_ENDS = re.compile(rf"^{_GLUE}(?:\s+|$)|(?:^|\s+){_GLUE}$", re.IGNORECASE)


def tidy_remainder(text: str) -> str:
    """``text`` after citations were taken out of it, without the leftovers of their syntax:
    "botilbud ( )" -> "botilbud", "jf." -> "", "og" -> ""."""
    text = " ".join(_EMPTY_BRACKETS.sub(" ", text).split())
    while True:
        tidied = _GLUE_AT_ENDS.sub("", text).strip()
        if tidied == text:
            return text
        text = tidied


def parse_query(text: str, registry: LawAliases | None = None) -> ParsedQuery:
    """Split a search query into law references and the remaining text.

    >>> parsed = parse_query("midlertidig botilbud sosialtjenesteloven § 27")
    >>> parsed.text
    'midlertidig botilbud'
    >>> [(r.law, r.paragraph) for r in parsed.references]
    [('sosialtjenesteloven', '27')]

    The remaining text has its whitespace (and control characters) collapsed to
    single spaces and never contains "§". References are deduplicated on
    (law, paragraph) and keep the order of the query.
    """
    if registry is None:
        registry = default_registry()
    kept, references = _extract(_tokenize(text), registry)
    rendered = _render(kept)
    return ParsedQuery(text=tidy_remainder(rendered) if references else rendered, references=_deduplicate(references))
