"""Search with Elasticsearch or OpenSearch (elasticsearch-dsl), for large collections.

The same contract as the database backend (base.py), with the same results for the same
query, and nothing but the engine to answer it (search/engines/elasticsearch/): every query
term must match, through one shared analysis (search.analysis): a term matches a document
indexed under one of the term's stems (keyword field ``terms``), its synonym group (keyword
field ``synonyms``) or, for words of four letters or more (``QueryTerm.prefix``), an indexed stem that
starts with it (a ``prefix`` query, so compounds are found from their first part). A quoted
phrase must stand in the text word for word (``match_phrase`` on the stems in order). The
engine ranks the matches by BM25 over those same terms, per weight class (title above
summary and tags, above structured fields, above body text), with a bonus when the words of
the query stand close together in the text.

One request per search: the window of hits (from/size, never all hits), the total, every
facet's counts as aggregations, and the snippets from the engine's highlighter (HTML-escaped
here, matches in <mark>) — facet filters go in a ``post_filter`` and each facet is counted in
a filter aggregation holding the other facets' filters, as the database backend counts them;
conditions from the query itself (law citations, ``required``) are part of the query, so
they apply to the counts too. Spelling help asks the engine's own index of words.

Errors talking to the cluster are raised as ``BackendUnavailable``; the search service then
answers from the database backend with a notice.
"""

import difflib
import logging

from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch_dsl import Q, Search

from ..analysis import synonym_groups
from ..engines.elasticsearch import client as engine_client
from ..engines.elasticsearch.indices import alias_name
from ..engines.elasticsearch.mapping import (
    FACET_FIELDS,
    LABEL_SEPARATOR,
    MARK_END,
    MARK_START,
    TERM_ANALYZER,
    WEIGHT_CLASSES,
    WEIGHTED_FIELDS,
    encode_term,
    stem_stream,
)
from . import BackendUnavailable
from .base import MAX_FACET_VALUES, BackendQuery, BackendResult, FacetCount, Hit, SearchBackend

logger = logging.getLogger(__name__)

FACET_FETCH = MAX_FACET_VALUES * 2  # then ordered like the database backend: count, label
PHRASE_BOOST = 10.0  # the words of the query together outweigh more occurrences apart
PHRASE_SLOP = 2
PREFIX_WEIGHT = 0.5  # an indexed stem merely starting with the query word counts half
PREFIX_MAX_EXPANSIONS = 60
SNIPPET_CHARS = 260
SPELLING_CUTOFF = 0.75


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url=None):
        self.url = url

    # --- talking to the cluster ---------------------------------------------------------

    def _client(self):
        if engine_client.is_down(self.url):
            raise BackendUnavailable("søkemotoren svarte ikke nylig; prøver igjen senere")
        try:
            return engine_client.connection(self.url).for_search()
        except Exception as error:
            raise self._unavailable(error) from error

    def _unavailable(self, error):
        if engine_client.is_outage(error):
            engine_client.mark_down(self.url)
            logger.warning("Søkemotoren svarer ikke: %s", error)
        else:
            logger.error("Søkemotoren avviste forespørselen: %s", error)
        return BackendUnavailable(f"{type(error).__name__}: {error}")

    def _execute(self, search):
        try:
            response = search.execute()
        except BackendUnavailable:
            raise
        except Exception as error:
            raise self._unavailable(error) from error
        engine_client.mark_up(self.url)
        return response

    # --- building the request -----------------------------------------------------------

    @staticmethod
    def facet_filter(facet, values):
        if facet not in FACET_FIELDS:
            return Q("match_none")
        return Q("terms", **{f"facets.{facet}": list(values)})

    @classmethod
    def required_filter(cls, group):
        """One group of conditions from the query itself (law citations): any one of its
        (facet, value) pairs. Part of the query, so facets are counted under it too."""
        by_facet = {}
        for facet, value in group:
            by_facet.setdefault(facet, []).append(value)
        return Q("bool", should=[cls.facet_filter(f, v) for f, v in by_facet.items()], minimum_should_match=1)

    @staticmethod
    def _prefix(term):
        """The word start a query term also matches by, or None."""
        return term.prefix or None

    def text_query(self, terms, phrases=()):
        """(filters, scoring clauses) for the query terms and quoted phrases."""
        filters, scoring = [], []
        for term in terms:
            stems = sorted(t for t in term.terms if not t.startswith("="))
            groups = sorted(t for t in term.terms if t.startswith("="))
            prefix = self._prefix(term)
            alternatives = []
            if stems:
                alternatives.append(Q("terms", terms=stems))
            if groups:
                alternatives.append(Q("terms", synonyms=groups))
            if prefix:
                alternatives.append(Q("prefix", terms=prefix))
            filters.append(Q("bool", should=alternatives, minimum_should_match=1))
            scoring.append(
                Q(
                    "multi_match",
                    query=" ".join(sorted(encode_term(t) for t in term.terms)),
                    fields=WEIGHTED_FIELDS,
                    type="most_fields",
                    analyzer=TERM_ANALYZER,
                )
            )
            if prefix:
                for weight, name in WEIGHT_CLASSES.items():
                    options = {"value": prefix, "boost": PREFIX_WEIGHT * weight,
                               "rewrite": f"top_terms_{PREFIX_MAX_EXPANSIONS}"}
                    scoring.append(Q("prefix", **{f"weighted.{name}": options}))
        for phrase in phrases:
            tokens = stem_stream(phrase)
            if len(tokens) == 1:
                filters.append(Q("term", terms=tokens[0]))
            elif tokens:
                filters.append(Q("match_phrase", tokens={"query": " ".join(tokens), "analyzer": TERM_ANALYZER}))
        # Proximity: the query's words close together in one text rank higher (never changes
        # what matches: a should clause beside the filters).
        words = [term.stem for term in terms if term.is_word and not term.stem.startswith("=")]
        if len(words) >= 2:
            options = {"query": " ".join(encode_term(w) for w in words), "slop": PHRASE_SLOP,
                       "boost": PHRASE_BOOST, "analyzer": TERM_ANALYZER}
            scoring.append(Q("match_phrase", tokens=options))
        return filters, scoring

    @staticmethod
    def highlight_queries(terms):
        """Per highlighted field, what to mark: stems on the Norwegian fields; folded words,
        word starts and synonym phrases on the folded one."""
        by_key = {group.key: group for group in synonym_groups()}
        text = " ".join(term.text for term in terms)
        folded = [Q("match", **{"body.folded": {"query": " ".join(term.folded for term in terms)}})]
        for term in terms:
            if term.prefix:
                folded.append(Q("prefix", **{"body.folded": term.prefix}))
            group = by_key.get(term.synonym)
            for phrase in group.phrases if group else ():
                folded.append(Q("match_phrase", **{"body.folded": " ".join(phrase)}))
        return {
            "body": Q("match", body={"query": text}),
            "body.folded": Q("bool", should=folded),
            "summary": Q("match", summary={"query": text}),
        }

    def build_search(self, query: BackendQuery, client=None):
        terms = list(query.terms)
        phrases = tuple(getattr(query, "phrases", ()) or ())
        search = Search(using=client, index=alias_name()).extra(track_total_hits=True).source(False)
        required = [self.required_filter(group) for group in getattr(query, "required", ()) if group]
        if terms or phrases:
            filters, scoring = self.text_query(terms, phrases)
            search = search.query(Q("bool", filter=required + filters, should=scoring))
        elif required:
            search = search.query(Q("bool", filter=required))
        else:
            search = search.query(Q("match_all"))
        active = {facet: values for facet, values in query.filters.items() if values}
        if active:
            search = search.post_filter(Q("bool", filter=[self.facet_filter(f, v) for f, v in active.items()]))
        for facet in query.facets:
            if facet not in FACET_FIELDS:
                continue
            others = [self.facet_filter(f, v) for f, v in active.items() if f != facet]
            search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others) if others else Q("match_all")).bucket(
                "values", "terms", field=f"facet_labels.{facet}", size=FACET_FETCH
            )
        search = search.sort(*self._sort(query.sort, bool(terms or phrases)))
        if terms and query.limit:
            search = search.highlight_options(
                pre_tags=[MARK_START], post_tags=[MARK_END], number_of_fragments=1, fragment_size=SNIPPET_CHARS,
            )
            # Where the body holds no match, its start (or the summary's) is the snippet.
            no_match = {"body": SNIPPET_CHARS, "body.folded": 0, "summary": SNIPPET_CHARS}
            for field, highlight_query in self.highlight_queries(terms).items():
                search = search.highlight(
                    field, highlight_query=highlight_query.to_dict(), no_match_size=no_match[field]
                )
        return search[query.offset : query.offset + query.limit]

    @staticmethod
    def _sort(sort, has_terms):
        published = {"published": {"order": "desc", "missing": "_last"}}
        if sort == "title":
            return ["title_sort", {"_score": "desc"}, "page_id"] if has_terms else ["title_sort", "page_id"]
        if sort == "newest" or not has_terms:
            # Pages of the same date in page order, as the database backend does (the content's
            # own date is often shared: a practice's start is a year).
            return [published, "page_id"]
        return [{"_score": "desc"}, "title_sort", "page_id"]

    # --- reading the answer -------------------------------------------------------------

    @staticmethod
    def _snippet(hit):
        """The highlighted fragment with the most matches (the body's before the summary's),
        escaped, with <mark> around the matches."""
        highlight = getattr(hit.meta, "highlight", None)
        if not highlight:
            return ""
        found = highlight.to_dict()
        fragments = [fragment for field in ("body", "body.folded", "summary") for fragment in found.get(field, [])]
        fragments = [fragment for fragment in fragments if fragment.strip()]
        if not fragments:
            return ""
        best = max(fragments, key=lambda fragment: fragment.count(MARK_START))
        html = escape(best).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        return mark_safe(html)

    @staticmethod
    def _facets(response, facets):
        counts = {}
        aggregations = response.aggregations.to_dict() if hasattr(response, "aggregations") else {}
        for facet in facets:
            buckets = aggregations.get(facet, {}).get("values", {}).get("buckets", [])
            options = []
            for bucket in buckets:
                value, _, label = str(bucket["key"]).partition(LABEL_SEPARATOR)
                options.append(FacetCount(value=value, label=label or value, count=bucket["doc_count"]))
            options.sort(key=lambda option: (-option.count, option.label))
            counts[facet] = options[:MAX_FACET_VALUES]
        return counts

    # --- the contract ---------------------------------------------------------------------

    def search(self, query: BackendQuery) -> BackendResult:
        response = self._execute(self.build_search(query, self._client()))
        hits = [
            Hit(page_id=int(hit.meta.id), score=float(hit.meta.score or 0.0), snippet=self._snippet(hit))
            for hit in response
        ]
        total = response.hits.total.value if hasattr(response.hits.total, "value") else int(response.hits.total)
        return BackendResult(total=total, hits=hits, facets=self._facets(response, query.facets))

    def title_suggestions(self, folded_prefix, limit=8):
        search = (
            Search(using=self._client(), index=alias_name())
            .query(Q("match_phrase", **{"title.autocomplete": folded_prefix}))
            .sort("title_sort", "page_id")
            .source(["title", "url"])[:limit]
        )
        return [{"label": hit.title, "kind": "side", "url": hit.url} for hit in self._execute(search)]

    def known_words(self, folded_words):
        wanted = sorted({word for word in folded_words if word})
        if not wanted:
            return set()
        search = Search(using=self._client(), index=alias_name()).filter("terms", words=wanted).extra(size=0)
        search.aggs.bucket("known", "terms", field="words", include=wanted, size=len(wanted))
        response = self._execute(search)
        return {bucket["key"] for bucket in response.aggregations.to_dict()["known"]["buckets"]}

    def similar_words(self, folded_word, limit=3):
        """Indexed words spelt like ``folded_word`` (same first letter, as close as the
        database backend asks), closest first."""
        if len(folded_word) < 3:
            return []
        search = Search(using=self._client(), index=alias_name()).extra(size=0).suggest(
            "spelling", folded_word,
            term={"field": "words", "suggest_mode": "always", "size": limit * 3, "prefix_length": 1,
                  "min_word_length": 3},
        )
        response = self._execute(search)
        entries = response.to_dict().get("suggest", {}).get("spelling", [])
        candidates = [option["text"] for entry in entries for option in entry.get("options", [])]
        return difflib.get_close_matches(folded_word, candidates, n=limit, cutoff=SPELLING_CUTOFF)
