"""Request timing for operators and benchmarks."""

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
