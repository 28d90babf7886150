"""Background work of the community, run by the django-tasks worker: event reminders. (The
digest goes out as notices, mailed by ``notices``: see ``digests.py``.)"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from .calendars import entry_for
from .models import Event, Registration, RegistrationStatus

logger = logging.getLogger(__name__)

#: Days ahead of an event that its registered members are reminded.
REMIND_DAYS_AHEAD = 2


@task()
def send_event_reminders() -> int:
    """Remind those with a place at events in the next ``REMIND_DAYS_AHEAD`` days, once per
    event (``reminded_at``); how many mails went out."""
    from movilim.core.calendars import calendar_bytes

    today = timezone.localdate()
    events = Event.objects.filter(
        starts_on__gte=today,
        starts_on__lte=today + timedelta(days=REMIND_DAYS_AHEAD),
        cancelled_at__isnull=True,
        reminded_at__isnull=True,
    )
    sent = 0
    for event in events:
        # Claim the event first, so a second worker run reminds nobody twice.
        if not Event.objects.filter(pk=event.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        ):
            continue
        registrations = Registration.objects.filter(
            event=event, status=RegistrationStatus.REGISTERED
        ).select_related("person__user")
        ics = calendar_bytes([entry_for(event)], name=event.title)
        for registration in registrations:
            with translation.override("he"):
                context = {
                    "event": event,
                    "link": settings.SITE_URL + reverse("community:event", args=[event.pk]),
                }
                message = EmailMessage(
                    subject=render_to_string(
                        "community/mail/reminder_subject.txt", context
                    ).strip(),
                    body=render_to_string("community/mail/reminder.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[registration.person.user.email],
                )
            message.attach("event.ics", ics, "text/calendar")
            try:
                message.send()
            except Exception as exc:  # one refused address must not stop the rest
                logger.warning("Reminder for event %s not sent: %s", event.pk, exc)
                continue
            sent += 1
    return sent
