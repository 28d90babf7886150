"""Request timing, the reader's language and security headers."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ServerTimingMiddleware:
    """Adds ``Server-Timing: app;dur=…, cpu;dur=…`` (milliseconds) when ``SERVER_TIMING`` is on.

    It sits first in the middleware list so that the figure covers every other middleware too; the
    benchmarks read it to separate server time from the client's own overhead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = settings.SERVER_TIMING

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        wall, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        wall_ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (time.thread_time() - cpu) * 1000
        response["Server-Timing"] = f"app;dur={wall_ms:.2f}, cpu;dur={cpu_ms:.2f}"
        return response


class HebrewFirstLocaleMiddleware(LocaleMiddleware):
    """Hebrew unless the reader chose English with the language switch (a cookie).

    Django's own middleware would also follow the browser's Accept-Language, and many
    officials' computers are set to English; the program's interface is Hebrew first.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or settings.LANGUAGE_CODE)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Headers that keep personal data out of caches and unused browser features switched off.

    ``Cache-Control: private, no-store`` goes on every response to a signed-in user and on every
    download (``Content-Disposition: attachment``): those carry names, contacts and sensitive
    fields that a shared proxy or the browser's disk cache must not keep. A view that set its own
    ``Cache-Control`` keeps it. ``Permissions-Policy`` goes on every response.

    It sits right after Django's SecurityMiddleware, outside WhiteNoise: static files get the
    policy too, and, having no signed-in user on the request, keep their long cache lifetime.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.setdefault("Permissions-Policy", self.permissions_policy)
        if not response.has_header("Cache-Control") and self._is_private(request, response):
            response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
        disposition = response.get("Content-Disposition", "")
        if disposition.lower().startswith("attachment"):
            return True
        # Set by AuthenticationMiddleware; absent when an outer layer (WhiteNoise) answered.
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
