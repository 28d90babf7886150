"""Changes to cohorts, enrollments, sessions and attendance. Each function is one transaction.

Callers check permissions first (``access``); these functions check the domain's own rules and
raise :class:`~movilim.core.errors.InvalidInput` with a sentence for the user when one is broken.
Writes that take many rows at once (the roster's actions) load only what the acting user may
manage, through the same policies. Every write is audited: through the models the audit log
watches, or, for set-based writes, with entries written alongside (``core.audit``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value, disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from movilim.core import audit
from movilim.core.bulk import insert_rows
from movilim.core.errors import InvalidInput
from movilim.core.models import User, user_label
from movilim.people.models import Person

from . import reminders
from .access import managed_cohorts
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
from .queries import latest_steps, roster_selection


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
    Someone enrolled as waitlisted takes the last place on the waiting list.
    """
    enrollment = Enrollment.objects.filter(cohort=cohort, person=person).first()
    if enrollment is not None:
        if status:
            enrollment_set_status(enrollment=enrollment, status=status, by=by)
        return enrollment, False
    status = status or EnrollmentStatus.ACTIVE
    place = next_waitlist_place(cohort.pk) if status == EnrollmentStatus.WAITLISTED else None
    enrollment = Enrollment.objects.create(
        cohort=cohort, person=person, status=status, waitlist_position=place
    )
    EnrollmentStatusChange.objects.create(enrollment=enrollment, to_status=status, changed_by=by)
    return enrollment, True


@transaction.atomic
def enrollment_set_status(
    *, enrollment: Enrollment, status: str, by: User | None, note: str = ""
) -> Enrollment:
    """Move an enrollment to a new status and keep the step in its history. No-op if unchanged.

    One enrollment through the same writer as the set-based changes (:func:`_change_status`),
    without their filling of the waiting list.
    """
    if status not in EnrollmentStatus.values:
        raise InvalidInput(_("Unknown enrollment status."))
    if enrollment.status == status:
        return enrollment
    _change_status(
        Enrollment.objects.filter(pk=enrollment.pk), status=status, by=by, note=note, fill=False
    )
    enrollment.refresh_from_db(fields=["status", "waitlist_position", "updated_at"])
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
    so both histories stay whole and attendance stays with the sessions it was taken at. A
    member who leaves frees a place, which the waiting list fills as after any withdrawal.

    One enrollment through the roster's set-based move (:func:`_move`)."""
    if cohort.program_id != enrollment.cohort.program_id or cohort.pk == enrollment.cohort_id:
        raise InvalidInput(_("Choose another cohort of the same program."))
    if Enrollment.objects.filter(cohort=cohort, person_id=enrollment.person_id).exists():
        raise InvalidInput(
            _("%(name)s is already enrolled in that cohort.")
            % {"name": enrollment.person.full_name}
        )
    _move(
        Enrollment.objects.filter(pk=enrollment.pk),
        source=enrollment.cohort,
        target=cohort,
        by=by,
        batch=uuid.uuid4(),
    )
    return Enrollment.objects.get(cohort=cohort, person_id=enrollment.person_id)


# --- statuses: one, several, or a whole filtered roster at once --------------------------------
#
# Every status change goes through ``_write_statuses``: one UPDATE per 5,000 enrollments, their
# history steps and audit entries each in one insert. Steps written by one action share a batch
# (a UUID), by which the action is undone as a whole.

#: Keys per statement when rows are changed by key: far below SQLite's 32,766 parameters and
#: PostgreSQL's 65,535, whatever the number of rows.
KEYS_PER_STATEMENT = 5_000

#: What the roster's action bar offers, and the status each action gives (a move keeps it).
ROSTER_ACTIONS: dict[str, str | None] = {
    "withdraw": EnrollmentStatus.WITHDREW,
    "graduate": EnrollmentStatus.GRADUATED,
    "waitlist": EnrollmentStatus.WAITLISTED,
    "move": None,
}

#: The waiting list's order: by place (see ``Enrollment.waitlist_position``), then by key, so
#: that people placed on the list together keep the order in which they were enrolled.
WAITLIST_ORDER = (F("waitlist_position").asc(nulls_last=True), "pk")


def _chunks(keys: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(keys), KEYS_PER_STATEMENT):
        yield keys[start : start + KEYS_PER_STATEMENT]


@dataclass(frozen=True)
class StatusResult:
    """What one status action did."""

    batch: uuid.UUID  # shared by its history steps: undo them together with this
    changed: int  # enrollments changed (or moved)
    unchanged: int  # chosen, but already in that status (or already in the target cohort)
    filled: int = 0  # people of the waiting list who took the places freed


class SelectionChanged(InvalidInput):
    """The people an action would apply to are no longer those its confirmation counted."""

    def __init__(self, count: int) -> None:
        super().__init__(
            ngettext(
                "The participants concerned changed after the confirmation was shown: now "
                "%(count)s matches. Check the number and confirm again.",
                "The participants concerned changed after the confirmation was shown: now "
                "%(count)s match. Check the number and confirm again.",
                count,
            )
            % {"count": count}
        )
        self.count = count


@dataclass(frozen=True)
class _Row:
    """An enrollment about to change, read (and locked) as plain values, not as an instance."""

    pk: int
    cohort_id: int
    person_id: int
    status: str
    place: int | None
    person_label: str  # what ``str(person)`` gives
    cohort_label: str  # what ``str(cohort)`` gives

    @property
    def label(self) -> str:
        """What ``str(enrollment)`` gives, which the audit log keeps with each entry."""
        return f"{self.person_label} – {self.cohort_label}"


def _locked_rows(enrollments: QuerySet[Enrollment]) -> list[_Row]:
    """The enrollments as :class:`_Row`, locked until the transaction ends (in key order, one
    order for every writer, so two writers cannot deadlock): two queries, whatever their number.
    """
    values = list(
        enrollments.select_for_update(of=("self",))
        .order_by("pk")
        .values_list(
            "pk",
            "cohort_id",
            "person_id",
            "status",
            "waitlist_position",
            "person__user__first_name",
            "person__user__last_name",
            "person__user__email",
        )
    )
    cohorts = {
        cohort.pk: str(cohort)
        for cohort in Cohort.objects.select_related("program").filter(
            pk__in={cohort_id for _pk, cohort_id, *_rest in values}
        )
    }
    return [
        _Row(
            pk,
            cohort_id,
            person_id,
            status,
            place,
            user_label(first, last, email),
            cohorts[cohort_id],
        )
        for pk, cohort_id, person_id, status, place, first, last, email in values
    ]


def next_waitlist_place(cohort_id: int) -> int:
    """The place after the last one of the cohort's waiting list as it stands."""
    last = Enrollment.objects.filter(
        cohort_id=cohort_id, status=EnrollmentStatus.WAITLISTED
    ).aggregate(last=Max("waitlist_position"))["last"]
    return (last or 0) + 1


def _write_statuses(
    rows: Sequence[_Row],
    *,
    status: str,
    by: User | None,
    note: str,
    batch: uuid.UUID | None,
    keep_place: bool = False,
) -> None:
    """Move these enrollments (read and locked by the caller, none already in ``status``) to
    ``status``, with a step each in their history and an entry each in the audit log.

    People placed on the waiting list go to its end, sharing one place (their keys order
    them), unless ``keep_place`` (an undo) and they had a place, which they get back.
    """
    if not rows:
        return
    now = timezone.now()
    places: dict[int, int | None] = {}
    if status == EnrollmentStatus.WAITLISTED:
        last: dict[int, int] = {}
        for row in rows:
            if keep_place and row.place is not None:
                places[row.pk] = row.place
            else:
                if row.cohort_id not in last:
                    last[row.cohort_id] = next_waitlist_place(row.cohort_id)
                places[row.pk] = last[row.cohort_id]
    groups: dict[int | None, list[int]] = {}
    for row in rows:
        groups.setdefault(places.get(row.pk), []).append(row.pk)
    for place, keys in groups.items():
        fields: dict[str, Any] = {"status": status, "updated_at": now}
        if place is not None:
            fields["waitlist_position"] = place
        for chunk in _chunks(keys):
            Enrollment.objects.filter(pk__in=chunk).update(**fields)
    insert_rows(
        EnrollmentStatusChange,
        [{"enrollment_id": row.pk, "from_status": row.status} for row in rows],
        common={
            "to_status": status,
            "note": note[:300],
            "changed_by_id": by.pk if by is not None else None,
            "batch": batch,
        },
    )

    def changes(row: _Row) -> dict[str, tuple[Any, Any]]:
        changed: dict[str, tuple[Any, Any]] = {"status": (row.status, status)}
        if row.pk in places and places[row.pk] != row.place:
            changed["waitlist_position"] = (row.place, places[row.pk])
        return changed

    audit.log_bulk(
        (audit.Entry(Enrollment, row.pk, row.label, audit.UPDATE, changes(row)) for row in rows),
        actor=by,
    )


def _check_count(rows: Sequence[_Row], expected: int | None) -> None:
    if expected is not None and len(rows) != expected:
        raise SelectionChanged(len(rows))


def _fill_freed(rows: Sequence[_Row], *, by: User | None, batch: uuid.UUID | None) -> int:
    """Fill the places that these members (now gone) freed, cohort by cohort."""
    freed: dict[int, int] = {}
    for row in rows:
        if row.status in MEMBER_STATUSES:
            freed[row.cohort_id] = freed.get(row.cohort_id, 0) + 1
    filled = 0
    for cohort in Cohort.objects.filter(pk__in=list(freed)).order_by("pk"):
        filled += waitlist_fill(cohort=cohort, places=freed[cohort.pk], by=by, batch=batch)
    return filled


def _change_status(
    enrollments: QuerySet[Enrollment],
    *,
    status: str,
    by: User | None,
    note: str = "",
    batch: uuid.UUID | None = None,
    fill: bool = True,
    expected: int | None = None,
) -> StatusResult:
    """Set ``status`` on these enrollments, those already in it left alone. Members who
    withdraw free places, filled from the waiting list (``fill``) in the same batch."""
    batch = batch or uuid.uuid4()
    rows = _locked_rows(enrollments)
    _check_count(rows, expected)
    changing = [row for row in rows if row.status != status]
    _write_statuses(changing, status=status, by=by, note=note, batch=batch)
    filled = 0
    if fill and status == EnrollmentStatus.WITHDREW:
        filled = _fill_freed(changing, by=by, batch=batch)
    return StatusResult(batch, len(changing), len(rows) - len(changing), filled)


def _move(
    enrollments: QuerySet[Enrollment],
    *,
    source: Cohort,
    target: Cohort,
    by: User,
    batch: uuid.UUID,
    note: str = "",
    expected: int | None = None,
) -> StatusResult:
    """Move these enrollments of ``source`` to ``target``, set-based (see
    :func:`enrollment_move` for what a move is). People already enrolled in ``target`` are left
    where they are, and counted as unchanged."""
    if (
        target.program_id != source.program_id
        or target.pk == source.pk
        or not managed_cohorts(by).filter(pk=target.pk).exists()
    ):
        raise InvalidInput(_("Choose another cohort of the same program."))
    rows = _locked_rows(enrollments)
    _check_count(rows, expected)
    there = set(
        Enrollment.objects.filter(
            cohort=target, person_id__in=enrollments.values("person_id")
        ).values_list("person_id", flat=True)
    )
    moving = [row for row in rows if row.person_id not in there]
    place = next_waitlist_place(target.pk)
    # Another writer may enroll one of them in the target meanwhile: that person stays put.
    inserted = insert_rows(
        Enrollment,
        [
            {
                "person_id": row.person_id,
                "status": row.status,
                "waitlist_position": place if row.status == EnrollmentStatus.WAITLISTED else None,
            }
            for row in moving
        ],
        common={"cohort_id": target.pk},
        returning="person_id",
        ignore_conflicts=True,
    )
    moving = [row for row in moving if row.person_id in inserted]
    by_pk = by.pk if by is not None else None
    insert_rows(
        EnrollmentStatusChange,
        [{"enrollment_id": inserted[row.person_id], "to_status": row.status} for row in moving],
        common={
            "note": str(_("Moved from %(cohort)s") % {"cohort": source.name})[:300],
            "changed_by_id": by_pk,
            "batch": batch,
        },
    )
    target_label = str(target)
    audit.log_bulk(
        (
            audit.Entry(
                Enrollment,
                inserted[row.person_id],
                f"{row.person_label} – {target_label}",
                audit.CREATE,
                audit.creation_changes(
                    {"cohort": target.pk, "person": row.person_id, "status": row.status}
                ),
            )
            for row in moving
        ),
        actor=by,
    )
    moved_to = str(_("Moved to %(cohort)s") % {"cohort": target.name})
    _write_statuses(
        moving,
        status=EnrollmentStatus.WITHDREW,
        by=by,
        note=" – ".join(part for part in (moved_to, note) if part),
        batch=batch,
    )
    filled = _fill_freed(moving, by=by, batch=batch)
    return StatusResult(batch, len(moving), len(rows) - len(moving), filled)


@transaction.atomic
def roster_change(
    *,
    cohort: Cohort,
    by: User,
    action: str,
    picked: Sequence[int] | None = None,
    query: Mapping[str, str] | None = None,
    note: str = "",
    target: Cohort | None = None,
    expected: int | None = None,
) -> StatusResult:
    """Apply one of :data:`ROSTER_ACTIONS` to members of ``cohort``: those ticked (``picked``),
    or, when ``picked`` is None, all those the roster's search and filter (``query``) let
    through, however many, without listing them anywhere.

    Only enrollments ``by`` may manage are loaded (``queries.roster_selection``). Set-based: a
    fixed number of statements per 5,000 people. ``expected`` is the number the confirmation
    stated: if the people concerned are not as many any more, nothing is written and
    :class:`SelectionChanged` says how many they are now. Sent twice, the second call changes
    nothing (people already in the status are left alone); callers still guard against a double
    submission with ``core.forms.submit_once``, so that the user lands on the first result.
    """
    if action not in ROSTER_ACTIONS:
        raise InvalidInput(_("Choose one of the listed actions."))
    selection = roster_selection(
        cohort, managed=managed_cohorts(by), picked=picked, query=query or {}
    )
    batch = uuid.uuid4()
    status = ROSTER_ACTIONS[action]
    if status is None:
        if target is None:
            raise InvalidInput(_("Choose the cohort to move them to."))
        return _move(
            selection,
            source=cohort,
            target=target,
            by=by,
            batch=batch,
            note=note,
            expected=expected,
        )
    return _change_status(
        selection, status=status, by=by, note=note, batch=batch, expected=expected
    )


@transaction.atomic
def enrollments_set_status(
    *, enrollments: Sequence[Enrollment], status: str, by: User, note: str = ""
) -> StatusResult:
    """Change some enrollments of one cohort (a participant's status form): each step is kept
    in the history, and a member who withdraws frees a place for the waiting list, as on the
    roster. The given instances are left with their new status."""
    if status not in EnrollmentStatus.values:
        raise InvalidInput(_("Unknown enrollment status."))
    if len({e.cohort_id for e in enrollments}) > 1:
        raise InvalidInput(_("Choose participants of one cohort."))
    result = _change_status(
        Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]),
        status=status,
        by=by,
        note=note,
    )
    for enrollment in enrollments:
        enrollment.status = status
    return result


# --- the waiting list ------------------------------------------------------------------------


def waitlist(cohort: Cohort) -> list[Enrollment]:
    """The cohort's waiting list in order (see :data:`WAITLIST_ORDER`), each with the date they
    were last placed on it (``waitlisted_at``)."""
    return list(
        Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.WAITLISTED)
        .select_related("person__user")
        .annotate(
            waitlisted_at=Max(
                "history__changed_at", filter=Q(history__to_status=EnrollmentStatus.WAITLISTED)
            )
        )
        .order_by(*WAITLIST_ORDER)
    )


@transaction.atomic
def waitlist_fill(
    *, cohort: Cohort, places: int, by: User | None, batch: uuid.UUID | None = None
) -> int:
    """Make up to ``places`` people of the waiting list active, first in its order first, while
    the cohort is below its target size; returns how many."""
    members = Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES).count()
    room = min(places, cohort.target_size - members)
    if room <= 0:
        return 0
    first = list(
        Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.WAITLISTED)
        .order_by(*WAITLIST_ORDER)
        .values_list("pk", flat=True)[:room]
    )
    rows = _locked_rows(Enrollment.objects.filter(pk__in=first, status=EnrollmentStatus.WAITLISTED))
    _write_statuses(
        rows,
        status=EnrollmentStatus.ACTIVE,
        by=by,
        note=str(_("Took a place freed on the waiting list")),
        batch=batch,
    )
    if rows:
        reminders.waitlist_places(
            cohort, [row.person_id for row in rows], about=str(batch or uuid.uuid4())
        )
    return len(rows)


@transaction.atomic
def waitlist_move(
    *, cohort: Cohort, enrollment_id: int, by: User, place: int | None = None, step: int = 0
) -> int:
    """Put a waitlisted person at ``place`` (1 is first) of the cohort's waiting list, or
    ``step`` places later (a negative step: earlier); the others keep their order. Returns the
    place they now hold.

    The list is locked and renumbered 1, 2, 3… as it stands; only places that change are
    written (and audited). Places past either end mean that end.
    """
    rows = _locked_rows(
        Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.WAITLISTED)
    )
    rows.sort(key=lambda row: (row.place is None, row.place or 0, row.pk))
    index = next((i for i, row in enumerate(rows) if row.pk == enrollment_id), None)
    if index is None:
        raise InvalidInput(_("This person is no longer on the waiting list."))
    wanted = place if place is not None else index + 1 + step
    wanted = max(1, min(wanted, len(rows)))
    rows.insert(wanted - 1, rows.pop(index))
    renumbered = [(row, n) for n, row in enumerate(rows, start=1) if row.place != n]
    Enrollment.objects.bulk_update(
        [Enrollment(pk=row.pk, waitlist_position=n) for row, n in renumbered],
        ["waitlist_position"],
        batch_size=500,
    )
    audit.log_bulk(
        (
            audit.Entry(
                Enrollment, row.pk, row.label, audit.UPDATE, {"waitlist_position": (row.place, n)}
            )
            for row, n in renumbered
        ),
        actor=by,
    )
    return wanted


# --- undoing ---------------------------------------------------------------------------------


def _undo(steps: QuerySet[EnrollmentStatusChange], *, by: User, remove_created: bool) -> int:
    """Undo these steps of the status history, each only while it is its enrollment's latest:
    the enrollment goes back to the step's previous status, as a new step (the history keeps
    both), and back to its former place if that was the waiting list. A first step (the
    enrollment itself) is undone only with ``remove_created``, by deleting an enrollment that
    a move created, unless attendance was taken for it or a certificate issued. Returns how
    many steps were undone."""
    # The enrollments are locked first, so that the latest steps read below stay the latest.
    rows = {
        row.pk: row
        for row in _locked_rows(Enrollment.objects.filter(pk__in=steps.values("enrollment_id")))
    }
    latest = list(latest_steps(steps).values_list("enrollment_id", "from_status", "to_status"))
    back: dict[str, list[_Row]] = {}
    created: list[int] = []
    for enrollment_id, from_status, to_status in latest:
        row = rows.get(enrollment_id)
        if row is None or row.status != to_status:
            continue  # changed by other means than the history (the admin site)
        if from_status:
            back.setdefault(from_status, []).append(row)
        elif remove_created:
            created.append(enrollment_id)
    batch = uuid.uuid4()
    undone = 0
    for status, group in back.items():
        _write_statuses(
            group, status=status, by=by, note=str(_("Undone")), batch=batch, keep_place=True
        )
        undone += len(group)
    # Members sent back to the waiting list lose a place they may have been told was theirs.
    returned: dict[int, list[int]] = {}
    for row in back.get(EnrollmentStatus.WAITLISTED, []):
        if row.status in MEMBER_STATUSES:
            returned.setdefault(row.cohort_id, []).append(row.person_id)
    for cohort in Cohort.objects.filter(pk__in=list(returned)).order_by("pk"):
        reminders.waitlist_places_undone(cohort, returned[cohort.pk], about=str(batch))
    if created:
        undone += _remove_moved_in([rows[pk] for pk in created], by=by)
    return undone


def _remove_moved_in(rows: Sequence[_Row], *, by: User) -> int:
    """Delete enrollments that a move created (undoing it), with their history, set-based:
    one DELETE per table and 5,000 rows, and the audit entries in one insert (the audit log's
    own would write one row at a time). Those with attendance taken in their cohort, or a
    certificate, stay. Returns how many went."""
    attended = Attendance.objects.filter(
        person_id=OuterRef("person_id"), session__cohort_id=OuterRef("cohort_id")
    )
    gone: set[int] = set()
    for chunk in _chunks([row.pk for row in rows]):
        removable = list(
            Enrollment.objects.filter(pk__in=chunk, certificate__isnull=True)
            .exclude(Exists(attended))
            .values_list("pk", flat=True)
        )
        EnrollmentStatusChange.objects.filter(enrollment_id__in=removable).delete()
        with disable_auditlog():
            Enrollment.objects.filter(pk__in=removable).delete()
        gone.update(removable)
    audit.log_bulk(
        (
            audit.Entry(
                Enrollment,
                row.pk,
                row.label,
                LogEntry.Action.DELETE,
                {
                    "cohort": (row.cohort_id, None),
                    "person": (row.person_id, None),
                    "status": (row.status, None),
                },
            )
            for row in rows
            if row.pk in gone
        ),
        actor=by,
    )
    return len(gone)


@transaction.atomic
def enrollment_changes_undo(*, changes: QuerySet[EnrollmentStatusChange], by: User) -> int:
    """Undo single steps of the status history (see :func:`_undo`); an enrollment's first step
    cannot be undone this way. Returns how many were undone."""
    return _undo(changes, by=by, remove_created=False)


@transaction.atomic
def status_batch_undo(*, cohort: Cohort, batch: uuid.UUID, by: User) -> int:
    """Undo a whole action on ``cohort``'s roster at once: every step of ``batch`` still its
    enrollment's latest, in the cohorts of the program that ``by`` manages. A move is undone
    whole: the old enrollments come back and the new ones go. Returns how many steps."""
    steps = EnrollmentStatusChange.objects.filter(
        batch=batch,
        enrollment__cohort__program_id=cohort.program_id,
        enrollment__cohort__in=managed_cohorts(by),
    )
    if not steps.filter(enrollment__cohort=cohort).exists():
        return 0
    return _undo(steps, by=by, remove_created=True)
