"""The page shown when django-axes locks a login out (``AXES_LOCKOUT_CALLABLE``): Norwegian, in
the admin's login layout, HTTP 429, and the same for a locked account or a locked address so
that it tells an attacker nothing about which accounts exist."""

from axes.helpers import get_cool_off, get_failure_limit
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "security/lockout.html", context, status=429)
