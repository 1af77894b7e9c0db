"""Ways in besides search: the home page's entries by theme, target group, county (a schematic
map) and law; the overview pages /stikkord/, /fylker/, /fylker/<fylke>/; breadcrumbs with
BreadcrumbList data on every kind of page; the link to /lover/. Counted as a visitor sees them,
and with a fixed number of queries however much content there is."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.models import PracticePage
from search.models import SearchFacetValue

pytestmark = pytest.mark.django_db


def _json_ld(html, kind):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    return None


def test_smoke(client):
    for path in ["/", "/stikkord/", "/fylker/", "/fylker/akershus/", "/fylker/troms/", "/lover/", "/sok/", "/sitemap.xml", "/robots.txt"]:
        response = client.get(path)
        print(path, response.status_code)
        assert response.status_code == 200, response.content.decode()[:3000]
