"""Search-result snippets: the passage of a text with the most query matches, HTML-escaped,
with each matching word wrapped in <mark>. Linear in the length of the text."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import fold, stem, synonym_groups

WORD_RE = re.compile(r"\w+", re.UNICODE)
SNIPPET_WORDS = 40


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


def _hits(words, terms):
    """Indexes of the words that match a query term or belong to a synonym phrase of one."""
    stems, prefixes, groups = _matchers(terms)
    folded = [fold(match.group()) for match in words]
    hits = {
        i
        for i, match in enumerate(words)
        if stem(match.group().casefold()) in stems or any(folded[i].startswith(prefix) for prefix in prefixes)
    }
    for group in groups:
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
    words = list(WORD_RE.finditer(text))
    hits = _hits(words, terms) if terms else []
    start_word = 0
    if hits:
        start_word = max(0, densest(hits, length) - 5)
    end_word = min(len(words), start_word + length)
    if not words:
        return mark_safe(escape(text[:300]))
    start = words[start_word].start() if start_word else 0
    end = words[end_word - 1].end() if end_word < len(words) else len(text)
    hit_set = set(hits)
    parts, cursor = [], start
    for i in range(start_word, end_word):
        match = words[i]
        parts.append(escape(text[cursor : match.start()]))
        word = escape(match.group())
        parts.append(f"<mark>{word}</mark>" if i in hit_set else word)
        cursor = match.end()
    parts.append(escape(text[cursor:end]))
    html = "".join(parts)
    return mark_safe(("… " if start > 0 else "") + html + (" …" if end < len(text) else ""))
