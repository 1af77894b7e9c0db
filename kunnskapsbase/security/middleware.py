"""Response middleware for security headers and compression.

``ContentSecurityPolicyMiddleware``: django-csp's middleware with a second, looser policy for the
Wagtail admin (``ADMIN_CSP_DIRECTIVES``), whose templates still carry inline scripts and whose
editors set inline styles. The public site keeps the strict policy from the settings.

``AnonymousGZipMiddleware``: Django's GZip, but only where no secret can leak through BREACH
(compression ratio reveals a secret that sits next to attacker-controlled text in a compressed
response). Compressed are only responses to anonymous GET/HEAD requests outside the admin that
put no CSRF token into the page, so nothing secret is in them to guess.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = ("text/html", "application/json", "text/plain", "application/xml", "text/xml", "text/css")


def is_admin_path(path):
    return any(path.startswith(prefix) for prefix in settings.ADMIN_CSP_PATH_PREFIXES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        configured = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY if report_only else settings.CONTENT_SECURITY_POLICY
        if configured and parts.config is None and is_admin_path(request.path_info):
            return PolicyParts(
                config=settings.ADMIN_CSP_DIRECTIVES, update=parts.update, replace=parts.replace, nonce=parts.nonce
            )
        return parts


def may_compress(request, response):
    if request.method not in ("GET", "HEAD") or is_admin_path(request.path_info):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # get_token() was called: a CSRF token is in the body (the cookie alone is not compressed).
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in COMPRESSIBLE_TYPES


class AnonymousGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)
