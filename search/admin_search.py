"""The admin's page search («Søk» in the page explorer) finds pages by their words, as /sok/ does.

Wagtail's own admin search only matches titles (its ``autocomplete``). This view is Wagtail's
``SearchView`` with one change, ``get_queryset``: the pages the editor may explore that match

1. live, public pages, through the search service (``SearchService.page_ids``: body, structured
   fields, Norwegian inflection and synonyms, law citations; whichever backend is configured);
2. drafts, pages with unpublished changes and private pages, which the public index leaves out:
   their latest revision is read as a search document (``search.documents``) and matched with
   the same Norwegian analysis (``search.analysis``);
3. by title, as Wagtail's search does (the home page and the section pages are not content).

It is served at Wagtail's own address (``admin_search_urls`` is included before the admin in
kunnskapsbase/urls.py), so the explorer's search box and ``wagtailadmin_pages:search`` use it.
"""

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, When
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.search import SearchView
from wagtail.models import Page
from wagtail.search.utils import separate_filters_from_query

from .analysis import index_terms, query_terms
from .documents import SEARCHABLE_MODELS, document_for
from .params import clean_text
from .service import SearchService

# The best this many are listed in order of relevance; any further hits follow by title.
RANKED = 200


def _revision_terms(page):
    """(index terms, folded words) of the page as last saved: its latest revision."""
    latest = page.get_latest_revision_as_object()
    document = document_for(latest)
    terms, vocabulary = set(), set()
    for text, _weight in document.texts if document else ():
        counts, words = index_terms(text or "")
        terms |= counts.keys()
        vocabulary |= words.keys()
    return terms, vocabulary


def _matches(wanted, terms, vocabulary):
    """Whether every query term is among the page's terms (or begins one of its words)."""
    for term in wanted:
        if term.terms & terms:
            continue
        if term.prefix and any(word.startswith(term.prefix) for word in vocabulary):
            continue
        return False
    return True


def unpublished_matches(q, pages):
    """Ids of the drafts, changed and private content pages among ``pages`` that match ``q``."""
    wanted = query_terms(q)
    if not wanted:
        return []
    private = Page.objects.not_public().values("pk")
    candidates = (
        pages.type(*SEARCHABLE_MODELS)
        .filter(Q(live=False) | Q(has_unpublished_changes=True) | Q(pk__in=private))
        .specific()
        .order_by("-latest_revision_created_at", "pk")
    )
    return [page.pk for page in candidates if _matches(wanted, *_revision_terms(page))]


def matching_page_ids(q, pages):
    """Ids of ``pages`` matching ``q``, best first: published content by relevance, then drafts and
    private pages, then pages found by their title only."""
    q = clean_text(q)
    allowed = set(pages.values_list("pk", flat=True))
    ids = [pk for pk in SearchService().page_ids(q) if pk in allowed]
    ids += unpublished_matches(q, pages)
    if q.strip():
        ids += [page.pk for page in pages.only("pk").autocomplete(q)[:RANKED]]
    return list(dict.fromkeys(ids))


class AdminPageSearchView(SearchView):
    verbose_name = "side"
    verbose_name_plural = "sider"

    def get_queryset(self):
        self.all_pages = Page.objects.all()
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            self.all_pages = self.all_pages.filter(
                pk__in=self.permission_policy.explorable_instances(self.request.user).values_list("pk", flat=True)
            )
        # «live:yes» / «live:no» («published:» too) narrow the search as in Wagtail's.
        filters, text = separate_filters_from_query(self.search_query or "")
        live = (filters.get("live") or filters.get("published") or "").lower()
        if live in ("yes", "true"):
            self.all_pages = self.all_pages.filter(live=True)
        elif live in ("no", "false"):
            self.all_pages = self.all_pages.filter(live=False)

        text = text.replace('"', " ").strip()
        ids = []
        if text:
            ids = matching_page_ids(text, self.all_pages)
            self.all_pages = self.all_pages.filter(pk__in=ids)

        self.content_types = [
            (self._content_type(row["content_type"]), row["n"])
            for row in self.all_pages.values("content_type").annotate(n=Count("pk")).order_by("-n")
        ]
        pages = self.all_pages
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        pages = self.annotate_queryset(pages)
        if self.ordering:
            return pages.order_by(self.ordering)
        if not ids:
            return pages.order_by("-latest_revision_created_at", "pk")
        best = [When(pk=pk, then=position) for position, pk in enumerate(ids[:RANKED])]
        rank = Case(*best, default=len(best), output_field=IntegerField())
        return pages.annotate(search_rank=rank).order_by("search_rank", "title", "pk")

    @staticmethod
    def _content_type(pk):
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_id(pk)


def admin_search_urls():
    """Wagtail's admin page search addresses, served by this view (include before the admin)."""
    return [
        path("search/", require_admin_access(AdminPageSearchView.as_view()), name="kb_admin_search"),
        path(
            "search/results/",
            require_admin_access(AdminPageSearchView.as_view(results_only=True)),
            name="kb_admin_search_results",
        ),
    ]
