"""Signed one-click unsubscribe links: one per user and kind, valid without signing in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "movilim.notices.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.Signer(salt=SALT).sign_object({"u": user_id, "k": kind}, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """``(user_id, kind)`` of a genuine token, else None. Tokens carry no time and do not
    expire: an e-mail read months later must still unsubscribe, and the same user and kind
    always get the same link."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("k", ""))


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    path = reverse("notices:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)])
    return settings.SITE_URL + path
