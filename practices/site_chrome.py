"""What every page's header and footer show the same way to every visitor (the main menu's
section addresses, the site texts, the footer's linked pages), remembered in the process until
something they show may have changed.

The key is a site-wide version of its own in the shared cache (``kb:site-chrome-version``,
kept like the page cache's: kunnskapsbase/page_cache.py), bumped once the transaction has
committed, in every process that shares the cache, only when the header or footer can change:

- a page the chrome looks at is saved (published, unpublished, renamed, a draft saved), moved
  or deleted: a page with one of the main menu's slugs (``MENU_SLUGS``; any page with the slug
  counts, live or not, as ``slugurls`` takes the first in tree order, as Wagtail's ``slugurl``
  does), a page the footer links to (``SiteTexts``' four page fields), or an ancestor of one of
  them (its slug and place make their addresses). A page given a menu slug counts too;
- a ``SiteTexts`` or other site setting, a ``Site`` or a view restriction is saved or deleted.

Publishing a practice example, a report or an article leaves the chrome as it is, so the first
request after it reads nothing of the chrome again. The check in the editor's request costs a
name comparison, and two small queries (the chrome's pages and their ancestors, a handful of
rows however large the collection) once per version and process, outside a pending change.

This process also forgets at once when such a change is made here (a draft may take a section's
slug). Nothing is remembered inside a transaction (its rows may be rolled back).

Only data is kept (addresses, titles, the settings row), never rendered HTML: the page's own
rendering is the page cache's job."""

import copy

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from kunnskapsbase import page_cache

VERSION_KEY = "kb:site-chrome-version"
# The main menu's sections (templates/base.html); only these addresses are remembered.
MENU_SLUGS = ("praksiseksempler", "rapporter", "artikler")
FOOTER_FIELDS = ("about_page", "contact_page", "privacy_page", "accessibility_page")

_remembered = {}
_VERSION = "_kb_site_chrome_version"
_chrome_pages = {}  # {version: frozenset of the ids of the chrome's pages and their ancestors}


def may_remember():
    return not connection.in_atomic_block


def version():
    return page_cache.version(VERSION_KEY)


def bump():
    """The header and footer may have changed: every process reads them again."""
    page_cache.bump(VERSION_KEY)
    _remembered.clear()


def forget(sender=None, **kwargs):
    """Forget what this process remembers (tests; a change made here)."""
    _remembered.clear()
    _chrome_pages.clear()


def _site(request):
    return Site.find_for_request(request) if request is not None else None


def remember(request, name, build):
    """``build()``, or what it gave before for this site since the last change."""
    if request is None or not may_remember():
        return build()
    current = getattr(request, _VERSION, None)
    if current is None:
        current = version()
        setattr(request, _VERSION, current)
    site = _site(request)
    key = (current, site.pk if site else None, name)
    if key not in _remembered:
        if len(_remembered) > 100 or any(other[0] != current for other in _remembered):
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


# --- When the chrome may have changed ------------------------------------------------------------


def chrome_page_ids():
    """Ids of the pages the header and footer are made from (every page with a menu slug, every
    page a footer links to) and of their ancestors: two queries, a few rows."""
    from practices.models import SiteTexts

    linked = Q(slug__in=MENU_SLUGS)
    for field in FOOTER_FIELDS:
        linked |= Q(pk__in=SiteTexts.objects.filter(**{f"{field}__isnull": False}).values(field))
    paths = set(Page.objects.filter(linked).values_list("path", flat=True))
    prefixes = {path[:end] for path in paths for end in range(Page.steplen, len(path) + 1, Page.steplen)}
    return frozenset(Page.objects.filter(path__in=prefixes).values_list("pk", flat=True)) if prefixes else frozenset()


class _BumpOnCommit:
    ran = False

    def __call__(self):
        self.ran = True
        bump()


def _pending():
    """Whether this transaction will bump the version when it commits (a rolled-back
    transaction's callbacks are dropped by Django, and so is this)."""
    return any(
        isinstance(func, _BumpOnCommit) and not func.ran for _savepoints, func, _robust in connection.run_on_commit
    )


def changed():
    """Something the chrome shows changed in this transaction: forget now, bump on commit."""
    _remembered.clear()
    _chrome_pages.clear()
    if not _pending():
        transaction.on_commit(_BumpOnCommit())


def _known_chrome_pages():
    current = version()
    ids = _chrome_pages.get(current)
    if ids is None:
        ids = chrome_page_ids()
        # Read without a change of ours pending: what other writes in this transaction did cannot
        # have changed which pages these are (any that could is a change, and ends up here).
        _chrome_pages.clear()
        _chrome_pages[current] = ids
    return ids


def _page_changing(sender, instance, **kwargs):
    """Before a page is saved or deleted: does the chrome show it or its descendants? (Wagtail's
    move saves the moved page after the tree has moved, and a descendant's address changes only
    through its ancestor's save or move.)"""
    if instance.slug in MENU_SLUGS:
        changed()
        return
    if instance.pk is not None and not _pending() and instance.pk in _known_chrome_pages():
        changed()


def _setting_changed(sender, **kwargs):
    changed()


def connect():
    page_models = {Page, *get_page_models()}
    for model in page_models:
        pre_save.connect(_page_changing, sender=model, dispatch_uid=f"kb_site_chrome_page_saved_{model._meta.label}")
        pre_delete.connect(
            _page_changing, sender=model, dispatch_uid=f"kb_site_chrome_page_deleted_{model._meta.label}"
        )
    settings_models = [model for model in _all_models() if issubclass(model, BaseSiteSetting)]
    for model in (Site, PageViewRestriction, *settings_models):
        for signal in (post_save, post_delete):
            signal.connect(
                _setting_changed, sender=model, dispatch_uid=f"kb_site_chrome_{id(signal)}_{model._meta.label}"
            )


def _all_models():
    from django.apps import apps

    return apps.get_models()
