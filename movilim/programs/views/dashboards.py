"""Dashboards: a cohort's and a program's for staff, the steering committee's aggregates, and a
participant's own record."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from movilim.core.charts import Bar, BarChart
from movilim.core.disclosure import Audience, min_group
from movilim.core.formatting import localized_name
from movilim.core.templatetags.movilim import percent

from .. import dashboards
from ..access import cohort_for_view, cohort_policy, program_for_dashboard
from ..facts import request_facts


@require_GET
def cohort_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    if not cohort_policy(request.user).user_has_permission_for_instance(  # type: ignore[arg-type]
        "view_attendance", cohort
    ):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "programs/dashboard_cohort.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "board": dashboards.cohort_dashboard(cohort, today=today),
            "tolerance": percent(float(dashboards.PACE_TOLERANCE) * 100),
        },
    )


def _rate_chart(lines: list[dashboards.CohortFigures], title: str) -> BarChart:
    return BarChart(
        title=title,
        description=_("Each cohort's attendance rate; the figures are also in the table below."),
        bars=[
            Bar(label=localized_name(line.cohort.name_he, line.cohort.name_en), value=line.rate)
            for line in lines
            if line.rate is not None
        ],
    )


@require_GET
def program_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff's view across a program's cohorts."""
    program = program_for_dashboard(request.user, slug, aggregates_only=False)  # type: ignore[arg-type]
    lines, total = dashboards.program_figures(
        program.cohorts.all(), today=timezone.localdate(), with_targets=True
    )
    return render(
        request,
        "programs/dashboard_program.html",
        {
            "program": program,
            "lines": lines,
            "total": total,
            "chart": _rate_chart(lines, _("Attendance rate by cohort")),
        },
    )


@require_GET
def steering_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Aggregates only, no names, small groups suppressed: what the steering committee reads
    (and any staff member of the program, with the same suppression)."""
    program = program_for_dashboard(request.user, slug, aggregates_only=True)  # type: ignore[arg-type]
    k = min_group(Audience.STEERING)
    lines, total = dashboards.program_figures(
        program.cohorts.all(), today=timezone.localdate(), k=k
    )
    return render(
        request,
        "programs/dashboard_steering.html",
        {
            "program": program,
            "lines": lines,
            "total": total,
            "k": k,
            "chart": _rate_chart(lines, _("Attendance rate by cohort")),
        },
    )


@require_GET
def my_dashboard(request: HttpRequest) -> HttpResponse:
    """A participant's own attendance, hours and coming sessions: nobody else's."""
    facts = request_facts(request)
    if facts.person_id is None or not facts.member_cohorts:
        raise Http404
    return render(
        request,
        "programs/dashboard_mine.html",
        {
            "board": dashboards.my_dashboard(facts.person_id, today=timezone.localdate()),
            "person_id": facts.person_id,
        },
    )
