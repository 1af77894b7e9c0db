"""The analysed token stream both database engines (SQLite FTS5, PostgreSQL tsvector) index.

The engines never analyse Norwegian themselves: every text goes through search.analysis
(stems, folding, synonym groups), and the resulting index terms are written as plain tokens
the engines' own tokenizers keep whole (FTS5 ``unicode61`` with ``_`` as a token character;
PostgreSQL tsvector literals, which are not parsed at all). So both engines, and the
Elasticsearch backend, find the same documents for the same query.

A text becomes its stems in document order (so phrases and proximity work), followed by its
synonym-group keys and any other index term search.analysis.index_terms gives it.
"""

import functools
import math

from ..analysis import PART_PREFIX, _word_entry, index_terms_of_words, is_searchable_word, stem, words
from ..weights import WEIGHT_BODY, WEIGHT_STRUCTURED, WEIGHT_SUMMARY, WEIGHT_TITLE

# One column (FTS5) or weight class (PostgreSQL A-D) per weight of search/documents.py.
COLUMNS = ("title", "summary", "structured", "body")
COLUMN_WEIGHTS = (8.0, 4.0, 2.0, 1.0)
SYNONYM_PREFIX = "syn_"
PART_TOKEN_PREFIX = "part_"
MAX_EXTRA_REPEAT = 5


def column_for(weight):
    if weight >= WEIGHT_TITLE:
        return 0
    if weight >= WEIGHT_SUMMARY:
        return 1
    if weight >= WEIGHT_STRUCTURED:
        return 2
    return 3


@functools.lru_cache(maxsize=100_000)
def encode(term):
    """An index term as one engine token: «=housing first» → «syn_housing_first», the compound
    part «~bol» → «part_bol» (a token of its own, as in Elasticsearch: a word's parts are not
    the word, and have their own document frequency), «~bol+sosial» → «part_bol_sosial»;
    anything an engine's tokenizer would split on is dropped."""
    if term.startswith("="):
        return SYNONYM_PREFIX + "_".join(part for part in (encode(w) for w in term[1:].split()) if part)
    if term.startswith(PART_PREFIX):
        parts = [part for part in (encode(p) for p in term[len(PART_PREFIX) :].split("+")) if part]
        return PART_TOKEN_PREFIX + "_".join(parts) if parts else ""
    return "".join(ch for ch in term if ch.isalnum())


@functools.lru_cache(maxsize=200_000)
def _word(word):
    """What one word contributes to a text's analysis, looked up once however often it recurs:
    (its token in the stream or "", its search.analysis._word_entry)."""
    return _word_token(word), _word_entry(word)


def analyse(text):
    """(engine tokens, {index term: count}, {folded word: stem}) of ``text``: the tokens are the
    stems in document order, then the other index terms (synonym keys); the counts and the
    vocabulary are search.analysis.index_terms' own."""
    text_words = words(text)
    tokens, entries = zip(*map(_word, text_words), strict=True) if text_words else ((), ())
    stream = list(filter(None, tokens))
    counts, vocabulary = index_terms_of_words(text_words, entries)
    seen = set(stream)
    extras = []
    for token, count in zip(map(encode, counts), counts.values(), strict=True):
        if token and token not in seen:
            extras.extend([token] * min(count, MAX_EXTRA_REPEAT))
    return stream + extras, counts, vocabulary


# Tag, theme, target group, place and funding names recur across documents: a short text of
# those weights is analysed once (titles and bodies are unique; the cache stays small).
SHORT_TEXT = 200
_analyse_short = functools.lru_cache(maxsize=4096)(analyse)


def analysed_tokens(text):
    return analyse(text)[0]


@functools.lru_cache(maxsize=100_000)
def _word_token(word):
    """A word's token in the stream: its encoded stem, or "" for what the index leaves out."""
    return encode(stem(word)) if is_searchable_word(word) else ""


def phrase_tokens(text):
    """The stems of a quoted phrase, in order (stop words left out, as in the index)."""
    return tuple(token for token in map(_word_token, words(text)) if token)


def document_columns(texts):
    """[(text, weight)] of a document → four token lists, one per column."""
    return analyse_document(texts)[0]


def analyse_document(texts):
    """Everything indexing needs from a document's [(text, weight)], analysed once: the four
    token lists, {index term: weight} (for SearchTerm), {folded word: stem} and the length."""
    columns = ([], [], [], [])
    weights, vocabulary, length = {}, {}, 0
    for text, weight in texts:
        if not text:
            continue
        recurring = WEIGHT_BODY < weight < WEIGHT_TITLE and len(text) <= SHORT_TEXT
        tokens, counts, text_vocabulary = (_analyse_short if recurring else analyse)(text)
        columns[column_for(weight)].extend(tokens)
        vocabulary.update(text_vocabulary)
        get = weights.get
        for term, count in counts.items():
            factor = _LOG_FACTORS[count] if count < LOG_TABLE else 1.0 + math.log(count)
            weights[term] = get(term, 0.0) + weight * factor
        length += sum(counts.values())
    return columns, weights, vocabulary, length


# 1 + log(count) for the counts a text usually has: the same floats math.log gives, looked up.
LOG_TABLE = 512
_LOG_FACTORS = [0.0] + [1.0 + math.log(count) for count in range(1, LOG_TABLE)]
