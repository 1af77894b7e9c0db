"""The page of search results as HTML (search.service.Result): title and link, type, county and
municipality size, the snippet, the replaced provisions a hit came through, the provisions cited
(linked to their pages) and the tags. Everything comes from the search index, so showing the
results costs no query.

Written here in one pass rather than by a template loop: twenty results with their references
and tags cost a template some 600 variable lookups, more than the rest of the listing. Every
value is escaped as Django's autoescape would (``conditional_escape``: the snippet is already
escaped HTML with <mark> around the matched words)."""

import functools
import html

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import mark_safe

SIZE_LABELS = {"liten": "Liten", "mellomstor": "Mellomstor", "stor": "Stor"}
INDENT = " " * 16  # the results sit this deep in templates/search/includes/listing.html


def _e(value):
    """``value`` escaped for HTML unless it is HTML already (as ``conditional_escape``)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@functools.lru_cache(maxsize=4096)
def _provision_url(prefix, law, paragraph):
    try:
        return reverse("search:provision", args=[law, paragraph])
    except NoReverseMatch:  # a citation the site has no page for: its label, unlinked
        return ""


def provision_url(law, paragraph):
    return _provision_url(get_script_prefix(), law, paragraph)


def _joined(labels):
    """«a», «a og b», «a, b og c»."""
    labels = [_e(label) for label in labels]
    if len(labels) < 2:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " og " + labels[-1]


def result_html(result, show_type):
    """One result; the blank lines where a part is missing are those the template it replaced left."""
    size = result.municipality_size
    out = [
        '<article class="search-result">\n'
        f'    <h3 class="search-result__title"><a href="{_e(result.url)}">{_e(result.title)}</a></h3>\n    '
    ]
    if show_type or result.county or size:
        kind = f'<span class="search-result__type">{_e(result.type_label)}</span>' if show_type else ""
        county = result.county and f'<span><span class="visually-hidden">Fylke: </span>{_e(result.county)}</span>'
        size_text = f"<span>{SIZE_LABELS.get(size) or _e(size)} kommune</span>" if size else ""
        out.append(
            f'\n    <p class="search-result__meta">\n        {kind}\n        {county or ""}\n'
            f"        {size_text}\n    </p>\n    "
        )
    out.append("\n    ")
    if result.snippet:
        out.append(f'<p class="search-result__snippet">{_e(result.snippet)}</p>')
    out.append("\n    ")
    if result.via:
        word = "forgjengeren" if len(result.via) == 1 else "forgjengerne"
        out.append(f'\n    <p class="search-result__via">Treff via {word} {_joined(result.via)}.</p>\n    ')
    out.append("\n    ")
    if result.legal_references:
        links = []
        for reference in result.legal_references:
            url = provision_url(reference.get("law", ""), reference.get("paragraph", ""))
            label = _e(reference.get("label", ""))
            links.append(f'<a href="{_e(url)}">{label}</a>' if url else label)
        out.append(
            '\n    <p class="search-result__laws"><span class="search-result__laws-label">Lovgrunnlag:</span>\n'
            f"        {', '.join(links)}\n    </p>\n    "
        )
    out.append("\n    ")
    if result.tags:
        tags = "".join(f"<li>{_e(tag)}</li>" for tag in result.tags)
        out.append(
            f'\n    <ul class="tags search-result__tags" aria-label="Stikkord">\n        {tags}\n    </ul>\n    '
        )
    out.append("\n</article>")
    return "".join(out)


def results_html(results, show_type):
    """The results as the list templates/search/includes/listing.html shows."""
    items = "".join(f"\n{INDENT}<li>\n{result_html(result, show_type)}\n</li>\n{INDENT}" for result in results)
    return mark_safe(f'<ul class="search-results" role="list">\n{INDENT}{items}\n            </ul>')
