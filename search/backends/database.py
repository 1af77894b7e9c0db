"""The embedded default: search over the index tables in the site's own database.

Works the same on SQLite and PostgreSQL with no search server. Every query term must match
(a stem, a synonym group, or, for words of four letters or more, the start of an indexed
word, so compounds are found from their first part). The postings of the query's terms come
from one query and are scored here; filters and facet counts are bitset operations on an
in-memory snapshot of the facets (search/snapshot.py), each facet counted under the other
facets' filters; only the current window of hits is returned to be loaded.
"""

import difflib
import heapq
import itertools
import math

from django.db.models import Q

from .. import snapshot
from ..models import SearchDocument, SearchTerm, SearchVocabulary
from .base import BackendQuery, BackendResult, FacetCount, Hit, SearchBackend

PREFIX_MIN_LENGTH = 4
PREFIX_MAX_EXPANSIONS = 60
PREFIX_WEIGHT = 0.5
MAX_FACET_VALUES = 50


class DatabaseBackend(SearchBackend):
    name = "database"

    # --- matching -------------------------------------------------------------------------

    def _expansions(self, terms):
        """For each query term: {index term: factor}. Exact stems and synonyms count fully,
        words that merely start with the query word count half."""
        # The analysis weighs the index terms that satisfy a query term (a compound's part counts less).
        expansions = [
            dict(getattr(query_term, "weights", None) or dict.fromkeys(query_term.terms, 1.0)) for query_term in terms
        ]
        prefixes = [(i, qt.folded) for i, qt in enumerate(terms) if qt.is_word and len(qt.folded) >= PREFIX_MIN_LENGTH]
        if prefixes:
            condition = Q()
            for _i, prefix in prefixes:
                condition |= Q(word__startswith=prefix)
            rows = SearchVocabulary.objects.filter(condition).values_list("word", "stem")[: PREFIX_MAX_EXPANSIONS * 4]
            for word, stem in rows:
                for i, prefix in prefixes:
                    if word.startswith(prefix) and len(expansions[i]) < PREFIX_MAX_EXPANSIONS:
                        expansions[i].setdefault(stem, PREFIX_WEIGHT)
        return expansions

    def _scores(self, snap, terms):
        """{document id: score} for the documents matching every term (one query for the
        postings of all expansions; idf from the same rows)."""
        expansions = self._expansions(terms)
        all_terms = {term for expansion in expansions for term in expansion}
        postings = {}
        for document_id, term, weight in SearchTerm.objects.filter(term__in=all_terms).values_list(
            "document_id", "term", "weight"
        ):
            postings.setdefault(term, []).append((document_id, weight))
        total = max(1, len(snap.ids))
        scores, matched = {}, None
        for expansion in expansions:
            term_scores = {}
            for term, factor in expansion.items():
                rows = postings.get(term, ())
                idf = math.log(1 + total / max(1, len(rows)))
                for document_id, weight in rows:
                    term_scores[document_id] = term_scores.get(document_id, 0.0) + weight * factor * idf
            matched = set(term_scores) if matched is None else matched & term_scores.keys()
            for document_id, score in term_scores.items():
                scores[document_id] = scores.get(document_id, 0.0) + score
        # A page indexed after the snapshot was taken (a publish during this search) is not in it:
        # it is left out of this search rather than looked up in the snapshot.
        return {document_id: scores[document_id] for document_id in matched or () if document_id in snap.ordinal}

    # --- the contract ---------------------------------------------------------------------

    def search(self, query: BackendQuery) -> BackendResult:
        snap = snapshot.current()
        required = snap.all_bits
        for group in query.required:
            group_bits = 0
            for facet, value in group:
                group_bits |= snap.values_bits(facet, [value])
            required &= group_bits
        filters = {facet: snap.values_bits(facet, values) for facet, values in query.filters.items() if values}

        scores = self._scores(snap, list(query.terms)) if query.terms else None
        base = required if scores is None else required & snap.bits_for(scores)
        matched = base
        for bits in filters.values():
            matched &= bits

        hits = self._window(snap, matched, scores, query)
        return BackendResult(
            total=matched.bit_count(), hits=hits, facets=self._facet_counts(snap, base, filters, query)
        )

    @staticmethod
    def _window(snap, matched, scores, query):
        """Only the requested window of hits, in the requested order."""
        wanted = query.offset + query.limit
        if scores is not None and query.sort == "relevance":
            is_match = snapshot.members(matched, len(snap.ids))
            candidates = (
                (-score, snap.title_rank[snap.ordinal[pk]], pk)
                for pk, score in scores.items()
                if is_match(snap.ordinal[pk])
            )
            best = heapq.nsmallest(wanted, candidates)[query.offset :]
            return [Hit(page_id=pk, score=-negative) for negative, _rank, pk in best]
        order = snap.by_title if query.sort == "title" else snap.newest_first
        is_match = snapshot.members(matched, len(snap.ids))
        window = list(itertools.islice((p for p in order if is_match(p)), query.offset, wanted))
        return [Hit(page_id=snap.ids[p], score=(scores or {}).get(snap.ids[p], 0.0)) for p in window]

    @staticmethod
    def _facet_counts(snap, base, filters, query):
        """Each facet counted under the text, the required groups and every other facet's filter."""
        counts = {}
        for facet in query.facets:
            bits = base
            for other, other_bits in filters.items():
                if other != facet:
                    bits &= other_bits
            options = []
            for value, (label, value_bits) in snap.facets.get(facet, {}).items():
                count = (bits & value_bits).bit_count()
                if count:
                    options.append(FacetCount(value=value, label=label, count=count))
            options.sort(key=lambda option: (-option.count, option.label))
            counts[facet] = options[:MAX_FACET_VALUES]
        return counts

    def title_suggestions(self, folded_prefix, limit=8):
        titles = SearchDocument.objects.filter(
            Q(title_folded__startswith=folded_prefix) | Q(title_folded__contains=" " + folded_prefix)
        ).order_by("title_sort")[:limit]
        return [{"label": d.title, "kind": "side", "url": d.url} for d in titles]

    def known_words(self, folded_words):
        stems = dict(SearchVocabulary.objects.filter(word__in=folded_words).values_list("word", "stem"))
        present = set(SearchTerm.objects.filter(term__in=set(stems.values())).values_list("term", flat=True).distinct())
        return {word for word, stem in stems.items() if stem in present}

    def similar_words(self, folded_word, limit=3):
        if len(folded_word) < 3:
            return []
        candidates = SearchVocabulary.objects.filter(word__startswith=folded_word[0]).values_list("word", flat=True)
        close = difflib.get_close_matches(folded_word, list(candidates[:20000]), n=limit * 3, cutoff=0.75)
        return [word for word in close if word in self.known_words(close)][:limit]
