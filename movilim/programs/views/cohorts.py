"""Programs, cohorts, their participants, composition and attendance summaries."""

from __future__ import annotations

from functools import cached_property

from auditlog.signals import accessed
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.charts import BarChart
from movilim.core.exports import FORMATS, table_response
from movilim.core.paging import Page

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
    """Each program the reader sees, with its running cohorts; the full lists are a click away."""
    access = request_access(request)
    programs = Program.objects.order_by("kind", "name_he")
    if not access.is_admin:
        programs = programs.filter(pk__in=access.staff_program_ids() | access.member_program_ids)
    overview = queries.program_overview(
        programs,
        visible_cohorts(request.user),  # type: ignore[arg-type]
        today=timezone.localdate(),
    )
    return render(request, "programs/program_list.html", {"programs": overview})


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


class CohortContent:
    """What the cohort page shows under its header, each part read only if the template uses it
    (a reader without the roster or composition costs no query for them)."""

    def __init__(
        self,
        cohort: Cohort,
        query: QueryDict,
        *,
        roster: bool,
        members_only: bool,
        composition: bool,
    ):
        self.cohort, self.query = cohort, query
        self.with_roster, self.members_only = roster, members_only
        self.with_composition = composition

    @cached_property
    def counts(self) -> queries.RosterCounts:
        return queries.roster_counts(self.cohort)

    @cached_property
    def members(self) -> Page | None:
        if not self.with_roster:
            return None
        return queries.roster_page(self.cohort, self.query, members=True)

    @cached_property
    def others(self) -> Page | None:
        if not self.with_roster or self.members_only or not self.counts.others:
            return None
        return queries.roster_page(self.cohort, self.query, members=False)

    @cached_property
    def composition(self) -> queries.Composition | None:
        return queries.cohort_composition(self.cohort) if self.with_composition else None

    @cached_property
    def composition_chart(self) -> BarChart | None:
        return self.composition.chart() if self.composition else None

    @cached_property
    def session_count(self) -> int:
        return self.cohort.sessions.count()


@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    access = request_access(request)
    can_manage = access.can_manage_cohort(cohort)
    can_see_roster = access.can_see_roster(cohort)
    can_see_composition = access.can_see_composition(cohort)
    content = CohortContent(
        cohort,
        request.GET,
        roster=can_see_roster,
        members_only=not can_manage,
        composition=can_see_composition,
    )
    return render(
        request,
        "programs/cohort_detail.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "can_manage": can_manage,
            "can_see_roster": can_see_roster,
            "can_see_composition": can_see_composition,
            "content": content,
        },
    )


@require_GET
def cohort_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    access = request_access(request)
    if not access.can_see_roster(cohort):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "programs/cohort_attendance.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "summary": queries.cohort_attendance(cohort, today=today),
            "people": queries.member_hours_page(cohort, request.GET),
            "today": today,
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


@require_http_methods(["GET", "POST"])
def enrollment_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one enrollment's status. GET shows the form with the history: as a page, or as a
    fragment that the cohort page loads into the participant's row (htmx)."""
    enrollment = enrollment_for_management(request.user, pk)  # type: ignore[arg-type]
    if request.method == "GET":
        form = EnrollmentStatusForm(initial={"status": enrollment.status})
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request, "programs/_status_form.html", {"enrollment": enrollment, "form": form}
            )
        return render(
            request,
            "programs/enrollment_status.html",
            {
                "enrollment": enrollment,
                "cohort": enrollment.cohort,
                "program": enrollment.cohort.program,
                "form": form,
                "history": enrollment.history.select_related("changed_by"),
            },
        )
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
