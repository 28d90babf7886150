"""Views every deployment needs whatever the domain: health and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: one query proves the database answers.

    Benchmarks also use it as the one-query baseline that page timings are compared with.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone() or (0,)
    return JsonResponse({"status": "ok", "database": value == 1})


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    # A request refused by a middleware before authentication (an unknown Host header is
    # refused by CommonMiddleware) reaches these pages without ``request.user``; the layout's
    # menu reads it. Such a request is anonymous as far as the error page is concerned.
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return render(request, template, status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "400.html", 400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "403.html", 403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "404.html", 404)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, "403_csrf.html", 403)
