"""A rendered page lets go of what its template was given at once (kunnskapsbase/template_engine.py):
the search listing, its facets and results are freed when the response is made, not left in a
reference cycle for the garbage collector to find. Requests go through the WSGI handler, as
gunicorn sends them (the test client keeps copies of every context on purpose)."""

import gc

from bs4 import BeautifulSoup
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from search.listing import Listing
from search.listing_facets import FacetChoice, FacetGroup
from search.service import FacetOption, Result


def served(path, query):
    """The page's HTML and the types of the objects the request left in reference cycles."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query)
    statuses = []
    gc.collect()
    gc.garbage.clear()
    gc.set_debug(gc.DEBUG_SAVEALL)
    # As the test client does: the test's transaction keeps its connection between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
        html = b"".join(response).decode()
        response.close()
        del response
        gc.collect()
        left = {type(thing) for thing in gc.garbage}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        gc.set_debug(0)
        gc.garbage.clear()
    assert statuses == ["200 OK"]
    return BeautifulSoup(html, "html.parser"), left


def test_a_search_listing_is_freed_when_its_page_is_rendered(db):
    soup, left = served("/sok/", "county=troms")
    # The page is the real listing: results and the facet panel with counts.
    assert soup.select("ul.search-results article h3 a")
    assert soup.find("input", attrs={"type": "checkbox", "name": "county", "value": "troms"})
    assert not left & {Listing, FacetGroup, FacetChoice, FacetOption, Result}
