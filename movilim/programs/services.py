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
from django.utils import timezone
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
    if session.is_cancelled:
        raise InvalidInput(_("The session is cancelled: it takes no attendance."))
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


# --- setting programs and cohorts up ---------------------------------------------------------


@dataclass(frozen=True)
class TargetSpec:
    """One wished-for share of a cohort, as the cohort form gives it."""

    dimension: str
    category: str
    min_percent: Decimal | None
    max_percent: Decimal | None


def _model_checked(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error


@transaction.atomic
def program_save(*, program: Program | None, **fields: Any) -> Program:
    """Create a program (``program`` None) or change one; the model's rules apply."""
    if program is None:
        program = Program(**fields)
        _model_checked(program)
        program.save()
        return program
    for name, value in fields.items():
        setattr(program, name, value)
    _model_checked(program)
    program.save(update_fields=[*fields, "updated_at"])
    return program


def targets_problems(targets: list[TargetSpec]) -> list[str]:
    """Why these targets could not all be met together, one sentence each (empty: they can).

    Within a dimension the categories split one whole, so their minimums together may not pass
    100%, and when every category has a maximum those together must reach 100%.
    """
    from .models import Dimension, dimension_categories

    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    by_dimension: dict[str, list[TargetSpec]] = {}
    for target in targets:
        if (target.dimension, target.category) in seen:
            problems.append(_("The same category is given twice."))
        seen.add((target.dimension, target.category))
        by_dimension.setdefault(target.dimension, []).append(target)
        low, high = target.min_percent, target.max_percent
        if low is None and high is None:
            problems.append(_("Give at least one bound: a minimum, a maximum or both."))
        if low is not None and high is not None and low > high:
            problems.append(_("The minimum cannot be more than the maximum."))
    for dimension, given in by_dimension.items():
        label = Dimension(dimension).label if dimension in Dimension.values else dimension
        lows = sum((t.min_percent or Decimal(0) for t in given), Decimal(0))
        if lows > 100:
            problems.append(
                _(
                    "%(dimension)s: the minimums add up to %(total)s%%, more than 100%%, so "
                    "they cannot all be met."
                )
                % {"dimension": label, "total": lows.normalize()}
            )
        categories = set(dimension_categories(dimension))
        capped = {t.category for t in given if t.max_percent is not None}
        highs = sum((t.max_percent or Decimal(0) for t in given), Decimal(0))
        if categories and categories <= capped and highs < 100:
            problems.append(
                _(
                    "%(dimension)s: every category has a maximum and they add up to only "
                    "%(total)s%%, less than 100%%, so they cannot all be met."
                )
                % {"dimension": label, "total": highs.normalize()}
            )
    return problems


def _replace_targets(cohort: Cohort, targets: list[TargetSpec]) -> None:
    from .models import CompositionTarget

    problems = targets_problems(targets)
    if problems:
        raise InvalidInput(" ".join(str(p) for p in problems))
    rows = [
        CompositionTarget(
            cohort=cohort,
            dimension=t.dimension,
            category=t.category,
            min_percent=t.min_percent,
            max_percent=t.max_percent,
        )
        for t in targets
    ]
    for row in rows:
        _model_checked(row, exclude=["cohort"])
    wanted = {(t.dimension, t.category): t for t in targets}
    for old in CompositionTarget.objects.filter(cohort=cohort):
        new = wanted.pop((old.dimension, old.category), None)
        if new is None:
            old.delete()
        elif (old.min_percent, old.max_percent) != (new.min_percent, new.max_percent):
            old.min_percent, old.max_percent = new.min_percent, new.max_percent
            old.save(update_fields=["min_percent", "max_percent"])
    for row in rows:
        if (row.dimension, row.category) in wanted:
            row.save()


@transaction.atomic
def cohort_save(
    *,
    cohort: Cohort | None,
    program: Program,
    targets: list[TargetSpec] | None = None,
    **fields: Any,
) -> Cohort:
    """Create a cohort of ``program`` or change one, with its composition targets (``targets``
    replaces them all; None leaves them as they are). Dates in order, a unique name, and
    targets that can all be met together."""
    if cohort is None:
        cohort = Cohort(program=program, **fields)
        _model_checked(cohort)
        cohort.save()
    else:
        for name, value in fields.items():
            setattr(cohort, name, value)
        _model_checked(cohort)
        outside = Session.objects.filter(cohort=cohort).exclude(
            starts_on__gte=cohort.start_date, starts_on__lte=cohort.end_date
        )
        if outside.exists():
            raise InvalidInput(
                _(
                    "Some of the cohort's sessions would fall outside these dates. Move them "
                    "first, or choose dates that include them."
                )
            )
        cohort.save(update_fields=[*fields, "updated_at"])
    if targets is not None:
        _replace_targets(cohort, targets)
    return cohort


@dataclass(frozen=True)
class CopyResult:
    targets: int
    sessions: int
    skipped: int  # sessions that would fall outside the new cohort's dates


@transaction.atomic
def cohort_copy_plan(*, source: Cohort, cohort: Cohort) -> CopyResult:
    """Copy ``source``'s composition targets and session plan into ``cohort``.

    Sessions keep their distance from the cohort's start: each moves by the difference between
    the two start dates. Cancelled sessions are not copied, nor those that would fall outside
    the new cohort's dates. Targets replace the cohort's own.
    """
    if source.program_id != cohort.program_id or source.pk == cohort.pk:
        raise InvalidInput(_("Choose another cohort of the same program."))
    _replace_targets(
        cohort,
        [
            TargetSpec(t.dimension, t.category, t.min_percent, t.max_percent)
            for t in source.targets.all()  # type: ignore[attr-defined]
        ],
    )
    shift = cohort.start_date - source.start_date
    copied = skipped = 0
    for session in Session.objects.filter(cohort=source, cancelled_at__isnull=True):
        starts_on = session.starts_on + shift
        ends_on = session.ends_on + shift if session.ends_on else None
        if starts_on < cohort.start_date or (ends_on or starts_on) > cohort.end_date:
            skipped += 1
            continue
        Session.objects.create(
            cohort=cohort,
            kind=session.kind,
            title=session.title,
            title_en=session.title_en,
            starts_on=starts_on,
            ends_on=ends_on,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            hours=session.hours,
            location=session.location,
            domain=session.domain,
            description=session.description,
        )
        copied += 1
    return CopyResult(targets=source.targets.count(), sessions=copied, skipped=skipped)  # type: ignore[attr-defined]


# --- sessions: cancelling and deleting -------------------------------------------------------


@transaction.atomic
def session_cancel(*, session: Session, reason: str) -> Session:
    """Mark a session cancelled: it stays on the schedule (calendars learn of it) but earns no
    hours and takes no attendance."""
    if session.cancelled_at is None:
        session.cancelled_at = timezone.now()
        session.cancel_reason = reason
        session.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    return session


@transaction.atomic
def session_restore(*, session: Session) -> Session:
    """Undo a cancellation."""
    if session.cancelled_at is not None:
        session.cancelled_at = None
        session.cancel_reason = ""
        session.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Remove a session created by mistake; one with attendance recorded is kept (cancel it)."""
    locked = Session.objects.select_for_update().filter(pk=session.pk)
    if not locked.exists():
        return
    if Attendance.objects.filter(session=session).exists():
        raise InvalidInput(
            _(
                "This session has attendance recorded, so it cannot be deleted. Cancel it "
                "instead: it stays on the record and earns no hours."
            )
        )
    session.delete()


# --- participants ----------------------------------------------------------------------------


@transaction.atomic
def participant_add(
    *,
    cohort: Cohort,
    by: User,
    person: Person | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    status: str = EnrollmentStatus.ACTIVE,
    **profile: Any,
) -> tuple[Enrollment, bool]:
    """Enroll an existing ``person``, or create one from the e-mail and names and enroll them.

    The import's rules about whom one may change apply: a staff account is never enrolled this
    way, and a person outside ``by``'s programs is not enrolled as a side effect (that would
    open their profile to ``by``); a site administrator may. Returns ``(enrollment, created)``
    where ``created`` says whether the person is new.
    """
    from movilim.people import services as people_services

    from .imports import _staff_user_ids, editable_people

    created = False
    if person is None:
        email = email.strip().lower()
        existing = Person.objects.select_related("user").filter(user__email=email).first()
        if existing is None:
            if User.objects.filter(email=email).exists():
                raise InvalidInput(
                    _(
                        "%(email)s belongs to an account without a profile; ask a site "
                        "administrator."
                    )
                    % {"email": email}
                )
            person, created = people_services.person_upsert(
                email=email, first_name=first_name, last_name=last_name, **profile
            )
        else:
            person = existing
    if not created:
        if _staff_user_ids([person.user]):
            raise InvalidInput(
                _("%(email)s belongs to a staff account, which is not enrolled as a participant.")
                % {"email": person.user.email}
            )
        if not editable_people(by, [person.pk]):
            raise InvalidInput(
                _(
                    "%(email)s belongs to someone outside your programs, whom you may not "
                    "enroll. Ask a site administrator."
                )
                % {"email": person.user.email}
            )
    if Enrollment.objects.filter(cohort=cohort, person=person).exists():
        raise InvalidInput(
            _("%(name)s is already enrolled in this cohort.") % {"name": person.full_name}
        )
    enrollment, _new = enrollment_add(cohort=cohort, person=person, status=status, by=by)
    return enrollment, created


@transaction.atomic
def enrollment_move(*, enrollment: Enrollment, cohort: Cohort, by: User) -> Enrollment:
    """Move a participant to another cohort of the same program: the old enrollment ends as
    withdrawn (with a note naming the new cohort) and a new one starts with the same status,
    so both histories stay whole and attendance stays with the sessions it was taken at."""
    if cohort.program_id != enrollment.cohort.program_id or cohort.pk == enrollment.cohort_id:
        raise InvalidInput(_("Choose another cohort of the same program."))
    if Enrollment.objects.filter(cohort=cohort, person_id=enrollment.person_id).exists():
        raise InvalidInput(
            _("%(name)s is already enrolled in that cohort.")
            % {"name": enrollment.person.full_name}
        )
    status = enrollment.status
    new, _created = enrollment_add(cohort=cohort, person=enrollment.person, status=status, by=by)
    enrollment_set_status(
        enrollment=enrollment,
        status=EnrollmentStatus.WITHDREW,
        by=by,
        note=str(_("Moved to %(cohort)s") % {"cohort": cohort.name})[:300],
    )
    return new


def waitlist(cohort: Cohort) -> list[Enrollment]:
    """The cohort's waiting list in order: first placed on it, first served."""
    from django.db.models import Max, Q

    return list(
        Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.WAITLISTED)
        .select_related("person__user")
        .annotate(
            waitlisted_at=Max(
                "history__changed_at", filter=Q(history__to_status=EnrollmentStatus.WAITLISTED)
            )
        )
        .order_by("waitlisted_at", "pk")
    )


@transaction.atomic
def enrollments_set_status(
    *, enrollments: list[Enrollment], status: str, by: User, note: str = ""
) -> list[EnrollmentStatusChange]:
    """Change many enrollments of one cohort at once; each step is kept in the history.

    A member who withdraws frees a place: while the cohort is below its target size, the next
    person on the waiting list becomes active in their stead, recorded in the history too.
    Returns the steps written, so that they can be undone together.
    """
    if status not in EnrollmentStatus.values:
        raise InvalidInput(_("Unknown enrollment status."))
    cohorts = {e.cohort_id for e in enrollments}
    if len(cohorts) > 1:
        raise InvalidInput(_("Choose participants of one cohort."))
    steps: list[EnrollmentStatusChange] = []
    freed = 0
    for enrollment in sorted(enrollments, key=lambda e: e.pk):
        if enrollment.status == status:
            continue
        was_member = enrollment.status in MEMBER_STATUSES
        enrollment_set_status(enrollment=enrollment, status=status, by=by, note=note)
        steps.append(enrollment.history.latest("changed_at", "pk"))  # type: ignore[attr-defined]
        if was_member and status == EnrollmentStatus.WITHDREW:
            freed += 1
    if freed:
        steps += waitlist_fill(cohort=enrollments[0].cohort, places=freed, by=by)
    return steps


@transaction.atomic
def waitlist_fill(*, cohort: Cohort, places: int, by: User | None) -> list[EnrollmentStatusChange]:
    """Make up to ``places`` people of the waiting list active, in its order, while the cohort
    is below its target size."""
    members = Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES).count()
    room = min(places, cohort.target_size - members)
    steps: list[EnrollmentStatusChange] = []
    for enrollment in waitlist(cohort)[: max(room, 0)]:
        enrollment_set_status(
            enrollment=enrollment,
            status=EnrollmentStatus.ACTIVE,
            by=by,
            note=str(_("Took a place freed on the waiting list")),
        )
        steps.append(enrollment.history.latest("changed_at", "pk"))  # type: ignore[attr-defined]
    return steps


@transaction.atomic
def enrollment_changes_undo(*, changes: list[EnrollmentStatusChange], by: User) -> int:
    """Undo steps of the status history: each enrollment goes back to its previous status, as a
    new step (the history keeps both). A step is undone only while it is the enrollment's
    latest; the first step (the enrollment itself) cannot be undone this way. Returns how many
    were undone."""
    undone = 0
    for change in sorted(changes, key=lambda c: (c.changed_at, c.pk), reverse=True):
        enrollment = Enrollment.objects.select_for_update().get(pk=change.enrollment_id)
        latest = enrollment.history.latest("changed_at", "pk")  # type: ignore[attr-defined]
        if latest.pk != change.pk or not change.from_status:
            continue
        enrollment_set_status(
            enrollment=enrollment,
            status=change.from_status,
            by=by,
            note=str(_("Undone")),
        )
        undone += 1
    return undone
