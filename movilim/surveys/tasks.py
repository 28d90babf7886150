"""Background tasks: mailing wave invitations and reminders (``manage.py db_worker``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from .models import InvitationStatus, WaveInvitation

logger = logging.getLogger(__name__)

BATCH = 50


@task()
def send_wave_invitations(*, invitation_ids: list[int], reminder: bool = False) -> int:
    """Mail these invitations (or remind them); how many went out. Each mail fails on its own,
    recorded by ``invitation_mail_failed``; an invitation already submitted is never mailed.
    Each mail's Message-ID names its invitation, for a bounce that comes back later."""
    from .bounces import invitation_message_id
    from .services import invitation_mail_failed, invitation_token

    batch, rest = invitation_ids[:BATCH], invitation_ids[BATCH:]
    if rest:
        send_wave_invitations.enqueue(invitation_ids=rest, reminder=reminder)
    sent = 0
    invitations = (
        WaveInvitation.objects.filter(pk__in=batch)
        .exclude(status=InvitationStatus.SUBMITTED)
        .select_related("wave", "person__user")
    )
    for invitation in invitations:
        link = settings.SITE_URL + reverse(
            "surveys:answer_token", args=[invitation_token(invitation)]
        )
        context = {
            "invitation": invitation,
            "wave": invitation.wave,
            "link": link,
            "reminder": reminder,
        }
        with translation.override("he"):
            subject = render_to_string("surveys/mail_subject.txt", context).strip()
            body = render_to_string("surveys/mail_body.txt", context).strip() + "\n"
        try:
            EmailMessage(
                subject=subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[invitation.person.user.email],
                headers={"Message-ID": invitation_message_id(invitation.pk)},
            ).send()
        except Exception as exc:  # any failure of the mail server is recorded
            logger.warning("Wave invitation %s could not be sent: %s", invitation.pk, exc)
            # Opened or started stays so; one submitted meanwhile is left alone.
            invitation_mail_failed(
                invitation_id=invitation.pk, error=f"{type(exc).__name__}: {exc}"
            )
            continue
        now = timezone.now()
        update: dict[str, object] = {"send_count": F("send_count") + 1, "last_error": ""}
        if reminder:
            update["reminded_at"] = now
        else:
            update["sent_at"] = now
        WaveInvitation.objects.filter(pk=invitation.pk).update(**update)
        WaveInvitation.objects.filter(
            pk=invitation.pk, status__in=[InvitationStatus.QUEUED, InvitationStatus.FAILED]
        ).update(status=InvitationStatus.SENT)
        sent += 1
    return sent
