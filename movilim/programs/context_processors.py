"""The main menu, built from what the user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movilim.core.formatting import url_of

from .access import request_access


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"nav_items": []}
    access = request_access(request)
    items: list[tuple[str, Any]] = [("home", _("Home"))]
    if access.is_staff_anywhere or access.member_cohorts:
        items += [("programs:list", _("Programs")), ("programs:schedule", _("Schedule"))]
    if access.can_list_people():
        items += [("programs:people", _("Participants")), ("programs:import", _("Import"))]
    if request.user.is_superuser:
        items.append(("admin:index", _("Administration")))
    path = request.path
    nav = []
    for name, label in items:
        url = url_of(name)
        active = path == url if url == "/" else path.startswith(url)
        nav.append({"url": url, "label": label, "active": active})
    return {"nav_items": nav, "access": access}
