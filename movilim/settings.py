"""Settings for every environment, read from environment variables.

Development (``MOVILIM_DEBUG=1``, what ``make run`` sets) works with no configuration at all:
SQLite, mail to the console, a throw-away secret key. Production is the default when nothing says
otherwise, and it refuses to start without ``SECRET_KEY`` so that a forgotten variable never ships
a guessable key.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; anything but a clear "yes" spelling is no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


DEBUG = env_bool("MOVILIM_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # Only ever used on a developer's machine: what it signs is worthless elsewhere.
        SECRET_KEY = "development-only-key-not-for-production-" + "x" * 24
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (MOVILIM_DEBUG unset) needs a long random "
            "SECRET_KEY in the environment; see README.md."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "movilim.core",
    "movilim.people",
    "movilim.programs",
    "movilim.notices",
    "movilim.projects",
    "movilim.maturity",
    "movilim.surveys",
    "movilim.evaluation",
    "movilim.community",
    "movilim.search",
    "movilim.portal",
    "movilim.demo",
    "movilim.core.admin_site.MovilimAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "movilim.core.third_party.AxesConfig",  # axes, named in the reader's language
    "auditlog",
    "django_tasks",
    "movilim.core.third_party.TasksConfig",  # django_tasks_db, likewise
]

MIDDLEWARE = [
    "movilim.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the Permissions-Policy too.
    "movilim.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "movilim.core.middleware.HebrewFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "movilim.urls"
FORM_RENDERER = "movilim.core.forms.FormRenderer"
CSRF_FAILURE_VIEW = "movilim.core.views.csrf_failure"
WSGI_APPLICATION = "movilim.wsgi.application"
ASGI_APPLICATION = "movilim.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "movilim.portal.context_processors.navigation",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "movilim.core.templatetags.movilim",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
# SQLite is the embedded default so a newcomer needs no server; production sets DATABASE_URL to
# PostgreSQL. Persistent connections with health checks: reconnecting on every request costs far
# more than the query a typical page runs.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'movilim.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Seconds a writer waits for another's lock (an import, say) before giving up with
            # "database is locked"; WAL lets readers go on meanwhile.
            "timeout": 20,
        }
    )
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # Server-side parameters let PostgreSQL keep the plan of a statement this connection runs
    # again and again (every page runs the same few statements with other values): planning a
    # roster's joins cost more than running them. Turn off behind a pooler in transaction mode
    # (PgBouncer before 1.21), which cannot carry prepared statements across clients.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 2)}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------------
# No page is cached: pages are fast because they do little. The cache holds only short-lived
# counters (such as rate limits), so with several processes or hosts it must be shared: set
# REDIS_URL. Without it each process counts on its own, which suits one process on a laptop.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "movilim",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: lock a user name from one address after repeated failures, so one ministry's shared
# address is not locked out by a single forgetful colleague.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form names its field "username" even though accounts are keyed by e-mail.
AXES_USERNAME_FORM_FIELD = "username"
# Count failures under the trimmed, lower-case address, as login itself matches it: otherwise
# "EVALUATOR@…" would be a fresh name with no failures, sign in, and clear the lockout.
AXES_USERNAME_CALLABLE = "movilim.core.accounts.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# Password-reset e-mails: at most this many per address and per client address in the window
# (seconds). Counted in the cache (see "Cache" above): per process without REDIS_URL, shared
# across processes and hosts with it. Over the limit the page answers exactly as if a mail had
# gone, so it tells nobody whether an address has an account.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
PASSWORD_RESET_LIMIT_PER_IP = env_int("PASSWORD_RESET_LIMIT_PER_IP", 20)
PASSWORD_RESET_LIMIT_WINDOW = env_int("PASSWORD_RESET_LIMIT_WINDOW", 60 * 60)

# Invitations let people created by an import choose their first password. The link works once
# and for this long.
INVITATION_TIMEOUT = env_int("INVITATION_DAYS", 7) * 60 * 60 * 24
# The community digest goes out on schedule (the daily pass, `manage.py send_reminders`) once this
# many days have passed since the last one; 0: only when staff send one.
COMMUNITY_DIGEST_DAYS = env_int("COMMUNITY_DIGEST_DAYS", 14)
# Mails sent in the background have no request to take the site's address from: links in them
# start with SITE_URL (by default the first of ALLOWED_HOSTS over https).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    SITE_URL = (
        "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}"
    )

# --- Background tasks ----------------------------------------------------------------------------
# django-tasks with its database backend: the queue lives in the application's own database, so
# the embedded default needs no broker. A worker (`manage.py db_worker`) must run beside the web
# processes; `make run` starts one.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Internationalization ------------------------------------------------------------------------
LANGUAGE_CODE = "he"
LANGUAGES = [("he", _("Hebrew")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["movilim.formats"]
TIME_ZONE = "Asia/Jerusalem"
USE_I18N = True
USE_TZ = True
# Off, so that numbers such as ids never gain separators in addresses and attributes; figures shown
# to readers are grouped explicitly by the ``hours``/``percent``/``number`` filters.
USE_THOUSAND_SEPARATOR = False
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files --------------------------------------------------------------------------------
# Front-end packages come from the npm registry at install (``npm ci``) and are served by the app
# itself: government networks are often closed, so nothing is fetched from a CDN at run time.
NODE_MODULES = BASE_DIR / "node_modules"
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/heebo", NODE_MODULES / "@fontsource" / "heebo"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "movilim.core.storage.StaticStorage"
        )
    },
}
# Development serves files straight from the finders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BASE_DIR / "var" / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail ----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "movilim@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Disclosure control (movilim.core.disclosure) ------------------------------------------------
# The smallest number of people a figure may rest on, per audience; evaluators see everything.
DISCLOSURE_MIN_GROUP = {
    "evaluator": 1,
    "staff": env_int("DISCLOSURE_MIN_GROUP_STAFF", 5),
    "steering": env_int("DISCLOSURE_MIN_GROUP_PUBLIC", 10),
    "participant": env_int("DISCLOSURE_MIN_GROUP_PUBLIC", 10),
    "public": env_int("DISCLOSURE_MIN_GROUP_PUBLIC", 10),
}

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER_NAME (e.g.
    # HTTP_X_FORWARDED_PROTO) so Django knows the original request was https.
    if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
        SECURE_PROXY_SSL_HEADER = (proxy_header, "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Browser features no page uses are switched off for the site and anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# django-csp: only our own scripts and styles; no inline code, so injected markup cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Audit log -----------------------------------------------------------------------------------
AUDITLOG_STORE_JSON_CHANGES = True

# --- Operations ----------------------------------------------------------------------------------
# Adds a Server-Timing header (wall and CPU time per request) for benchmarks and operators.
SERVER_TIMING = env_bool("MOVILIM_SERVER_TIMING", DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
