"""The reminders this app sends through ``movilim.notices``, and its part of the daily pass.

- *attendance overdue*, to the cohort's coordinators: a session held (before today, not
  cancelled) whose attendance nobody has recorded; once per session and coordinator.
- *upcoming session*, to the members: a session starting within :data:`UPCOMING_DAYS` days,
  with its ``.ics`` attached; once per session and member (a cancellation is not announced here:
  the calendar feed carries it).
- *behind pace*, to the members of running cohorts whose hours fall behind the pace needed to
  reach the target (see ``dashboards``); at most once a week.

Every notice has a key naming what it is about, so the pass can run any number of times a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movilim.core.calendars import calendar_bytes
from movilim.core.formatting import hours_text, url_for, url_of
from movilim.core.models import User
from movilim.core.roles import StaffRole
from movilim.notices import kinds
from movilim.notices.services import NewNotice, notices_send_many, notices_to, when_text

from .calendars import session_entry
from .dashboards import Pace, earned_hours, missing_attendance, session_hours
from .models import MEMBER_STATUSES, Cohort, Enrollment, Person, ProgramRole, Session

ATTENDANCE_OVERDUE = "attendance_overdue"
SESSION_UPCOMING = "session_upcoming"
WAITLIST_PLACE = "waitlist_place"
WAITLIST_PLACE_UNDONE = "waitlist_place_undone"
BEHIND_PACE = "behind_pace"
#: How many days ahead a session is announced.
UPCOMING_DAYS = 2
#: Overdue attendance older than this is not reminded of any more.
OVERDUE_WINDOW_DAYS = 30


def register() -> None:
    kinds.register(
        kinds.NoticeKind(
            ATTENDANCE_OVERDUE,
            gettext_lazy("Attendance to record"),
            gettext_lazy("A session of a cohort you coordinate took place without attendance."),
        )
    )
    kinds.register(
        kinds.NoticeKind(
            SESSION_UPCOMING,
            gettext_lazy("Upcoming session"),
            gettext_lazy("A session of your cohort in the coming days, with a calendar file."),
        )
    )
    kinds.register(
        kinds.NoticeKind(
            BEHIND_PACE,
            gettext_lazy("Behind the hours pace"),
            gettext_lazy("Your hours fall behind the pace needed to reach the program's target."),
        )
    )
    kinds.register(
        kinds.NoticeKind(
            WAITLIST_PLACE,
            gettext_lazy("A place from the waiting list"),
            gettext_lazy("A place in a cohort whose waiting list you were on is now yours."),
        )
    )
    kinds.register(
        kinds.NoticeKind(
            WAITLIST_PLACE_UNDONE,
            gettext_lazy("A place taken back"),
            gettext_lazy(
                "A change that gave you a place in a cohort was undone: you are back on its "
                "waiting list."
            ),
        )
    )
    kinds.register_daily("programs", daily_pass)


def waitlist_places(cohort: Cohort, person_ids: Sequence[int], *, about: str) -> int:
    """Tell the people who just took places freed in ``cohort`` from its waiting list; how many
    notices were new. ``about`` names the change (its batch), so each is told once for it.
    Written in the program's language (Hebrew), like every notice; mailed after the commit."""
    with translation.override("he"):
        title = _("A place for you in %(cohort)s") % {"cohort": cohort}
        body = _(
            "A place freed in the cohort, and you were next on its waiting list: the place is "
            "yours. Your sessions and hours are on your page."
        )
    return _tell_people(person_ids, kind=WAITLIST_PLACE, about=about, title=title, body=body)


def waitlist_places_undone(cohort: Cohort, person_ids: Sequence[int], *, about: str) -> int:
    """Tell the people whom an undo sent from ``cohort`` back to its waiting list (the change
    that gave them a place, often the waiting list's own, was taken back); how many notices
    were new. ``about`` names the undo, so each is told once for it."""
    with translation.override("he"):
        title = _("Your place in %(cohort)s was taken back") % {"cohort": cohort}
        body = _(
            "Staff undid the change that gave you a place in the cohort: you are back on its "
            "waiting list, in your former place there."
        )
    return _tell_people(person_ids, kind=WAITLIST_PLACE_UNDONE, about=about, title=title, body=body)


def _tell_people(person_ids: Sequence[int], *, kind: str, about: str, title: str, body: str) -> int:
    """One notice to each of these people who can sign in, linking their own page."""
    users = Person.objects.filter(pk__in=list(person_ids), user__is_active=True).values_list(
        "user_id", flat=True
    )
    return notices_send_many(
        notices_to(
            users.order_by("user_id"),
            kind=kind,
            about=about,
            title=title,
            body=body,
            link=url_of("programs:my_dashboard"),
        )
    )


def daily_pass(today: dt.date) -> int:
    """All three reminders for ``today``, written in the program's language (Hebrew)."""
    with translation.override("he"):
        return overdue_attendance(today) + upcoming_sessions(today) + behind_pace(today)


def overdue_attendance(today: dt.date) -> int:
    since = today - dt.timedelta(days=OVERDUE_WINDOW_DAYS)
    recent = Cohort.objects.filter(end_date__gte=since).values_list("pk", flat=True)
    sessions = list(missing_attendance(list(recent), today=today).filter(starts_on__gte=since))
    programs = {s.cohort.program_id for s in sessions}
    coordinators: dict[int, list[User]] = {}
    for role in ProgramRole.objects.filter(
        program_id__in=programs, role=StaffRole.COORDINATOR
    ).select_related("user"):
        coordinators.setdefault(role.program_id, []).append(role.user)
    batch = [
        NewNotice(
            user_id=user.pk,
            kind=ATTENDANCE_OVERDUE,
            title=_("Attendance to record: %(title)s") % {"title": session.title},
            body=_("The session of %(date)s in %(cohort)s has no attendance recorded yet.")
            % {
                "date": date_format(session.starts_on, "SHORT_DATE_FORMAT"),
                "cohort": session.cohort,
            },
            link=url_for("programs:attendance", session.pk),
            dedup_key=f"{ATTENDANCE_OVERDUE}:{session.pk}:{user.pk}",
        )
        for session in sessions
        for user in coordinators.get(session.cohort.program_id, [])
    ]
    return notices_send_many(batch)


def upcoming_sessions(today: dt.date) -> int:
    sessions = list(
        Session.objects.filter(
            starts_on__gt=today,
            starts_on__lte=today + dt.timedelta(days=UPCOMING_DAYS),
            cancelled_at__isnull=True,
        ).select_related("cohort__program")
    )
    members: dict[int, list[int]] = {}
    for cohort_id, user_id in Enrollment.objects.filter(
        cohort_id__in={s.cohort_id for s in sessions},
        status__in=MEMBER_STATUSES,
        person__user__is_active=True,
    ).values_list("cohort_id", "person__user_id"):
        members.setdefault(cohort_id, []).append(user_id)
    batch: list[NewNotice] = []
    for session in sessions:
        body = _("%(when)s, %(place)s.") % {
            "when": when_text(session.starts_on, session.starts_at),
            "place": session.location or _("place to be announced"),
        }
        batch += notices_to(
            members.get(session.cohort_id, []),
            kind=SESSION_UPCOMING,
            about=session.pk,
            title=_("Coming up: %(title)s") % {"title": session.title},
            body=body,
            link=url_for("programs:session", session.pk),
            attachment_name=f"session-{session.pk}.ics",
            attachment=calendar_bytes([session_entry(session)], name=session.title).decode(),
        )
    return notices_send_many(batch)


def behind_pace(today: dt.date) -> int:
    cohorts = list(
        Cohort.objects.filter(start_date__lte=today, end_date__gte=today).select_related("program")
    )
    ids = [c.pk for c in cohorts]
    hours = earned_hours(ids, today=today)
    held = session_hours(ids, today=today)
    year, week, _day = today.isocalendar()
    by_pk = {c.pk: c for c in cohorts}
    link = url_of("programs:my_dashboard")
    batch = []
    for cohort_id, person_id, user_id in Enrollment.objects.filter(
        cohort_id__in=ids, status__in=MEMBER_STATUSES, person__user__is_active=True
    ).values_list("cohort_id", "person_id", "person__user_id"):
        cohort = by_pk[cohort_id]
        done, scheduled = held.get(cohort_id, (Decimal(0), Decimal(0)))
        pace = Pace(held=done, scheduled=scheduled, target=cohort.program.hours_target)
        earned = (hours.get((cohort_id, person_id)) or {}).get("hours") or Decimal(0)
        if not pace.behind(earned):
            continue
        batch.append(
            NewNotice(
                user_id=user_id,
                kind=BEHIND_PACE,
                title=_("Your hours in %(cohort)s are behind pace") % {"cohort": cohort.name_he},
                body=_(
                    "You have %(hours)s hours; by now about %(expected)s were expected on the "
                    "way to the target of %(target)s."
                )
                % {
                    "hours": hours_text(earned),
                    "expected": hours_text(pace.expected),
                    "target": cohort.program.hours_target,
                },
                link=link,
                dedup_key=f"{BEHIND_PACE}:{cohort_id}:{user_id}:{year}-W{week:02d}",
            )
        )
    return notices_send_many(batch)
