"""One small interface to the database's own full-text index, whichever database it is.

The database backend (search/backends/database.py) and indexing (search/indexing.py) call
``engine()`` and never write engine SQL themselves: SQLite gets an FTS5 table ranked by
bm25 (sqlite_fts.py), PostgreSQL a tsvector column with a GIN index ranked by ts_rank_cd
(postgres_fts.py). Both index the same analysed tokens (tokens.py), so both find the same
documents; ``Match`` is a query in neutral form that each engine writes in its own syntax.
"""

from dataclasses import dataclass

from django.db import connection

from .tokens import encode, phrase_tokens


@dataclass(frozen=True)
class Match:
    """All ``groups`` must match; a group matches if any of its alternatives does. An
    alternative is ("term", token), ("prefix", token) or ("phrase", (token, ...)).
    ``near``: one token per group, for a proximity boost (never changes what matches)."""

    groups: tuple
    near: tuple = ()

    @property
    def key(self):
        return (self.groups, self.near)


def compile_match(terms, phrases=()):
    """A Match for analysed query terms (search.analysis.QueryTerm: any of ``terms`` satisfies
    one; a word of four letters or more also matches indexed words starting with it, so
    compounds are found from their first part) and quoted phrases (each a str)."""
    groups, near = [], []
    for term in terms:
        alternatives = [("term", encode(t)) for t in sorted(term.terms)]
        if term.prefix:
            alternatives.append(("prefix", encode(term.prefix)))
        alternatives = tuple(dict.fromkeys(a for a in alternatives if a[1]))
        if alternatives:
            groups.append(alternatives)
            near.append(encode(term.stem) if term.is_word and not term.stem.startswith("=") else "")
    for phrase in phrases:
        tokens = phrase_tokens(phrase)
        if len(tokens) == 1:
            groups.append((("term", tokens[0]),))
        elif tokens:
            groups.append((("phrase", tokens),))
    if not groups:
        return None
    # The boost is only safe (adds no matches) when every group is a plain word of the query.
    if phrases or len(near) < 2 or not all(near):
        near = []
    return Match(groups=tuple(groups), near=tuple(near))


def engine():
    """The full-text engine of the default database connection."""
    if connection.vendor == "postgresql":
        from . import postgres_fts

        return postgres_fts.ENGINE
    from . import sqlite_fts

    return sqlite_fts.ENGINE
