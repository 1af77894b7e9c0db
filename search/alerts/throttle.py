"""Throttling of subscribe requests per e-mail address and per IP address, in Django's cache.

Counts in fixed windows; the keys hold a hash, never the address itself. With several server
processes, configure a shared cache (CACHES) so they count together.
"""

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60
PER_ADDRESS = 5  # subscribe requests per e-mail address per hour
PER_IP = 20  # per client IP per hour


def _key(kind, value):
    return "alerts-throttle:" + kind + ":" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _hit(kind, value, limit):
    key = _key(kind, value)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def allow(email, ip):
    """Whether one more subscribe request from ``ip`` for ``email`` is allowed (and count it)."""
    ip_ok = _hit("ip", ip or "unknown", PER_IP)
    address_ok = _hit("email", email.casefold(), PER_ADDRESS)
    return ip_ok and address_ok
