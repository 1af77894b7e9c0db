"""The page of search results as HTML (search.service.Result): title and link, type, county and
municipality size, the snippet, the replaced provisions a hit came through, the provisions cited
(linked to their pages) and the tags. Everything comes from the search index, so showing the
results costs no query.

Rendered by Jinja2 (templates/jinja2/search/results.html and result.html), autoescaped: twenty
results with their references and tags cost a Django template some 600 variable lookups, more
than the rest of the listing; compiled Jinja2 costs about what Python string building does."""

import functools

from django.template import engines
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import mark_safe

SIZE_LABELS = {"liten": "Liten", "mellomstor": "Mellomstor", "stor": "Stor"}


@functools.lru_cache(maxsize=4096)
def _provision_url(prefix, law, paragraph):
    try:
        return reverse("search:provision", args=[law, paragraph])
    except NoReverseMatch:  # a citation the site has no page for: its label, unlinked
        return ""


def provision_url(law, paragraph):
    return _provision_url(get_script_prefix(), law, paragraph)


def _render(template_name, **context):
    template = engines["jinja2"].get_template(template_name)
    return mark_safe(template.render({"size_labels": SIZE_LABELS, "provision_url": provision_url, **context}))


def results_html(results, show_type):
    """The results as the list templates/search/includes/listing.html shows."""
    return _render("search/results.html", results=results, show_type=show_type)
