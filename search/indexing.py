"""Writing pages into the embedded search index (SearchDocument and its terms and facets).

``index_page`` and ``remove_page`` keep one page current; ``reindex`` rebuilds everything.
"""

import math

from django.db import transaction
from django.db.models import Prefetch

from practices.models import ArticlePage, PracticePage, ReportPage

from .analysis import fold, index_terms, words
from .documents import SEARCHABLE_MODELS, document_for
from .models import SearchDocument, SearchFacetValue, SearchTerm, SearchVocabulary

REINDEX_BATCH_SIZE = 200


def term_weights(texts):
    weights, vocabulary, length = {}, {}, 0
    for text, weight in texts:
        counts, words = index_terms(text)
        vocabulary.update(words)
        for term, count in counts.items():
            weights[term] = weights.get(term, 0.0) + weight * (1.0 + math.log(count))
            length += count
    return weights, vocabulary, length


def is_searchable(page):
    return page.live and not page.get_view_restrictions().exists()


def _write(document):
    weights, vocabulary, length = term_weights(document.texts)
    SearchDocument.objects.filter(pk=document.page_id).delete()
    row = SearchDocument.objects.create(
        page_id=document.page_id,
        page_type=document.page_type,
        title=document.title,
        title_sort=document.title.casefold()[:255],
        title_folded=" ".join(fold(w) for w in words(document.title))[:255],
        url=document.url,
        summary=document.summary,
        text=document.body_text,
        published=document.published,
        year=document.year,
        county_label=document.county_label,
        municipality_size=document.municipality_size,
        data=document.data,
        length=length,
    )
    SearchFacetValue.objects.bulk_create(
        SearchFacetValue(document=row, facet=facet, value=value.casefold()[:150], label=label[:255])
        for facet, value, label in dict.fromkeys(document.facets)
    )
    SearchTerm.objects.bulk_create(
        SearchTerm(document=row, term=term[:80], weight=weight) for term, weight in weights.items()
    )
    SearchVocabulary.objects.bulk_create(
        (SearchVocabulary(word=word[:80], stem=stem[:80]) for word, stem in vocabulary.items()),
        ignore_conflicts=True,
    )
    return row


@transaction.atomic
def index_page(page):
    """Bring one page's entry up to date: written if it is live and public, removed otherwise."""
    page = page.specific
    if not isinstance(page, SEARCHABLE_MODELS) or not is_searchable(page):
        remove_page(page.pk)
        return None
    return _write(document_for(page))


def remove_page(page_id):
    SearchDocument.objects.filter(pk=page_id).delete()


def searchable_pages():
    """Every live, public page search covers, with what its document needs prefetched."""
    references = Prefetch(
        "legal_references",
        queryset=PracticePage.legal_references.rel.related_model.objects.select_related(
            "provision__law", "provision__replaced_by__law"
        ),
    )
    common = ["tags", "themes", "target_groups"]
    actor = [
        "municipalities__county",
        "municipalities__successors__county",
        "municipalities__successors__successors__county",
        "county__successors",
    ]
    yield from PracticePage.objects.live().public().select_related("county").prefetch_related(
        *common, *actor, "funding_sources", references
    )
    yield from ReportPage.objects.live().public().select_related("county").prefetch_related(
        *common,
        *actor,
        Prefetch(
            "legal_references",
            queryset=ReportPage.legal_references.rel.related_model.objects.select_related(
                "provision__law", "provision__replaced_by__law"
            ),
        ),
    )
    yield from ArticlePage.objects.live().public().prefetch_related(*common)


def reindex(progress=None):
    """Rebuild the whole index; ``progress(done, total)`` is called as it goes. Returns the count."""
    total = sum(model.objects.live().public().count() for model in SEARCHABLE_MODELS)
    done = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for page in searchable_pages():
            _write(document_for(page))
            done += 1
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)
    return done
