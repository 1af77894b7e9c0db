"""What ``manage.py send_alerts`` does: for each confirmed subscription of a frequency, the
content matching its search that was published or republished since the last alert, one
e-mail per subscription.

The search is the site's one search service (the same results as /sok/); what is new is judged
by the pages' publication times (``first_published_at`` new, ``last_published_at`` updated).
Each subscription's watermark (``last_checked_at``) moves to the moment the run started, in the
same transaction as its e-mail is queued: a second run finds nothing new and sends nothing, and
a page published while the run works is caught by the next run.
"""

import dataclasses
import logging

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from search.service import SearchService

from . import mail
from .models import Subscription
from .queries import params_for
from .tokens import CONFIRM_MAX_AGE

logger = logging.getLogger(__name__)

SEARCH_WINDOW = 500  # hits fetched per search request
MAX_HITS = 10_000  # a search matching more than this is only followed in its newest hits


@dataclasses.dataclass
class RunSummary:
    checked: int = 0
    sent: int = 0
    pages: int = 0
    failed: int = 0
    expired: int = 0


def changed_pages(since, until):
    """{page id: (first published, last published)} of the live, public pages (re)published in
    (since, until]."""
    rows = (
        Page.objects.live()
        .public()
        .filter(last_published_at__gt=since, last_published_at__lte=until)
        .values_list("pk", "first_published_at", "last_published_at", "title")
    )
    return {pk: (first, last, title) for pk, first, last, title in rows}


def matching_ids(service, query, wanted):
    """The ids of ``wanted`` pages among the search's hits, in the search's order (newest first)."""
    found, page = [], 1
    while (page - 1) * SEARCH_WINDOW < MAX_HITS:
        params = params_for(query, sort="newest", page=page, page_size=SEARCH_WINDOW)
        response = service.search(params, facets=())
        found += [result for result in response.results if result.id in wanted]
        if page * SEARCH_WINDOW >= response.count:
            break
        page += 1
    return found


def send_alerts(frequency, stdout=None, progress=None, now=None):
    """Send the alerts of ``frequency`` that are due; a ``RunSummary``."""
    now = now or timezone.now()
    summary = RunSummary()
    expired = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_MAX_AGE)
    summary.expired = expired.delete()[0]

    subscriptions = list(Subscription.objects.filter(frequency=frequency, confirmed_at__isnull=False).order_by("pk"))
    if not subscriptions:
        return summary
    oldest = min(s.last_checked_at or s.confirmed_at for s in subscriptions)
    changed = changed_pages(oldest, now)
    service = SearchService()
    for index, subscription in enumerate(subscriptions, 1):
        summary.checked += 1
        since = subscription.last_checked_at or subscription.confirmed_at
        wanted = {pk for pk, (_first, last, _title) in changed.items() if last > since}
        try:
            results = matching_ids(service, subscription.query, wanted) if wanted else []
            with transaction.atomic():
                # The row may have been deleted (unsubscribed) or sent by a run beside this one.
                locked = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
                if locked is None or (locked.last_checked_at and locked.last_checked_at >= now):
                    continue
                if results:
                    items = [
                        (r.title, mail.absolute(r.url), "ny" if changed[r.id][0] > since else "oppdatert")
                        for r in results
                    ]
                    mail.alert_message(locked, items).send()
                    locked.last_sent_at = now
                    locked.last_sent_pages = [r.id for r in results]
                    summary.sent += 1
                    summary.pages += len(results)
                locked.last_checked_at = now
                locked.save(update_fields=["last_checked_at", "last_sent_at", "last_sent_pages"])
        except Exception:
            summary.failed += 1
            logger.exception("Varselet %s kunne ikke sendes", subscription.pk)
        if progress:
            progress(index, len(subscriptions))
    return summary
