"""Spelling correction of a query that found nothing: each unknown word replaced by the closest
word of published content (the index vocabulary), within one or two typing errors.

Never corrected: words the analysis knows (nynorsk, English and irregular forms, compound
parts: «bustad» is a word, not a typo of «bistand»), words that split into known parts,
capitalised words after the first (names), place names, quoted words, digits, and citations
(they are not among the query's words: ``SearchService.interpret`` takes them out first).
"""

import re

from .analysis import (
    compound_parts,
    irregular_forms,
    nynorsk_words,
    quoted_words,
    split_compound,
    stem,
    stopwords,
    synonym_groups,
)

MAX_CORRECTED_WORDS = 5
MIN_LENGTH = 3


def edit_distance(a, b, limit=3):
    """Damerau-Levenshtein distance (adjacent swaps count one), cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed_errors(word):
    """One typing error in a short word, two in a long one."""
    return 1 if len(word) <= 6 else 2


def is_known_word(folded):
    """A word the analysis knows by itself: never «corrected» into another word."""
    if folded in stopwords() or folded in nynorsk_words() or folded in irregular_forms():
        return True
    if stem(folded) in compound_parts() or split_compound(folded):
        return True
    return any((folded,) == phrase for group in synonym_groups() for phrase in group.phrases)


def _occurrence(text, word):
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)


def _is_name(text, word):
    """Capitalised and not the first word of the query: a name («Bolgi» at the start is not)."""
    match = _occurrence(text, word)
    if not match or not match.group()[:1].isupper():
        return False
    return bool(re.search(r"\w", text[: match.start()]))


def correct(backend, terms, text, protected=frozenset()):
    """(corrected query, the query as typed with the corrected words quoted) or None.

    ``text`` is the query as typed; only its misspelt words change, everything else (citations,
    small words, capitals) stays as written. ``protected`` holds folded words never to change
    (place names); quoted words are never changed either."""
    protected = set(protected) | quoted_words(text)
    words = [t for t in terms if t.is_word and not t.folded.isdigit() and len(t.folded) >= MIN_LENGTH]
    known = backend.known_words([t.folded for t in words])
    suggestion, exact, changed = text, text, False
    for term in [t for t in words if t.folded not in known][:MAX_CORRECTED_WORDS]:
        if term.folded in protected or is_known_word(term.folded) or _is_name(text, term.text):
            continue
        alternatives = [
            word
            for word in backend.similar_words(term.folded, limit=3)
            if edit_distance(term.folded, word) <= allowed_errors(term.folded)
        ]
        if not alternatives:
            continue
        best = min(alternatives, key=lambda word: edit_distance(term.folded, word))
        pattern = re.compile(rf"(?<!\w){re.escape(term.text)}(?!\w)", re.IGNORECASE)
        suggestion, replaced = pattern.subn(best.replace("\\", ""), suggestion, count=1)
        if replaced:
            changed = True
            exact = pattern.sub(lambda match: f'"{match.group()}"', exact, count=1)
    return (suggestion, exact) if changed else None
