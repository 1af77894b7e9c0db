"""FTS5's bm25 for the SQLite engine's pruned ranking (sqlite_fts.py): an upper bound of a
column table's score for a query, computed without scoring a row, and the exact score of a
few rows computed here instead of by FTS5.

FTS5 (fts5_aux.c, defaults k1 = 1.2, b = 0.75) scores a row by, for each phrase i of the query,
``idf_i * f_i * (k1 + 1) / (f_i + k1 * (1 - b + b * D / avgdl))``, summed in phrase order, with
``idf_i = log((N - n_i + 0.5) / (n_i + 0.5))`` set to 1e-6 when not positive (N rows in the
table, n_i of them holding phrase i), f_i the phrase's occurrences in the row and D the row's
length in tokens. Each term is below ``idf_i * (k1 + 1)``; a lower bound of n_i is enough for an
upper bound of idf_i, and once n_i reaches half the rows idf_i is exactly 1e-6.

The exact score is computed here only where every input is known exactly and the arithmetic
is the same as FTS5's (IEEE doubles, the same operations in the same order, the C library's
log): single-token phrases and prefixes (no NEAR, no multi-token phrase), idf known, and row
texts that FTS5's ``unicode61`` tokenizer splits exactly at spaces (checked against the row's
stored length). Otherwise ``scores`` answers None and FTS5 scores the rows itself.
"""

import json
import math
import re

K1 = 1.2
B = 0.75
CLAMPED_IDF = 1e-6
# Texts FTS5's unicode61 (remove_diacritics 0, tokenchars '_') splits only at the spaces and
# leaves as they are: lower-case Latin-1 letters, digits and underscores.
PLAIN_TEXT = re.compile(r"[0-9a-z_ \u00e0-\u00f6\u00f8-\u00ff]*")
PLAIN_TOKEN = re.compile(r"[0-9a-z_\u00e0-\u00f6\u00f8-\u00ff]+")


def varints(blob):
    """The SQLite varints in ``blob`` (FTS5's averages and document-size records)."""
    values, i = [], 0
    while i < len(blob):
        value = 0
        for position in range(9):
            byte = blob[i]
            i += 1
            if position == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def table_totals(cursor, tables):
    """Per one-column FTS5 table, (rows, tokens) from its averages record, or None (empty)."""
    cursor.execute("SELECT " + ", ".join(f"(SELECT block FROM {table}_data WHERE id = 1)" for table in tables))
    found = []
    for block in cursor.fetchone():
        totals = varints(bytes(block)) if block else []
        found.append((totals[0], totals[1]) if len(totals) >= 2 and totals[0] > 0 else None)
    return found


def idf(rows, matching):
    value = math.log((rows - matching + 0.5) / (matching + 0.5))
    return value if value > 0.0 else CLAMPED_IDF


def is_clamped(rows, at_least):
    """Whether a phrase in at least ``at_least`` of ``rows`` rows has idf 1e-6 for certain."""
    return 2 * at_least >= rows


def phrase_bounds(rows, counts, weight):
    """Per phrase of the query, an upper bound of what it adds to ``weight`` times the column's
    bm25 of any row, given (a lower bound of the rows holding it, whether that is exact)."""
    found = []
    for at_least, exact in counts:
        if exact and at_least == 0:
            found.append(0.0)  # no row holds the phrase: it adds nothing
        else:
            found.append(weight * (CLAMPED_IDF if is_clamped(rows, at_least) else idf(rows, at_least)) * (K1 + 1.0))
    return found


def bound(rows, counts, weight):
    """An upper bound of ``weight`` times the column's bm25 for any row (``phrase_bounds``)."""
    return sum(phrase_bounds(rows, counts, weight))


def exact_phrase(phrase):
    """("term", token) or ("prefix", token) if this module can count the phrase in a text."""
    kind, value = phrase
    if kind in ("term", "prefix") and PLAIN_TOKEN.fullmatch(value):
        return phrase
    return None


def scores(cursor, table, phrases, idfs, totals, ids, weight):
    """{id: weight * bm25} of the rows ``ids`` of the one-column FTS5 table ``table`` that hold
    any of ``phrases`` (the query's phrases in FTS5's order, with their exact ``idfs``),
    bit for bit as ``weight * -bm25(table)`` gives them; None if one cannot be computed here."""
    if not all(exact_phrase(phrase) for phrase in phrases) or totals is None:
        return None
    rows, tokens = totals
    average = float(tokens) / float(rows)
    cursor.execute(
        f"SELECT c.id, c.c0, s.sz FROM {table}_content c JOIN {table}_docsize s ON s.id = c.id "
        "WHERE c.id IN (SELECT value FROM json_each(%s))",
        [json.dumps(list(ids))],
    )
    found = {}
    for pk, text, size in cursor.fetchall():
        row = row_frequencies(text, size, phrases)
        if row is None:
            return None
        length, frequencies = row
        if any(frequency > 0.0 for frequency in frequencies):
            found[pk] = weight * -(-1.0 * row_bm25(length, frequencies, idfs, average))
    return found


def row_frequencies(text, size, phrases):
    """(length, each phrase's frequency) of one row of a one-column table from its stored text
    and ``_docsize`` record, as FTS5 counts them; None if the text is not one FTS5 splits at
    the spaces or the record disagrees (then FTS5 must score)."""
    if not isinstance(text, str) or not PLAIN_TEXT.fullmatch(text):
        return None
    words = text.split()
    sizes = varints(bytes(size)) if size is not None else []
    if len(sizes) != 1 or sizes[0] != len(words):
        return None
    # A word starts with a prefix where the prefix follows a space (no space in a prefix, so
    # no two such places overlap): counted in C, not word by word (the most of a carry's reading).
    spaced = " " + text
    return float(sizes[0]), tuple(
        float(words.count(value)) if kind == "term" else float(spaced.count(" " + value)) for kind, value in phrases
    )


def row_bm25(length, frequencies, idfs, average):
    """A row's bm25 sum (before FTS5's sign and the weight), in FTS5's order of operations."""
    score = 0.0
    for frequency, idf in zip(frequencies, idfs, strict=True):
        score += idf * ((frequency * (K1 + 1.0)) / (frequency + K1 * (1 - B + B * length / average)))
    return score
