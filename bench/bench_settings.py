"""Settings for the benchmark's server: production settings plus a count of each request's queries.

Only ``bench/pages.py`` starts a server with these (``DJANGO_SETTINGS_MODULE=bench_settings``,
with ``bench/`` on the path); nothing deployed ever counts queries.
"""

from __future__ import annotations

from movilim.settings import *  # noqa: F403
from movilim.settings import MIDDLEWARE

# Outermost, so that the count covers every other middleware (sessions, user, rights) too.
MIDDLEWARE = ["bench_middleware.QueryCountMiddleware", *MIDDLEWARE]
