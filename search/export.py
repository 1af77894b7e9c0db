"""Open data: CSV and JSON export of the practice examples in any search or filtered listing.

``/sok/eksport.csv?…`` and ``/sok/eksport.json?…`` take the parameters of /sok/ and export the
practice examples of that result set (``type=praksis`` is implied), in the search's order, one
row per practice, with all its structured fields: multi-valued fields joined with «; » in CSV
(lists in JSON), dates in ISO 8601. Rich-text sections are left out (they are on the page and in
/api/v2/), and so is the contact field (personal data is not open data).

At most ``EXPORT_LIMIT`` rows: the response says how many matched (``X-Total-Count``) and
whether the export was cut (``X-Export-Truncated``; in JSON ``count``, ``limit``,
``truncated``). The licence is NLOD 2.0 (``Link: <…>; rel="license"``, and in JSON). The
number of queries is the same for one row as for the limit: one search, the practices with
their relations prefetched.
"""

import csv
import io

from django.db.models import Prefetch
from django.http import HttpResponse

from practices.models import PracticeLegalReference, PracticePage

from .api import _get_only, _json
from .opendata import LICENCE_NAME, LICENCE_URL, requested_search
from .service import SearchService

EXPORT_LIMIT = 1000
# One search (at most 5 queries with a text query, the law registry included) and the export queryset.
EXPORT_MAX_QUERIES = 22
MULTI_SEPARATOR = "; "

# The columns, in order: (name, description). The description is the OpenAPI document's too.
FIELDS = (
    ("id", "Sidens id"),
    ("title", "Tittel"),
    ("url", "Adresse"),
    ("summary", "Ingress"),
    ("municipalities", "Ansvarlige kommuner"),
    ("municipality_numbers", "Kommunenumre"),
    ("municipalities_today", "Kommunene i dag (etter sammenslåinger)"),
    ("other_actor", "Annen ansvarlig aktør"),
    ("responsible_unit", "Ansvarlig enhet"),
    ("county", "Fylke da arbeidet ble gjort"),
    ("counties_today", "Fylker i dag"),
    ("municipality_size", "Kommunestørrelse"),
    ("period_start", "Startår"),
    ("period_end", "Sluttår"),
    ("period_ongoing", "Pågår fortsatt"),
    ("status", "Status"),
    ("evidence_level", "Dokumentasjonsnivå"),
    ("themes", "Temaer"),
    ("target_groups", "Målgrupper"),
    ("tags", "Stikkord"),
    ("legal_references", "Lovhenvisninger"),
    ("funding_sources", "Finansieringskilder"),
    ("resources", "Ressurser"),
    ("last_reviewed", "Sist gjennomgått"),
    ("first_published_at", "Først publisert"),
    ("last_published_at", "Sist publisert"),
    ("source_publisher", "Kildens utgiver"),
    ("source_title", "Tittel hos utgiver"),
    ("source_url", "Kildens adresse"),
    ("source_published", "Publisert hos kilden"),
    ("source_updated", "Endret hos kilden"),
)
FIELD_NAMES = tuple(name for name, _ in FIELDS)


def _iso(value):
    return value.isoformat() if value else None


def practice_row(page, site_url=""):
    """A practice's structured fields (values: text, numbers, booleans, lists, ISO dates)."""
    municipalities = list(page.municipalities.all())
    return {
        "id": page.pk,
        "title": page.title,
        "url": site_url + (page.url or ""),
        "summary": page.summary,
        "municipalities": [m.name for m in municipalities],
        "municipality_numbers": [m.number for m in municipalities],
        "municipalities_today": page.municipalities_today,
        "other_actor": page.other_actor,
        "responsible_unit": page.responsible_unit,
        "county": page.county.name if page.county_id else None,
        "counties_today": [county.name for county in page.current_counties()],
        "municipality_size": page.municipality_size or None,
        "period_start": page.period_start,
        "period_end": page.period_end,
        "period_ongoing": page.period_ongoing,
        "status": page.status or None,
        "evidence_level": page.evidence_level or None,
        "themes": [t.name for t in page.themes.all()],
        "target_groups": [t.name for t in page.target_groups.all()],
        "tags": [t.name for t in page.tags.all()],
        "legal_references": [r.provision.label for r in page.legal_references.all()],
        "funding_sources": [f.name for f in page.funding_sources.all()],
        "resources": page.resources,
        "last_reviewed": _iso(page.last_reviewed),
        "first_published_at": _iso(page.first_published_at),
        "last_published_at": _iso(page.last_published_at),
        "source_publisher": page.source_publisher,
        "source_title": page.source_title,
        "source_url": page.source_url,
        "source_published": _iso(page.source_published),
        "source_updated": _iso(page.source_updated),
    }


def export_queryset():
    """Live, public practices with every relation a row reads, in a fixed number of queries
    (``EXPORT_MAX_QUERIES`` with the search): merged municipalities and counties are followed two
    changes deep (Skedsmo → Lillestrøm 2020 → Lillestrøm 2024), as far as the registers go."""
    municipality_levels = ("municipalities", "municipalities__successors", "municipalities__successors__successors")
    return (
        PracticePage.objects.live()
        .public()
        .select_related("county")
        .prefetch_related(
            "tags",
            "themes",
            "target_groups",
            "funding_sources",
            *(f"{level}__county" for level in municipality_levels),
            "county__successors__successors",
            Prefetch(
                "legal_references",
                queryset=PracticeLegalReference.objects.select_related("provision__law"),
            ),
        )
    )


def exported_practices(querydict):
    """(rows, count) of the practice examples the request's search finds, at most EXPORT_LIMIT."""
    params = requested_search(querydict, page=1, page_size=EXPORT_LIMIT)
    params.filters["type"] = ("praksis",)
    response = SearchService().search(params, facets=())
    ids = [result.id for result in response.results]
    pages = export_queryset().filter(pk__in=ids)
    by_id = {page.pk: page for page in pages}
    base = _site_url()
    rows = [practice_row(by_id[pk], base) for pk in ids if pk in by_id]
    return rows, response.count


def _site_url():
    from django.conf import settings

    return (getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def _headers(response, count, rows):
    response["X-Total-Count"] = str(count)
    response["X-Export-Limit"] = str(EXPORT_LIMIT)
    response["X-Export-Truncated"] = "true" if count > len(rows) else "false"
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def csv_value(value):
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return "" if value is None else value


@_get_only
def export_csv(request):
    rows, count = exported_practices(request.GET)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheet programs read the UTF-8 (æ, ø, å)
    writer = csv.writer(buffer)
    writer.writerow(FIELD_NAMES)
    for row in rows:
        writer.writerow([csv_value(row[name]) for name in FIELD_NAMES])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kunnskapsbase-praksiseksempler.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return _headers(response, count, rows)


@_get_only
def export_json(request):
    rows, count = exported_practices(request.GET)
    data = {
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "count": count,
        "limit": EXPORT_LIMIT,
        "truncated": count > len(rows),
        "fields": dict(FIELDS),
        "results": rows,
    }
    return _headers(_json(data), count, rows)
