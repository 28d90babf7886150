"""What the 7 Lenses tool adds to shared pages: the matrix in the menu, for everyone signed in,
and a summary of the latest assessment on a project's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movilim.core import sections
from movilim.programs.facts import request_facts
from movilim.projects.access import ProjectView
from movilim.projects.sections import project_page

from . import queries
from .models import Assessment, Lens


def _signed_in(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)


def _project_summary(request: HttpRequest, view: ProjectView) -> dict[str, Any]:
    """The latest round's median per lens (two queries), with the way to the full page; the
    lenses' level descriptors are for the full page, so they are not read here."""
    lenses = list(Lens.objects.order_by("position"))
    history = queries.rounds(Assessment.objects.filter(project=view.project))
    current = history[-1] if history else None
    return {
        "project": view.project,
        "current": current,
        "rounds": len(history),
        "rows": [(lens, current.median(lens.pk) if current else None) for lens in lenses],
        "can_assess": view.is_member or request_facts(request).is_admin,
    }


def register() -> None:
    sections.menu.register(sections.MenuItem("maturity:matrix", _("7 Lenses"), 62, _signed_in))
    project_page.register(
        sections.Section("maturity:summary", "maturity/sections/summary.html", 10, _project_summary)
    )
