"""Programs, cohorts, their participants, composition and attendance summaries."""

from __future__ import annotations

from auditlog.signals import accessed
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from movilim.core.exports import FORMATS, table_response

from .. import queries, services
from ..access import (
    cohort_for_view,
    enrollment_for_management,
    request_access,
    visible_cohorts,
)
from ..forms import EnrollmentStatusForm
from ..models import Cohort, Program


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    access = request_access(request)
    cohorts = queries.cohort_member_counts(
        visible_cohorts(request.user)  # type: ignore[arg-type]
    ).order_by("-start_date")
    programs = Program.objects.order_by("kind", "name_he")
    if not access.is_admin:
        programs = programs.filter(pk__in=access.staff_program_ids() | access.member_program_ids)
    programs = programs.prefetch_related(
        Prefetch("cohorts", queryset=cohorts, to_attr="visible_cohorts")
    )
    return render(request, "programs/program_list.html", {"programs": programs})


@require_GET
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_object_or_404(Program, slug=slug)
    access = request_access(request)
    if not access.can_see_program(program.pk):
        raise Http404
    cohorts = queries.cohort_member_counts(
        visible_cohorts(request.user).filter(program=program)  # type: ignore[arg-type]
    ).order_by("-start_date")
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "cohorts": cohorts,
            "domains": program.domains.all(),
            "can_manage": access.can_manage_program(program.pk),
        },
    )


@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    access = request_access(request)
    can_manage = access.can_manage_cohort(cohort)
    context: dict[str, object] = {
        "cohort": cohort,
        "program": cohort.program,
        "can_manage": can_manage,
        "can_see_roster": access.can_see_roster(cohort),
    }
    if access.can_see_roster(cohort):
        enrollments = list(queries.cohort_enrollments(cohort, members_only=not can_manage))
        context["members"] = [e for e in enrollments if e.is_member]
        context["others"] = [e for e in enrollments if not e.is_member]
        context["status_form"] = EnrollmentStatusForm()
    if access.can_see_composition(cohort):
        composition = queries.cohort_composition(cohort)
        context["composition"] = composition
        context["composition_chart"] = composition.chart()
    context["session_count"] = cohort.sessions.count()
    return render(request, "programs/cohort_detail.html", context)


@require_GET
def cohort_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    access = request_access(request)
    if not access.can_see_roster(cohort):
        raise Http404
    summary = queries.cohort_attendance(cohort, today=timezone.localdate())
    return render(
        request,
        "programs/cohort_attendance.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "summary": summary,
            "can_manage": access.can_manage_cohort(cohort),
        },
    )


@require_GET
def cohort_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The participant list as a spreadsheet; sensitive columns only for the cohort's managers."""
    if fmt not in FORMATS:
        raise Http404
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    access = request_access(request)
    if not access.can_see_roster(cohort):
        raise Http404
    sensitive = access.can_manage_cohort(cohort)
    headers = [
        _("First name"),
        _("Last name"),
        _("Organization"),
        _("Organization kind"),
        _("Job title"),
        _("Profile"),
        _("Status"),
    ]
    if sensitive:
        headers += [_("E-mail"), _("Phone"), _("Gender"), _("Minority population")]
    minority_text = {True: _("Yes"), False: _("No"), None: ""}
    rows = []
    for enrollment in queries.cohort_enrollments(cohort, members_only=not sensitive):
        person = enrollment.person
        organization = person.organization
        row = [
            person.user.first_name,
            person.user.last_name,
            organization.name if organization else "",
            organization.get_kind_display() if organization else "",
            person.job_title,
            person.get_profile_type_display(),
            enrollment.get_status_display(),
        ]
        if sensitive:
            row += [
                person.email,
                person.phone,
                person.get_gender_display(),
                minority_text[person.minority],
            ]
        rows.append(row)
    if sensitive:
        accessed.send(Cohort, instance=cohort)
    return table_response(
        filename=f"cohort-{cohort.pk}-participants", fmt=fmt, headers=headers, rows=rows
    )


@require_POST
def enrollment_status(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = enrollment_for_management(request.user, pk)  # type: ignore[arg-type]
    form = EnrollmentStatusForm(request.POST)
    if form.is_valid():
        services.enrollment_set_status(
            enrollment=enrollment,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _("%(name)s is now: %(status)s.")
            % {"name": enrollment.person.full_name, "status": enrollment.get_status_display()},
        )
    else:
        messages.error(request, _("The status was not changed: choose one of the listed statuses."))
    return redirect("programs:cohort", pk=enrollment.cohort_id)
