"""Background tasks of the core app, run by the django-tasks worker (``manage.py db_worker``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .invitations import TASK_BATCH, invitation_path
from .models import Invitation

logger = logging.getLogger(__name__)

#: Every invitation is written in both languages, Hebrew first: the account holds no language
#: preference yet, and the program's working language is Hebrew.
MAIL_LANGUAGES = ("he", "en")


@task()
def send_invitations(*, invitation_ids: list[int]) -> int:
    """Mail the queued invitations among these; how many went out.

    Each mail succeeds or fails on its own: a refused address marks that invitation failed,
    with the error for staff to read, and the rest still go. An invitation that is no longer
    queued (sent by an earlier run, or accepted meanwhile) is left alone, so running a batch
    twice mails nobody twice. Past the first ``TASK_BATCH`` ids, the rest go to a new run.
    """
    batch, rest = invitation_ids[:TASK_BATCH], invitation_ids[TASK_BATCH:]
    if rest:
        send_invitations.enqueue(invitation_ids=rest)
    sent = 0
    invitations = Invitation.objects.filter(
        pk__in=batch, state=Invitation.State.QUEUED
    ).select_related("user")
    for invitation in invitations:
        user = invitation.user
        if user.has_usable_password() and user.password:
            # Chose a password meanwhile (by a reset, or an administrator set one).
            Invitation.objects.filter(pk=invitation.pk).update(
                state=Invitation.State.ACCEPTED, accepted_at=timezone.now()
            )
            continue
        try:
            _invitation_mail(invitation).send()
        except Exception as exc:  # any failure of the mail server is recorded
            logger.warning("Invitation %s could not be sent: %s", invitation.pk, exc)
            Invitation.objects.filter(pk=invitation.pk).update(
                state=Invitation.State.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            continue
        Invitation.objects.filter(pk=invitation.pk).update(
            state=Invitation.State.SENT,
            sent_at=timezone.now(),
            send_count=F("send_count") + 1,
            last_error="",
        )
        sent += 1
    return sent


def _invitation_mail(invitation: Invitation) -> EmailMessage:
    user = invitation.user
    context = {
        "user": user,
        "link": settings.SITE_URL + invitation_path(user),
        "days": settings.INVITATION_TIMEOUT // (60 * 60 * 24),
    }
    subjects, bodies = [], []
    for language in MAIL_LANGUAGES:
        with translation.override(language):
            subjects.append(
                render_to_string("registration/invitation_subject.txt", context).strip()
            )
            bodies.append(render_to_string("registration/invitation_email.txt", context).strip())
    return EmailMessage(
        subject=" / ".join(dict.fromkeys(subjects)),
        body="\n\n— — —\n\n".join(bodies) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
