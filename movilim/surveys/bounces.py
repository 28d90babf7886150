"""Invitation mails that bounce after they were sent.

A mail server may accept an invitation and return it later (the address does not exist, the
mailbox is full): the bounce reaches the sender's mailbox hours or days afterwards, when the
invitation may already be opened, started or reminded. Each invitation mail carries a
Message-ID naming its invitation, signed with the site's secret key
(:func:`invitation_message_id`); the bounce quotes it, and :func:`read_bounce` finds it there.
``manage.py survey_bounces`` feeds bounces to :func:`record_bounce` (from the mail server's
pipe or from saved messages), which changes the invitation through
``services.invitation_mail_failed``.

Only delivery-status notifications (RFC 3464) that say *failed* count, and the plain bounces
of servers that name the failed address in ``X-Failed-Recipients``: a "delayed" notice, an
out-of-office reply or an answer to the mail (which quote the same Message-ID) change nothing.
"""

from __future__ import annotations

import email
import email.policy
import hmac
import re
import secrets
from dataclasses import dataclass
from email.message import Message

from django.conf import settings

from .services import invitation_mail_failed

_ID = re.compile(rb"movilim-invitation\.(\d{1,18})\.([0-9a-f]{16})\.", re.IGNORECASE)


def _signature(invitation_id: int) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"movilim.surveys.bounce:{invitation_id}".encode(), "sha256"
    ).hexdigest()[:16]


def invitation_message_id(invitation_id: int) -> str:
    """A new Message-ID for a mail of this invitation: a bounce quoting it names the
    invitation (the random end keeps every mail's id unique)."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
    signature = _signature(invitation_id)
    return f"<movilim-invitation.{invitation_id}.{signature}.{secrets.token_hex(6)}@{domain}>"


@dataclass(frozen=True)
class Bounce:
    invitation_id: int
    reason: str


def _invitation_quoted(raw: bytes) -> int | None:
    for match in _ID.finditer(raw):
        invitation_id = int(match.group(1))
        if hmac.compare_digest(match.group(2).decode().lower(), _signature(invitation_id)):
            return invitation_id
    return None


def _delivery_status(message: Message) -> list[Message] | None:
    """The per-recipient blocks of the notification's delivery-status part, if it has one."""
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):
                return [block for block in payload if isinstance(block, Message)]
            return []
    return None


def read_bounce(raw: bytes) -> Bounce | None:
    """The invitation a returned mail is about and the server's reason, or None when ``raw``
    is not a failure notice about an invitation mail of this site."""
    invitation_id = _invitation_quoted(raw)
    if invitation_id is None:
        return None
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    blocks = _delivery_status(message)
    if blocks is None:
        failed = message.get("X-Failed-Recipients")
        if not failed:
            return None
        return Bounce(invitation_id, f"Bounced: {' '.join(str(failed).split())}")
    for block in blocks:
        if str(block.get("Action", "")).strip().lower() != "failed":
            continue
        status = " ".join(str(block.get("Status", "")).split())
        diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
        reason = "; ".join(part for part in (status, diagnostic) if part)
        return Bounce(invitation_id, f"Bounced: {reason}" if reason else "Bounced")
    return None


def record_bounce(raw: bytes) -> tuple[Bounce | None, str | None]:
    """Read ``raw`` and, when it is a bounce of an invitation mail, record it. Returns the
    bounce (or None) and the invitation's status written (None when nothing changed: not a
    bounce, an unknown invitation, or one already submitted)."""
    bounce = read_bounce(raw)
    if bounce is None:
        return None, None
    return bounce, invitation_mail_failed(invitation_id=bounce.invitation_id, error=bounce.reason)
