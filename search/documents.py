"""What a page looks like to search: its texts by weight, its facet values and the data a
result shows. One function per page type; every backend indexes these documents."""

import datetime
import html
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from practices.models import ArticlePage, PracticePage, ReportPage

from .weights import WEIGHT_BODY, WEIGHT_STRUCTURED, WEIGHT_SUMMARY, WEIGHT_TAGS, WEIGHT_TITLE

PAGE_TYPES = {"praksis": "Praksiseksempel", "rapport": "Rapport", "artikkel": "Artikkel"}
TAG_RE = re.compile(r"<[^>]+>")


# search/indexing.py prefetches the relations only this module reads into plain lists under these
# names (``Prefetch(to_attr=...)``): no related manager and queryset per page.
PREFETCHED_AS = "_search_{}"


def related(obj, name):
    """``obj.<name>.all()`` as a list, read straight from what search/indexing.py prefetched
    when it did (a list under ``PREFETCHED_AS``, or the prefetch cache): building a related
    manager and its queryset on each access costs more than the rest of a document."""
    prefetched = obj.__dict__.get(PREFETCHED_AS.format(name))
    if prefetched is not None:
        return prefetched
    cache = getattr(obj, "_prefetched_objects_cache", None)
    if cache is not None and name in cache and not hasattr(obj, "_cluster_related_objects"):
        return list(cache[name])
    return list(getattr(obj, name).all())


def page_tags(page):
    """A page's tags in the order they were added (by tagged item): the order SQLite happened to
    give, and one PostgreSQL keeps too, where ``page.tags.all()`` has none, so that the same page
    was indexed with its tags in one order when published and another in a rebuild."""
    tags = page.__dict__.get(PREFETCHED_AS.format("tags"))  # as search/indexing.py attaches them
    if tags is not None:
        return tags
    return [item.tag for item in page.tagged_items.select_related("tag").order_by("pk")]


def plain(value):
    """Plain text of rich text or a StreamField value."""
    if value is None:
        return ""
    if hasattr(value, "stream_block"):
        return "\n".join(str(part) for part in value.stream_block.get_searchable_content(value))
    text = TAG_RE.sub(" ", str(value))
    return " ".join(html.unescape(text).split())


@dataclass
class Document:
    page_id: int
    page_type: str
    title: str
    url: str
    summary: str
    published: object  # the sort key of «Nyeste»: the content's own date as a datetime (sort_key)
    year: int | None
    county_label: str = ""
    municipality_size: str = ""
    texts: list = field(default_factory=list)  # (text, weight)
    facets: list = field(default_factory=list)  # (facet, value, label)
    data: dict = field(default_factory=dict)

    @property
    def body_text(self):
        return "\n".join(text for text, weight in self.texts if weight <= WEIGHT_BODY and text)


def legal_reference_facets(references):
    """law and law:paragraph values for each cited provision, and for the provisions that replaced it."""
    facets = []
    for reference in references:
        provision = reference.provision
        chain = [provision]
        while chain[-1].replaced_by_id and chain[-1].replaced_by not in chain:
            chain.append(chain[-1].replaced_by)
        for cited in chain:
            law = cited.law
            facets.append(("law", law.slug, law.short_name))
            facets.append(("law", f"{law.slug}:{cited.paragraph}", cited.label))
            facets.append(("paragraph", cited.paragraph, f"§ {cited.paragraph}"))
    return facets


def legal_reference_data(provision):
    successor = provision.replaced_by
    return {
        "law": provision.law.slug,
        "paragraph": provision.paragraph,
        "label": provision.label,
        "url": provision.lovdata_url,
        "replaced_by": f"{successor.law.slug}:{successor.paragraph}" if successor else None,
        "replaced_by_label": successor.label if successor else None,
    }


def sort_key(date):
    """The content's own date as the datetime «Nyeste» sorts by (midnight, local time)."""
    if date is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def former_counties(page):
    """The former counties the work is registered under (its own county, its municipalities'
    counties) whose names are not those of today's counties: Troms og Finnmark, Viken."""
    counties = [page.county] if page.county_id else []
    counties += [m.county for m in related(page, "municipalities") if m.county_id]
    return list({county.pk: county for county in counties if not county.is_current}.values())


def counties_today_and_former(page):
    """(today's counties, the former ones registered whose names are not today's)."""
    today = page.current_counties()
    names = {c.name for c in today}
    return today, [c for c in former_counties(page) if c.name not in names]


def county_facets(page, counties=None):
    """Today's counties, and the former ones the work is registered under: found by both
    (a former county labelled with its period: «Troms og Finnmark (2020–2023)»).
    ``counties``: counties_today_and_former(page) if the caller has it already."""
    today, former = counties or counties_today_and_former(page)
    return [("county", slugify(c.name), c.name) for c in today] + [("county", slugify(c.name), str(c)) for c in former]


def county_label(page):
    """The county as the card shows it: «Troms og Finnmark (nå: Troms)» for a former county."""
    if not page.county_id:
        return ""
    today = page.county_today_label
    return f"{page.county.name} (nå: {today.replace(', ', ' og ')})" if today else page.county.name


def _common(page, page_type, year):
    references = related(page, "legal_references") if hasattr(page, "legal_references") else []
    tags = page_tags(page)
    themes = related(page, "themes")
    target_groups = related(page, "target_groups")
    facets = [("type", page_type, PAGE_TYPES[page_type])]
    facets += [("tag", tag.slug, tag.name) for tag in tags]
    facets += [("theme", t.slug, t.name) for t in themes]
    facets += [("target_group", t.slug, t.name) for t in target_groups]
    if year:
        facets.append(("year", str(year), str(year)))
    facets += legal_reference_facets(references)
    texts = [
        (page.title, WEIGHT_TITLE),
        (page.summary, WEIGHT_SUMMARY),
        (" ".join(tag.name for tag in tags), WEIGHT_TAGS),
        (" ".join(t.name for t in themes + target_groups), WEIGHT_STRUCTURED),
        (
            " ".join(r.provision.label + " " + r.provision.title + " " + r.comment for r in references),
            WEIGHT_STRUCTURED,
        ),
    ]
    content_date = page.content_date
    data = {
        "content_date": content_date.isoformat() if content_date else None,
        "tags": [tag.name for tag in tags],
        "legal_references": [legal_reference_data(r.provision) for r in references],
    }
    return Document(
        page_id=page.pk,
        page_type=page_type,
        title=page.title,
        url=page.url or "",
        summary=page.summary,
        published=sort_key(content_date),
        year=year,
        texts=texts,
        facets=facets,
        data=data,
    )


def _with_actor(document, page):
    document.county_label = county_label(page)
    counties = counties_today_and_former(page)
    document.facets += county_facets(page, counties)
    # A former municipality is found under its name today too (Skedsmo: Lillestrøm).
    names = [m.name for m in related(page, "municipalities")] + page.municipalities_today
    municipalities = " ".join(dict.fromkeys(names))
    # Today's county and the former one are both found (Troms og Finnmark: Troms).
    today, former = counties
    county_names = [page.county.name] if page.county_id else []
    county_names = " ".join(dict.fromkeys(county_names + [c.name for c in today + former]))
    document.texts.append(
        (" ".join([municipalities, page.other_actor, page.responsible_unit, county_names]), WEIGHT_STRUCTURED)
    )
    return document


PRACTICE_BODY = [
    "description",
    "results",
    "background",
    "goals",
    "implementation",
    "steps",
    "user_participation",
    "financing",
    "success_factors",
    "challenges",
    "continuation",
]


def practice_document(page):
    document = _with_actor(_common(page, "praksis", page.period_start), page)
    document.municipality_size = page.municipality_size
    if page.municipality_size:
        document.facets.append(("size", page.municipality_size, page.get_municipality_size_display().split(" (")[0]))
    document.texts.append((" ".join(f.name for f in related(page, "funding_sources")), WEIGHT_STRUCTURED))
    document.texts += [(plain(getattr(page, name)), WEIGHT_BODY) for name in PRACTICE_BODY]
    return document


def report_document(page):
    document = _with_actor(
        _common(page, "rapport", page.period_start or (page.published and page.published.year)), page
    )
    document.texts.append((plain(page.body), WEIGHT_BODY))
    return document


def article_document(page):
    document = _common(page, "artikkel", page.date.year if page.date else None)
    document.texts.append((plain(page.body), WEIGHT_BODY))
    return document


BUILDERS = {PracticePage: practice_document, ReportPage: report_document, ArticlePage: article_document}
SEARCHABLE_MODELS = tuple(BUILDERS)


def document_for(page):
    """The search document of a live, public page; None for page types search does not cover."""
    page = page.specific
    builder = BUILDERS.get(type(page))
    return builder(page) if builder else None
