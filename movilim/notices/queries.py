"""Reads of the notices app."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Notice


def unread_count(request: HttpRequest) -> int | None:
    """The reader's unread notices, for the menu: one COUNT in the partial index of unread."""
    if not request.user.is_authenticated:
        return None
    return Notice.objects.filter(user_id=request.user.pk, read_at__isnull=True).count() or None
