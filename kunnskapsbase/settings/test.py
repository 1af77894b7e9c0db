"""Settings for the test suite: the base settings with fast password hashing and a throwaway media root."""

import tempfile

from .base import *  # noqa: F403
from .base import content_security_policy

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="kunnskapsbase-test-media-")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL_FROM_ENV = True  # the test client's address is the site's
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# A cache per test process; the page cache is off except in the tests that switch it on
# (tests/test_page_cache.py), so other tests see what they just changed in the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0
# Tasks run at once inside the test; tests of the real path switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The policy is enforced in the tests, as in production, so a violation shows in the browser tests.
CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = content_security_policy(report_only=False)
# Django's test client logs in without a request (Client.login); axes needs one to count failures.
# Logins through the admin's form (the lockout tests) still go through axes' real backend.
AUTHENTICATION_BACKENDS = [
    "tests.auth_backends.RequestOptionalAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
