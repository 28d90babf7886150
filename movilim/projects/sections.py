"""What projects add to the shared pages: the menu item, "my projects" on the home page and the
projects on a profile (only those the reader may see); and the registry through which apps above
this one add their part to a project's own page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movilim.core import sections
from movilim.programs.facts import request_facts
from movilim.programs.policies import PersonView

from .models import Project
from .policies import ProjectPolicy

#: Parts that apps above ``projects`` add to a project's page (the 7 Lenses summary, say):
#: ``context(request, project_view)`` returns the section's data or None.
project_page: sections.Registry[sections.Section] = sections.Registry()


def _sees_projects(request: HttpRequest) -> bool:
    return ProjectPolicy(request_facts(request)).user_has_permission("view")


def _sees_portfolio(request: HttpRequest) -> bool:
    return ProjectPolicy(request_facts(request)).user_has_permission("portfolio")


def _my_projects(request: HttpRequest) -> dict[str, Any] | None:
    facts = request_facts(request)
    if facts.person_id is None:
        return None
    projects = list(
        Project.objects.filter(members__person_id=facts.person_id, members__ended_on__isnull=True)
        .select_related("cohort")
        .distinct()
        .order_by("-stage_since", "-id")[:10]
    )
    if not projects and not facts.member_cohorts:
        return None
    return {"projects": projects, "can_choose_interests": bool(facts.member_cohorts)}


def _profile_projects(request: HttpRequest, view: PersonView) -> dict[str, Any] | None:
    visible = ProjectPolicy(request_facts(request)).instances_user_has_permission_for("view")
    projects = list(
        visible.filter(members__person=view.person)
        .select_related("cohort")
        .distinct()
        .order_by("-stage_since", "-id")[:20]
    )
    return {"projects": projects} if projects else None


def register() -> None:
    sections.menu.register(sections.MenuItem("projects:list", _("Projects"), 60, _sees_projects))
    sections.menu.register(
        sections.MenuItem("projects:dashboard", _("Portfolio"), 61, _sees_portfolio)
    )
    sections.home.register(
        sections.Section("projects:mine", "projects/sections/mine.html", 15, _my_projects)
    )
    sections.profile.register(
        sections.Section(
            "projects:profile", "projects/sections/profile.html", 20, _profile_projects
        )
    )
