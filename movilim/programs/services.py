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

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
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


def _validated(instance: Session) -> None:
    """Apply the model's own rules (``clean()`` and constraints), as one sentence on failure."""
    try:
        instance.full_clean(exclude=["cohort"])
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error


@transaction.atomic
def session_create(*, cohort: Cohort, **fields: Any) -> Session:
    """Schedule a session; it must fall within the cohort's dates."""
    session = Session(cohort=cohort, **fields)
    _validated(session)
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, **fields: Any) -> Session:
    """Change a session; the same rules as :func:`session_create` apply."""
    for name, value in fields.items():
        setattr(session, name, value)
    _validated(session)
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


#: What saving a sheet may change in a row that exists already.
_SHEET_FIELDS = ["status", "partial_hours", "recorded_by", "recorded_at"]


@transaction.atomic
def attendance_record(
    *, session: Session, marks: Mapping[int, Mark], by: User | None, today: date
) -> AttendanceResult:
    """Save a whole session's sheet at once: ``marks`` maps person ids to their mark.

    Everyone marked must be a member of the session's cohort, and the session must have started
    by ``today``. Rows that did not change are left alone, so the audit log shows only real
    changes and saving twice changes nothing.

    Two people saving the same sheet at once both get an answer: the session row is locked for
    the transaction, so the second save sees what the first wrote (and counts it unchanged),
    and rows are written with an upsert on (session, person), so a row that appeared meanwhile
    by any other way is updated rather than breaking the unique constraint.
    """
    if not session.has_started(today):
        raise InvalidInput(
            _("Attendance can be taken once the session has started, on %(date)s.")
            % {"date": date_format(session.starts_on, "SHORT_DATE_FORMAT")}
        )
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
    list(Session.objects.select_for_update().filter(pk=session.pk).values_list("pk"))
    existing = {a.person_id: a for a in Attendance.objects.filter(session=session)}
    people = Person.objects.select_related("user").in_bulk(list(marks))
    written: list[tuple[Attendance, Attendance | None]] = []  # (new state, old state)
    unchanged = 0
    for person_id, mark in sorted(marks.items()):  # one order for every writer: no deadlocks
        hours = mark.partial_hours if mark.status == AttendanceStatus.PARTIAL else None
        old = existing.get(person_id)
        if old is not None and old.status == mark.status and old.partial_hours == hours:
            unchanged += 1
            continue
        record = Attendance(
            session=session,
            person=people[person_id],
            status=mark.status,
            partial_hours=hours,
            recorded_by=by,
        )
        written.append((record, old))
    Attendance.objects.bulk_create(
        [record for record, _old in written],
        update_conflicts=True,
        unique_fields=["session", "person"],
        update_fields=_SHEET_FIELDS,
    )
    _log_sheet(written, by=by)
    created = sum(1 for _record, old in written if old is None)
    return AttendanceResult(created=created, updated=len(written) - created, unchanged=unchanged)


def _log_sheet(written: list[tuple[Attendance, Attendance | None]], *, by: User | None) -> None:
    """The audit entries the per-row saves would have written, in one insert.

    ``bulk_create`` sends no signals, so auditlog would record nothing by itself. Each entry
    holds what the signal receivers store: the changed fields (all of them for a new row), who
    made the change, and the request's address and correlation id.
    """
    if not written or auditlog_disabled.get():
        return
    content_type = ContentType.objects.get_for_model(Attendance)
    request = auditlog_value.get({})
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    entries = []
    for record, old in written:
        if old is None:
            action, changes = (
                LogEntry.Action.CREATE,
                model_instance_diff(None, record, None, use_json),
            )
        else:
            action = LogEntry.Action.UPDATE
            changes = model_instance_diff(old, record, _SHEET_FIELDS, use_json)
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(record.pk),
                object_id=record.pk,
                object_repr=str(record),
                action=action,
                changes=changes,
                changes_text="",
                actor=by,
                actor_email=getattr(by, "email", None),
                remote_addr=request.get("remote_addr"),
                remote_port=request.get("remote_port"),
                cid=get_cid(),
            )
        )
    LogEntry.objects.bulk_create(entries)
