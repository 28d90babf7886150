"""Pages of the 7 Lenses tool: the matrix, a project's lenses (radar, table, guidance, history),
assessing and setting targets, a cohort's heatmap, and organizations' digital maturity."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.forms import status_for, submit_once
from movilim.people.models import Organization, OrganizationKind
from movilim.programs.facts import request_facts
from movilim.programs.models import Program
from movilim.projects.access import (
    cohort_for,
    cohorts_for,
    project_for_edit,
    project_for_view,
    project_policy,
)

from . import charts, queries, services
from .access import organization_for_maturity, program_for_maturity, project_for_assessment
from .forms import AssessmentForm, OrganizationFilterForm, TargetForm
from .models import Assessment, Lens
from .policies import OrganizationMaturityPolicy

CURRENT, PREVIOUS, TARGET = "#0b5ed7", "#6c757d", "#b02a37"


@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """The matrix; for staff also the way to their cohorts' heatmaps and the authorities."""
    programs = OrganizationMaturityPolicy(request_facts(request)).program_ids("view")
    cohorts = cohorts_for(request.user, "portfolio").order_by("-start_date")[:30]  # type: ignore[arg-type]
    followed = Program.objects.order_by("name_he")
    if programs is not None:
        followed = followed.filter(pk__in=programs)
    return render(
        request,
        "maturity/matrix.html",
        {"lenses": queries.matrix(), "cohorts": list(cohorts), "programs": list(followed)},
    )


def _radar(
    lenses: list[Lens],
    current: queries.Round | None,
    previous: queries.Round | None,
    goals: dict[int, Any],
    chart_id: str,
) -> Any:
    series = []
    if current:
        series.append(
            charts.Series(
                _("Current (%(date)s)") % {"date": current.on.strftime("%d/%m/%Y")},
                [current.median(lens.pk) for lens in lenses],
                CURRENT,
                fill=CURRENT,
            )
        )
    if previous:
        series.append(
            charts.Series(
                _("Previous (%(date)s)") % {"date": previous.on.strftime("%d/%m/%Y")},
                [previous.median(lens.pk) for lens in lenses],
                PREVIOUS,
                dash="6 4",
            )
        )
    if goals:
        series.append(
            charts.Series(
                _("Target"),
                [goals[lens.pk].level if lens.pk in goals else None for lens in lenses],
                TARGET,
                dash="2 3",
            )
        )
    return charts.radar(
        [lens.name for lens in lenses],
        series,
        title=_("7 Lenses: levels by lens"),
        description=_(
            "Median level of each lens, 1 to 5, now, at the previous assessment and as targeted. "
            "The table below gives the same numbers."
        ),
        chart_id=chart_id,
    )


def _table(
    lenses: list[Lens], current: Any, previous: Any, goals: dict[int, Any]
) -> list[dict[str, Any]]:
    rows = []
    for lens in lenses:
        reading = current.lenses.get(lens.pk) if current else None
        rows.append(
            {
                "lens": lens,
                "median": reading.median if reading else None,
                "low": reading.low if reading else None,
                "high": reading.high if reading else None,
                "spread": reading.spread if reading else 0,
                "notes": reading.notes if reading else [],
                "previous": previous.median(lens.pk) if previous else None,
                "target": goals.get(lens.pk),
            }
        )
    return rows


@require_GET
def project(request: HttpRequest, pk: int) -> HttpResponse:
    view = project_for_view(request.user, pk)  # type: ignore[arg-type]
    lenses = queries.matrix()
    history = queries.rounds(Assessment.objects.filter(project=view.project))
    current = history[-1] if history else None
    previous = history[-2] if len(history) > 1 else None
    goals = queries.targets(view.project)
    return render(
        request,
        "maturity/project.html",
        {
            "project": view.project,
            "can_assess": view.is_member or request_facts(request).is_admin,
            "can_edit": view.can_edit,
            "lenses": lenses,
            "current": current,
            "previous": previous,
            "history": [
                {"lens": lens, "values": [r.median(lens.pk) for r in history]} for lens in lenses
            ],
            "rounds": history,
            "radar": _radar(lenses, current, previous, goals, "radar") if current else None,
            "table": _table(lenses, current, previous, goals),
            "guidance": queries.guidance(lenses, current, goals),
            "goals": goals,
        },
    )


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    view = project_for_assessment(request.user, pk)  # type: ignore[arg-type]
    form = AssessmentForm(request.POST or None, lenses=queries.matrix())
    if request.method == "POST" and form.is_valid():

        def action() -> str:
            services.project_assess(
                project=view.project,
                assessor=request.user,  # type: ignore[arg-type]
                on=form.cleaned_data["assessed_on"],
                levels=form.levels(),
            )
            messages.success(request, _("Your assessment was saved."))
            return reverse("maturity:project", args=[view.project.pk])

        return redirect(
            submit_once(
                user=request.user,  # type: ignore[arg-type]
                token=form.cleaned_data["submission_token"],
                action=action,
            )
        )
    return render(
        request,
        "maturity/assess.html",
        {"form": form, "subject": view.project, "project": view.project},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    view = project_for_edit(request.user, pk)  # type: ignore[arg-type]
    lenses = queries.matrix()
    current = queries.targets(view.project)
    initial: dict[str, Any] = {f"target_{k}": t.level for k, t in current.items()}
    if current:
        initial["horizon"] = next(iter(current.values())).horizon
    form = TargetForm(request.POST or None, lenses=lenses, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.targets_set(
            project=view.project,
            targets=form.targets(),
            horizon=form.cleaned_data["horizon"],
            on=timezone.localdate(),
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("The targets were saved."))
        return redirect("maturity:project", pk=view.project.pk)
    return render(
        request,
        "maturity/targets.html",
        {"form": form, "project": view.project},
        status=status_for(form),
    )


@require_GET
def heatmap(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = cohort_for(request.user, cohort_pk, "portfolio")  # type: ignore[arg-type]
    lenses = queries.matrix()
    projects = (
        project_policy(request.user)
        .instances_user_has_permission_for(  # type: ignore[arg-type]
            "portfolio"
        )
        .filter(cohort=cohort)
    )
    counts, assessed = queries.heatmap(projects, lenses)
    top = max((max(row) for row in counts), default=0) or 1
    rows = [
        {"lens": lens, "cells": [{"n": n, "shade": round(4 * n / top)} for n in row]}
        for lens, row in zip(lenses, counts, strict=True)
    ]
    return render(
        request,
        "maturity/heatmap.html",
        {"cohort": cohort, "rows": rows, "assessed": assessed, "levels": range(1, 6)},
    )


# --- organizations ------------------------------------------------------------------------------


@require_GET
def authorities(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_for_maturity(request.user, slug)  # type: ignore[arg-type]
    lenses = queries.matrix()
    ranked = queries.ranking(program)
    assessed = {r.organization.pk for r in ranked}
    unassessed = Organization.objects.filter(kind=OrganizationKind.LOCAL_AUTHORITY).exclude(
        pk__in=assessed
    )[:200]
    can_assess = OrganizationMaturityPolicy(
        request_facts(request)
    ).user_has_permission_for_instance("assess", program)
    return render(
        request,
        "maturity/authorities.html",
        {
            "program": program,
            "lenses": lenses,
            "ranked": [
                {"item": r, "cells": [r.medians.get(lens.pk) for lens in lenses]} for r in ranked
            ],
            "unassessed": list(unassessed),
            "can_assess": can_assess,
        },
    )


@require_GET
def organizations(request: HttpRequest, slug: str) -> HttpResponse:
    """The ministries and local authorities whose maturity the program keeps: filtered by kind,
    searched by name, paged by keyset, each with its latest assessment and the ways to assess it
    and to its history."""
    program = program_for_maturity(request.user, slug)  # type: ignore[arg-type]
    form = OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    kind, search = filters.get("kind") or "", filters.get("q") or ""
    return render(
        request,
        "maturity/organizations.html",
        {
            "program": program,
            "form": form,
            "page": queries.organizations_page(program, request.GET, kind=kind, search=search),
            "total": queries.organizations(kind=kind, search=search).count(),
            "can_assess": OrganizationMaturityPolicy(
                request_facts(request)
            ).user_has_permission_for_instance("assess", program),
        },
    )


@require_GET
def organization(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program, org = organization_for_maturity(request.user, slug, pk)  # type: ignore[arg-type]
    lenses = queries.matrix()
    history = queries.rounds(Assessment.objects.filter(program=program, organization=org))
    current = history[-1] if history else None
    previous = history[-2] if len(history) > 1 else None
    return render(
        request,
        "maturity/organization.html",
        {
            "program": program,
            "organization": org,
            "rounds": history,
            "history": [
                {"lens": lens, "values": [r.median(lens.pk) for r in history]} for lens in lenses
            ],
            "radar": _radar(lenses, current, previous, {}, "org-radar") if current else None,
            "table": _table(lenses, current, previous, {}),
            "current": current,
            "previous": previous,
            "can_assess": OrganizationMaturityPolicy(
                request_facts(request)
            ).user_has_permission_for_instance("assess", program),
        },
    )


@require_http_methods(["GET", "POST"])
def organization_assess(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program, org = organization_for_maturity(
        request.user,  # type: ignore[arg-type]
        slug,
        pk,
        "assess",
    )
    form = AssessmentForm(request.POST or None, lenses=queries.matrix())
    if request.method == "POST" and form.is_valid():

        def action() -> str:
            services.organization_assess(
                program=program,
                organization=org,
                assessor=request.user,  # type: ignore[arg-type]
                on=form.cleaned_data["assessed_on"],
                levels=form.levels(),
            )
            messages.success(request, _("The assessment was saved."))
            return reverse("maturity:organization", args=[program.slug, org.pk])

        return redirect(
            submit_once(
                user=request.user,  # type: ignore[arg-type]
                token=form.cleaned_data["submission_token"],
                action=action,
            )
        )
    return render(
        request,
        "maturity/assess.html",
        {"form": form, "subject": org, "program": program},
        status=status_for(form),
    )
