"""Which pages an anonymous visitor may see, with the view restrictions read once per request.

Wagtail's ``PageQuerySet.public()`` reads every ``PageViewRestriction`` each time it is called,
and its serve view reads the served page's own restrictions once more; a practice page asked
five times (its own, its reports, the articles about it, related practices, the footer's pages).
Here every restriction is read once per request, each with its page's tree path: ``public_pages``
gives ``public()``'s filter from it (a page is not public when it or an ancestor has a
restriction), and ``restrictions_on`` the restrictions on one page and the pages above it
(practices/models/routing.py). The statement is made once per process
(practices/models/statements.py)."""

from django.db.models import Q
from wagtail.models import PageViewRestriction

_ATTRIBUTE = "_kb_view_restrictions"


def _fields():
    return [field.attname for field in PageViewRestriction._meta.concrete_fields]


def _all_restrictions():
    return PageViewRestriction.objects.order_by("pk").values_list(*_fields(), "page__path")


def view_restrictions(request):
    """Every ``PageViewRestriction``, each with its page's tree path as ``page_path``, in id
    order: read once per ``request`` (every time without one)."""
    from .statements import page_rows

    restrictions = getattr(request, _ATTRIBUTE, None)
    if restrictions is None:
        restrictions = []
        fields = _fields()
        for *values, path in page_rows(("view_restrictions",), _all_restrictions):
            restriction = PageViewRestriction.from_db("default", fields, values)
            restriction.page_path = path
            restrictions.append(restriction)
        if request is not None:
            setattr(request, _ATTRIBUTE, restrictions)
    return restrictions


def restricted_paths(request):
    """The tree paths of the pages that have a view restriction."""
    return list(dict.fromkeys(restriction.page_path for restriction in view_restrictions(request)))


def restrictions_on(path, request):
    """The restrictions on the page at tree ``path`` and on the pages above it."""
    return [restriction for restriction in view_restrictions(request) if path.startswith(restriction.page_path)]


def public_pages(queryset, request):
    """``queryset.public()``: without the pages in a restricted section."""
    private = Q()
    for path in restricted_paths(request):
        private |= Q(path__startswith=path)
    return queryset.exclude(private) if private else queryset


def is_public(page, request):
    """Whether ``page`` is outside every restricted section."""
    return not any(page.path.startswith(path) for path in restricted_paths(request))
