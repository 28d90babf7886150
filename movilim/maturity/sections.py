"""What the 7 Lenses tool adds to the menu: the matrix, for everyone signed in."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movilim.core import sections


def _signed_in(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)


def register() -> None:
    sections.menu.register(sections.MenuItem("maturity:matrix", _("7 Lenses"), 62, _signed_in))
