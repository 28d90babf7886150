"""What evaluation adds to the shared pages: the "Studies" menu item and, for evaluators, the
waves of their programs on the home page. Registered from ``EvaluationConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movilim.core import sections
from movilim.programs.facts import request_facts
from movilim.surveys.models import Wave
from movilim.surveys.policies import WavePolicy


def _studies(request: HttpRequest) -> dict[str, Any] | None:
    """Evaluators: the waves of their programs, newest first."""
    policy = WavePolicy(request_facts(request))
    if not policy.user_has_permission("manage"):
        return None
    waves: list[Wave] = list(
        policy.instances_user_has_permission_for("manage")
        .select_related("cohort")
        .order_by("-opens_on")[:8]
    )
    return {"waves": waves}


def _sees_studies(request: HttpRequest) -> bool:
    return WavePolicy(request_facts(request)).user_has_permission("view")


def register() -> None:
    sections.menu.register(sections.MenuItem("evaluation:studies", _("Studies"), 61, _sees_studies))
    sections.home.register(
        sections.Section("evaluation:studies", "evaluation/sections/studies.html", 40, _studies)
    )
