"""One statement per request for everything the layout and the policies need to know about the
signed-in user, whichever app needs it.

Every signed-in page asks the same small questions before it shows anything: the user's program
roles and enrollments (``programs``), whether they are an active community member
(``community``), how many notices they have not read (``notices``). Asked one app at a time these
cost a round trip and an ORM query build each, on every page. Instead each app registers a
*part*: a ``SELECT`` of five columns, ``(kind, a, b, c, d)``, filtered by the user's id, and the
parts run as one ``UNION ALL`` the first time any app asks. The rows are kept on the user object
for the rest of the request only; nothing outlives it.

The columns are ``kind`` text, ``a`` an integer, ``b`` text, ``c`` and ``d`` integers. PostgreSQL
types a ``UNION`` pair by pair, so a bare ``NULL`` could be taken for text where a number
follows: a part writes :data:`NO_NUMBER` or :data:`NO_TEXT` where it has nothing. A part is a
plain ``SELECT`` (no ``ORDER BY`` or ``LIMIT``: SQLite allows neither inside a compound
statement). An app reads its own rows with :func:`rows_for` and its kind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

Row = tuple[Any, Any, Any, Any]

#: Typed empty cells for the parts' columns (see the module's docstring).
NO_NUMBER = "CAST(NULL AS BIGINT)"
NO_TEXT = "CAST(NULL AS TEXT)"

_CACHE_ATTRIBUTE = "_movilim_user_rows"


@dataclass(frozen=True)
class Part:
    """An app's share of the statement: ``sql()`` selects ``(kind, a, b, c, d)`` rows with
    ``params`` placeholders (``%s``), each of which receives the user's id."""

    name: str
    sql: Callable[[], str]
    params: int = 1


_parts: dict[str, Part] = {}


def register(part: Part) -> None:
    """Add a part (from ``AppConfig.ready()``); registering a name again replaces it."""
    _parts[part.name] = part
    _statement.cache_clear()


@functools.cache
def _statement() -> tuple[str, int]:
    parts = list(_parts.values())
    sql = " UNION ALL ".join(part.sql() for part in parts)
    return sql, sum(part.params for part in parts)


def rows_for(user: AbstractBaseUser | AnonymousUser | None, kind: str) -> list[Row]:
    """The user's rows of ``kind`` (``(a, b, c, d)``), reading every part once per request."""
    if user is None or not user.is_authenticated:
        return []
    grouped: dict[str, list[Row]] | None = user.__dict__.get(_CACHE_ATTRIBUTE)
    if grouped is None:
        sql, count = _statement()
        grouped = {}
        if count:
            with connection.cursor() as cursor:
                cursor.execute(sql, [user.pk] * count)
                for row_kind, *values in cursor.fetchall():
                    grouped.setdefault(row_kind, []).append(tuple(values))  # type: ignore[arg-type]
        user.__dict__[_CACHE_ATTRIBUTE] = grouped
    return grouped.get(kind, [])
