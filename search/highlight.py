"""Search-result snippets: the passage of a text with the most query matches, HTML-escaped,
with each matching word wrapped in <mark>. Linear in the length of the text.

A results page makes twenty snippets for the same query, and their texts share most of their
words: whether a word matches is worked out once per distinct word and query (``_Matcher``),
not once per occurrence, and the passage is escaped in runs between the marked words."""

import functools
import html
import itertools
import re

from django.utils.safestring import mark_safe

from .analysis import fold, stem, synonym_groups

WORD_RE = re.compile(r"\w+", re.UNICODE)
SNIPPET_WORDS = 40
KNOWN_WORDS_LIMIT = 4_000  # words remembered per query before its memo starts over (a page: ~2 000)


def _matchers(terms):
    stems, prefixes, groups = set(), set(), []
    by_key = {group.key: group for group in synonym_groups()}
    for term in terms:
        if term.is_word:
            stems.add(term.stem)
            if term.prefix:
                prefixes.add(term.prefix)
        if term.synonym in by_key:
            groups.append(by_key[term.synonym])
    return stems, prefixes, groups


class _Matcher:
    """Which words of a text match one query: a word matches when its stem is a query word's
    stem or it starts with a query word of four letters or more (``QueryTerm.prefix``)."""

    def __init__(self, terms):
        stems, prefixes, self.groups = _matchers(terms)
        self.stems = frozenset(stems)
        self.prefixes = tuple(sorted(prefixes))
        self.known = {}  # word as written -> whether it matches

    def matches(self, word):
        hit = self.known.get(word)
        if hit is None:
            hit = stem(word.casefold()) in self.stems or (bool(self.prefixes) and fold(word).startswith(self.prefixes))
            if len(self.known) >= KNOWN_WORDS_LIMIT:
                self.known.clear()
            self.known[word] = hit
        return hit


@functools.lru_cache(maxsize=64)  # at most 64 × 4 000 words per process
def _matcher(terms):
    """The matcher of a query's terms (a tuple of QueryTerm), shared by every snippet made for
    the same query."""
    return _Matcher(terms)


def _hits(words, terms):
    """Indexes of the words that match a query term or belong to a synonym phrase of one."""
    matcher = _matcher(tuple(terms))
    matches = matcher.matches
    hits = {i for i, match in enumerate(words) if matches(match.group())}
    if matcher.groups:
        folded = [fold(match.group()) for match in words]
        for group in matcher.groups:
            for phrase in group.phrases:
                n = len(phrase)
                for start in range(len(folded) - n + 1):
                    if tuple(folded[start : start + n]) == phrase:
                        hits.update(range(start, start + n))
    return sorted(hits)


def densest(hits, length):
    """The hit that starts the window of ``length`` words with the most hits (the first such):
    one pass over the sorted hit positions, so a long text with many hits stays linear."""
    best, best_count, end = hits[0], 0, 0
    for start, first in enumerate(hits):
        end = max(end, start)
        while end < len(hits) and hits[end] < first + length:
            end += 1
        if end - start > best_count:
            best, best_count = first, end - start
    return best


def snippet(text, terms, length=SNIPPET_WORDS):
    """An escaped excerpt of about ``length`` words around the densest cluster of matches."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    if terms:
        words = list(WORD_RE.finditer(text))
        hits = _hits(words, terms)
    else:  # the opening words: no need to look further than one word past them
        words = list(itertools.islice(WORD_RE.finditer(text), length + 1))
        hits = []
    start_word = 0
    if hits:
        start_word = max(0, densest(hits, length) - 5)
    end_word = min(len(words), start_word + length)
    if not words:
        return mark_safe(html.escape(text[:300]))
    start = words[start_word].start() if start_word else 0
    end = words[end_word - 1].end() if end_word < len(words) else len(text)
    # Escaping is character by character, so the runs between marked words are escaped whole.
    parts, cursor = [], start
    for i in hits:
        if i < start_word:
            continue
        if i >= end_word:
            break
        match = words[i]
        parts.append(html.escape(text[cursor : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        cursor = match.end()
    parts.append(html.escape(text[cursor:end]))
    excerpt = "".join(parts)
    return mark_safe(("… " if start > 0 else "") + excerpt + (" …" if end < len(text) else ""))
