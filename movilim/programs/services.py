"""Changes to cohorts, enrollments, sessions and attendance. Each function is one transaction.

Callers check permissions first (``access``); these functions check the domain's own rules and
raise :class:`~movilim.core.errors.InvalidInput` with a sentence for the user when one is broken.
Every write goes through models that the audit log watches, so who changed what is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from movilim.core.errors import InvalidInput
from movilim.core.models import User
from movilim.people.models import Person

from .models import (
    MEMBER_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Program,
    ProgramRole,
    Session,
)


@transaction.atomic
def program_role_grant(*, user: User, program: Program, role: str) -> ProgramRole:
    grant, _created = ProgramRole.objects.get_or_create(user=user, program=program, role=role)
    return grant


@transaction.atomic
def enrollment_add(
    *, cohort: Cohort, person: Person, status: str | None = None, by: User | None
) -> tuple[Enrollment, bool]:
    """Enroll ``person`` in ``cohort`` (as active unless ``status`` says otherwise).

    If they are already enrolled, move them to ``status`` when one is given, else leave them be.
    """
    enrollment = Enrollment.objects.filter(cohort=cohort, person=person).first()
    if enrollment is not None:
        if status:
            enrollment_set_status(enrollment=enrollment, status=status, by=by)
        return enrollment, False
    status = status or EnrollmentStatus.ACTIVE
    enrollment = Enrollment.objects.create(cohort=cohort, person=person, status=status)
    EnrollmentStatusChange.objects.create(enrollment=enrollment, to_status=status, changed_by=by)
    return enrollment, True


@transaction.atomic
def enrollment_set_status(
    *, enrollment: Enrollment, status: str, by: User | None, note: str = ""
) -> Enrollment:
    """Move an enrollment to a new status and keep the step in its history. No-op if unchanged."""
    if status not in EnrollmentStatus.values:
        raise InvalidInput(_("Unknown enrollment status."))
    if enrollment.status == status:
        return enrollment
    previous = enrollment.status
    enrollment.status = status
    enrollment.save(update_fields=["status", "updated_at"])
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment, from_status=previous, to_status=status, changed_by=by, note=note
    )
    return enrollment


def _check_session_dates(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("The last day cannot come before the first day."))


@transaction.atomic
def session_create(*, cohort: Cohort, **fields: Any) -> Session:
    _check_session_dates(fields["starts_on"], fields.get("ends_on"))
    return Session.objects.create(cohort=cohort, **fields)


@transaction.atomic
def session_update(*, session: Session, **fields: Any) -> Session:
    _check_session_dates(fields["starts_on"], fields.get("ends_on"))
    for name, value in fields.items():
        setattr(session, name, value)
    session.save(update_fields=[*fields, "updated_at"])
    return session


@dataclass(frozen=True)
class Mark:
    """One row of an attendance sheet."""

    status: str
    partial_hours: Decimal | None = None


@dataclass(frozen=True)
class AttendanceResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def attendance_record(
    *, session: Session, marks: Mapping[int, Mark], by: User | None
) -> AttendanceResult:
    """Save a whole session's sheet at once: ``marks`` maps person ids to their mark.

    Everyone marked must be a member of the session's cohort. Rows that did not change are left
    alone, so the audit log shows only real changes and saving twice changes nothing.
    """
    members = set(
        Enrollment.objects.filter(
            cohort_id=session.cohort_id, status__in=MEMBER_STATUSES, person_id__in=list(marks)
        ).values_list("person_id", flat=True)
    )
    strangers = set(marks) - members
    if strangers:
        raise InvalidInput(_("Attendance can be recorded only for members of this cohort."))
    for mark in marks.values():
        if mark.status not in AttendanceStatus.values:
            raise InvalidInput(_("Unknown attendance status."))
        partial = mark.partial_hours
        if mark.status == AttendanceStatus.PARTIAL and not (
            partial and 0 < partial < session.hours
        ):
            raise InvalidInput(
                _(
                    "For partial attendance, give the hours attended: "
                    "more than 0 and less than %(hours)s."
                )
                % {"hours": session.hours.normalize()}
            )
    existing = {a.person_id: a for a in Attendance.objects.filter(session=session)}
    created = updated = unchanged = 0
    for person_id, mark in marks.items():
        hours = mark.partial_hours if mark.status == AttendanceStatus.PARTIAL else None
        record = existing.get(person_id)
        if record is None:
            Attendance.objects.create(
                session=session,
                person_id=person_id,
                status=mark.status,
                partial_hours=hours,
                recorded_by=by,
            )
            created += 1
        elif record.status != mark.status or record.partial_hours != hours:
            record.status, record.partial_hours, record.recorded_by = mark.status, hours, by
            record.save(update_fields=["status", "partial_hours", "recorded_by", "recorded_at"])
            updated += 1
        else:
            unchanged += 1
    return AttendanceResult(created=created, updated=updated, unchanged=unchanged)
