"""Sessions as calendar entries (``movilim.core.calendars``): one file per session, this app's
part of the personal feed (the sessions of a user's cohorts), and the month grid of the
schedule."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from movilim.core.calendars import CalendarEntry
from movilim.core.formatting import localized_name, url_for
from movilim.notices import feeds

from .facts import MANAGING, facts_for
from .models import Cohort, Session


def session_entry(session: Session) -> CalendarEntry:
    """The session as calendars see it: the same UID for its whole life (so an update or a
    cancellation replaces the event), and a sequence that grows with every save."""
    cohort = session.cohort
    title = session.title
    description = (
        f"{localized_name(cohort.program.name_he, cohort.program.name_en)} – {cohort.name_he}"
    )
    if session.is_cancelled:
        description = f"{description}\n{session.cancel_reason}".strip()
    return CalendarEntry(
        uid=f"session-{session.pk}@movilim",
        title=title,
        day=session.starts_on,
        last_day=session.ends_on,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=session.location,
        description=description,
        url=settings.SITE_URL + url_for("programs:session", session.pk),
        cancelled=session.is_cancelled,
        sequence=int(session.updated_at.timestamp()) if session.updated_at else 0,
    )


def feed_cohorts(user: object) -> QuerySet[Cohort]:
    """The cohorts whose sessions a user's feed holds: those they are a member of, and those
    of the programs they run (manager or coordinator)."""
    facts = facts_for(user)  # type: ignore[arg-type]
    return Cohort.objects.filter(pk__in=list(facts.member_cohorts)) | Cohort.objects.filter(
        program_id__in=facts.staff_program_ids(MANAGING)
    )


def feed_sessions(user: object, *, today: dt.date) -> QuerySet[Session]:
    return (
        Session.objects.filter(
            cohort__in=feed_cohorts(user).values("pk"),
            starts_on__gte=today - dt.timedelta(days=feeds.PAST_DAYS),
        )
        .select_related("cohort__program")
        .order_by("starts_on", "pk")
    )


def feed_entries(user: object, today: dt.date) -> list[CalendarEntry]:
    """This app's part of the user's personal feed (cancelled sessions as cancelled)."""
    return [session_entry(session) for session in feed_sessions(user, today=today)]


def register_feed() -> None:
    feeds.register(
        feeds.FeedSource(
            "programs",
            gettext_lazy("the sessions of your cohorts and of the programs you run"),
            feed_entries,
        )
    )


# --- the month grid --------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    sessions: list[Session]


@dataclass(frozen=True)
class Month:
    first: dt.date
    weeks: list[list[Day]]
    previous: dt.date
    next: dt.date


def month_grid(sessions: Iterable[Session], *, first: dt.date, today: dt.date) -> Month:
    """Weeks of the month starting on Sunday (the Israeli week), each day with its sessions
    (a session of several days shows on each of them)."""
    by_day: dict[dt.date, list[Session]] = defaultdict(list)
    for session in sessions:
        day = session.starts_on
        while day <= session.last_day:
            by_day[day].append(session)
            day += dt.timedelta(days=1)
    grid = calendar.Calendar(firstweekday=calendar.SUNDAY)
    weeks = [
        [Day(d, d.month == first.month, d == today, by_day.get(d, [])) for d in week]
        for week in grid.monthdatescalendar(first.year, first.month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Month(first=first, weeks=weeks, previous=previous, next=following)
