"""What search engines read: robots.txt and sitemap.xml.

The sitemap is Wagtail's (wagtail.contrib.sitemaps): every live, public page of the site with
its absolute address from the Wagtail Site, plus the overview pages that are not Wagtail pages.
robots.txt points to it and keeps crawlers out of the admin and of searches with parameters."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Site

from practices.models import County, Law
from search.models import SearchFacetValue
from search.ways_in import place_slug

OVERVIEWS = ("ways_in:tags", "ways_in:counties", "search:law_index")


class OverviewSitemap(Sitemap):
    """The overview pages (/stikkord/, /fylker/, /lover/), every tag page of a tag in published
    content, every law page and every county page of today, on the Site's own address."""

    def __init__(self, request=None):
        self.request = request

    def items(self):
        tags = SearchFacetValue.objects.filter(facet="tag").values_list("value", flat=True).distinct().order_by("value")
        counties = County.objects.filter(valid_to__isnull=True).values_list("name", flat=True)
        return [
            *[(name, ()) for name in OVERVIEWS],
            *[("search:tag", (slug,)) for slug in tags],
            *[("search:law", (slug,)) for slug in Law.objects.values_list("slug", flat=True)],
            *[("ways_in:county", (place_slug(name),)) for name in counties],
        ]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)

    def get_urls(self, page=1, site=None, protocol=None):
        wagtail_site = Site.find_for_request(self.request) if self.request else None
        root = (wagtail_site or Site.objects.filter(is_default_site=True).first()).root_url
        return [{"item": item, "location": f"{root}{self.location(item)}"} for item in self.items()]


@require_safe
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"sider": WagtailSitemap, "oversikter": OverviewSitemap(request)})


@require_safe
def robots_txt(request):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # Searches are not for search engines, except a landing page with a single filter
        # (/sok/?theme=bolig): no text, no second parameter, no sorting or later pages.
        "Disallow: /sok/?q=",
        "Disallow: /sok/?*&",
        "Disallow: /sok/?*sort=",
        "Disallow: /sok/?*page",
        "Allow: /api/dokumentasjon/",  # the readable API documentation is a page like any other
        "Disallow: /api/",
        f"Sitemap: {site.root_url}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
