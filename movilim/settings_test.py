"""Settings for the test suite: production settings with what a test run needs changed.

Chosen explicitly (``pytest.ini_options`` names this module), never switched on by whatever
happens to be importable, so a production process can never pick up the fixed key or the fast
hasher below.
"""

from __future__ import annotations

import hashlib
import os

# Signs nothing outside a test run; must be set before the production settings are read.
os.environ.setdefault("SECRET_KEY", "test-suite-only-key-" + "t" * 40)

from .settings import *  # noqa: F403
from .settings import BASE_DIR, DATABASES

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Plain http on localhost for the test client and the browser tests.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False

# Static files straight from the finders: no collectstatic before a test run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Hashing passwords slowly is the point in production and only slows the suite here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tasks run at once, inside the request or test that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Two checkouts testing against one PostgreSQL server must not drop each other's database:
# the test database is named after this checkout's path.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_movilim_{_checkout}"
