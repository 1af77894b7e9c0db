"""What a page looks like in the engine: the analysis, the fields, and a document's JSON.

What a page is indexed under comes from the same analysis as the database backend
(search.analysis): its stems (keyword field ``terms``, also searched by prefix, so compounds
are found from their first part), its synonym groups' keys (``synonyms``) and, for scoring,
those terms again per weight class as whitespace-separated text (``weighted.w8`` …), so
both backends match exactly the same documents and the engine ranks them by BM25 over our
own terms. ``tokens`` holds each text's stems in order (one array entry per text, so a phrase
never spans two texts): quoted phrases and the proximity bonus are ``match_phrase`` queries
on it. ``words`` holds the folded words, for spelling help.

The texts are also indexed with a real Norwegian analyzer (standard tokenizer, lowercase,
Norwegian stop words, the ``stemmer`` filter with language ``norwegian``) and an
ASCII-folded sub-field: the highlighter marks the matches in them for the snippets.
"""

import logging

from django.conf import settings
from elasticsearch_dsl import Date, Document, Index, Integer, Keyword, MetaField, Object, Text, analyzer, token_filter

from ...analysis import index_terms, is_searchable_word, stem, stopwords, words
from ...backends.base import FACETS
from ...params import MAX_PAGE, MAX_PAGE_SIZE
from ...weights import WEIGHT_BODY, WEIGHT_STRUCTURED, WEIGHT_SUMMARY, WEIGHT_TITLE

logger = logging.getLogger(__name__)

# Every facet value a document carries (FACETS, plus «paragraph» for a § cited without its law).
FACET_FIELDS = (*FACETS, "paragraph")
LABEL_SEPARATOR = "\u001f"  # facet_labels.* hold "value<US>label", so one aggregation gives both
# Highlight markers: private-use characters, replaced by <mark> after the text is escaped.
MARK_START, MARK_END = "\ue000", "\ue001"
# Weight classes of search.documents: a text of weight w is indexed in weighted.w<class>.
WEIGHT_CLASSES = {WEIGHT_TITLE: "w8", WEIGHT_SUMMARY: "w4", WEIGHT_STRUCTURED: "w2", WEIGHT_BODY: "w1"}
WEIGHTED_FIELDS = [f"weighted.{name}^{weight:g}" for weight, name in WEIGHT_CLASSES.items()]
# The deepest page the site offers (page × page size) must not be refused by the engine
# (10 000 by default): page 501 of 20 would be. Engines collect at most as many hits as
# there are documents, so a high limit costs nothing for ordinary pages.
MAX_RESULT_WINDOW = MAX_PAGE * MAX_PAGE_SIZE
TERM_ANALYZER = "kb_terms"

# --- analysis ----------------------------------------------------------------------------

norwegian_stop = token_filter("kb_norwegian_stop", "stop", stopwords=sorted(stopwords()))
norwegian_stemmer = token_filter("kb_norwegian_stemmer", "stemmer", language="norwegian")
edge_grams = token_filter("kb_edge_grams", "edge_ngram", min_gram=1, max_gram=30)

norwegian = analyzer(
    "kb_norwegian", type="custom", tokenizer="standard", filter=["lowercase", norwegian_stop, norwegian_stemmer]
)
norwegian_folded = analyzer(
    "kb_norwegian_folded", type="custom", tokenizer="standard", filter=["lowercase", norwegian_stop, "asciifolding"]
)
autocomplete_index = analyzer(
    "kb_autocomplete", type="custom", tokenizer="standard", filter=["lowercase", "asciifolding", edge_grams]
)
autocomplete_search = analyzer(
    "kb_autocomplete_search", type="custom", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
# Our own analysed terms (search.analysis), already stemmed and folded: split on spaces only.
own_terms = analyzer(TERM_ANALYZER, type="custom", tokenizer="whitespace")


def norwegian_text():
    return Text(analyzer=norwegian, fields={"folded": Text(analyzer=norwegian_folded)})


class PageDocument(Document):
    """A page as the engine sees it; ``_id`` is the page id."""

    page_id = Integer()
    page_type = Keyword()
    title = Text(
        analyzer=norwegian,
        fields={
            "folded": Text(analyzer=norwegian_folded),
            "autocomplete": Text(analyzer=autocomplete_index, search_analyzer=autocomplete_search),
        },
    )
    title_sort = Keyword()
    url = Keyword(index=False)
    summary = norwegian_text()
    body = norwegian_text()
    published = Date()
    year = Integer()
    # The terms of search.analysis.index_terms: stems, and synonym group keys ("=housing first").
    terms = Keyword()
    synonyms = Keyword()
    weighted = Object(properties={name: Text(analyzer=own_terms) for name in WEIGHT_CLASSES.values()})
    # Each text's stems in order, for phrases and proximity; the folded words, for spelling help.
    tokens = Text(analyzer=own_terms)
    words = Keyword()
    # Facets: values to filter on, "value<US>label" to count.
    facets = Object(properties={facet: Keyword() for facet in FACET_FIELDS})
    facet_labels = Object(properties={facet: Keyword() for facet in FACET_FIELDS})
    # Law references: the laws cited, and each law with its paragraph ("sosialtjenesteloven:27").
    laws = Keyword()
    law_paragraphs = Keyword()

    class Meta:
        dynamic = MetaField("strict")


def index_definition(name, loading=False):
    """The index ``name`` with our settings, analysis and mapping (``loading``: no refreshes
    while a rebuild bulk-loads it)."""
    index = Index(name)
    index_settings = {"number_of_shards": 1, "max_result_window": MAX_RESULT_WINDOW}
    replicas = getattr(settings, "ELASTICSEARCH_REPLICAS", "")
    if loading:
        index_settings.update({"refresh_interval": "-1"})
    if replicas not in ("", None):
        index_settings["number_of_replicas"] = int(replicas)
    index.settings(**index_settings)
    index.document(PageDocument)
    return index


# --- documents ---------------------------------------------------------------------------


def encode_term(term):
    """A term as one whitespace-free token: synonym keys have spaces ("=housing first")."""
    return term.replace(" ", "_")


def stem_stream(text):
    """The stems of ``text``'s searchable words in order, as ``tokens`` holds them and as a
    phrase is looked for: the same stems the index terms are made of (stop words left out)."""
    return [encode_term(stem(word)[:80]) for word in words(text) if is_searchable_word(word)]


def weight_class(weight):
    """The weight class a text of ``weight`` is scored in: the largest one not above it."""
    eligible = [w for w in WEIGHT_CLASSES if w <= weight]
    return WEIGHT_CLASSES[max(eligible)] if eligible else WEIGHT_CLASSES[min(WEIGHT_CLASSES)]


def _clean(text):
    return (text or "").replace(MARK_START, "").replace(MARK_END, "")


def es_source(document):
    """The engine's JSON for a search.documents.Document."""
    weighted = {name: [] for name in WEIGHT_CLASSES.values()}
    terms, synonyms, folded_words, streams = set(), set(), set(), []
    for text, weight in document.texts:
        counts, vocabulary = index_terms(text)
        tokens = weighted[weight_class(weight)]
        for term, count in counts.items():
            term = term[:80]
            (synonyms if term.startswith("=") else terms).add(term)
            tokens.extend([encode_term(term)] * count)
        folded_words.update(word[:80] for word in vocabulary)
        stream = stem_stream(text)
        if stream:
            streams.append(" ".join(stream))
    facets, facet_labels = {}, {}
    laws, paragraphs = [], []
    for facet, value, label in dict.fromkeys(document.facets):
        if facet not in FACET_FIELDS:
            logger.warning("Ukjent fasett %r for side %s blir ikke indeksert", facet, document.page_id)
            continue
        value, label = value.casefold()[:150], label[:255]  # as the embedded index stores them
        facets.setdefault(facet, []).append(value)
        facet_labels.setdefault(facet, []).append(f"{value}{LABEL_SEPARATOR}{label}")
        if facet == "law":
            (paragraphs if ":" in value else laws).append(value)
    return {
        "page_id": document.page_id,
        "page_type": document.page_type,
        "title": _clean(document.title),
        "title_sort": document.title.casefold()[:255],
        "url": document.url,
        "summary": _clean(document.summary),
        "body": _clean(document.body_text),
        "published": document.published.isoformat() if document.published else None,
        "year": document.year,
        "terms": sorted(terms),
        "synonyms": sorted(synonyms),
        "weighted": {name: " ".join(tokens) for name, tokens in weighted.items()},
        "tokens": streams,
        "words": sorted(folded_words),
        "facets": facets,
        "facet_labels": facet_labels,
        "laws": laws,
        "law_paragraphs": paragraphs,
    }
