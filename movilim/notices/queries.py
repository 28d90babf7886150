"""Reads of the notices app."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest

from . import kinds
from .models import Notice, NoticePreference


def unread_count(request: HttpRequest) -> int | None:
    """The reader's unread notices, for the menu: one COUNT in the partial index of unread."""
    if not request.user.is_authenticated:
        return None
    return Notice.objects.filter(user_id=request.user.pk, read_at__isnull=True).count() or None


def wants_email_condition(kind: str, *, user_field: str = "user_id") -> Q:
    """The condition "the user at ``user_field`` wants ``kind`` by e-mail" (their choice, or the
    kind's default when they made none), for counting or filtering many users in one query; the
    same rule as ``services.wants_email``."""
    choices = NoticePreference.objects.filter(user_id=OuterRef(user_field), kind=kind)
    known = kinds.get(kind)
    if known is not None and known.email_by_default:
        return ~Q(Exists(choices.filter(email=False)))
    return Q(Exists(choices.filter(email=True)))
