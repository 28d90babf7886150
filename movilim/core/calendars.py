"""Calendar files (RFC 5545) for sessions, events and personal feeds, built with ``icalendar``.

Apps turn their objects into ``CalendarEntry`` values and hand them here, so that every
``.ics`` Movilim sends (a session, a community event, a personal feed, a reminder's attachment)
has the same time zone, identifiers and cancellation rules. Times are local to
Asia/Jerusalem (``TIME_ZONE``); an entry without a start time is an all-day event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone


@dataclass(frozen=True)
class CalendarEntry:
    """One event as a calendar sees it. ``uid`` must stay the same for the life of the object
    (a calendar recognises an update or a cancellation by it); ``sequence`` grows with each
    change that calendars should take (``updated_at`` as a timestamp is a good choice)."""

    uid: str
    title: str
    day: dt.date
    last_day: dt.date | None = None
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _event(entry: CalendarEntry, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", entry.title)
    last_day = entry.last_day or entry.day
    if entry.starts_at is None:
        event.add("dtstart", entry.day)
        event.add("dtend", last_day + dt.timedelta(days=1))  # DTEND of a date is exclusive
    else:
        zone = _zone()
        start = dt.datetime.combine(entry.day, entry.starts_at, tzinfo=zone)
        end_time = entry.ends_at or (start + dt.timedelta(hours=1)).time()
        event.add("dtstart", start)
        event.add("dtend", dt.datetime.combine(last_day, end_time, tzinfo=zone))
    if entry.location:
        event.add("location", entry.location)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return event


def calendar_bytes(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    """A whole calendar: one VEVENT per entry, with the VTIMEZONE its times refer to."""
    calendar = Calendar()
    calendar.add("prodid", "-//Movilim//Movilim//HE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    entries = list(entries)
    if len(entries) == 1 and entries[0].cancelled:
        calendar.add("method", "CANCEL")  # a single cancelled event: the message removes it
    if any(entry.starts_at is not None for entry in entries):
        calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    stamp = timezone.now()
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    return calendar.to_ical()


def ics_response(entries: Iterable[CalendarEntry], *, name: str, filename: str) -> HttpResponse:
    """An ``.ics`` download (or feed answer) for ``entries``."""
    response = HttpResponse(
        calendar_bytes(entries, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
