"""The schedule, sessions, and taking attendance."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.errors import InvalidInput
from movilim.core.formatting import hours_text
from movilim.core.forms import status_for, submit_once

from .. import queries, services
from ..access import (
    cohort_for_management,
    cohort_policy,
    session_for_management,
    session_for_view,
    visible_cohorts,
)
from ..facts import MANAGING, request_facts
from ..forms import AttendanceSheetForm, ScheduleFilterForm, SessionForm
from ..models import Attendance, Session
from .session_manage import warn_about_dates


@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    """Sessions of the reader's cohorts."""
    access = request_facts(request)
    cohorts = visible_cohorts(request.user)  # type: ignore[arg-type]
    form = ScheduleFilterForm(request.GET or None, cohorts=cohorts.order_by("-start_date"))
    filters = form.cleaned_data if form.is_valid() else {}
    today, period, cohort_id = (
        timezone.localdate(),
        filters.get("period") or "upcoming",
        filters.get("cohort"),
    )
    page = queries.schedule_page(
        cohorts,
        request.GET,
        today=today,
        period=period,
        cohort_id=cohort_id,
        managed_programs=None if access.is_admin else access.staff_program_ids(MANAGING),
    )
    total = queries.schedule_total(cohorts, today=today, period=period, cohort_id=cohort_id)
    return render(
        request,
        "programs/schedule.html",
        {
            "content": {
                "form": form,
                "page": page,
                "total": total,
                "default_sort": "date" if period == "upcoming" else "-date",
            }
        },
    )


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_view(request.user, pk)  # type: ignore[arg-type]
    can_manage = cohort_policy(request.user).user_has_permission_for_instance(  # type: ignore[arg-type]
        "manage", session.cohort
    )
    context: dict[str, object] = {
        "session": session,
        "cohort": session.cohort,
        "can_manage": can_manage,
        "today": timezone.localdate(),
    }
    if can_manage:
        context["records"] = list(
            Attendance.objects.filter(session=session)
            .select_related("person__user")
            .order_by("person__user__last_name", "person__user__first_name")
        )
    return render(request, "programs/session_detail.html", context)


def _warn_if_over_target(request: HttpRequest, session: Session) -> None:
    """Scheduling more hours than the program asks for is allowed, but never unnoticed."""
    cohort = session.cohort
    scheduled = queries.cohort_scheduled_hours(cohort)
    if scheduled > cohort.program.hours_target:
        messages.warning(
            request,
            _(
                "This cohort now has %(scheduled)s hours scheduled, more than the program's "
                "target of %(target)s hours per participant."
            )
            % {"scheduled": hours_text(scheduled), "target": cohort.program.hours_target},
        )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = cohort_for_management(request.user, cohort_pk)  # type: ignore[arg-type]
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            session = services.session_create(cohort=cohort, **form.session_fields())
            messages.success(request, _("The session was added to the schedule."))
            _warn_if_over_target(request, session)
            warn_about_dates(request, session)
            return reverse("programs:session", args=[session.pk])

        return redirect(
            submit_once(
                user=request.user,  # type: ignore[arg-type]
                token=form.cleaned_data["submission_token"],
                action=create,
            )
        )
    return render(
        request,
        "programs/session_form.html",
        {"form": form, "cohort": cohort, "session": None},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_management(request.user, pk)  # type: ignore[arg-type]
    form = SessionForm(request.POST or None, instance=session, cohort=session.cohort)
    if request.method == "POST" and form.is_valid():
        services.session_update(session=session, **form.session_fields())
        messages.success(request, _("The session was saved."))
        _warn_if_over_target(request, session)
        warn_about_dates(request, session)
        return redirect("programs:session", pk=session.pk)
    return render(
        request,
        "programs/session_form.html",
        {"form": form, "cohort": session.cohort, "session": session},
        status=status_for(form),
    )


@require_http_methods(["GET", "POST"])
def attendance_take(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole session's attendance on one page, saved in one submit.

    Before the session starts there is nothing to record: the page says when it can be taken.
    """
    session = session_for_management(request.user, pk)  # type: ignore[arg-type]
    today = timezone.localdate()
    if not session.has_started(today) or session.is_cancelled:
        return render(
            request,
            "programs/attendance_form.html",
            {
                "session": session,
                "cohort": session.cohort,
                "not_started": not session.is_cancelled,
                "cancelled": session.is_cancelled,
            },
            status=400 if request.method == "POST" else 200,
        )
    enrollments = list(queries.cohort_enrollments(session.cohort, members_only=True))
    current = {
        a.person_id: (a.status, a.partial_hours) for a in Attendance.objects.filter(session=session)
    }
    form = AttendanceSheetForm(
        request.POST or None, session=session, enrollments=enrollments, current=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_record(
                session=session,
                marks=form.marks(),
                by=request.user,  # type: ignore[arg-type]
                today=today,
            )
        except InvalidInput as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _(
                    "Attendance saved: %(created)s new, %(updated)s changed, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("programs:session", pk=session.pk)
    return render(
        request,
        "programs/attendance_form.html",
        {"form": form, "session": session, "cohort": session.cohort, "is_update": bool(current)},
        status=status_for(form),
    )
