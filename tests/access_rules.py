"""The vocabulary of the every-URL access table: roles, who they are on the other program's
objects, and ``Rule``.

``tests/test_url_access.py`` holds the foundation's entries; each app above ``programs`` keeps its
own in ``tests/<app>/access.py`` as ``RULES``, merged into the one table, so that adding an app's
pages touches only that app's file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .conftest import World

ROLES = (
    "anonymous",
    "participant",
    "outsider",
    "coordinator",
    "manager",
    "evaluator",
    "steering",
    "staff_not_admin",
    "admin",
)
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
MANAGERS = frozenset({"coordinator", "manager", "admin"})
SEES_PROGRAM = frozenset(
    {"participant", "coordinator", "manager", "evaluator", "steering", "admin"}
)
SEES_ROSTER = frozenset({"participant", "coordinator", "manager", "evaluator", "admin"})

# Who each role is on the mirrored world's objects, in terms of the original table: the outsider
# is a participant there (and the participant an outsider), while the program's staff hold no
# role there at all, like a signed-in user without any (``staff_not_admin``).
MIRROR_ROLE = {
    "anonymous": "anonymous",
    "participant": "outsider",
    "outsider": "participant",
    "coordinator": "staff_not_admin",
    "manager": "staff_not_admin",
    "evaluator": "staff_not_admin",
    "steering": "staff_not_admin",
    "staff_not_admin": "staff_not_admin",
    "admin": "admin",
}

Data = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    """Who may GET the URL (and POST to it, for forms); ``args`` builds its URL arguments.

    ``data`` is a plausible form for POST: refused roles send it and the database must not
    change, and one allowed role sends it and the database must change (so the refusal is what
    kept it unchanged). ``other`` builds the URL for the other program's object where
    ``args`` applied to ``World.mirrored()`` would not.
    """

    get: frozenset[str]
    args: Callable[[World], list[object]] = field(default=lambda w: [])
    post: frozenset[str] | None = None  # None: GET is the page; POST tested only for CSRF
    post_only: bool = False  # GET answers 405 to those allowed
    data: Callable[[World], Data] | None = None
    other: Callable[[World], list[object]] | None = None
