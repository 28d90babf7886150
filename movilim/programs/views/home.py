"""The home page: what the program is for visitors, and what needs doing for everyone else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from movilim.core.roles import Role

from .. import queries
from ..access import MANAGING, managed_cohorts, request_access, visible_cohorts
from ..models import Program


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        programs = Program.objects.filter(is_active=True).order_by("kind")
        return render(request, "programs/landing.html", {"programs": programs})

    access = request_access(request)
    today = timezone.localdate()
    context: dict[str, object] = {
        "access": access,
        "today": today,
        "role_labels": [Role(role).label for role in access.roles],
    }
    if access.is_admin or access.staff_program_ids(MANAGING):
        cohorts = managed_cohorts(request.user)  # type: ignore[arg-type]
        context["managed_cohorts"] = queries.cohort_member_counts(
            cohorts.filter(end_date__gte=today)
        ).order_by("start_date")
        context["missing_attendance"] = list(
            queries.sessions_missing_attendance(cohorts, today=today)[:20]
        )
        context["upcoming_sessions"] = list(
            queries.sessions_for_cohorts(cohorts)
            .filter(starts_on__gte=today)
            .order_by("starts_on")[:5]
        )
    elif access.program_roles:
        # Evaluators and the steering committee: the cohorts they follow, as aggregates.
        context["followed_cohorts"] = queries.cohort_member_counts(
            visible_cohorts(request.user)  # type: ignore[arg-type]
        ).order_by("-start_date")[:20]
    if access.member_cohorts and access.person_id:
        context["my_cohorts"] = queries.participant_overview(access.person_id, today=today)
    return render(request, "programs/home.html", context)
