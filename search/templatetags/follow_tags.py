"""Links to follow a listing: its Atom feed (also as ``<link rel="alternate">`` in the head), an
e-mail alert, and the open-data export of its practice examples.

Every link names the listing's search as /sok/ would: the text and the filters the visitor
chose plus the page's own (the tag of a tag page), normalised (alerts/queries.py), so a feed,
an alert and an export of the same search have the same parameters.

    {% load follow_tags %}
    {% block extra_head %}{% feed_link listing %}{% endblock %}
    {% follow_links listing %}
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..opendata import LICENCE_NAME, LICENCE_URL
from ..params import SearchParams

register = template.Library()


def search_query(q="", filters=None, forced=None):
    """The normalised query string of a search (sorting and paging left out)."""
    from search.alerts.queries import normalise

    return normalise(SearchParams(q=q or "", filters=dict(filters or {})), forced=forced)


def listing_query(listing):
    """The normalised query string of a listing's search."""
    state = getattr(listing, "state", None)
    if state is None:
        return ""
    return search_query(getattr(state, "q", ""), getattr(state, "filters", {}), getattr(listing, "forced", None))


def _with(url, query):
    return f"{url}?{query}" if query else url


def _feed_link(query, title):
    url = _with(reverse("search_feed"), query)
    return format_html('<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">', title, url)


def _follow_links(query):
    return {
        "feed_url": _with(reverse("search_feed"), query),
        "alert_url": _with(reverse("alerts:subscribe"), query),
        "csv_url": _with(reverse("export_csv"), query),
        "json_url": _with(reverse("export_json"), query),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }


@register.simple_tag
def feed_link(listing, title="Kunnskapsbase"):
    """``<link rel="alternate">`` to the listing's Atom feed, for the page's head."""
    return _feed_link(listing_query(listing), title)


@register.inclusion_tag("includes/follow_links.html")
def follow_links(listing):
    return _follow_links(listing_query(listing))


@register.simple_tag
def feed_link_for(facet, value, title="Kunnskapsbase"):
    """The feed of one filter value (a county page follows /sok/?county=…)."""
    return _feed_link(search_query(filters={facet: (value,)}), title)


@register.inclusion_tag("includes/follow_links.html")
def follow_links_for(facet, value):
    return _follow_links(search_query(filters={facet: (value,)}))
