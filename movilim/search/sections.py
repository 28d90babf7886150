"""The search box in the main menu, for readers of the community; similar projects on a
project's page, for whoever may read it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movilim.community.policies import sees_community
from movilim.core import sections
from movilim.projects.access import ProjectView
from movilim.projects.sections import project_page


def _visible(request: HttpRequest) -> bool:
    return sees_community(request.user)  # type: ignore[arg-type]


def _similar_projects(request: HttpRequest, view: ProjectView) -> dict[str, Any]:
    """A place for the similar projects, filled when it comes into view
    (``views.similar_to_project``)."""
    return {"project": view.project}


def register() -> None:
    project_page.register(
        sections.Section(
            "search:similar", "search/sections/similar_projects.html", 30, _similar_projects
        )
    )
    sections.menu.register(sections.MenuItem("search:search", _("Search"), 75, _visible))
    sections.menu.register(sections.MenuItem("search:experts", _("Who can help"), 76, _visible))
