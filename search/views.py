"""The public search pages: /sok/, a page per tag (/stikkord/<slug>/), per law (/lover/<slug>/)
and per provision (/lover/<slug>/<paragraph>/).

Views are thin: the listing (search/listing.py) reads the query string leniently, searches
with the one ``SearchService`` and prepares what the templates show; a view picks the
listing's fixed filters and its template.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from taggit.models import Tag

from practices.models import Law, LegalProvision

from .listing import build_listing
from .listing_facets import natural_key


@require_safe
def search_page(request):
    """/sok/: free text, facets, sorting and pages, all in the address."""
    listing = build_listing(request)
    return render(request, "search/search_page.html", {"listing": listing}, status=listing.status)


@require_safe
def tag_page(request, slug):
    """/stikkord/<slug>/: everything tagged with one tag."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        tag = Tag.objects.filter(slug__iexact=slug).first()
        if tag is None:
            raise Http404("Ukjent stikkord")
        return HttpResponsePermanentRedirect(reverse("search:tag", args=[tag.slug]))
    listing = build_listing(request, forced={"tag": (tag.slug,)}, allow_query=False)
    return render(request, "search/tag_page.html", {"tag": tag, "listing": listing}, status=listing.status)


@require_safe
def law_index(request):
    """/lover/: the laws the knowledge base cites, with their provisions."""
    laws = Law.objects.prefetch_related("provisions__replaced_by__law", "provisions__law")
    laws = [(law, sorted(law.provisions.all(), key=lambda p: natural_key(p.paragraph))) for law in laws]
    return render(request, "search/law_index.html", {"laws": laws})


def _provision_rows(law, listing):
    """The law's provisions in paragraph order, each with how many listed pages cite it."""
    counts = {option.value: option.count for option in listing.facet_counts.get("law", [])}
    provisions = sorted(law.provisions.all(), key=lambda p: natural_key(p.paragraph))
    return [(provision, counts.get(f"{law.slug}:{provision.paragraph}", 0)) for provision in provisions]


@require_safe
def law_page(request, law_slug):
    """/lover/<slug>/: a law, its provisions, and what cites it (or a provision it replaced)."""
    law = get_object_or_404(Law.objects.prefetch_related("provisions__replaced_by__law"), slug=law_slug)
    listing = build_listing(request, forced={"law": (law.slug,)}, allow_query=False, extra_facets=("law",))
    context = {"law": law, "provisions": _provision_rows(law, listing), "listing": listing}
    return render(request, "search/law_page.html", context, status=listing.status)


@require_safe
def provision_page(request, law_slug, paragraph):
    """/lover/<slug>/<paragraph>/: one provision and what cites it or the provisions it replaced."""
    law = get_object_or_404(Law, slug=law_slug)
    provision = get_object_or_404(
        LegalProvision.objects.select_related("law", "replaced_by__law"), law=law, paragraph=paragraph
    )
    predecessors = sorted(provision.replaces.select_related("law"), key=lambda p: natural_key(p.label))
    listing = build_listing(request, forced={"law": (f"{law.slug}:{provision.paragraph}",)}, allow_query=False)
    context = {"law": law, "provision": provision, "predecessors": predecessors, "listing": listing}
    return render(request, "search/provision_page.html", context, status=listing.status)
