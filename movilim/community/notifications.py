"""The notices the community sends through ``movilim.notices``.

- *event cancelled*, to everyone holding a place at the event or waiting for one, when the staff
  cancel it: the reason, a link to the event, and the event's calendar file marked cancelled
  (``METHOD:CANCEL``, ``STATUS:CANCELLED``), so that a calendar that took the event drops it.
  Once per event and person (the notice's key names both).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movilim.core.calendars import calendar_bytes
from movilim.core.formatting import url_for
from movilim.notices import kinds
from movilim.notices.services import NewNotice, notices_send_many

from .calendars import entry_for
from .models import Event, Registration, RegistrationStatus

EVENT_CANCELLED = "community_event_cancelled"


def register() -> None:
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
    link = url_for("community:event", event.pk)
    return notices_send_many(
        [
            NewNotice(
                user_id=user_id,
                kind=EVENT_CANCELLED,
                title=title,
                body=body,
                link=link,
                dedup_key=f"{EVENT_CANCELLED}:{event.pk}:{user_id}",
                attachment_name=f"event-{event.pk}.ics",
                attachment=ics,
            )
            for user_id in users
        ]
    )
