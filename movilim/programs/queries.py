"""Read paths that pages share. Each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from movilim.core.charts import Bar, BarChart
from movilim.core.formatting import DASH, choice_labels, hours_text, localized_name, url_for
from movilim.core.invitations import InvitationState, invitation_states
from movilim.people.models import (
    Gender,
    Organization,
    OrganizationKind,
    Person,
    ProfileType,
    Sector,
)

from .models import (
    MEMBER_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    CompositionTarget,
    Dimension,
    Enrollment,
    Session,
)

#: Hours a person earns from one attendance record: all of the session if present, the recorded
#: part if partly present, nothing otherwise. Computed in SQL so changing a session's length
#: re-credits everyone at once.
CREDITED_HOURS = Case(
    When(status=AttendanceStatus.PRESENT, then=F("session__hours")),
    When(status=AttendanceStatus.PARTIAL, then=F("partial_hours")),
    default=Value(Decimal(0)),
    output_field=DecimalField(max_digits=8, decimal_places=1),
)
ATTENDED = Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL])


# --- choices -------------------------------------------------------------------------------


def cohort_label(program_he: str, program_en: str, cohort_he: str, cohort_en: str) -> str:
    """ "Program – cohort", as ``str(cohort)`` gives it, from plain column values."""
    return f"{localized_name(program_he, program_en)} – {localized_name(cohort_he, cohort_en)}"


def cohort_choices(cohorts: QuerySet[Cohort]) -> list[tuple[int, str]]:
    """``(id, "program – cohort")`` pairs for drop-downs: one query, no model instances."""
    rows = cohorts.values_list("pk", "program__name_he", "program__name_en", "name_he", "name_en")
    return [(pk, cohort_label(*names)) for pk, *names in rows]


# --- people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortLink:
    label: str
    url: str
    status: str


@dataclass(frozen=True)
class PersonRow:
    """One person in the participant list, ready to show."""

    name: str
    url: str
    organization: str
    job_title: str
    cohorts: list[CohortLink]


#: Columns of ``Person`` rows that :func:`people_rows` turns into display rows.
PEOPLE_COLUMNS = (
    "pk",
    "user__first_name",
    "user__last_name",
    "user__email",
    "organization__name_he",
    "organization__name_en",
    "job_title",
)


def people_rows(
    people: Sequence[tuple[Any, ...]], enrollments: QuerySet[Enrollment]
) -> list[PersonRow]:
    """Display rows for one page of people (:data:`PEOPLE_COLUMNS` values), each with the
    cohorts of theirs that ``enrollments`` lets the reader see: one more query in all."""
    statuses = choice_labels(Enrollment, "status")
    links: dict[int, list[CohortLink]] = defaultdict(list)
    for person_id, cohort_id, status, *names in (
        enrollments.filter(person_id__in=[values[0] for values in people])
        .order_by("-cohort__start_date", "pk")
        .values_list(
            "person_id",
            "cohort_id",
            "status",
            "cohort__program__name_he",
            "cohort__program__name_en",
            "cohort__name_he",
            "cohort__name_en",
        )
    ):
        links[person_id].append(
            CohortLink(
                cohort_label(*names), url_for("programs:cohort", cohort_id), statuses[status]
            )
        )
    return [
        PersonRow(
            name=f"{first} {last}".strip() or email,
            url=url_for("programs:person", pk),
            organization=localized_name(org_he, org_en) if org_he else DASH,
            job_title=job_title or DASH,
            cohorts=links[pk],
        )
        for pk, first, last, email, org_he, org_en, job_title in people
    ]


# --- roster ----------------------------------------------------------------------------------


#: The columns lists of participants show or export; timestamps, passwords and long texts stay
#: in the database.
ROSTER_FIELDS = (
    "cohort_id",
    "status",
    "person__job_title",
    "person__profile_type",
    "person__gender",
    "person__minority",
    "person__phone",
    "person__user__first_name",
    "person__user__last_name",
    "person__user__email",
    "person__organization__name_he",
    "person__organization__name_en",
    "person__organization__kind",
)


@dataclass(frozen=True)
class RosterRow:
    """One participant in a cohort's list, ready to show."""

    enrollment_id: int
    person_id: int
    name: str
    organization: str
    job_title: str
    profile: str
    status: str
    status_label: str
    is_member: bool
    person_url: str
    status_url: str
    invitation: InvitationState | None = None  # for those who manage the cohort


def cohort_roster(cohort: Cohort, *, members_only: bool) -> list[RosterRow]:
    """The cohort's people as display rows: one query, no model instances.

    A cohort page lists every participant, so this path avoids what a hundred rows of model
    instances cost (object construction, choice-label lookups, URL reversals).
    """
    rows = cohort_enrollments(cohort, members_only=members_only).values_list(
        "pk",
        "person_id",
        "person__user__first_name",
        "person__user__last_name",
        "person__user__email",
        "person__organization__name_he",
        "person__organization__name_en",
        "person__job_title",
        "person__profile_type",
        "status",
        "person__user_id",
    )
    # Managers see whether each person has been invited: one more query, whatever the size.
    invitations = {} if members_only else invitation_states([row[-1] for row in rows])
    profiles = choice_labels(Person, "profile_type")
    statuses = choice_labels(Enrollment, "status")
    return [
        RosterRow(
            enrollment_id=pk,
            person_id=person_id,
            name=f"{first} {last}".strip() or email,
            organization=localized_name(org_he, org_en) if org_he else DASH,
            job_title=job_title or DASH,
            profile=profiles.get(profile, DASH),
            status=status,
            status_label=statuses.get(status, status),
            is_member=status in MEMBER_STATUSES,
            person_url=url_for("programs:person", person_id),
            status_url=url_for("programs:enrollment_status", pk),
            invitation=invitations.get(user_id),
        )
        for (
            pk,
            person_id,
            first,
            last,
            email,
            org_he,
            org_en,
            job_title,
            profile,
            status,
            user_id,
        ) in rows
    ]


def cohort_enrollments(cohort: Cohort, *, members_only: bool) -> QuerySet[Enrollment]:
    enrollments = (
        Enrollment.objects.filter(cohort=cohort)
        .select_related("person__user", "person__organization")
        .only(*ROSTER_FIELDS)
    )
    if members_only:
        enrollments = enrollments.filter(status__in=MEMBER_STATUSES)
    return enrollments.order_by("person__user__last_name", "person__user__first_name")


# --- composition ---------------------------------------------------------------------------


@dataclass
class CompositionRow:
    category: str
    label: str | Promise
    count: int
    share: float | None  # percent of the group's base
    target_min: Decimal | None = None
    target_max: Decimal | None = None

    @property
    def has_target(self) -> bool:
        return self.target_min is not None or self.target_max is not None

    @property
    def on_target(self) -> bool | None:
        if not self.has_target or self.share is None:
            return None
        low = float(self.target_min) if self.target_min is not None else 0.0
        high = float(self.target_max) if self.target_max is not None else 100.0
        return low <= self.share <= high


@dataclass
class CompositionGroup:
    dimension: str
    label: str | Promise
    base_label: str | Promise
    base: int
    rows: list[CompositionRow] = field(default_factory=list)


@dataclass
class Composition:
    total: int
    target_size: int
    groups: list[CompositionGroup]

    @property
    def targeted_rows(self) -> list[tuple[CompositionGroup, CompositionRow]]:
        return [(g, r) for g in self.groups for r in g.rows if r.has_target]

    def chart(self) -> BarChart:
        return BarChart(
            title=str(_("Cohort composition against its targets")),
            description=str(
                _(
                    "For each category with a target: the actual share of participants, and the "
                    "target range. The same figures are in the table below."
                )
            ),
            bars=[
                Bar(
                    label=f"{row.label}",
                    value=row.share or 0.0,
                    target_min=float(row.target_min) if row.target_min is not None else None,
                    target_max=float(row.target_max) if row.target_max is not None else None,
                    on_target=row.on_target,
                )
                for _group, row in self.targeted_rows
            ],
        )


NOT_STATED = _("Not stated")
UNKNOWN = "unknown"

#: The person's attribute each dimension reads, as a column of the grouped query below.
_COLUMNS = {
    "kind": "person__organization__kind",
    "profile": "person__profile_type",
    "gender": "person__gender",
    "minority": "person__minority",
}


def _categories() -> list[tuple[str, Any, Any, list[tuple[str, Any, frozenset[Any]]]]]:
    """Each dimension: what its shares are of, and its categories with the values they count.

    ``base`` names the categories of the sector dimension whose members make up the base of the
    shares (None: all participants); ministry types are shares of the government participants.
    """
    government = frozenset({OrganizationKind.GOV_HQ, OrganizationKind.GOV_EXECUTION})
    return [
        (
            Dimension.SECTOR,
            _("participants"),
            "kind",
            [
                (Sector.GOVERNMENT, Sector.GOVERNMENT.label, government),
                (Sector.LOCAL, Sector.LOCAL.label, frozenset({OrganizationKind.LOCAL_AUTHORITY})),
                (Sector.CIVIL, Sector.CIVIL.label, frozenset({OrganizationKind.CIVIL_SOCIETY})),
                (Sector.OTHER, Sector.OTHER.label, frozenset({OrganizationKind.OTHER})),
                (UNKNOWN, NOT_STATED, frozenset({None})),
            ],
        ),
        (
            Dimension.MINISTRY_TYPE,
            _("participants from government ministries"),
            "kind",
            [
                (
                    OrganizationKind.GOV_HQ,
                    _("HQ and regulation ministries"),
                    frozenset({OrganizationKind.GOV_HQ}),
                ),
                (
                    OrganizationKind.GOV_EXECUTION,
                    _("Execution ministries"),
                    frozenset({OrganizationKind.GOV_EXECUTION}),
                ),
            ],
        ),
        (
            Dimension.PROFILE,
            _("participants"),
            "profile",
            [(value, label, frozenset({value})) for value, label in ProfileType.choices]
            + [(UNKNOWN, NOT_STATED, frozenset({""}))],
        ),
        (
            Dimension.GENDER,
            _("participants"),
            "gender",
            [(value, label, frozenset({value})) for value, label in Gender.choices]
            + [(UNKNOWN, NOT_STATED, frozenset({""}))],
        ),
        (
            Dimension.MINORITY,
            _("participants"),
            "minority",
            [
                ("yes", _("Minority populations"), frozenset({True})),
                ("no", _("Not a minority population"), frozenset({False})),
                (UNKNOWN, NOT_STATED, frozenset({None})),
            ],
        ),
    ]


def cohort_composition(cohort: Cohort) -> Composition:
    """Shares of the cohort's members by sector, ministry type, profile, gender and minority.

    Two queries: the members counted by each combination of the four attributes (a few dozen
    rows at most, whatever the cohort's size), and the cohort's targets.
    """
    combinations = (
        Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES)
        .values_list(*_COLUMNS.values())
        .annotate(n=Count("pk"))
        .order_by()
    )
    tallies: dict[str, Counter[Any]] = {key: Counter() for key in _COLUMNS}
    total = 0
    for *values, n in combinations:
        total += n
        for key, value in zip(_COLUMNS, values, strict=True):
            tallies[key][value] += n
    targets = {
        (t.dimension, t.category): t for t in CompositionTarget.objects.filter(cohort=cohort)
    }
    government = (
        tallies["kind"][OrganizationKind.GOV_HQ] + tallies["kind"][OrganizationKind.GOV_EXECUTION]
    )
    groups: list[CompositionGroup] = []
    for dimension, base_label, column, categories in _categories():
        base = government if dimension == Dimension.MINISTRY_TYPE else total
        group = CompositionGroup(
            dimension=dimension, label=Dimension(dimension).label, base_label=base_label, base=base
        )
        for category, label, values in categories:
            count = sum(tallies[column][value] for value in values)
            target = targets.get((dimension, category))
            if category == UNKNOWN and count == 0 and target is None:
                continue
            group.rows.append(
                CompositionRow(
                    category=category,
                    label=label,
                    count=count,
                    share=(100.0 * count / base) if base else None,
                    target_min=target.min_percent if target else None,
                    target_max=target.max_percent if target else None,
                )
            )
        groups.append(group)
    return Composition(total=total, target_size=cohort.target_size, groups=groups)


# --- attendance and hours --------------------------------------------------------------------


def hours_by_person(
    cohort_ids: Iterable[int], person_ids: Iterable[int] | None = None, *, today: date
) -> dict[tuple[int, int], dict[str, Any]]:
    """``{(cohort_id, person_id): {"hours", "attended", "recorded"}}`` in one grouped query.

    Only sessions that have started by ``today`` count: hours of a session still to come are
    not earned, whatever a sheet recorded for it before the rule existed.
    """
    records = Attendance.objects.filter(
        session__cohort_id__in=list(cohort_ids), session__starts_on__lte=today
    )
    if person_ids is not None:
        records = records.filter(person_id__in=list(person_ids))
    rows = records.values("session__cohort_id", "person_id").annotate(
        hours=Sum(CREDITED_HOURS),
        attended=Count("pk", filter=ATTENDED),
        recorded=Count("pk"),
    )
    return {(row["session__cohort_id"], row["person_id"]): row for row in rows}


def cohort_scheduled_hours(cohort: Cohort) -> Decimal:
    """The hours of all the cohort's sessions, held or not: what its schedule asks of a member."""
    total = Session.objects.filter(cohort=cohort).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


@dataclass
class PersonHours:
    enrollment: Enrollment
    hours: Decimal
    attended: int
    target: int

    @property
    def share_of_target(self) -> float:
        return min(100.0, 100.0 * float(self.hours) / self.target) if self.target else 0.0

    @property
    def reached(self) -> bool:
        return self.hours >= self.target


@dataclass
class SessionTally:
    session: Session
    attended: int
    absent: int
    recorded: int

    @property
    def rate(self) -> float | None:
        return 100.0 * self.attended / self.recorded if self.recorded else None


@dataclass
class AttendanceSummary:
    people: list[PersonHours]
    sessions: list[SessionTally]
    scheduled_hours: Decimal
    held_hours: Decimal
    target: int

    @property
    def average_hours(self) -> Decimal | None:
        if not self.people:
            return None
        return sum((p.hours for p in self.people), Decimal(0)) / len(self.people)

    @property
    def reached_target(self) -> int:
        return sum(1 for p in self.people if p.reached)

    @property
    def over_target(self) -> bool:
        """More hours scheduled than the program asks for: worth a look, not an error."""
        return self.scheduled_hours > self.target


def cohort_sessions(cohort: Cohort) -> QuerySet[Session]:
    return (
        Session.objects.filter(cohort=cohort)
        .select_related("domain")
        .annotate(
            attended_count=Count(
                "attendances",
                filter=Q(
                    attendances__status__in=[AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL]
                ),
            ),
            absent_count=Count(
                "attendances",
                filter=Q(
                    attendances__status__in=[AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
                ),
            ),
            recorded_count=Count("attendances"),
        )
        .order_by("starts_on", "pk")
    )


def cohort_attendance(cohort: Cohort, *, today: date) -> AttendanceSummary:
    """Each member's hours against the program's target, and each session's turnout.

    Hours count sessions that have started by ``today`` (see :func:`hours_by_person`).
    """
    members = list(cohort_enrollments(cohort, members_only=True))
    hours = hours_by_person([cohort.pk], today=today)
    target = cohort.program.hours_target
    people = []
    for enrollment in members:
        row = hours.get((cohort.pk, enrollment.person_id), {})
        people.append(
            PersonHours(
                enrollment=enrollment,
                hours=row.get("hours") or Decimal(0),
                attended=row.get("attended", 0),
                target=target,
            )
        )
    sessions = list(cohort_sessions(cohort))
    return AttendanceSummary(
        people=people,
        sessions=[
            SessionTally(s, s.attended_count, s.absent_count, s.recorded_count)  # type: ignore[attr-defined]
            for s in sessions
        ],
        scheduled_hours=sum((s.hours for s in sessions), Decimal(0)),
        held_hours=sum((s.hours for s in sessions if s.has_started(today)), Decimal(0)),
        target=target,
    )


# --- exports -----------------------------------------------------------------------------------

#: Rows a cohort's export reads from the database at a time: memory stays flat at any size.
EXPORT_CHUNK = 2_000


def cohort_export_table(
    cohort: Cohort, *, sensitive: bool
) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and a lazy iterator of rows for a cohort's participant spreadsheet.

    Without ``sensitive`` only members are listed and contact and sensitive columns (e-mail,
    phone, gender, minority) are left out; the caller decides, and logs the access. Labels and
    names are fixed in the language active when this is called, so the rows may be read after
    the view has returned (a streamed download). One query, read in chunks.
    """
    headers = [
        str(_("First name")),
        str(_("Last name")),
        str(_("Organization")),
        str(_("Organization kind")),
        str(_("Job title")),
        str(_("Profile")),
        str(_("Status")),
    ]
    columns = [
        "person__user__first_name",
        "person__user__last_name",
        "person__organization__name_he",
        "person__organization__name_en",
        "person__organization__kind",
        "person__job_title",
        "person__profile_type",
        "status",
    ]
    if sensitive:
        headers += [
            str(_("E-mail")),
            str(_("Phone")),
            str(_("Gender")),
            str(_("Minority population")),
        ]
        columns += ["person__user__email", "person__phone", "person__gender", "person__minority"]
    enrollments = Enrollment.objects.filter(cohort=cohort)
    if not sensitive:
        enrollments = enrollments.filter(status__in=MEMBER_STATUSES)
    values = (
        enrollments.order_by("person__user__last_name", "person__user__first_name", "pk")
        .values_list(*columns)
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    english = translation.get_language() == "en"
    kinds = choice_labels(Organization, "kind")
    profiles = choice_labels(Person, "profile_type")
    statuses = choice_labels(Enrollment, "status")
    genders = choice_labels(Person, "gender")
    minority = {True: str(_("Yes")), False: str(_("No")), None: ""}

    def rows() -> Iterator[list[Any]]:
        for first, last, org_he, org_en, kind, job, profile, status, *private in values:
            row = [
                first,
                last,
                (org_en if english and org_en else org_he) or "",
                kinds.get(kind, kind or ""),
                job,
                profiles.get(profile, profile or ""),
                statuses.get(status, status),
            ]
            if private:
                email, phone, gender, is_minority = private
                row += [email, phone, genders.get(gender, gender or ""), minority[is_minority]]
            yield row

    return headers, rows()


# --- schedule and to-dos ---------------------------------------------------------------------


def sessions_for_cohorts(cohorts: QuerySet[Cohort]) -> QuerySet[Session]:
    return (
        Session.objects.filter(cohort__in=cohorts)
        .select_related("cohort__program", "domain")
        .annotate(has_attendance=Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    )


@dataclass(frozen=True)
class ScheduleRow:
    """One session in the schedule, ready to show."""

    title: str
    url: str
    location: str
    dates: str
    kind: str
    cohort: str
    cohort_url: str
    hours: str
    recorded: bool
    held: bool
    attendance_url: str | None  # only for those who may take it


SCHEDULE_COLUMNS = (
    "pk",
    "title",
    "location",
    "starts_on",
    "ends_on",
    "kind",
    "hours",
    "cohort_id",
    "cohort__name_he",
    "cohort__name_en",
    "cohort__program_id",
    "cohort__program__name_he",
    "cohort__program__name_en",
    "has_attendance",
)


def schedule_row_maker(
    *, today: date, managed_programs: set[int] | None
) -> Callable[[tuple[Any, ...]], ScheduleRow]:
    """Turns a row of :data:`SCHEDULE_COLUMNS` into a :class:`ScheduleRow`.

    ``managed_programs`` are the programs whose attendance the reader may take (None: all).
    """
    kinds = choice_labels(Session, "kind")

    def make(values: tuple[Any, ...]) -> ScheduleRow:
        (
            pk,
            title,
            location,
            starts_on,
            ends_on,
            kind,
            hours,
            cohort_id,
            cohort_he,
            cohort_en,
            program_id,
            program_he,
            program_en,
            recorded,
        ) = values
        dates = date_format(starts_on, "SHORT_DATE_FORMAT")
        if ends_on:
            dates = f"{dates} – {date_format(ends_on, 'SHORT_DATE_FORMAT')}"
        may_take = managed_programs is None or program_id in managed_programs
        return ScheduleRow(
            title=title,
            url=url_for("programs:session", pk),
            location=location,
            dates=dates,
            kind=kinds.get(kind, kind),
            cohort=cohort_label(program_he, program_en, cohort_he, cohort_en),
            cohort_url=url_for("programs:cohort", cohort_id),
            hours=hours_text(hours),
            recorded=recorded,
            held=starts_on <= today,
            attendance_url=url_for("programs:attendance", pk) if may_take else None,
        )

    return make


def sessions_missing_attendance(cohorts: QuerySet[Cohort], *, today: date) -> QuerySet[Session]:
    """Sessions already held for which nobody has recorded attendance yet."""
    return (
        sessions_for_cohorts(cohorts)
        .filter(starts_on__lt=today, has_attendance=False)  # type: ignore[misc]
        .order_by("-starts_on")
    )


def cohort_member_counts(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(
        member_count=Count("enrollments", filter=Q(enrollments__status__in=MEMBER_STATUSES))
    )


@dataclass
class ParticipantCohort:
    enrollment: Enrollment
    next_session: Session | None
    hours: Decimal
    target: int

    @property
    def share_of_target(self) -> float:
        return min(100.0, 100.0 * float(self.hours) / self.target) if self.target else 0.0


def participant_overview(person_id: int, *, today: date) -> list[ParticipantCohort]:
    """A participant's cohorts with their next session and hours so far: three queries."""
    enrollments = list(
        Enrollment.objects.filter(person_id=person_id, status__in=MEMBER_STATUSES)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )
    cohort_ids = [e.cohort_id for e in enrollments]
    upcoming: dict[int, Session] = {}
    for session in (
        Session.objects.filter(cohort_id__in=cohort_ids, starts_on__gte=today)
        .select_related("domain")
        .order_by("starts_on", "pk")
    ):
        upcoming.setdefault(session.cohort_id, session)
    hours = hours_by_person(cohort_ids, [person_id], today=today)
    return [
        ParticipantCohort(
            enrollment=e,
            next_session=upcoming.get(e.cohort_id),
            hours=hours.get((e.cohort_id, person_id), {}).get("hours") or Decimal(0),
            target=e.cohort.program.hours_target,
        )
        for e in enrollments
    ]
