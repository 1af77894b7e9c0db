"""The one search service: pages, listings and the JSON API all search through it.

It turns parameters into a backend query (parsing law citations into filters and applying
the domain synonyms through search.analysis, the same for every backend), asks the
configured backend, and returns results ready to show: the current page of hits loaded in
one query, facets with labels and selection state, highlighted snippets, what the query
was understood as, and help when nothing was found.
"""

import dataclasses
import functools
import logging
import re
from dataclasses import dataclass, field

from practices.models.taxonomy import County, Law, Municipality

from .analysis import fold, query_terms, quoted_phrases
from .backends import BackendUnavailable, get_backend
from .backends.base import FACETS, BackendQuery
from .citations import LawAliases, parse_query
from .highlight import snippet
from .models import SearchDocument
from .params import SearchParams, clean_text
from .spelling import correct

logger = logging.getLogger(__name__)

FACET_LABELS = {
    "tag": "Stikkord",
    "theme": "Tema",
    "target_group": "Målgruppe",
    "county": "Fylke",
    "size": "Kommunestørrelse",
    "law": "Lov og paragraf",
    "type": "Innholdstype",
    "year": "År",
}
# Shown above the results when the search engine is down and the database backend answers.
FALLBACK_NOTICE = (
    "Søkemotoren svarer ikke akkurat nå. Resultatene kommer fra et enklere reservesøk og kan være mindre presise."
)
# Shown instead of every page when the query is a lone «§» (or «§§») without a paragraph.
SECTION_SIGN_NOTICE = (
    "Skriv paragrafnummeret etter «§», for eksempel «§ 27», «sosialtjenesteloven § 27», "
    "«§ 3-7 i helse- og omsorgstjenesteloven» eller «sotjl. § 27». Du kan også søke på lovens navn, "
    "forkortelse eller Lovdata-identifikator (LOV-2009-12-18-131)."
)
LOVDATA_ID_RE = re.compile(r"^lov-\d{4}-\d{2}-\d{2}(-\d+)?$", re.IGNORECASE)
# Citations read from the query: more results than this are not reordered (direct citations first).
MAX_REORDERED = 200
TYPE_LABELS = {"praksis": "Praksiseksempel", "rapport": "Rapport", "artikkel": "Artikkel"}


@dataclass
class Result:
    id: int
    title: str
    url: str
    type: str
    type_label: str
    snippet: str
    county: str
    municipality_size: str
    tags: list
    legal_references: list
    via: list = field(default_factory=list)  # labels of replaced provisions that matched
    content_date: str | None = None  # ISO date: the content's own date, by which «Nyeste» sorts

    def as_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "type": self.type,
            "snippet": str(self.snippet),
            "county": self.county,
            "municipality_size": self.municipality_size,
            "tags": self.tags,
            "legal_references": self.legal_references,
            "content_date": self.content_date,
            # Provisions the page cites that were replaced by the one searched for.
            "via": list(self.via),
        }


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False

    def as_dict(self):
        return {"value": self.value, "label": self.label, "count": self.count}


@dataclass
class Interpretation:
    text: str
    law_references: list  # [{"law", "paragraph", "label", "source", "filter": (facet, value)}]

    def as_dict(self):
        return {
            "text": self.text,
            "law_references": [
                {key: ref[key] for key in ("law", "paragraph", "label", "source")} for ref in self.law_references
            ],
        }


@dataclass
class SearchResponse:
    params: SearchParams
    count: int
    results: list
    facets: dict
    interpreted: Interpretation
    suggestions: list = field(default_factory=list)  # corrected queries
    # The query the results were found for when the query as typed found nothing and a close
    # spelling correction did («Viser treff for …»); ``params.q`` stays what was typed.
    corrected_query: str = ""
    # The query as typed with the corrected words quoted: searching it finds exactly what was typed.
    exact_query: str = ""
    without_filters_count: int | None = None
    notices: list = field(default_factory=list)

    @property
    def page(self):
        return self.params.page

    @property
    def page_size(self):
        return self.params.page_size

    @property
    def num_pages(self):
        return max(1, -(-self.count // self.page_size))

    def as_dict(self):
        return {
            "count": self.count,
            "page": self.page,
            "page_size": self.page_size,
            "results": [result.as_dict() for result in self.results],
            "facets": {name: [o.as_dict() for o in options] for name, options in self.facets.items()},
            "interpreted": self.interpreted.as_dict(),
            "corrected_query": self.corrected_query or None,
            # What a person reading the results must know: the engine was down and a simpler search
            # answered, or the query was shortened. Shown above the results on /sok/.
            "notices": list(self.notices),
        }


NYNORSK_LAW_WORDS = (("tjeneste", "teneste"), ("bolig", "bustad"), ("helse", "helse"))


def law_names(law):
    """Every name a law is cited by: short name, full names, abbreviation and aliases, its
    Lovdata identifier (LOV-2009-12-18-131) and the nynorsk forms of its names
    (sosialtenestelova, helse- og omsorgstenestelova, bustadsosiallova)."""
    names = [law.short_name, *law.all_names, law.lovdata_id]
    for name in list(names):
        nynorsk = (name or "").casefold()
        for bokmal, nn in NYNORSK_LAW_WORDS:
            nynorsk = nynorsk.replace(bokmal, nn)
        if nynorsk != (name or "").casefold():
            names.append(nynorsk)
    return [name for name in names if name]


def law_registry():
    """The citation parser's registry of the laws as they are now. The rows are read on every
    search (an edited law counts at once); the registry, which indexes every prefix of every
    name, is built once per distinct set of names."""
    return _law_aliases(tuple((law.slug, tuple(law_names(law))) for law in Law.objects.all()))


@functools.lru_cache(maxsize=8)
def _law_aliases(laws):
    return LawAliases(laws)


def place_names():
    """Folded names of every county and municipality, former ones included: never spell-corrected."""
    names = list(Municipality.objects.values_list("name", flat=True)) + list(
        County.objects.values_list("name", flat=True)
    )
    return {fold(word) for name in names for word in name.split()}


def is_lone_section_sign(q):
    """A query of only «§» signs (and punctuation): it cites nothing."""
    return "§" in q and not re.sub(r"[\W_]", "", q.replace("§", ""))


class SearchService:
    def __init__(self, backend=None):
        self.backend = backend or get_backend()

    # --- understanding the query ---------------------------------------------------------

    def interpret(self, q):
        # Text without a word cites no law, whatever the laws are called: a tag, law or facet
        # listing does not read them.
        parsed = parse_query(q, law_registry() if q.strip() else _law_aliases(()))
        references, whole_laws = [], []
        for ref in parsed.references:
            if ref.law and not ref.paragraph:
                # A law named without a paragraph is a topic, not a filter: its name (and its
                # synonyms) are searched as text, so pages that discuss the law are found too.
                # A Lovdata identifier is searched as the law's name, not as numbers.
                whole_laws.append(ref.law_name if LOVDATA_ID_RE.match(ref.source) else ref.source)
                continue
            if ref.law and ref.paragraph:
                filter_ = ("law", f"{ref.law}:{ref.paragraph}")
            else:
                filter_ = ("paragraph", ref.paragraph)
            references.append(
                {
                    "law": ref.law,
                    "paragraph": ref.paragraph,
                    "label": ref.label,
                    "source": ref.source,
                    "filter": filter_,
                }
            )
        text = " ".join([parsed.text, *dict.fromkeys(whole_laws)]).strip()
        return Interpretation(text=text, law_references=references)

    @staticmethod
    def _required(interpretation):
        """The law citations in the query: a document must cite one of them (or a predecessor)."""
        pairs = tuple(dict.fromkeys(ref["filter"] for ref in interpretation.law_references))
        return (pairs,) if pairs else ()

    # --- searching -----------------------------------------------------------------------

    def _fallback(self, error):
        """The database backend, when the configured search engine cannot answer."""
        from .backends.database import DatabaseBackend

        if isinstance(self.backend, DatabaseBackend):
            raise error
        logger.warning("Søkemotoren (%s) svarer ikke; svarer fra databasesøket: %s", self.backend.name, error)
        return SearchService(DatabaseBackend())

    def search(self, params: SearchParams, facets=FACETS) -> SearchResponse:
        """Search with the configured backend; if it is unreachable or slow, with the database
        backend and a notice that the results may be less precise. Never an error page."""
        try:
            return self._search(params, facets)
        except BackendUnavailable as error:
            response = self._fallback(error)._search(params, facets)
            response.notices.append(FALLBACK_NOTICE)
            return response

    @staticmethod
    def _query(interpretation, params, facets, terms, required):
        """The backend query; quoted phrases go with it when the backend contract has them."""
        filters = {facet: tuple(values) for facet, values in params.filters.items()}
        options = {
            "terms": terms,
            "filters": filters,
            "required": required,
            "sort": params.effective_sort(bool(terms) or bool(required)),
            "offset": (params.page - 1) * params.page_size,
            "limit": params.page_size,
            "facets": tuple(facets),
        }
        return BackendQuery(phrases=quoted_phrases(interpretation.text), **options)

    def _search(self, params: SearchParams, facets=FACETS, correct_spelling=True) -> SearchResponse:
        # The service is the contract: text that bypassed parse_params is cleaned here too
        # (PostgreSQL refuses NUL bytes in a query parameter).
        text = clean_text(params.q)
        interpretation = self.interpret(text)
        terms = tuple(query_terms(interpretation.text))
        required = self._required(interpretation)
        query = self._query(interpretation, params, facets, terms, required)
        if not terms and not required and is_lone_section_sign(text):
            # A lone «§» cites nothing: guidance on how to cite, not every page.
            no_facets = self._facets({facet: [] for facet in facets}, params.filters)
            response = SearchResponse(params, 0, [], no_facets, interpretation)
            response.notices.append(SECTION_SIGN_NOTICE)
            return response
        result = self.backend.search(query)
        hits = result.hits
        if required and query.sort == "relevance" and 0 < result.total <= MAX_REORDERED:
            hits = self._direct_citations_first(query, result.total)
        response = SearchResponse(
            params=params,
            count=result.total,
            results=self._results(hits, terms, query.filters, required),
            facets=self._facets(result.facets, params.filters),
            interpreted=interpretation,
        )
        if params.truncated:
            response.notices.append("Søket var svært langt og er forkortet.")
        if result.total == 0:
            if correct_spelling:
                corrected = self._corrected(params, facets, terms, text)
                if corrected is not None:
                    return corrected
            self._help(response, query, terms, text)
        return response

    def _corrected(self, params, facets, terms, text):
        """The results for a close spelling correction of a query that found nothing, if the
        correction finds something: words from published content only, never a citation, a
        name (capitalised or a place), a quoted word or a word the analysis knows."""
        correction = correct(self.backend, terms, text, protected=place_names())
        if correction is None:
            return None
        suggestion, exact = correction
        response = self._search(dataclasses.replace(params, q=suggestion), facets, correct_spelling=False)
        if response.count == 0:
            return None
        response.params = params
        response.corrected_query = suggestion
        response.exact_query = exact
        return response

    def _direct_citations_first(self, query, total):
        """The window of hits with the pages citing a searched provision itself before the pages
        found only through a replaced predecessor, each group in the backend's order."""
        everything = self.backend.search(dataclasses.replace(query, offset=0, limit=total, facets=()))
        wanted = {value for group in query.required for facet, value in group if facet in ("law", "paragraph")}
        data = dict(
            SearchDocument.objects.filter(pk__in=[hit.page_id for hit in everything.hits]).values_list("pk", "data")
        )

        def cites_directly(hit):
            for reference in (data.get(hit.page_id) or {}).get("legal_references", []):
                if {f"{reference['law']}:{reference['paragraph']}", reference["paragraph"], reference["law"]} & wanted:
                    return True
            return False

        ordered = sorted(everything.hits, key=lambda hit: not cites_directly(hit))
        return ordered[query.offset : query.offset + query.limit]

    def _results(self, hits, terms, filters, required):
        """The page of hits as results, loaded with one query whatever the page size."""
        documents = SearchDocument.objects.in_bulk([hit.page_id for hit in hits])
        wanted = set(filters.get("law", ())) | {value for group in required for facet, value in group if facet == "law"}
        results = []
        for hit in hits:
            document = documents.get(hit.page_id)
            if document is None:  # removed between search and load
                continue
            references = document.data.get("legal_references", [])
            via = [
                r["label"]
                for r in references
                if r.get("replaced_by")
                and not {r["law"], f"{r['law']}:{r['paragraph']}"} & wanted
                and {r["replaced_by"], r["replaced_by"].split(":")[0]} & wanted
            ]
            results.append(
                Result(
                    id=document.pk,
                    title=document.title,
                    url=document.url,
                    type=document.page_type,
                    type_label=TYPE_LABELS.get(document.page_type, document.page_type),
                    snippet=hit.snippet or snippet(document.text or document.summary, terms),
                    county=document.county_label,
                    municipality_size=document.municipality_size,
                    tags=document.data.get("tags", []),
                    legal_references=references,
                    via=via,
                    content_date=document.data.get("content_date"),
                )
            )
        return results

    @staticmethod
    def _facets(counts, selected_filters):
        facets = {}
        for facet, options in counts.items():
            selected = set(selected_filters.get(facet, ()))
            facet_options = [FacetOption(o.value, o.label, o.count, o.value in selected) for o in options]
            shown = {o.value for o in facet_options}
            facet_options += [FacetOption(value, value, 0, True) for value in selected - shown]
            facets[facet] = facet_options
        return facets

    def _help(self, response, query, terms, text):
        """Zero results, also after a spelling correction was tried: how many hits there are
        without the filters."""
        if query.filters and (terms or query.required):
            relaxed = self.backend.search(
                BackendQuery(
                    terms=terms, phrases=query.phrases, filters={}, required=query.required, limit=1, facets=()
                )
            )
            response.without_filters_count = relaxed.total

    def page_ids(self, q, limit=500):
        """Ids of the live, public pages matching ``q``, best first: the words, their inflections and
        synonyms, and law citations, as on /sok/, but no facets and nothing loaded. For the admin's
        page search (search/admin_search.py), which adds drafts and private pages itself."""
        interpretation = self.interpret(clean_text(q))
        terms = tuple(query_terms(interpretation.text))
        required = self._required(interpretation)
        if not terms and not required:
            return []
        query = BackendQuery(
            terms=terms,
            phrases=quoted_phrases(interpretation.text),
            required=required,
            sort="relevance",
            limit=limit,
            facets=(),
        )
        try:
            result = self.backend.search(query)
        except BackendUnavailable as error:
            result = self._fallback(error).backend.search(query)
        return [hit.page_id for hit in result.hits]

    def autocomplete(self, prefix, limit=8):
        """Suggestions [{"label", "kind", "url"}] for what has been typed: titles of published
        pages (from the backend), then tags in use on published pages, then laws."""
        from django.db.models import Q
        from taggit.models import Tag

        from .models import SearchFacetValue

        prefix = clean_text(prefix)
        folded = " ".join(fold(prefix).split())
        if len(folded) < 2:
            return []
        try:
            suggestions = self.backend.title_suggestions(folded, limit=limit)
        except BackendUnavailable as error:
            suggestions = self._fallback(error).backend.title_suggestions(folded, limit=limit)
        published_tags = SearchFacetValue.objects.filter(facet="tag").values("value")
        tags = Tag.objects.filter(
            Q(name__istartswith=prefix) | Q(slug__startswith=folded.replace(" ", "-")), slug__in=published_tags
        ).order_by("name")
        suggestions += [{"label": t.name, "kind": "stikkord", "url": f"/stikkord/{t.slug}/"} for t in tags[:limit]]
        laws = Law.objects.filter(
            Q(short_name__istartswith=prefix) | Q(abbreviation__istartswith=prefix) | Q(aliases__icontains=prefix)
        ).order_by("short_name")
        suggestions += [{"label": law.short_name, "kind": "lov", "url": f"/lover/{law.slug}/"} for law in laws[:limit]]
        return suggestions[:limit]

    def similar(self, page_id, limit=4, types=("praksis",)):
        """«Les også»: the documents sharing most tags, themes, target groups and laws with
        ``page_id``, then most of its characteristic words (its 15 heaviest terms among theirs,
        SearchTerm). A fixed number of queries."""
        from django.db.models import Count, Q, Sum

        from .models import SearchFacetValue, SearchTerm

        shared_facets = ("tag", "theme", "target_group", "law")
        pairs = list(
            SearchFacetValue.objects.filter(document_id=page_id, facet__in=shared_facets).values_list("facet", "value")
        )
        top_terms = list(
            SearchTerm.objects.filter(document_id=page_id).order_by("-weight", "id").values_list("term", flat=True)[:15]
        )
        scores = {}
        if pairs:
            condition = Q()
            for facet, value in pairs:
                condition |= Q(facet=facet, value=value)
            rows = (
                SearchFacetValue.objects.filter(condition, document__page_type__in=types)
                .exclude(document_id=page_id)
                .values("document")
                .annotate(n=Count("id"))
                .order_by("-n")[:50]
            )
            for row in rows:
                scores[row["document"]] = 2.0 * row["n"]
        if top_terms:
            rows = (
                SearchTerm.objects.filter(term__in=top_terms, document__page_type__in=types)
                .exclude(document_id=page_id)
                .values("document")
                .annotate(n=Sum("weight"))
                .order_by("-n")[:50]
            )
            for row in rows:
                scores[row["document"]] = scores.get(row["document"], 0.0) + min(row["n"], 20.0) / 10.0
        best = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
        documents = SearchDocument.objects.in_bulk(best)
        return [documents[pk] for pk in best if pk in documents]
