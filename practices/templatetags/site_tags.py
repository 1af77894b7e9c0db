"""Template helpers every public page shares: the breadcrumb trail (with BreadcrumbList
structured data), the canonical address, Open Graph tags and «Sist oppdatert».

Absolute addresses come from the Wagtail Site (its hostname and port, which ``bootstrap`` sets
from ``SITE_URL``), never from the request's Host header."""

import json

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import pageurl

from practices import site_chrome
from practices.models.routing import ANCESTORS_ATTRIBUTE

register = template.Library()

HOME_LABEL = "Forside"


def site_root_url(request):
    """«https://kb.example.no»: the site's own address (the default Site outside a request)."""
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def _resolved(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _view_trail(context):
    """Crumbs for the search views (not Wagtail pages), from the view's name and context."""
    from django.urls import reverse

    name = _resolved(context.get("request"))
    laws = ("Lover og paragrafer", reverse("search:law_index"))
    tags = ("Stikkord", "/stikkord/")
    if name == "search:search":
        return [("Søk", reverse("search:search"))]
    if name == "search:tag" and context.get("tag"):
        tag = context["tag"]
        return [tags, (tag.name, reverse("search:tag", args=[tag.slug]))]
    if name == "search:law_index":
        return [laws]
    if name == "search:law" and context.get("law"):
        law = context["law"]
        return [laws, (law.short_name, reverse("search:law", args=[law.slug]))]
    if name == "search:provision" and context.get("provision"):
        law, provision = context["law"], context["provision"]
        return [
            laws,
            (law.short_name, reverse("search:law", args=[law.slug])),
            (provision.label, reverse("search:provision", args=[law.slug, provision.paragraph])),
        ]
    return []


def trail(context):
    """[(label, path)] from the home page to the current page; empty on the home page itself.

    A view may give ``breadcrumbs`` (without the home page); a Wagtail page gets its ancestors
    below the root (one query); the search views are recognised by name."""
    if context.get("breadcrumbs") is not None:
        crumbs = list(context["breadcrumbs"])
    elif isinstance(context.get("page"), Page):
        page = context["page"]
        if page.depth is None or page.depth <= 2:
            return []
        # The pages above it, as routing found them on the way (practices/models/routing.py) or
        # in a query of their own.
        ancestors = getattr(page, ANCESTORS_ATTRIBUTE, None)
        if ancestors is None or [p.depth for p in ancestors] != list(range(3, page.depth)):
            ancestors = list(page.get_ancestors().filter(depth__gt=2).only("title", "url_path", "path", "depth"))
        request = context.get("request")
        crumbs = [(p.title, p.get_url(request)) for p in ancestors] + [(page.title, page.get_url(request))]
    else:
        crumbs = _view_trail(context)
    if not crumbs:
        return []
    return [(HOME_LABEL, "/"), *crumbs]


def _json_ld(data):
    """JSON for a <script> element: «<», «>» and «&» escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(text)


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context.get("request")
    crumbs = trail(context)
    root = site_root_url(request)
    structured = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": label, "item": f"{root}{path}"}
            for position, (label, path) in enumerate(crumbs, 1)
        ],
    }
    return {"crumbs": crumbs, "structured": _json_ld(structured) if crumbs else ""}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's one address for search engines: a Wagtail page's full URL; for a listing, its
    address with the single filter of a landing page (``/sok/?theme=bolig``), else its path."""
    request = context.get("request")
    root = site_root_url(request)
    page = context.get("page")
    if isinstance(page, Page) and not context.get("listing"):
        return f"{root}{page.get_url(request) or '/'}"
    listing = context.get("listing")
    if listing is not None and not listing.noindex:
        return f"{root}{listing.state.url}"
    return f"{root}{request.path}" if request is not None else root


@register.filter
def last_updated(page):
    """«Sist oppdatert» of a page: its own ``updated_on`` when it has one (practice examples
    judge it by review and source dates), else its last publication."""
    if page is None:
        return None
    if hasattr(page, "updated_on"):
        return page.updated_on
    published = getattr(page, "last_published_at", None) or getattr(page, "first_published_at", None)
    return timezone.localdate(published) if published else None


@register.simple_tag(takes_context=True)
def slugurls(context, *slugs):
    """{slug: address} for several pages at once, as Wagtail's ``{% slugurl %}`` finds each
    (the first page with the slug on the request's site, else in the whole tree), in one query
    instead of one per slug: the main menu's three sections."""
    request = context.get("request")

    def find():
        site = Site.find_for_request(request) if request is not None else None
        candidates = Page.objects.filter(slug__in=slugs).order_by("path")
        found = {}
        if site is not None:
            for page in candidates.in_site(site):
                found.setdefault(page.slug, page)
        if len(found) < len(slugs):
            for page in candidates.exclude(slug__in=list(found)):
                found.setdefault(page.slug, page)
        return {slug: pageurl(context, page) for slug, page in found.items()}

    if not set(slugs) <= set(site_chrome.MENU_SLUGS):
        return find()  # remembered only for the slugs whose pages' changes bump the chrome's version
    return site_chrome.remember(request, ("slugurls", slugs), find)


@register.simple_tag(takes_context=True)
def footer_pages(context, texts):
    """The footer's linked pages (``SiteTexts.footer_pages``): [{"url", "title"}]."""
    request = context.get("request")
    if not texts:
        return []

    def find():
        return [{"url": pageurl(context, page), "title": page.title} for page in texts.footer_pages(request)]

    return site_chrome.remember(request, "footer_pages", find)


@register.simple_tag(takes_context=True)
def remember_site_chrome(context):
    """At the top of base.html: the site texts from what this process remembers
    (practices/site_chrome.py), before the template first asks ``settings`` for them."""
    site_chrome.site_texts(context.get("request"))
    return ""
