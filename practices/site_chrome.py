"""What every page's header and footer show the same way to every visitor (the main menu's
section addresses, the site texts, the footer's linked pages), remembered in the process until
something a page may show changes.

The key is the page cache's site-wide version (kunnskapsbase/page_cache.py), which publishing,
unpublishing, moving or deleting a page, a view restriction and saving a setting or a site bump
once their transaction has committed, in every process that shares the cache. This process also
forgets at once when a page, a setting, a site or a view restriction is saved here (a draft may
take a section's slug). Nothing is remembered inside a transaction (its rows may be rolled back).

Only data is kept (addresses, titles, the settings row), never rendered HTML: the page's own
rendering is the page cache's job."""

import copy

from django.db import connection
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from kunnskapsbase import page_cache

_remembered = {}
_VERSION = "_kb_site_chrome_version"
_WATCHED = (Page, PageViewRestriction, Site, BaseSiteSetting)


def may_remember():
    return not connection.in_atomic_block


def forget(sender=None, **kwargs):
    if sender is None or not isinstance(sender, type) or issubclass(sender, _WATCHED):
        _remembered.clear()


def _site(request):
    return Site.find_for_request(request) if request is not None else None


def remember(request, name, build):
    """``build()``, or what it gave before for this site since the last change."""
    if request is None or not may_remember():
        return build()
    version = getattr(request, _VERSION, None)
    if version is None:
        version = page_cache.version()
        setattr(request, _VERSION, version)
    site = _site(request)
    key = (version, site.pk if site else None, name)
    if key not in _remembered:
        if len(_remembered) > 100 or any(other[0] != version for other in _remembered):
            _remembered.clear()
        _remembered[key] = build()
    return _remembered[key]


def site_texts(request):
    """Put the site's ``SiteTexts`` where Wagtail's ``settings`` context looks for it (a copy
    per request, as Wagtail keeps a request of its own on it)."""
    from practices.models import SiteTexts

    attribute = SiteTexts.get_cache_attr_name()
    if request is None or hasattr(request, attribute):
        return
    site = _site(request)
    if site is None:
        return
    texts = copy.copy(remember(request, "site_texts", lambda: SiteTexts.for_site(site)))
    texts._request = request
    setattr(request, attribute, texts)


def connect():
    post_save.connect(forget, dispatch_uid="kb_site_chrome_saved")  # pages, settings, sites
    post_delete.connect(forget, dispatch_uid="kb_site_chrome_deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget, dispatch_uid=f"kb_site_chrome_{id(signal)}")
