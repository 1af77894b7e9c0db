"""How many submissions one address may send: per IP address and per e-mail address, per hour.

Counted in Django's cache (a shared cache such as Redis or the database cache in production, so
every worker process counts together). ``allow(request, email)`` counts an attempt and says
whether it is within ``SUBMISSION_LIMIT_PER_HOUR``; the keys are hashes, not the addresses.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW = 60 * 60
LIMIT_MESSAGE = (
    "Det er sendt inn mange eksempler fra denne adressen den siste timen. Vent en time og prøv igjen, "
    "eller skriv til redaksjonen."
)


def client_ip(request):
    """The visitor's address. Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn's
    --forwarded-allow-ips with a trusted proxy); X-Forwarded-For is not trusted here."""
    return request.META.get("REMOTE_ADDR") or "ukjent"


def _key(kind, value):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{value}".encode()).hexdigest()[:32]
    return f"submissions:throttle:{kind}:{digest}"


def _count(key):
    cache.add(key, 0, WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return 1


def allow(request, email):
    """Count one submission from this IP and e-mail address; False when either is over the limit."""
    limit = settings.SUBMISSION_LIMIT_PER_HOUR
    counts = [_count(_key("ip", client_ip(request))), _count(_key("email", (email or "").strip().lower()))]
    return all(count <= limit for count in counts)
