"""Warnings about a session's date: a holiday, the weekend, or another session of the cohort at
the same time. They warn rather than refuse: a study tour may well run over a Friday."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Session

#: Friday and Saturday, the Israeli weekend (``date.weekday()`` numbers).
WEEKEND = frozenset({4, 5})


@cache
def _israel(year: int, language: str) -> holidays.HolidayBase:
    return holidays.Israel(years=year, language=language)


def holiday_names(day: date) -> list[str]:
    """Israeli holidays on ``day``, named in the reader's language (the package names them in
    Hebrew and English)."""
    language = "he" if (translation.get_language() or "he").startswith("he") else "en_US"
    found = _israel(day.year, language).get_list(day)
    return sorted(set(found))


def _days(session: Session) -> list[date]:
    last = session.ends_on or session.starts_on
    count = min((last - session.starts_on).days, 60) + 1
    return [session.starts_on + timedelta(days=n) for n in range(count)]


def _overlaps(a: Session, b: Session) -> bool:
    if a.starts_on > b.last_day or b.starts_on > a.last_day:
        return False
    if a.starts_on == a.last_day == b.starts_on == b.last_day and all(
        (a.starts_at, a.ends_at, b.starts_at, b.ends_at)
    ):
        return a.starts_at < b.ends_at and b.starts_at < a.ends_at  # type: ignore[operator]
    return True


def session_warnings(session: Session) -> list[str]:
    """What a scheduler should notice about this session's dates: one sentence each."""
    warnings: list[str] = []
    for day in _days(session):
        shown = date_format(day, "SHORT_DATE_FORMAT")
        names = holiday_names(day)
        if names:
            warnings.append(
                _("%(date)s is a holiday in Israel: %(names)s.")
                % {"date": shown, "names": ", ".join(names)}
            )
        if day.weekday() in WEEKEND:
            warnings.append(
                _("%(date)s is a %(weekday)s.") % {"date": shown, "weekday": date_format(day, "l")}
            )
    others = Session.objects.filter(
        cohort_id=session.cohort_id,
        cancelled_at__isnull=True,
        starts_on__lte=session.last_day,
        starts_on__gte=session.starts_on - timedelta(days=60),
    ).exclude(pk=session.pk)
    for other in others:
        if _overlaps(session, other):
            warnings.append(
                _("It overlaps another session of the cohort: %(title)s, on %(date)s.")
                % {"title": other.title, "date": date_format(other.starts_on, "SHORT_DATE_FORMAT")}
            )
    return warnings
