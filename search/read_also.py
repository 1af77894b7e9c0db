"""«Les også»: each published practice's most similar practices, stored when it is indexed.

Computing them (``SearchService.similar``) reads the facet and term rows of the whole index,
hundreds of milliseconds at 50 000 documents, so it is done by the index task when a page is
published (search/tasks.py), not when a visitor opens the page. The lists of the pages that
name a page are computed again when that page leaves search (unpublished, restricted, deleted),
and the page view only ever shows targets that are in the index now (``for_page``: one query),
so an unpublished page never shows, even before its readers are refreshed.
"""

from django.db import transaction
from django.db.models import OuterRef, Subquery

from .models import ReadAlso, SearchDocument

LIMIT = 4
PAGE_TYPE = "praksis"  # only practice pages show «Les også»


def refresh(page_id):
    """Store ``page_id``'s list as search finds it now (empty when the page is not indexed)."""
    from .service import SearchService  # the service reads the index this module belongs to

    similar = []
    if SearchDocument.objects.filter(pk=page_id, page_type=PAGE_TYPE).exists():
        similar = [document.pk for document in SearchService().similar(page_id, limit=LIMIT, types=(PAGE_TYPE,))]
    with transaction.atomic():
        ReadAlso.objects.filter(page_id=page_id).delete()
        ReadAlso.objects.bulk_create(
            ReadAlso(page_id=page_id, target_id=target, position=position) for position, target in enumerate(similar)
        )
    return similar


def readers(page_id):
    """The pages whose list names ``page_id``."""
    return list(ReadAlso.objects.filter(target_id=page_id).values_list("page_id", flat=True).distinct())


def for_page(page):
    """The search documents of ``page``'s list, in order: one query."""
    if not page.pk:
        return []
    position = ReadAlso.objects.filter(page_id=page.pk, target_id=OuterRef("pk")).values("position")[:1]
    return list(
        SearchDocument.objects.filter(pk__in=ReadAlso.objects.filter(page_id=page.pk).values("target_id"))
        .annotate(read_also_position=Subquery(position))
        .order_by("read_also_position")
        .only("pk", "title", "url", "summary")
    )
