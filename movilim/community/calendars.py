"""Community events as calendar entries (``core.calendars``): one event's ``.ics``, and this
app's part of the personal feed (``notices.feeds``): the events a member holds a place at."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from movilim.core.calendars import CalendarEntry
from movilim.notices import feeds

from .models import Event
from .queries import feed_events

if TYPE_CHECKING:
    from movilim.core.models import User


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


def feed_entries(user: User, today: date) -> list[CalendarEntry]:
    """This app's part of the user's personal feed: one query."""
    return entries_for(feed_events(user, today=today))


def register_feed() -> None:
    feeds.register(
        feeds.FeedSource(
            "community",
            gettext_lazy("the community events you hold a place at"),
            feed_entries,
        )
    )
