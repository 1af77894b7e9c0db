"""Which pages an anonymous visitor may see, with the view restrictions read once per request.

Wagtail's ``PageQuerySet.public()`` reads every ``PageViewRestriction`` each time it is called;
a practice page asked that four times (its reports, the articles about it, related practices,
the footer's pages). ``public_pages`` gives the same filter (a page is not public when it or an
ancestor has a restriction) from one read kept on the request."""

from django.db.models import Q
from wagtail.models import PageViewRestriction

_ATTRIBUTE = "_kb_restricted_paths"


def restricted_paths(request):
    """The tree paths of the pages that have a view restriction (read once per ``request``)."""
    paths = getattr(request, _ATTRIBUTE, None)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())
        if request is not None:
            setattr(request, _ATTRIBUTE, paths)
    return paths


def public_pages(queryset, request):
    """``queryset.public()``: without the pages in a restricted section."""
    private = Q()
    for path in restricted_paths(request):
        private |= Q(path__startswith=path)
    return queryset.exclude(private) if private else queryset


def is_public(page, request):
    """Whether ``page`` is outside every restricted section."""
    return not any(page.path.startswith(path) for path in restricted_paths(request))
