"""Atom feeds of any search or filtered listing: ``/sok/feed/`` with the parameters of /sok/.

A tag's feed is ``/sok/feed/?tag=<slug>``, a provision's ``/sok/feed/?law=<lov>:<paragraf>``,
a county's ``?county=<slug>``, a theme's ``?theme=<slug>``, the practice index's
``?type=praksis``: every listing links its own (templates/includes/follow_links.html). The
entries are the newest hits of the one search service, which indexes only live, public pages;
their dates are the pages' publication times. Bad parameters give 400 with a Norwegian message.
"""

import logging

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe
from wagtail.models import Page

from .opendata import LICENCE_NOTE, describe_search, requested_search
from .params import ParameterError
from .service import SearchService

logger = logging.getLogger(__name__)

FEED_ITEMS = 50


class SearchFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request):
        params = requested_search(request.GET, sort="newest", page=1, page_size=FEED_ITEMS)
        response = SearchService().search(params, facets=())
        ids = [result.id for result in response.results]
        dates = {
            pk: (first, last)
            for pk, first, last in Page.objects.filter(pk__in=ids).values_list(
                "pk", "first_published_at", "last_published_at"
            )
        }
        query = request.GET.urlencode()
        return {"params": params, "results": response.results, "dates": dates, "query": query}

    def title(self, obj):
        described = describe_search(obj["params"])
        return f"Kunnskapsbase: {described}" if described else "Kunnskapsbase: nytt innhold"

    def subtitle(self, obj):
        return "Nye og oppdaterte praksiseksempler, rapporter og artikler om boligsosialt arbeid."

    def link(self, obj):
        return reverse("search:search") + (f"?{obj['query']}" if obj["query"] else "")

    def feed_url(self, obj):
        return reverse("search_feed") + (f"?{obj['query']}" if obj["query"] else "")

    def feed_copyright(self, obj):
        return LICENCE_NOTE

    def items(self, obj):
        return [(result, obj["dates"].get(result.id, (None, None))) for result in obj["results"]]

    def item_title(self, item):
        result, _dates = item
        return f"{result.title} ({result.type_label})"

    def item_description(self, item):
        result, _dates = item
        return str(result.snippet)

    def item_link(self, item):
        return item[0].url

    def item_pubdate(self, item):
        return item[1][0]

    def item_updateddate(self, item):
        return item[1][1] or item[1][0]

    def item_categories(self, item):
        return item[0].tags


search_feed_view = SearchFeed()


@require_safe
def search_feed(request):
    """/sok/feed/?…: the feed, or 400 with the reason when a parameter is wrong."""
    try:
        return search_feed_view(request)
    except ParameterError as error:
        response = HttpResponse(
            f"Feeden kunne ikke lages: {error.parameter}: {error.message}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
        return response
