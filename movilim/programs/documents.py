"""Reads and writes behind the printable documents: hours statements, completion certificates
and the hours and attendance exports."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput
from movilim.core.formatting import choice_labels

from .dashboards import earned_hours
from .models import (
    MEMBER_STATUSES,
    Attendance,
    Certificate,
    Cohort,
    Enrollment,
    EnrollmentStatus,
)
from .queries import CREDITED_HOURS


@dataclass
class Statement:
    enrollment: Enrollment
    rows: list[tuple[Any, str, Decimal]]  # session, status label, hours
    hours: Decimal
    attended: int
    target: int
    today: date

    @property
    def share_of_target(self) -> float:
        return min(100.0, 100.0 * float(self.hours) / self.target) if self.target else 0.0

    @property
    def reached(self) -> bool:
        return self.hours >= self.target


def hours_statement(enrollment: Enrollment, *, today: date) -> Statement:
    """A member's sessions held so far with what each earned, against the target."""
    statuses = choice_labels(Attendance, "status")
    records = (
        Attendance.objects.filter(
            person_id=enrollment.person_id,
            session__cohort_id=enrollment.cohort_id,
            session__starts_on__lte=today,
            session__cancelled_at__isnull=True,
        )
        .select_related("session")
        .annotate(credited=CREDITED_HOURS)
        .order_by("session__starts_on", "session_id")
    )
    rows = [(r.session, statuses.get(r.status, r.status), r.credited) for r in records]  # type: ignore[attr-defined]
    totals = earned_hours([enrollment.cohort_id], today=today, person_ids=[enrollment.person_id])
    row = totals.get((enrollment.cohort_id, enrollment.person_id)) or {}
    return Statement(
        enrollment=enrollment,
        rows=rows,
        hours=row.get("hours") or Decimal(0),
        attended=row.get("attended", 0),
        target=enrollment.cohort.program.hours_target,
        today=today,
    )


def _new_code() -> str:
    """Twenty random digits (66 bits): read aloud or typed from paper without ambiguity."""
    return f"{secrets.randbelow(10**20):020d}"


def certificate_issue(*, enrollment: Enrollment, today: date) -> Certificate:
    """The enrollment's certificate, issued on first request: only to a graduate whose hours
    reach the program's target (otherwise ``InvalidInput``)."""
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    if enrollment.status != EnrollmentStatus.GRADUATED:
        raise InvalidInput(_("A certificate is given only to graduates of the cohort."))
    statement = hours_statement(enrollment, today=today)
    if not statement.reached:
        raise InvalidInput(
            _("A certificate is given only when the hours reach the target of %(target)s.")
            % {"target": statement.target}
        )
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                enrollment=enrollment, code=_new_code(), issued_on=today, hours=statement.hours
            )
    except IntegrityError:  # issued meanwhile by a parallel request
        return Certificate.objects.get(enrollment=enrollment)


def certificate_by_code(code: str) -> Certificate | None:
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 20:
        return None
    return (
        Certificate.objects.select_related(
            "enrollment__person__user", "enrollment__cohort__program"
        )
        .filter(code=code)
        .first()
    )


# --- exports --------------------------------------------------------------------------------


def hours_ledger(cohort: Cohort, *, today: date) -> tuple[list[str], Iterator[list[Any]]]:
    """Each member's sessions attended and hours against the target: two queries."""
    target = cohort.program.hours_target
    totals = earned_hours([cohort.pk], today=today)
    members = (
        Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES)
        .order_by("person__user__last_name", "person__user__first_name", "pk")
        .values_list(
            "person_id",
            "person__user__first_name",
            "person__user__last_name",
            "person__user__email",
            "status",
        )
    )
    statuses = choice_labels(Enrollment, "status")
    headers = [
        _("First name"),
        _("Last name"),
        _("E-mail"),
        _("Status"),
        _("Sessions attended"),
        _("Hours"),
        _("Hours target"),
    ]

    def rows() -> Iterator[list[Any]]:
        for person_id, first, last, email, status in members.iterator(chunk_size=2000):
            row = totals.get((cohort.pk, person_id)) or {}
            yield [
                first,
                last,
                email,
                statuses.get(status, status),
                row.get("attended", 0),
                float(row.get("hours") or 0),
                target,
            ]

    return headers, rows()


def attendance_by_session(cohort: Cohort) -> tuple[list[str], Iterator[list[Any]]]:
    """One row per attendance record, session by session: one query, read in chunks."""
    statuses = choice_labels(Attendance, "status")
    records = (
        Attendance.objects.filter(session__cohort=cohort)
        .annotate(credited=CREDITED_HOURS)
        .order_by("session__starts_on", "session_id", "person__user__last_name", "pk")
        .values_list(
            "session__starts_on",
            "session__title",
            "person__user__first_name",
            "person__user__last_name",
            "status",
            "credited",
        )
    )
    headers = [
        _("Date"),
        _("Session"),
        _("First name"),
        _("Last name"),
        _("Attendance"),
        _("Hours"),
    ]

    def rows() -> Iterator[list[Any]]:
        for day, title, first, last, status, credited in records.iterator(chunk_size=2000):
            yield [day, title, first, last, statuses.get(status, status), float(credited or 0)]

    return headers, rows()
