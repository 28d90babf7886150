"""Reads of the notices app."""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest

from movilim.core import userfacts

from . import kinds
from .models import Notice, NoticePreference


def _unread_sql() -> str:
    """The menu's count as a part of the user's statement (``core.userfacts``): a COUNT in the
    partial index of unread notices, read with the user's other facts in one round trip."""
    q = connection.ops.quote_name
    return (
        f"SELECT 'unread', COUNT(*), {userfacts.NO_TEXT}, {userfacts.NO_NUMBER}, "  # noqa: S608
        f"{userfacts.NO_NUMBER} FROM {q(Notice._meta.db_table)} "
        f"WHERE {q('user_id')} = %s AND {q('read_at')} IS NULL"
    )


USER_PART = userfacts.Part("notices", _unread_sql)


def unread_count(request: HttpRequest) -> int | None:
    """The reader's unread notices, for the menu (None when there are none)."""
    rows = userfacts.rows_for(request.user, "unread")
    return (rows[0][0] if rows else 0) or None


def wants_email_condition(kind: str, *, user_field: str = "user_id") -> Q:
    """The condition "the user at ``user_field`` wants ``kind`` by e-mail" (their choice, or the
    kind's default when they made none), for counting or filtering many users in one query; the
    same rule as ``services.wants_email``."""
    choices = NoticePreference.objects.filter(user_id=OuterRef(user_field), kind=kind)
    known = kinds.get(kind)
    if known is not None and known.email_by_default:
        return ~Q(Exists(choices.filter(email=False)))
    return Q(Exists(choices.filter(email=True)))
