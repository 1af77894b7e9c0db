"""Wagtail pages served to anonymous visitors from Django's cache framework.

A page view of a practice, report, article or listing renders templates and reads a dozen
rows; the same HTML goes to every visitor who is not logged in. ``AnonymousPageCacheMiddleware``
keeps that HTML in the ``default`` cache for ``PAGE_CACHE_SECONDS`` and answers the next
anonymous request for the same address without touching the database.

Invalidation is one site-wide version number in the cache, part of every key: publishing,
unpublishing, moving or deleting a page, changing who may see it, and saving a taxonomy row or
a site setting bump it once the transaction has committed (search/signals.py), and the index
tasks bump it again when search, listings and «Les også» have caught up (search/tasks.py). A
bump makes every cached page stale at once; the next visitor renders afresh. Simple and correct
for a site whose pages list each other.

Never cached: anything but GET; requests carrying a session cookie (a logged-in editor, a
visitor who entered a page password); the admin; anything but Wagtail's page view; responses
that are not 200, set a cookie (a CSRF token in a form does), or say ``private``/``no-store``.

Each cached response carries ``Last-Modified`` (when it was rendered) and an ``ETag``
(``ConditionalGetMiddleware``), so browsers and proxies revalidate with a 304. For a CDN in
front of the site, see docs/drift.md (Wagtail's frontend-cache invalidation).

The cache must be shared by every process that serves pages and by the background worker
that bumps the version: the default (``CACHE_URL``) is a file cache under var/cache.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

VERSION_KEY = "kb:page-cache-version"
PAGE_VIEW = "wagtail_serve"


def enabled():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def version(key=VERSION_KEY):
    """The site-wide version under ``key`` (another key: a narrower version of the same kind,
    e.g. the header's and footer's in practices/site_chrome.py)."""
    current = cache.get(key)
    if current is None:
        current = time.time_ns()  # a fresh cache must not reuse keys an old one had
        cache.add(key, current, timeout=None)
        current = cache.get(key, current)
    return current


def bump(key=VERSION_KEY):
    """Make every cached page stale (after anything a page may show has changed)."""
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): any new value is a new generation
        cache.set(key, time.time_ns(), timeout=None)


def _key(request, current):
    address = f"{request.get_host()}{request.get_full_path()}"
    return f"kb:page:{current}:{hashlib.sha256(address.encode()).hexdigest()}"


def may_use_cache(request):
    return (
        enabled()
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not any(request.path_info.startswith(prefix) for prefix in settings.ADMIN_CSP_PATH_PREFIXES)
    )


def may_store(request, response):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and match is not None
        and match.url_name == PAGE_VIEW
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
        and "text/html" in response.get("Content-Type", "")
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        key = _key(request, version())
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if may_store(request, response):
            if not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date()
            # Shared caches may keep it too, but must ask again (ETag/Last-Modified) before reuse.
            patch_cache_control(response, public=True, max_age=0)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
