"""What the community adds to the shared pages: its menu item, a home-page section (coming
events and what is new) and a profile section (the member's community activity)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movilim.core import sections
from movilim.programs.policies import PersonView

from . import queries
from .models import KnowledgeItem, Membership
from .policies import EventPolicy, ItemPolicy, request_policy, sees_community


def _visible(request: HttpRequest) -> bool:
    return sees_community(request.user)  # type: ignore[arg-type]


def _home(request: HttpRequest) -> dict[str, Any] | None:
    policy = request_policy(ItemPolicy, request)
    if not policy.user_has_permission("view"):
        return None
    today = timezone.localdate()
    return {
        "events": list(
            queries.events_for(request_policy(EventPolicy, request))
            .filter(starts_on__gte=today, cancelled_at__isnull=True)
            .order_by("starts_on")[:3]
        ),
        "items": list(
            queries.visible(policy, KnowledgeItem.objects.all())
            .order_by("-published_on", "-pk")
            .values_list("pk", "title")[:3]
        ),
    }


def _profile(request: HttpRequest, view: PersonView) -> dict[str, Any] | None:
    """On a programs profile: a link to the person's community profile, when they have one and
    the reader may open it."""
    membership = Membership.objects.filter(person=view.person, is_active=True).first()
    if membership is None:
        return None
    from .policies import MembershipPolicy

    policy = request_policy(MembershipPolicy, request)
    if not policy.user_has_permission_for_instance("view", membership):
        return None
    return {"membership": membership}


def register() -> None:
    sections.menu.register(sections.MenuItem("community:home", _("Community"), 70, _visible))
    sections.home.register(
        sections.Section("community:home", "community/sections/home.html", 40, _home)
    )
    sections.profile.register(
        sections.Section("community:profile", "community/sections/profile.html", 40, _profile)
    )
