"""What surveys add to the shared pages: menu items and the participant's home-page section.

Registered from ``SurveysConfig.ready()``; the studies (evaluation) register their own.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movilim.core import sections
from movilim.programs.facts import request_facts

from .models import InvitationStatus, WaveInvitation
from .policies import InstrumentPolicy


def _waiting(request: HttpRequest) -> dict[str, Any] | None:
    """Participants: the open questionnaires they have not yet answered."""
    access = request_facts(request)
    if access.person_id is None:
        return None
    today = timezone.localdate()
    invitations = list(
        WaveInvitation.objects.filter(
            person_id=access.person_id, wave__opens_on__lte=today, wave__closes_on__gte=today
        )
        .exclude(status=InvitationStatus.SUBMITTED)
        .select_related("wave")
        .order_by("wave__closes_on")[:10]
    )
    return {"invitations": invitations} if invitations else None


def _has_invitations(request: HttpRequest) -> bool:
    return request_facts(request).person_id is not None


def _builds(request: HttpRequest) -> bool:
    return InstrumentPolicy(request_facts(request)).user_has_permission("manage")


def register() -> None:
    for item in (
        sections.MenuItem("surveys:instruments", _("Questionnaires"), 60, _builds),
        sections.MenuItem("surveys:mine", _("My questionnaires"), 62, _has_invitations),
    ):
        sections.menu.register(item)
    sections.home.register(
        sections.Section("surveys:waiting", "surveys/sections/waiting.html", 5, _waiting)
    )
