"""The main menu: the items the apps registered, as far as this reader may open them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from movilim.core import sections
from movilim.core.formatting import url_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    nav = []
    for item in sections.menu:
        if not item.visible(request):
            continue
        url = url_of(item.target)
        active = path == url if url == "/" else path.startswith(url)
        badge = item.badge(request) if item.badge else None
        nav.append({"url": url, "label": item.label, "active": active, "badge": badge})
    return {"nav_items": nav}
