"""Search with Elasticsearch or OpenSearch (elasticsearch-dsl), for large collections.

The same contract as the database backend (base.py), with the same results for the same
query: every query term must match, through one shared analysis (search.analysis): a term
matches a document indexed under one of the term's stems (keyword field ``terms``), its
synonym group (keyword field ``synonyms``) or, for words of four letters or more, the stem
of an indexed word that starts with it (expanded from the shared vocabulary exactly as the
database backend does). The engine ranks the matches by BM25 over those same terms, per
weight class (title above summary and tags, above structured fields, above body text),
with a bonus when the words of the query stand together in the text.

One request per search: the window of hits (from/size, never all hits), the total, and
every facet's counts as aggregations — facet filters go in a ``post_filter`` and each facet
is counted in a filter aggregation holding the other facets' filters, as the database
backend counts them; conditions from the query itself (law citations, ``required``) are
part of the query, so they apply to the counts too. Snippets come from the engine's highlighter, HTML-escaped here.

Errors talking to the cluster are raised as ``BackendUnavailable``; the search service then
answers from the database backend with a notice.
"""

import logging

from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch_dsl import Q, Search

from .. import es_index
from ..analysis import synonym_groups
from . import BackendUnavailable
from .base import BackendQuery, BackendResult, FacetCount, Hit, SearchBackend
from .database import MAX_FACET_VALUES, PREFIX_MIN_LENGTH, DatabaseBackend

logger = logging.getLogger(__name__)

FACET_FETCH = MAX_FACET_VALUES * 2  # then ordered like the database backend: count, label
PHRASE_BOOST = 2.0
PHRASE_SLOP = 2
SNIPPET_CHARS = 260
TEXT_FIELDS = ("title.folded", "summary.folded", "body.folded")


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url=None):
        self.url = url
        # The vocabulary (prefix expansion, spelling) is the one the database backend keeps
        # for every backend: one analysis, so both backends find the same documents.
        self._database = DatabaseBackend()

    # --- talking to the cluster ---------------------------------------------------------

    def _client(self):
        if es_index.is_down(self.url):
            raise BackendUnavailable("søkemotoren svarte ikke nylig; prøver igjen senere")
        try:
            return es_index.connection(self.url).for_search()
        except Exception as error:
            raise self._unavailable(error) from error

    def _unavailable(self, error):
        if es_index.is_outage(error):
            es_index.mark_down(self.url)
            logger.warning("Søkemotoren svarer ikke: %s", error)
        else:
            logger.error("Søkemotoren avviste forespørselen: %s", error)
        return BackendUnavailable(f"{type(error).__name__}: {error}")

    def _execute(self, search):
        try:
            return search.execute()
        except BackendUnavailable:
            raise
        except Exception as error:
            raise self._unavailable(error) from error

    # --- building the request -----------------------------------------------------------

    @staticmethod
    def facet_filter(facet, values):
        if facet not in es_index.FACET_FIELDS:
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

    def text_query(self, terms):
        """(filters, scoring clauses) for the query terms."""
        expansions = self._database._expansions(list(terms))
        filters, scoring = [], []
        for term, expansion in zip(terms, expansions, strict=True):
            stems = sorted(t for t in expansion if not t.startswith("="))
            groups = sorted(t for t in expansion if t.startswith("="))
            if term.synonym and term.synonym not in groups:
                groups.append(term.synonym)
            alternatives = []
            if stems:
                alternatives.append(Q("terms", terms=stems))
            if groups:
                alternatives.append(Q("terms", synonyms=groups))
            filters.append(Q("bool", should=alternatives, minimum_should_match=1))
            by_factor = {}
            for index_term, factor in expansion.items():
                by_factor.setdefault(factor, []).append(es_index.encode_term(index_term))
            for factor, tokens in sorted(by_factor.items(), reverse=True):
                scoring.append(
                    Q(
                        "multi_match",
                        query=" ".join(sorted(tokens)),
                        fields=es_index.WEIGHTED_FIELDS,
                        type="most_fields",
                        analyzer="kb_terms",
                        boost=factor,
                    )
                )
        words = [term.folded for term in terms if term.is_word]
        if len(words) >= 2:
            phrase = " ".join(words)
            for field in TEXT_FIELDS:
                options = {"query": phrase, "slop": PHRASE_SLOP, "boost": PHRASE_BOOST}
                scoring.append(Q("match_phrase", **{field: options}))
        return filters, scoring

    @staticmethod
    def highlight_queries(terms):
        """Per highlighted field, what to mark: stems on the Norwegian field; folded words,
        word starts and synonym phrases on the folded one."""
        by_key = {group.key: group for group in synonym_groups()}
        text = " ".join(term.text for term in terms)
        stemmed = [Q("match", body={"query": text})]
        folded = [Q("match", **{"body.folded": {"query": " ".join(term.folded for term in terms)}})]
        for term in terms:
            if term.is_word and len(term.folded) >= PREFIX_MIN_LENGTH:
                folded.append(Q("prefix", **{"body.folded": term.folded}))
            group = by_key.get(term.synonym)
            for phrase in group.phrases if group else ():
                folded.append(Q("match_phrase", **{"body.folded": " ".join(phrase)}))
        return {"body": Q("bool", should=stemmed), "body.folded": Q("bool", should=folded)}

    def build_search(self, query: BackendQuery, client=None):
        terms = list(query.terms)
        search = Search(using=client, index=es_index.alias_name()).extra(track_total_hits=True).source(False)
        required = [self.required_filter(group) for group in getattr(query, "required", ()) if group]
        if terms:
            filters, scoring = self.text_query(terms)
            search = search.query(Q("bool", filter=required + filters, should=scoring))
        elif required:
            search = search.query(Q("bool", filter=required))
        else:
            search = search.query(Q("match_all"))
        active = {facet: values for facet, values in query.filters.items() if values}
        if active:
            search = search.post_filter(Q("bool", filter=[self.facet_filter(f, v) for f, v in active.items()]))
        for facet in query.facets:
            if facet not in es_index.FACET_FIELDS:
                continue
            others = [self.facet_filter(f, v) for f, v in active.items() if f != facet]
            search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others) if others else Q("match_all")).bucket(
                "values", "terms", field=f"facet_labels.{facet}", size=FACET_FETCH
            )
        search = search.sort(*self._sort(query.sort, bool(terms)))
        if terms and query.limit:
            search = search.highlight_options(
                pre_tags=[es_index.MARK_START],
                post_tags=[es_index.MARK_END],
                number_of_fragments=1,
                fragment_size=SNIPPET_CHARS,
                no_match_size=0,
            )
            for field, highlight_query in self.highlight_queries(terms).items():
                search = search.highlight(field, highlight_query=highlight_query.to_dict())
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
        highlight = getattr(hit.meta, "highlight", None)
        if not highlight:
            return ""
        fragments = [fragment for field in ("body", "body.folded") for fragment in highlight.to_dict().get(field, [])]
        if not fragments:
            return ""
        best = max(fragments, key=lambda fragment: fragment.count(es_index.MARK_START))
        html = escape(best).replace(es_index.MARK_START, "<mark>").replace(es_index.MARK_END, "</mark>")
        return mark_safe(html)

    @staticmethod
    def _facets(response, facets):
        counts = {}
        aggregations = response.aggregations.to_dict() if hasattr(response, "aggregations") else {}
        for facet in facets:
            buckets = aggregations.get(facet, {}).get("values", {}).get("buckets", [])
            options = []
            for bucket in buckets:
                value, _, label = str(bucket["key"]).partition(es_index.LABEL_SEPARATOR)
                options.append(FacetCount(value=value, label=label or value, count=bucket["doc_count"]))
            options.sort(key=lambda option: (-option.count, option.label))
            counts[facet] = options[:MAX_FACET_VALUES]
        return counts

    # --- the contract ---------------------------------------------------------------------

    def search(self, query: BackendQuery) -> BackendResult:
        client = self._client()
        response = self._execute(self.build_search(query, client))
        es_index.mark_up(self.url)
        hits = [
            Hit(page_id=int(hit.meta.id), score=float(hit.meta.score or 0.0), snippet=self._snippet(hit))
            for hit in response
        ]
        total = response.hits.total.value if hasattr(response.hits.total, "value") else int(response.hits.total)
        return BackendResult(total=total, hits=hits, facets=self._facets(response, query.facets))

    def title_suggestions(self, folded_prefix, limit=8):
        search = (
            Search(using=self._client(), index=es_index.alias_name())
            .query(Q("match_phrase", **{"title.autocomplete": folded_prefix}))
            .sort("title_sort", "page_id")
            .source(["title", "url"])[:limit]
        )
        return [{"label": hit.title, "kind": "side", "url": hit.url} for hit in self._execute(search)]

    def known_words(self, folded_words):
        return self._database.known_words(folded_words)

    def similar_words(self, folded_word, limit=3):
        return self._database.similar_words(folded_word, limit=limit)
