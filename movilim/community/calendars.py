"""Community events as calendar entries (``core.calendars``): one event's ``.ics`` and the
personal feed of the events a member holds a place at."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from movilim.core.calendars import CalendarEntry

from .models import Event


def entry_for(event: Event) -> CalendarEntry:
    return CalendarEntry(
        uid=f"community-event-{event.pk}@movilim",
        title=event.title,
        day=event.starts_on,
        last_day=event.ends_on,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=event.location,
        description=event.description,
        url=settings.SITE_URL + reverse("community:event", args=[event.pk]),
        cancelled=event.is_cancelled,
        sequence=int(event.updated_at.timestamp()) if event.updated_at else 0,
    )


def entries_for(events: Iterable[Event]) -> list[CalendarEntry]:
    return [entry_for(event) for event in events]
