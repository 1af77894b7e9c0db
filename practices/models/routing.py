"""Finding the page at an address in one query instead of one or two per level.

Wagtail's ``Page.route`` walks down from the site's home page: for each part of the address it
asks for the child with that slug and then for its specific page, four queries for
/praksiseksempler/<slug>/. Every page stores its address below the home page (``url_path``),
kept current by Wagtail when a page is moved or its slug changes, so the page and the pages on
the way to it (the breadcrumb trail) come in one query by ``url_path``; then the page's specific
row. The outcome is what Wagtail's walk gives: the page if it is live, else «not found»; pages on
the way need not be live.

This holds only while no page type routes by itself (an own ``route``, RoutablePageMixin):
then the walk is used, as it is for an address no page has."""

from functools import cache

from wagtail.models import Page, get_page_models

# Set on the page found: the pages above it below the home page, for the breadcrumb trail
# (practices/templatetags/site_tags.py), shallowest first.
ANCESTORS_ATTRIBUTE = "_kb_routed_ancestors"
# Set on the page found: the request it was found for, whose one read of the view restrictions
# (practices/models/public.py) gives the page's own.
REQUEST_ATTRIBUTE = "_kb_routed_request"


@cache
def shortcut_allowed(home_model):
    """True while every page type routes as Wagtail's ``Page`` does (``home_model`` routes here)."""
    return all(model.route in (Page.route, home_model.route) for model in get_page_models())


def route_by_url_path(home, request, path_components, home_model=None):
    """Wagtail's ``RouteResult`` for the page at ``path_components`` below ``home``, or None
    when the walk must decide (no page has the address, or a page type routes by itself).
    ``home`` may be the plain ``Page`` of a home page of type ``home_model`` (only its tree
    columns are read: practices/page_serving.py)."""
    if not path_components or not shortcut_allowed(home_model or type(home)):
        return None
    url_paths = [home.url_path + "/".join(path_components[: n + 1]) + "/" for n in range(len(path_components))]
    pages = {
        page.url_path: page
        # By slug first: that column has an index (url_path has none, and a scan of every page
        # costs more than the walk's queries).
        for page in Page.objects.filter(
            slug__in=set(path_components), url_path__in=url_paths, path__startswith=home.path, depth__gt=home.depth
        )
    }
    page = pages.get(url_paths[-1])
    if page is None:
        return None
    ancestors = [pages[url_path] for url_path in url_paths[:-1] if url_path in pages]
    if len(ancestors) != len(url_paths) - 1:
        return None
    model = page.specific_class
    if model is None or isinstance(page, model):
        specific = page.specific
    else:  # Wagtail's ``page.specific``, with the rows the page type's view always shows joined in
        related = getattr(model, "view_select_related", ())
        specific = model._default_manager.select_related(*related).get(pk=page.pk)
    if specific.live and hasattr(specific, "note_lists"):  # which of its lists the view may skip
        specific.note_lists()
    result = specific.route(request, [])  # Http404 unless live, as at the end of the walk
    setattr(specific, ANCESTORS_ATTRIBUTE, ancestors)
    setattr(specific, REQUEST_ATTRIBUTE, request)
    return result


def view_restrictions(page):
    """Wagtail's ``page.get_view_restrictions()`` (the restrictions on the page and the pages
    above it) for a page found by ``route_by_url_path`` where neither it nor a page on the way is
    an alias (an alias follows its original's restrictions: then None, and Wagtail's own answer is
    used). A queryset already filled from the request's one read of every restriction
    (practices/models/public.py), as Django's ``prefetch_related`` fills one: iterating it or
    asking ``exists()`` makes no query."""
    from wagtail.models import PageViewRestriction

    from .public import restrictions_on

    ancestors = getattr(page, ANCESTORS_ATTRIBUTE, None)
    if ancestors is None or page.alias_of_id or any(ancestor.alias_of_id for ancestor in ancestors):
        return None
    found = restrictions_on(page.path, getattr(page, REQUEST_ATTRIBUTE, None))
    restrictions = PageViewRestriction.objects.filter(pk__in=[restriction.pk for restriction in found])
    restrictions._result_cache = found
    restrictions._prefetch_done = True
    return restrictions
