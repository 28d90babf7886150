"""The benchmark's view of each request: how many SQL statements it ran.

The figure comes from the very request whose time is measured, so a page that runs one query per
row (an N+1) shows it in the timed run itself, not in a separate request that might take another
path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

HEADER = "X-Query-Count"


class QueryCountMiddleware:
    """Adds ``X-Query-Count: <n>``: every statement sent on the default connection."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counted(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
