"""Settings for Kunnskapsbase, read from environment variables with safe local defaults.

Local development needs no configuration at all: SQLite in ``var/``, Wagtail's
database search backend, DEBUG on.  Production uses ``kunnskapsbase.settings.production``.
"""

import base64
import hashlib
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import environ
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)

# A fixed key is only acceptable for local development; production refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "local-development-only-not-secret")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "practices",
    "search",
    "search.alerts",
    "kunnskapsbase.security",
    "kunnskapsbase.backup",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtailautocomplete",
    "wagtail",
    "django_tasks",
    "django_tasks_db",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap.xml template for wagtail.contrib.sitemaps
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 503 + Retry-After while the database is down (errors in views and their templates; those
    # raised in the middleware below reach kunnskapsbase.outage.server_error, the handler500).
    "kunnskapsbase.outage.OutageMiddleware",
    "kunnskapsbase.security.middleware.AnonymousGZipMiddleware",
    # ETag on every GET response and 304 Not Modified when the browser already has it.
    "django.middleware.http.ConditionalGetMiddleware",
    # Wagtail pages for anonymous visitors from the cache, without the database (kunnskapsbase/page_cache.py).
    "kunnskapsbase.page_cache.AnonymousPageCacheMiddleware",
    "kunnskapsbase.security.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A refused approval under the four-eyes rule becomes a message, not an error page.
    "practices.four_eyes.FourEyesMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kunnskapsbase.urls"
# Seconds a visitor (or a crawler, or an API client) is asked to wait while the database is down.
OUTAGE_RETRY_AFTER = int(os.environ.get("OUTAGE_RETRY_AFTER", "30"))

TEMPLATES = [
    {
        "BACKEND": "kunnskapsbase.template_engine.DjangoTemplates",  # frees a page's context at once
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
    # Jinja2 (autoescaped) for the few loops a Django template renders too slowly: the search
    # results and the facet panel (search/listing_results.py, search/listing_facets.py).
    # After the Django engine, so every other template is looked up as before.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True},
    },
]

WSGI_APPLICATION = "kunnskapsbase.wsgi.application"

# DATABASE_URL selects the database; without it a SQLite file under var/ is used.
# Connections are kept between requests (DATABASE_CONN_MAX_AGE seconds), on SQLite too: a new
# SQLite connection costs a request about 2.5 ms CPU of 8-13 (opening, the PRAGMAs, reading the
# schema and the pages anew; measured at 10 000 practices). runserver still closes them after
# each request's thread; gunicorn's workers keep theirs.
# Several processes write to it at once (the server, the background worker, `bootstrap` on a
# deploy): transactions take the write lock when they begin, so they wait their turn (up to 20 s)
# instead of failing with «database is locked» when a reader turns writer; in WAL mode readers and
# the one writer do not block each other (tests/test_sqlite_concurrency.py).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "kunnskapsbase.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not os.environ.get("DATABASE_URL"):
        DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's check with a Norwegian message (the nb catalogue lacks Django 5.2's wording).
    {"NAME": "kunnskapsbase.security.passwords.NorwegianMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Norwegian bokmål everywhere a visitor or editor reads; dates and numbers in Norwegian format.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål")]
WAGTAIL_CONTENT_LANGUAGES = [("nb", "Norsk bokmål")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["kunnskapsbase.formats"]
# The project's nb catalogue fills and corrects Wagtail's (kunnskapsbase/locale/README.md); it wins.
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "kunnskapsbase" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# Serve static files straight from the apps while developing; production serves collectstatic's output.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Task and page-action chatter would drown the progress of management commands.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # One line per request to the search cluster is too much; failures are logged by search/.
        "elastic_transport": {"level": "WARNING"},
        "elasticsearch": {"level": "WARNING"},
        # Failed logins and lockouts are warnings; axes' bookkeeping is not worth a line.
        "axes": {"level": "WARNING"},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "Kunnskapsbase"
# The site's real address (docs/drift.md, «Nettstedets adresse»): absolute links, e-mails and the API's
# meta.html_url. `bootstrap` points the Wagtail Site at it; set explicitly, it wins over an address
# changed in the admin. The default is where `make run` serves.
SITE_URL_FROM_ENV = bool(os.environ.get("SITE_URL") or os.environ.get("WAGTAILADMIN_BASE_URL"))
SITE_URL = (os.environ.get("SITE_URL") or os.environ.get("WAGTAILADMIN_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents are downloaded through Wagtail's view, which keeps drafts' documents private
# (practices/media_privacy.py); MEDIA_URL itself is served by a checking view (kunnskapsbase/urls.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# Elasticsearch is optional: when ELASTICSEARCH_URL is unset the database backend serves search.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, got {value!r}") from None


# One index per environment: {prefix}-pages-<timestamp> behind the alias {prefix}-pages.
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "kunnskapsbase").strip().lower()
# Short timeouts: when the cluster is slow or down, search falls back to the database backend
# and publishing queues the update (search_retry_queue) instead of making the editor wait.
ELASTICSEARCH_TIMEOUT = env_float("ELASTICSEARCH_TIMEOUT", 2.0)  # a search request
ELASTICSEARCH_SYNC_TIMEOUT = env_float("ELASTICSEARCH_SYNC_TIMEOUT", 2.0)  # one page's update on publish
ELASTICSEARCH_BULK_TIMEOUT = env_float("ELASTICSEARCH_BULK_TIMEOUT", 120.0)  # search_reindex's bulk requests
ELASTICSEARCH_RETRY_AFTER = env_float("ELASTICSEARCH_RETRY_AFTER", 30.0)  # leave a failed cluster alone this long
# A page update the cluster did not take is tried again by the background worker after 30 s, 2, 8
# and 32 minutes (SEARCH_SYNC_RETRY_DELAY * 4**(attempt-1)), then left to `search_retry_queue`.
SEARCH_SYNC_MAX_ATTEMPTS = int(os.environ.get("SEARCH_SYNC_MAX_ATTEMPTS", "5"))
SEARCH_SYNC_RETRY_DELAY = env_float("SEARCH_SYNC_RETRY_DELAY", 30.0)
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_VERIFY_CERTS = env_bool("ELASTICSEARCH_VERIFY_CERTS", default=True)
ELASTICSEARCH_REPLICAS = os.environ.get("ELASTICSEARCH_REPLICAS", "")  # empty: the cluster's default

# E-mail. EMAIL_URL says how mail leaves the site (smtp://, smtp+tls://, smtp+ssl://,
# consolemail://, filemail:///absolute/path, memorymail://, dummymail://; django-environ's parser);
# without it mail is written as files to var/mail/, so nothing fails when no server is configured.
# Every message is handed to a background task (practices/email_backend.py, practices/tasks.py):
# EMAIL_BACKEND queues, EMAIL_DELIVERY_BACKEND is what the worker then sends with.
DEFAULT_EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip() or f"filemail://{DEFAULT_EMAIL_FILE_PATH}"
try:
    _email = environ.Env.email_url_config(EMAIL_URL)
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(
        f"EMAIL_URL: {error}; use smtp://, smtp+tls://, smtp+ssl://, consolemail://, filemail:///path"
    ) from None
EMAIL_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_PORT = _email["EMAIL_PORT"] or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
# The parser drops the leading slash of filemail:///srv/mail; the path is absolute.
EMAIL_FILE_PATH = "/" + _email["EMAIL_FILE_PATH"] if _email["EMAIL_FILE_PATH"] else str(DEFAULT_EMAIL_FILE_PATH)
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 10.0)  # seconds per SMTP operation, in the worker
EMAIL_BACKEND = "practices.email_backend.BackgroundEmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kunnskapsbase <ikke-svar@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A failed send is tried again after 1, 4, 16 and 64 minutes (EMAIL_RETRY_DELAY * 4**(attempt-1)),
# then given up and logged.
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "5"))
EMAIL_RETRY_DELAY = env_float("EMAIL_RETRY_DELAY", 60.0)

# The cache (Django's cache framework): anonymous visitors' pages (kunnskapsbase/page_cache.py) and
# the version number publishing bumps. Shared by the web processes and the background worker, so
# the default is a file cache under var/cache; CACHE_URL may name another (redis://…, memcache://…,
# filecache:///path, locmemcache:// for one process only; django-environ's parser).
DEFAULT_CACHE_PATH = BASE_DIR / "var" / "cache"
try:
    CACHES = {"default": environ.Env.cache_url_config(os.environ.get("CACHE_URL", "").strip()
                                                     or f"filecache://{DEFAULT_CACHE_PATH}")}
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(f"CACHE_URL: {error}") from None
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["default"].setdefault("OPTIONS", {"MAX_ENTRIES": 20_000})
# One cache never answers for another database (a checkout switched between SQLite and PostgreSQL,
# or two installations sharing a cache server): keys are prefixed by the database's identity.
_database = DATABASES["default"]
CACHES["default"].setdefault("KEY_PREFIX", hashlib.sha256(
    "|".join(str(_database.get(part, "")) for part in ("ENGINE", "NAME", "HOST", "PORT")).encode()
).hexdigest()[:12])
# Seconds an anonymous visitor's page is kept at most (publishing makes it stale at once anyway);
# 0 switches the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# Background tasks (django-tasks): e-mail and Wagtail's own tasks (search and reference index,
# image focal points, file clean-up) are stored in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Workflow e-mail (templates/wagtailadmin/notifications/): submitted pages to the task's
# Godkjennere, decisions to the one who submitted; superusers are not copied on every submission.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILADMIN_NOTIFICATION_USE_HTML = False

# Review reminders (manage.py send_review_reminders): the same page is not reminded of again
# to the same person within this many days.
REVIEW_REMINDER_INTERVAL_DAYS = int(os.environ.get("REVIEW_REMINDER_INTERVAL_DAYS", "30"))

# «Del ditt eksempel» (practices/submissions/, docs/innsending.md): limits and how long data is kept.
SUBMISSION_MAX_FILE_SIZE = int(os.environ.get("SUBMISSION_MAX_FILE_SIZE", str(10 * 1024 * 1024)))  # bytes per file
SUBMISSION_MAX_FILES = int(os.environ.get("SUBMISSION_MAX_FILES", "3"))
SUBMISSION_MIN_FILL_SECONDS = env_float("SUBMISSION_MIN_FILL_SECONDS", 20.0)  # faster is a robot
SUBMISSION_LIMIT_PER_HOUR = int(os.environ.get("SUBMISSION_LIMIT_PER_HOUR", "5"))  # per IP and per e-mail
SUBMISSION_CONFIRM_DAYS = int(os.environ.get("SUBMISSION_CONFIRM_DAYS", "7"))  # the link's life; then deleted
SUBMISSION_REJECTED_RETENTION_DAYS = int(os.environ.get("SUBMISSION_REJECTED_RETENTION_DAYS", "90"))
SUBMISSION_CONTACT_RETENTION_DAYS = int(os.environ.get("SUBMISSION_CONTACT_RETENTION_DAYS", "365"))

# "Housing First" and "housing first" are the same tag.
TAGGIT_CASE_INSENSITIVE = True


# --- Login protection (django-axes) -------------------------------------------------------------
# Failed admin logins are counted per user name and, separately, per client address: either one
# reaching AXES_FAILURE_LIMIT locks that user name (from any address) or that address (for any
# user name) out for AXES_COOLOFF_MINUTES (0: until `manage.py axes_reset…`). See docs/drift.md.
# AxesBackend refuses locked-out logins and logs no one in itself; as a ModelBackend it can also
# load a session's user, which tools that pick the first backend (Wagtail's test utilities) need.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=env_float("AXES_COOLOFF_MINUTES", 15.0)) or None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kunnskapsbase.security.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the admin report «Innloggingssperrer»
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not recorded (less personal data)
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address: tell axes how many proxies
# append to X-Forwarded-For so it counts the client's address (spoofable when set wrongly).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Optional two-factor login (django-otp, time-based one-time codes): off by default. With
# ADMIN_TWO_FACTOR=true the admin's login asks for a code from the user's authenticator app,
# set up with `manage.py totp_device USERNAME` (docs/drift.md).
ADMIN_TWO_FACTOR = env_bool("ADMIN_TWO_FACTOR", default=False)
if ADMIN_TWO_FACTOR:
    WAGTAILADMIN_USER_LOGIN_FORM = "kunnskapsbase.security.twofactor.TwoFactorLoginForm"
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Kunnskapsbase")

# --- Content-Security-Policy (django-csp) and Permissions-Policy -----------------------------
# The public site allows scripts and styles from the site itself only (no inline code). The
# Wagtail admin (ADMIN_CSP_PATH_PREFIXES) gets its own policy: Wagtail's templates still carry
# inline scripts (inline panels, date pickers) and its editors set inline styles.
# Enforced in production, report-only while developing (CSP_REPORT_ONLY overrides both).
SELF, NONE, UNSAFE_INLINE = "'self'", "'none'", "'unsafe-inline'"
# Where embedded videos (the VideoBlock) may come from; extend with CSP_FRAME_SOURCES.
CSP_FRAME_SOURCES = env_list(
    "CSP_FRAME_SOURCES", "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com"
)
CSP_IMG_SOURCES = env_list("CSP_IMG_SOURCES")  # e.g. a CDN or bucket serving MEDIA_URL
ADMIN_CSP_PATH_PREFIXES = ("/admin/",)


def inline_style_hashes(template):
    """CSP hashes of the <style> blocks in a template that cannot load files (500.html)."""
    text = (BASE_DIR / "templates" / template).read_text(encoding="utf-8")
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in re.findall(r"<style>(.*?)</style>", text, flags=re.DOTALL)
    ]


PUBLIC_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, *inline_style_hashes("500.html")],
    "img-src": [SELF, "data:", *CSP_IMG_SOURCES],
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF],
    "frame-src": [SELF, *CSP_FRAME_SOURCES],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
ADMIN_CSP_DIRECTIVES = {
    **PUBLIC_CSP_DIRECTIVES,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *CSP_IMG_SOURCES],
    "font-src": [SELF, "data:"],
    "media-src": [SELF, "blob:"],
    "worker-src": [SELF, "blob:"],
}
if os.environ.get("CSP_REPORT_URI"):
    PUBLIC_CSP_DIRECTIVES["report-uri"] = ADMIN_CSP_DIRECTIVES["report-uri"] = os.environ["CSP_REPORT_URI"]


def content_security_policy(report_only):
    """(CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY) for django-csp."""
    policy = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
    return (None, policy) if report_only else (policy, None)


CSP_IN_REPORT_ONLY_MODE = env_bool("CSP_REPORT_ONLY", default=DEBUG)
CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = content_security_policy(CSP_IN_REPORT_ONLY_MODE)

# Browser features the site never uses are switched off for it and everything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
    )
}

# The admin would otherwise ask wagtail.io for updates and gravatar.com for editors' pictures
# from the editor's browser: neither is allowed by the policy nor wanted on a municipal network.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
