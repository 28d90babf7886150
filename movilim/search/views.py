"""The search page and the expert finder."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from movilim.community.policies import sees_community

from . import queries, sources


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:200]


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    if not sees_community(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    text = _query(request)
    kind = request.GET.get("kind") or None
    if kind is not None and sources.get(kind) is None:
        kind = None
    groups = queries.search(request.user, text, kind=kind) if text else []  # type: ignore[arg-type]
    return render(
        request,
        "search/search.html",
        {"q": text, "kind": kind, "groups": groups, "searched": bool(text)},
    )


@require_GET
def experts(request: HttpRequest) -> HttpResponse:
    if not sees_community(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    text = _query(request)
    pool = request.GET.get("pool") == "1"
    found = queries.experts(request.user, text, pool_only=pool) if text else []  # type: ignore[arg-type]
    return render(
        request,
        "search/experts.html",
        {
            "q": text,
            "pool": pool,
            "experts": found,
            "searched": bool(text),
        },
    )
