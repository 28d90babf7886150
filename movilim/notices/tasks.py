"""Sending notices by e-mail, in the task worker."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from . import kinds
from .models import Notice
from .services import wants_email
from .unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)


@task()
def send_notice_email(*, notice_id: int) -> bool:
    """Mail one notice; whether it went.

    The notice is claimed before the mail is handed over (its ``emailed_at`` set where it was
    empty), so a task run twice, or by two workers, mails it once. A failure releases the claim
    and keeps the error, for a later run to try again.
    """
    claimed = Notice.objects.filter(pk=notice_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notice = Notice.objects.select_related("user").get(pk=notice_id)
    if not notice.user.email or not wants_email(user=notice.user, kind=notice.kind):
        Notice.objects.filter(pk=notice_id).update(emailed_at=None)  # chose otherwise meanwhile
        return False
    try:
        notice_mail(notice).send()
    except Exception as exc:  # any failure of the mail server is recorded
        logger.warning("Notice %s could not be mailed: %s", notice_id, exc)
        Notice.objects.filter(pk=notice_id).update(
            emailed_at=None, email_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        return False
    return True


@task()
def send_notice_emails(*, notice_ids: list[int]) -> int:
    """Mail a batch of notices, each on its own claim (see :func:`send_notice_email`); how
    many went."""
    return sum(bool(send_notice_email.call(notice_id=pk)) for pk in notice_ids)


def notice_mail(notice: Notice) -> EmailMessage:
    """The e-mail of a notice, in Hebrew, with the one-click unsubscribe of its kind (RFC 8058:
    a mail program POSTs ``List-Unsubscribe=One-Click`` to the address)."""
    link = unsubscribe_url(user_id=notice.user_id, kind=notice.kind)
    kind = kinds.get(notice.kind)
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "notices/email.txt",
            {
                "notice": notice,
                "link": settings.SITE_URL + notice.link if notice.link.startswith("/") else "",
                "unsubscribe": link,
                "kind": str(kind.label) if kind else notice.kind,
            },
        )
    message = EmailMessage(
        subject=notice.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if notice.attachment:
        # The part's method must be the calendar's own (RFC 6047): a cancellation is a CANCEL.
        method = "CANCEL" if "\nMETHOD:CANCEL" in notice.attachment else "PUBLISH"
        message.attach(
            notice.attachment_name or "invite.ics",
            notice.attachment,
            f"text/calendar; charset=utf-8; method={method}",
        )
    return message
