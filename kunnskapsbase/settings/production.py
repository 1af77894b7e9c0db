"""Production settings: everything from ``base`` plus the hardening ``check --deploy`` asks for.

Required environment: SECRET_KEY and ALLOWED_HOSTS.  TLS is assumed to end at a proxy
that sets X-Forwarded-Proto.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import content_security_policy, env_bool

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("local-development"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production.")

if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated host names).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer probes /healthz/ over plain HTTP; a redirect would count as a failed probe.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
# HSTS for this host only. includeSubDomains and preload would bind every other host of the
# domain (a municipality's shared domain: intranet, old HTTP-only services) to HTTPS for a year,
# and preload cannot be undone quickly: the operator opts in knowingly (docs/drift.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's live preview shows the page in a same-origin iframe, so frames stay allowed from
# the site itself (not DENY); the check that asks for DENY is silenced for that reason only.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# The deploy checks ask for includeSubDomains (W005) and preload (W021); off by default on purpose.
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    SILENCED_SYSTEM_CHECKS.append("security.W005")
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# The Content-Security-Policy is enforced (base.py: report-only while developing).
CSP_IN_REPORT_ONLY_MODE = env_bool("CSP_REPORT_ONLY", default=False)
CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = content_security_policy(CSP_IN_REPORT_ONLY_MODE)

STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405
