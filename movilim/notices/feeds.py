"""What a user's personal calendar feed holds, registered by the apps that have something to put
in it. ``notices`` keeps the feed's secret address and answers it, but sits below the apps whose
objects end up in a calendar (sessions, community events), so it knows none of them: each app
registers a source from its ``AppConfig.ready()``, the way notice kinds and daily passes are
registered in ``kinds``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from movilim.core.calendars import CalendarEntry

if TYPE_CHECKING:
    from movilim.core.models import User

#: How far back a feed reaches: calendars keep what they already hold.
PAST_DAYS = 366


@dataclass(frozen=True)
class FeedSource:
    """One app's part of the feed. ``entries(user, today)`` returns that user's entries from
    ``today - PAST_DAYS`` on, cancelled ones included as cancelled (so calendars that hold them
    learn of the cancellation), in a fixed number of queries whatever their number."""

    name: str  # orders the sources in the feed
    label: str | Promise  # what it adds, as the feed's page lists it
    entries: Callable[[User, date], Iterable[CalendarEntry]]


_SOURCES: dict[str, FeedSource] = {}


def register(source: FeedSource) -> FeedSource:
    _SOURCES[source.name] = source
    return source


def sources() -> list[FeedSource]:
    return sorted(_SOURCES.values(), key=lambda source: source.name)


def entries_for(user: User, *, today: date) -> list[CalendarEntry]:
    """Everything the user's feed holds: each registered source's entries, in source order."""
    return [entry for source in sources() for entry in source.entries(user, today)]
