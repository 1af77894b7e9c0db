"""The overview pages, ways in besides search: /stikkord/ (every tag), /fylker/ (today's counties
on a schematic map and as a list) and /fylker/<fylke>/ (its municipalities with their pages).
The data and its counts come from search/ways_in.py; these views only show them."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import ways_in


@require_safe
def tag_index(request):
    groups = ways_in.all_tags()
    context = {"groups": groups, "breadcrumbs": [("Stikkord", reverse("ways_in:tags"))]}
    return render(request, "ways_in/tag_index.html", context)


@require_safe
def county_index(request):
    context = ways_in.all_counties()
    context["breadcrumbs"] = [("Fylker", reverse("ways_in:counties"))]
    return render(request, "ways_in/county_index.html", context)


@require_safe
def county_page(request, slug):
    county = ways_in.find_county(slug)
    if county is None:
        raise Http404("Ukjent fylke")
    url = reverse("ways_in:county", args=[ways_in.place_slug(county.name)])
    context = {
        "county": county,
        "breadcrumbs": [("Fylker", reverse("ways_in:counties")), (county.name, url)],
    }
    if county.is_current:
        context.update(ways_in.county_overview(county))
    else:  # a former county: where its area belongs today
        context["successors"] = [
            (successor.name, reverse("ways_in:county", args=[ways_in.place_slug(successor.name)]))
            for successor in county.current_counties()
        ]
    return render(request, "ways_in/county_page.html", context)
