"""The search page, the expert finder and similar projects for an idea."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from movilim.community.policies import sees_community
from movilim.programs.facts import request_facts
from movilim.projects.access import project_for_view
from movilim.projects.models import GoalKind, StrategicGoal
from movilim.projects.policies import ProjectPolicy

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


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """An idea (a few sentences, and the strategic goals it serves) against every project the
    reader may see. Goal ids that are not goals are ignored."""
    if not ProjectPolicy(request_facts(request)).user_has_permission("view"):
        raise PermissionDenied
    text = " ".join(request.GET.get("q", "").split())[:1000]
    asked = {value for value in request.GET.getlist("goal") if value.isdigit()}
    all_goals = list(StrategicGoal.objects.all())
    chosen = [goal for goal in all_goals if str(goal.pk) in asked]
    searched = bool(text or chosen)
    found = (
        queries.similar_projects(request.user, text=text, goals=chosen)  # type: ignore[arg-type]
        if searched
        else []
    )
    return render(
        request,
        "search/similar.html",
        {
            "q": text,
            "goal_groups": [
                (_("Over-goals"), [g for g in all_goals if g.kind == GoalKind.OVER_GOAL]),
                (_("Strategic objectives"), [g for g in all_goals if g.kind == GoalKind.OBJECTIVE]),
            ],
            "chosen": {goal.pk for goal in chosen},
            "similar": found,
            "searched": searched,
        },
    )


#: Similar projects shown for a project.
FOR_A_PROJECT = 5


@require_GET
def similar_to_project(request: HttpRequest, pk: int) -> HttpResponse:
    """Projects like one the reader may open. The project's page asks for this list only when
    its place on the page comes into view (a link without scripts), so reading a project does
    not pay for a search over every other project."""
    view = project_for_view(request.user, pk)  # type: ignore[arg-type]
    found = queries.similar_projects(request.user, project=view.project)  # type: ignore[arg-type]
    template = (
        "search/partials/similar_to_project.html"
        if request.htmx  # type: ignore[attr-defined]
        else "search/similar_to_project.html"
    )
    return render(request, template, {"project": view.project, "similar": found[:FOR_A_PROJECT]})
