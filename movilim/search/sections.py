"""The search box in the main menu, for readers of the community."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movilim.community.policies import sees_community
from movilim.core import sections


def _visible(request: HttpRequest) -> bool:
    return sees_community(request.user)  # type: ignore[arg-type]


def register() -> None:
    sections.menu.register(sections.MenuItem("search:search", _("Search"), 75, _visible))
    sections.menu.register(sections.MenuItem("search:experts", _("Who can help"), 76, _visible))
