"""Programs, cohorts, their participants, composition and attendance summaries."""

from __future__ import annotations

import uuid
from functools import cached_property

from auditlog.signals import accessed
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from movilim.core.charts import BarChart
from movilim.core.disclosure import Audience, min_group
from movilim.core.exports import FORMATS, table_download
from movilim.core.paging import Page

from .. import queries, services
from ..access import (
    cohort_for_view,
    cohort_policy,
    enrollment_for_management,
    may_set_up,
    visible_cohorts,
)
from ..dashboards import dashboard_links, disclosed_composition
from ..facts import request_facts
from ..forms import ROSTER_ACTION_CHOICES, EnrollmentStatusForm
from ..models import MEMBER_STATUSES, Cohort, EnrollmentStatus, Program
from ..policies import ProgramPolicy, ProgramSetupPolicy


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    """Each program the reader sees, with its running cohorts; the full lists are a click away."""
    access = request_facts(request)
    programs = Program.objects.order_by("kind", "name_he")
    if not access.is_admin:
        programs = programs.filter(pk__in=access.staff_program_ids() | access.member_program_ids)
    overview = queries.program_overview(
        programs,
        visible_cohorts(request.user),  # type: ignore[arg-type]
        today=timezone.localdate(),
    )
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": overview,
            "can_create": ProgramSetupPolicy(access).user_has_permission("create"),
        },
    )


@require_GET
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_object_or_404(Program, slug=slug)
    policy = ProgramPolicy(request_facts(request))
    if not policy.user_has_permission_for_instance("view", program):
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
            "can_manage": policy.user_has_permission_for_instance("manage", program),
            "can_set_up": may_set_up(request.user, program),  # type: ignore[arg-type]
            "dashboards": dashboard_links(request, program),
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
        min_group: int = 1,
    ):
        self.cohort, self.query = cohort, query
        self.with_roster, self.members_only = roster, members_only
        self.with_composition = composition
        self.min_group = min_group

    @cached_property
    def counts(self) -> queries.RosterCounts:
        """The roster's counts with the sessions': one query serves the header and the roster."""
        return queries.roster_counts(self.cohort)

    @cached_property
    def rosters(self) -> tuple[Page | None, Page | None]:
        """The page of members and the page of the others (for those who manage, when there are
        any), read together: one query for both where the database allows."""
        if not self.with_roster:
            return None, None
        with_others = not self.members_only and self.counts.others > 0
        pages = queries.roster_pages(
            self.cohort,
            self.query,
            others=with_others,
            with_invitations=not self.members_only,
        )
        return pages[0], pages[1] if with_others else None

    @property
    def members(self) -> Page | None:
        return self.rosters[0]

    @cached_property
    def filtered_count(self) -> int | None:
        """How many members the roster's search and filter let through (None: no filter)."""
        if not self.with_roster or not (self.query.get("q") or self.query.get("status")):
            return None
        members = self.cohort.enrollments.filter(status__in=MEMBER_STATUSES)  # type: ignore[attr-defined]
        return queries.roster_filtered(members, self.query).count()

    @property
    def others(self) -> Page | None:
        return self.rosters[1]

    @cached_property
    def composition(self) -> queries.Composition | None:
        if not self.with_composition:
            return None
        return disclosed_composition(queries.cohort_composition(self.cohort), self.min_group)

    @cached_property
    def composition_chart(self) -> BarChart | None:
        return self.composition.chart() if self.composition else None

    @cached_property
    def session_count(self) -> int:
        return self.counts.sessions


@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_view(
        request.user,  # type: ignore[arg-type]
        pk,
        annotate=queries.roster_count_annotations(),
    )
    allows = cohort_policy(request.user).user_has_permission_for_instance  # type: ignore[arg-type]
    can_manage = allows("manage", cohort)
    can_see_roster = allows("view_roster", cohort)
    can_see_composition = allows("view_composition", cohort)
    content = CohortContent(
        cohort,
        request.GET,
        roster=can_see_roster,
        members_only=not can_manage,
        composition=can_see_composition,
        # Readers of aggregates only (the steering committee) get small groups suppressed.
        min_group=1 if can_see_roster else min_group(Audience.STEERING),
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
            "can_see_attendance": allows("view_attendance", cohort),
            "content": content,
            "member_statuses": [(s, EnrollmentStatus(s).label) for s in MEMBER_STATUSES],
            "can_set_up": can_manage and may_set_up(request.user, cohort.program),  # type: ignore[arg-type]
            # The roster's action bar (see participants.roster_action): no query.
            "roster_actions": ROSTER_ACTION_CHOICES,
            "roster_token": uuid.uuid4() if can_manage else None,
        },
    )


@require_GET
def cohort_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    allows = cohort_policy(request.user).user_has_permission_for_instance  # type: ignore[arg-type]
    if not allows("view_attendance", cohort):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "programs/cohort_attendance.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "summary": queries.cohort_attendance(cohort, today=today),
            "people": queries.member_hours_page(cohort, request.GET, today=today),
            "today": today,
            "can_manage": allows("manage", cohort),
        },
    )


@require_GET
def cohort_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The participant list as a spreadsheet; sensitive columns only for the cohort's managers,
    whose every download is logged. Streamed: any cohort size in flat memory."""
    if fmt not in FORMATS:
        raise Http404
    cohort = cohort_for_view(request.user, pk)  # type: ignore[arg-type]
    allows = cohort_policy(request.user).user_has_permission_for_instance  # type: ignore[arg-type]
    if not allows("view_roster", cohort):
        raise Http404
    sensitive = allows("manage", cohort)
    headers, rows = queries.cohort_export_table(cohort, sensitive=sensitive)
    if sensitive:
        accessed.send(Cohort, instance=cohort)
    return table_download(
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
        # A withdrawal gives the next person on the waiting list the place.
        services.enrollments_set_status(
            enrollments=[enrollment],
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _("%(name)s is now: %(status)s.")
            % {"name": enrollment.person.full_name, "status": enrollment.get_status_display()},
        )
    elif "note" in form.errors:
        messages.error(
            request,
            _("The status was not changed: %(problem)s") % {"problem": form.errors["note"][0]},
        )
    else:
        messages.error(request, _("The status was not changed: choose one of the listed statuses."))
    return redirect("programs:cohort", pk=enrollment.cohort_id)
