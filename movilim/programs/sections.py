"""What this app adds to the shared pages: menu items, home-page sections, the profile's cohorts.

Registered from ``ProgramsConfig.ready()``; see ``movilim.core.sections``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movilim.core import sections

from . import queries
from .access import managed_cohorts, visible_cohorts
from .facts import request_facts
from .models import Enrollment
from .policies import CohortPolicy, PersonPolicy, PersonView, ProgramPolicy


def _my_cohorts(request: HttpRequest) -> dict[str, Any] | None:
    access = request_facts(request)
    if not (access.member_cohorts and access.person_id):
        return None
    today = timezone.localdate()
    return {"cohorts": queries.participant_overview(access.person_id, today=today)}


def _managing(request: HttpRequest) -> dict[str, Any] | None:
    if not CohortPolicy(request_facts(request)).user_has_permission("manage"):
        return None
    today = timezone.localdate()
    cohorts = managed_cohorts(request.user)  # type: ignore[arg-type]
    return {
        "current_cohorts": queries.cohort_member_counts(
            cohorts.filter(end_date__gte=today)
        ).order_by("start_date"),
        "missing_attendance": list(queries.sessions_missing_attendance(cohorts, today=today)[:20]),
        "upcoming_sessions": list(
            queries.sessions_for_cohorts(cohorts)
            .filter(starts_on__gte=today)
            .order_by("starts_on")[:5]
        ),
    }


def _followed(request: HttpRequest) -> dict[str, Any] | None:
    """Evaluators and the steering committee: the cohorts they follow, as aggregates."""
    access = request_facts(request)
    if not access.program_roles or CohortPolicy(access).user_has_permission("manage"):
        return None
    cohorts = queries.cohort_member_counts(
        visible_cohorts(request.user)  # type: ignore[arg-type]
    ).order_by("-start_date")[:20]
    return {"cohorts": cohorts}


def _profile_cohorts(request: HttpRequest, view: PersonView) -> dict[str, Any]:
    """The cohorts of the person that this reader may know of."""
    enrollments = Enrollment.objects.filter(person=view.person).select_related("cohort__program")
    if not view.can_edit:
        visible = CohortPolicy(request_facts(request)).instances_user_has_permission_for("view")
        enrollments = enrollments.filter(cohort__in=visible)
    return {"enrollments": enrollments.order_by("-cohort__start_date")}


def _sees_programs(request: HttpRequest) -> bool:
    return ProgramPolicy(request_facts(request)).user_has_permission("view")


def _lists_people(request: HttpRequest) -> bool:
    return PersonPolicy(request_facts(request)).user_has_permission("list")


def register() -> None:
    for item in (
        sections.MenuItem("programs:list", _("Programs"), 20, _sees_programs),
        sections.MenuItem("programs:schedule", _("Schedule"), 30, _sees_programs),
        sections.MenuItem("programs:people", _("Participants"), 40, _lists_people),
        sections.MenuItem("programs:import", _("Import"), 50, _lists_people),
    ):
        sections.menu.register(item)
    for section in (
        sections.Section(
            "programs:my-cohorts", "programs/sections/my_cohorts.html", 10, _my_cohorts
        ),
        sections.Section("programs:managing", "programs/sections/managing.html", 20, _managing),
        sections.Section("programs:followed", "programs/sections/followed.html", 30, _followed),
    ):
        sections.home.register(section)
    sections.profile.register(
        sections.Section(
            "programs:cohorts", "programs/sections/profile_cohorts.html", 10, _profile_cohorts
        )
    )


# --- dashboards, calendars, reminders ----------------------------------------------------------


def _is_member(request: HttpRequest) -> bool:
    access = request_facts(request)
    return bool(access.member_cohorts and access.person_id)


def _my_dashboard_section(request: HttpRequest) -> dict[str, Any] | None:
    return {} if _is_member(request) else None


def _own_calendar(request: HttpRequest, view: PersonView) -> dict[str, Any] | None:
    """On one's own profile only: the dashboard and the calendar feed."""
    if request_facts(request).person_id != view.person.pk:
        return None
    return {"member": _is_member(request)}


def register_operations() -> None:
    from . import calendars, reminders

    sections.menu.register(
        sections.MenuItem("programs:my_dashboard", _("My dashboard"), 15, _is_member)
    )
    sections.home.register(
        sections.Section(
            "programs:my-dashboard", "programs/sections/my_dashboard.html", 5, _my_dashboard_section
        )
    )
    sections.profile.register(
        sections.Section(
            "programs:own-calendar", "programs/sections/own_calendar.html", 5, _own_calendar
        )
    )
    reminders.register()
    calendars.register_feed()
