"""The notices the community sends through ``movilim.notices``, and its daily pass.

- *upcoming event*, to everyone holding a place (registered, not waiting, not cancelled) at an
  event that is not cancelled and starts today or in the next :data:`UPCOMING_DAYS` days, with
  the event's ``.ics`` attached; once per event and person, however often the pass runs.
- *event cancelled*, to everyone holding a place at the event or waiting for one, when the staff
  cancel it: the reason, a link to the event, and the event's calendar file marked cancelled
  (``METHOD:CANCEL``, ``STATUS:CANCELLED``), so that a calendar that took the event drops it.
  Once per event and person (the notice's key names both).
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movilim.core.calendars import calendar_bytes
from movilim.core.formatting import url_for
from movilim.notices import kinds
from movilim.notices.services import NewNotice, notices_send_many, notices_to, when_text

from .calendars import entry_for
from .models import Event, Registration, RegistrationStatus
from .services import fellows_admit_graduates

EVENT_UPCOMING = "community_event_upcoming"
EVENT_CANCELLED = "community_event_cancelled"
#: How many days ahead of an event those with a place are reminded.
UPCOMING_DAYS = 2


def register() -> None:
    kinds.register(
        kinds.NoticeKind(
            EVENT_UPCOMING,
            gettext_lazy("Upcoming community event"),
            gettext_lazy(
                "A community event you hold a place at in the coming days, with a calendar file."
            ),
        )
    )
    kinds.register(
        kinds.NoticeKind(
            EVENT_CANCELLED,
            gettext_lazy("Community event cancelled"),
            gettext_lazy(
                "An event of the community you registered for, or were waiting for, was "
                "cancelled; the calendar file attached takes it off your calendar."
            ),
        )
    )
    kinds.register_daily("community", daily_pass)


def daily_pass(today: dt.date) -> int:
    """The community's daily work: alumni of cohorts that have ended join the network as
    fellows (no mail), then the reminders of the coming events; how many notices were new."""
    fellows_admit_graduates(today=today)
    return upcoming_events(today)


def upcoming_events(today: dt.date) -> int:
    """Remind those with a place at the events of the next :data:`UPCOMING_DAYS` days; how many
    notices were new. Two queries whatever the number of events and people; written in the
    program's language (Hebrew), like every notice."""
    events = {
        event.pk: event
        for event in Event.objects.filter(
            starts_on__gte=today,
            starts_on__lte=today + dt.timedelta(days=UPCOMING_DAYS),
            cancelled_at__isnull=True,
        )
    }
    holders: dict[int, list[int]] = {}
    for event_id, user_id in (
        Registration.objects.filter(
            event_id__in=list(events),
            status=RegistrationStatus.REGISTERED,
            person__user__is_active=True,
        )
        .order_by("requested_at", "pk")
        .values_list("event_id", "person__user_id")
    ):
        holders.setdefault(event_id, []).append(user_id)
    batch: list[NewNotice] = []
    with translation.override("he"):
        for event_id, users in holders.items():
            event = events[event_id]
            ics = calendar_bytes([entry_for(event)], name=event.title).decode()
            body = " ".join(
                (
                    _("%(when)s, %(place)s.")
                    % {
                        "when": when_text(event.starts_on, event.starts_at),
                        "place": event.location or _("place to be announced"),
                    },
                    _(
                        "If you cannot come, please cancel your place so that someone on the "
                        "waiting list can take it."
                    ),
                )
            )
            batch += notices_to(
                users,
                kind=EVENT_UPCOMING,
                about=event.pk,
                title=_("Reminder: %(title)s") % {"title": event.title},
                body=body,
                link=url_for("community:event", event.pk),
                attachment_name=f"event-{event.pk}.ics",
                attachment=ics,
            )
    return notices_send_many(batch)


def event_cancelled(event: Event) -> int:
    """Tell those with a place or in the queue that ``event`` (already marked cancelled) will not
    take place; how many notices were new. Written in the program's language (Hebrew), like every
    notice; the e-mails go after the transaction commits."""
    users = list(
        Registration.objects.filter(
            event=event,
            status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITING),
            person__user__is_active=True,
        )
        .order_by("requested_at", "pk")
        .values_list("person__user_id", flat=True)
    )
    if not users:
        return 0
    with translation.override("he"):
        ics = calendar_bytes([entry_for(event)], name=event.title).decode()
        title = _("Cancelled: %(title)s") % {"title": event.title}
        body = _("The event of %(date)s will not take place. Reason: %(reason)s") % {
            "date": date_format(event.starts_on, "DATE_FORMAT"),
            "reason": event.cancel_reason,
        }
    return notices_send_many(
        notices_to(
            users,
            kind=EVENT_CANCELLED,
            about=event.pk,
            title=title,
            body=body,
            link=url_for("community:event", event.pk),
            attachment_name=f"event-{event.pk}.ics",
            attachment=ics,
        )
    )
