"""Reads for the dashboards: pace against the hours target, turnout, composition off target, and
the steering committee's aggregates under disclosure control.

**Pace.** A member is on pace when the hours they have earned keep up with the hours held so
far, scaled to what the program asks of them: ``expected = held × min(1, target / scheduled)``,
where ``held`` is the hours of the cohort's sessions that have started and whose attendance is
recorded (cancelled ones excepted) and ``scheduled`` the hours of all its sessions that are not
cancelled. A cohort that
schedules 250 hours for a target of 200 expects 80% of what has been held; one that schedules
less than its target expects every hour. A member is *behind* when their hours are below
:data:`PACE_TOLERANCE` of the expected hours (one missed short meeting is not yet a warning).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from movilim.core.charts import Bar, BarChart
from movilim.core.disclosure import figure_or_none, hidden_parts, suppress_table
from movilim.core.formatting import url_for
from movilim.core.roles import StaffRole

from .facts import MANAGING, request_facts
from .models import (
    MEMBER_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    Dimension,
    Enrollment,
    Session,
)
from .queries import ATTENDED, CREDITED_HOURS, Composition, CompositionGroup, cohort_composition

#: Share of the expected hours below which a member counts as behind.
PACE_TOLERANCE = Decimal("0.9")
#: Dimensions whose figures are personal attributes: suppressed for readers of aggregates.
PERSONAL_DIMENSIONS = (Dimension.GENDER, Dimension.MINORITY)
#: The most names a dashboard lists as behind pace (the count covers them all).
BEHIND_LIST_LIMIT = 50


@dataclass(frozen=True)
class Pace:
    held: Decimal
    scheduled: Decimal
    target: int

    @property
    def expected(self) -> Decimal:
        """Hours a member should have earned by now (see the module's docstring)."""
        if self.scheduled <= 0:
            return Decimal(0)
        share = min(Decimal(1), Decimal(self.target) / self.scheduled)
        return (self.held * share).quantize(Decimal("0.1"))

    def behind(self, hours: Decimal) -> bool:
        expected = self.expected
        return expected > 0 and hours < expected * PACE_TOLERANCE


def _live_sessions() -> QuerySet[Session]:
    return Session.objects.filter(cancelled_at__isnull=True)


def session_hours(cohort_ids: Iterable[int], *, today: date) -> dict[int, tuple[Decimal, Decimal]]:
    """``{cohort_id: (held, scheduled)}`` hours of sessions not cancelled: one query.

    A session counts as held once it has started and its attendance has been recorded: until
    then nobody's hours for it are known, and nobody should read as behind for it.
    """
    held: dict[int, Decimal] = defaultdict(Decimal)
    scheduled: dict[int, Decimal] = defaultdict(Decimal)
    for cohort_id, starts_on, hours, recorded in (
        _live_sessions()
        .filter(cohort_id__in=list(cohort_ids))
        .annotate(recorded=Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .values_list("cohort_id", "starts_on", "hours", "recorded")
    ):
        scheduled[cohort_id] += hours
        if starts_on <= today and recorded:
            held[cohort_id] += hours
    return {pk: (held[pk], scheduled[pk]) for pk in scheduled}


def cohort_pace(cohort: Cohort, *, today: date) -> Pace:
    held, scheduled = session_hours([cohort.pk], today=today).get(
        cohort.pk, (Decimal(0), Decimal(0))
    )
    return Pace(held=held, scheduled=scheduled, target=cohort.program.hours_target)


def earned_hours(
    cohort_ids: Iterable[int], *, today: date, person_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], dict[str, Any]]:
    """``{(cohort_id, person_id): {"hours", "attended", "recorded"}}`` from sessions held and
    not cancelled: one grouped query."""
    records = Attendance.objects.filter(
        session__cohort_id__in=list(cohort_ids),
        session__starts_on__lte=today,
        session__cancelled_at__isnull=True,
    )
    if person_ids is not None:
        records = records.filter(person_id__in=list(person_ids))
    rows = records.values("session__cohort_id", "person_id").annotate(
        hours=Sum(CREDITED_HOURS), attended=Count("pk", filter=ATTENDED), recorded=Count("pk")
    )
    return {(row["session__cohort_id"], row["person_id"]): row for row in rows}


@dataclass(frozen=True)
class BehindRow:
    name: str
    url: str
    hours: Decimal
    expected: Decimal


def behind_pace(
    cohort: Cohort, *, today: date, pace: Pace | None = None
) -> tuple[int, list[BehindRow]]:
    """How many members are behind pace, and the furthest behind of them (at most
    :data:`BEHIND_LIST_LIMIT`): two queries."""
    pace = pace or cohort_pace(cohort, today=today)
    if pace.expected <= 0:
        return 0, []
    hours = earned_hours([cohort.pk], today=today)
    rows = []
    for person_id, first, last, email in Enrollment.objects.filter(
        cohort=cohort, status__in=MEMBER_STATUSES
    ).values_list(
        "person_id", "person__user__first_name", "person__user__last_name", "person__user__email"
    ):
        earned = (hours.get((cohort.pk, person_id)) or {}).get("hours") or Decimal(0)
        if pace.behind(earned):
            rows.append(
                BehindRow(
                    name=f"{first} {last}".strip() or email,
                    url=url_for("programs:person", person_id),
                    hours=earned,
                    expected=pace.expected,
                )
            )
    rows.sort(key=lambda row: (row.hours, row.name))
    return len(rows), rows[:BEHIND_LIST_LIMIT]


def missing_attendance(cohort_ids: Iterable[int], *, today: date) -> QuerySet[Session]:
    """Sessions held (started before today), not cancelled, without any attendance recorded."""
    return (
        _live_sessions()
        .filter(cohort_id__in=list(cohort_ids), starts_on__lt=today)
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .select_related("cohort__program")
        .order_by("-starts_on", "pk")
    )


def session_turnout_chart(cohort: Cohort, *, today: date) -> BarChart:
    """Each held session's attendance rate (attended of those recorded): one query."""
    sessions = (
        _live_sessions()
        .filter(cohort=cohort, starts_on__lte=today)
        .annotate(
            attended=Count("attendances", filter=_attended("attendances__")),
            recorded=Count("attendances"),
        )
        .order_by("starts_on", "pk")
    )
    bars = [
        Bar(
            label=f"{date_format(s.starts_on, 'SHORT_DATE_FORMAT')} {s.title}"[:40],
            value=100.0 * s.attended / s.recorded,  # type: ignore[attr-defined]
        )
        for s in sessions
        if s.recorded  # type: ignore[attr-defined]
    ]
    return BarChart(
        title=str(_("Attendance rate by session")),
        description=str(
            _("Of the participants whose attendance was recorded, the share who attended.")
        ),
        bars=bars,
    )


def _attended(prefix: str) -> Q:
    return Q(**{f"{prefix}status__in": [AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL]})


# --- composition under disclosure control ----------------------------------------------------


class DisclosedComposition(Composition):
    """A composition some of whose figures are hidden: its chart leaves those out."""

    def chart(self) -> BarChart:
        chart = super().chart()
        shown = [
            bar
            for bar, (_group, row) in zip(chart.bars, self.targeted_rows, strict=True)
            if row.share is not None
        ]
        return replace(chart, bars=shown)


def disclosed_composition(composition: Composition, k: int) -> Composition:
    """``composition`` as a reader of aggregates may see it: in the personal dimensions
    (gender, minority), counts resting on fewer than ``k`` people are hidden with their
    complements, and no share is shown of a base smaller than ``k``."""
    if k <= 1:
        return composition
    groups: list[CompositionGroup] = []
    for group in composition.groups:
        if group.dimension not in PERSONAL_DIMENSIONS:
            groups.append(group)
            continue
        shown = suppress_table({(0, row.category): row.count for row in group.rows}, k)
        rows = []
        for row in group.rows:
            count = shown[(0, row.category)]
            share = figure_or_none(row.share, group.base, k) if count is not None else None
            rows.append(replace(row, count=count, share=share))  # type: ignore[arg-type]
        groups.append(replace(group, rows=rows))
    return DisclosedComposition(
        total=composition.total, target_size=composition.target_size, groups=groups
    )


# --- the staff's dashboards ------------------------------------------------------------------


@dataclass
class CohortDashboard:
    cohort: Cohort
    pace: Pace
    behind_count: int
    behind: list[BehindRow]
    missing: list[Session]
    off_target: list[tuple[Any, Any]]
    chart: BarChart


def cohort_dashboard(cohort: Cohort, *, today: date) -> CohortDashboard:
    """Everything the staff's cohort dashboard shows: seven queries whatever the cohort's size
    (its members are read once, as plain values, for the pace)."""
    pace = cohort_pace(cohort, today=today)
    count, behind = behind_pace(cohort, today=today, pace=pace)
    composition = cohort_composition(cohort)
    return CohortDashboard(
        cohort=cohort,
        pace=pace,
        behind_count=count,
        behind=behind,
        missing=list(missing_attendance([cohort.pk], today=today)[:50]),
        off_target=[(g, r) for g, r in composition.targeted_rows if r.on_target is False],
        chart=session_turnout_chart(cohort, today=today),
    )


@dataclass
class CohortFigures:
    """One cohort's line in a program's dashboards."""

    cohort: Cohort
    members: int = 0
    hours: Decimal = Decimal(0)  # credited hours of all its members together
    attended: int = 0
    recorded: int = 0
    reached: int = 0  # members whose hours reach the target
    behind: int = 0
    missing: int = 0  # sessions held without attendance
    off_target: int | None = None  # composition targets missed (staff only)
    gender: dict[str, int | None] = field(default_factory=dict)
    minority: dict[str, int | None] = field(default_factory=dict)
    k: int = 1
    hours_hidden: bool = False

    @property
    def hours_shown(self) -> Decimal | None:
        """Hours delivered, unless they rest on too few people (or would give such a figure
        back from the program's total)."""
        return None if self.hours_hidden else self.hours

    @property
    def rate(self) -> float | None:
        """Attendance rate: attended of recorded. A per-person measure: hidden under ``k``."""
        value = 100.0 * self.attended / self.recorded if self.recorded else None
        return figure_or_none(value, self.members, self.k)

    @property
    def average_hours(self) -> Decimal | None:
        if not self.members or (self.k > 1 and self.members < self.k):
            return None
        return (self.hours / self.members).quantize(Decimal("0.1"))

    @property
    def reached_share(self) -> float | None:
        value = 100.0 * self.reached / self.members if self.members else None
        return figure_or_none(value, self.members, self.k)


GENDER_COLUMNS = ("female", "male", "other", "")
MINORITY_COLUMNS = (True, False, None)


def member_hours_distribution(
    cohort_ids: list[int], *, today: date
) -> list[tuple[int, Decimal, int, int, int]]:
    """``(cohort, hours, members, attended, recorded)``: how many members of each cohort earned
    exactly so many hours, with their sessions attended and recorded added up. One query.

    Members who earned the same hours are one row: a program's thousands of members come back
    as a few rows a cohort (hours are sums of a few session lengths), and the per-person
    figures a dashboard needs (reached the target, behind pace) follow from the hours alone.
    """
    if not cohort_ids:
        return []
    per_person = (
        Attendance.objects.filter(
            session__cohort_id__in=cohort_ids,
            session__starts_on__lte=today,
            session__cancelled_at__isnull=True,
        )
        .order_by()
        .values("session__cohort_id", "person_id")
        .annotate(
            hours=Sum(CREDITED_HOURS), attended=Count("pk", filter=ATTENDED), recorded=Count("pk")
        )
    )
    inner, inner_params = per_person.query.sql_with_params()
    members, member_params = (
        Enrollment.objects.filter(cohort_id__in=cohort_ids, status__in=MEMBER_STATUSES)
        .order_by()
        .values("cohort_id", "person_id")
        .query.sql_with_params()
    )
    q = connection.ops.quote_name
    earned = f"COALESCE(a.{q('hours')}, 0)"
    sql = (
        f"SELECT m.{q('cohort_id')}, {earned}, COUNT(*), "  # noqa: S608 - names, not input
        f"COALESCE(SUM(a.{q('attended')}), 0), COALESCE(SUM(a.{q('recorded')}), 0) "
        f"FROM ({members}) m LEFT JOIN ({inner}) a "
        f"ON a.{q('session__cohort_id')} = m.{q('cohort_id')} "
        f"AND a.{q('person_id')} = m.{q('person_id')} "
        f"GROUP BY m.{q('cohort_id')}, {earned}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*member_params, *inner_params])
        return [
            (cohort_id, Decimal(str(hours)), n, int(attended), int(recorded))
            for cohort_id, hours, n, attended, recorded in cursor.fetchall()
        ]


def program_figures(
    cohorts: QuerySet[Cohort], *, today: date, k: int = 1, with_targets: bool = False
) -> tuple[list[CohortFigures], CohortFigures]:
    """Each cohort's figures, and the line of all of them together (its ``cohort`` is None).

    Five queries whatever the sizes, each returning a few rows a cohort, plus two per cohort
    for composition targets when ``with_targets`` (staff only; a program has a handful of
    cohorts). ``k`` > 1 applies disclosure control: per-person measures of fewer than ``k``
    members hidden, gender and minority counts suppressed across the table, totals included.
    """
    cohort_list = list(cohorts.select_related("program").order_by("-start_date", "pk"))
    ids = [c.pk for c in cohort_list]
    figures = {c.pk: CohortFigures(cohort=c, k=k) for c in cohort_list}
    gender: dict[tuple[int, str], int] = defaultdict(int)
    minority: dict[tuple[int, Any], int] = defaultdict(int)
    for cohort_id, sex, is_minority, n in (
        Enrollment.objects.filter(cohort_id__in=ids, status__in=MEMBER_STATUSES)
        .values_list("cohort_id", "person__gender", "person__minority")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        gender[(cohort_id, sex if sex in GENDER_COLUMNS else "")] += n
        minority[(cohort_id, is_minority)] += n
    sessions = session_hours(ids, today=today)
    missing = dict(
        missing_attendance(ids, today=today)
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )
    paces = {}
    for cohort in cohort_list:
        held, scheduled = sessions.get(cohort.pk, (Decimal(0), Decimal(0)))
        paces[cohort.pk] = Pace(held=held, scheduled=scheduled, target=cohort.program.hours_target)
    for cohort_id, earned, n, attended, recorded in member_hours_distribution(ids, today=today):
        line, pace = figures[cohort_id], paces[cohort_id]
        line.members += n
        line.hours += earned * n
        line.attended += attended
        line.recorded += recorded
        line.reached += n if earned >= pace.target else 0
        line.behind += n if pace.behind(earned) else 0
    for cohort in cohort_list:
        line = figures[cohort.pk]
        line.missing = missing.get(cohort.pk, 0)
        if with_targets:
            composition = cohort_composition(cohort)
            line.off_target = sum(1 for _g, r in composition.targeted_rows if r.on_target is False)
    total = CohortFigures(cohort=None, k=k)  # type: ignore[arg-type]
    for line in figures.values():
        total.members += line.members
        total.hours += line.hours
        total.attended += line.attended
        total.recorded += line.recorded
        total.reached += line.reached
        total.behind += line.behind
        total.missing += line.missing
    # Hours delivered add up to the program's total: hidden with their complement.
    hidden_hours = hidden_parts({pk: figures[pk].members for pk in ids}, k)
    for pk in hidden_hours:
        figures[pk].hours_hidden = True
    total.hours_hidden = k > 1 and total.members < k
    total_key = -1
    gender_cells = {(pk, g): gender.get((pk, g), 0) for pk in ids for g in GENDER_COLUMNS}
    minority_cells = {(pk, m): minority.get((pk, m), 0) for pk in ids for m in MINORITY_COLUMNS}
    # The program's line is a row of the table too: its cells are the column totals, shown.
    for column in GENDER_COLUMNS:
        gender_cells[(total_key, column)] = sum(gender_cells[(pk, column)] for pk in ids)
    for answer in MINORITY_COLUMNS:
        minority_cells[(total_key, answer)] = sum(minority_cells[(pk, answer)] for pk in ids)
    shown_gender = _suppressed_with_total(gender_cells, ids, total_key, k)
    shown_minority = _suppressed_with_total(minority_cells, ids, total_key, k)
    for pk, line in [*figures.items(), (total_key, total)]:
        line.gender = {g or "unknown": shown_gender[(pk, g)] for g in GENDER_COLUMNS}
        line.minority = {_minority_key(m): shown_minority[(pk, m)] for m in MINORITY_COLUMNS}
    return [figures[pk] for pk in ids], total


def _suppressed_with_total(
    cells: dict[tuple[int, Any], int], ids: list[int], total_key: int, k: int
) -> dict[tuple[int, Any], int | None]:
    """Suppression of the cohorts' cells, the program's line being their column totals: its
    small cells hidden on their own, the cohorts' cells protected against it as a total."""
    inner = {key: size for key, size in cells.items() if key[0] != total_key}
    shown = suppress_table(inner, k)
    totals = {key: size for key, size in cells.items() if key[0] == total_key}
    shown.update(suppress_table(totals, k))
    return shown


def _minority_key(value: Any) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


# --- the participant's own dashboard ---------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    session: Session
    status: str
    status_label: str
    hours: Decimal


@dataclass
class MyCohort:
    """One of the participant's cohorts: their hours against the target and their pace."""

    cohort: Cohort
    enrollment: Enrollment
    hours: Decimal
    attended: int
    pace: Pace

    @property
    def may_have_certificate(self) -> bool:
        return self.enrollment.status == "graduated" and self.hours >= self.target

    @property
    def target(self) -> int:
        return self.cohort.program.hours_target

    @property
    def share_of_target(self) -> float:
        return min(100.0, 100.0 * float(self.hours) / self.target) if self.target else 0.0

    @property
    def behind(self) -> bool:
        return self.pace.behind(self.hours)


@dataclass
class MyDashboard:
    cohorts: list[MyCohort]
    history: list[HistoryRow]
    upcoming: list[Session]


def my_dashboard(person_id: int, *, today: date, history_limit: int = 200) -> MyDashboard:
    """A participant's own record, and nobody else's: five queries."""
    enrollments = list(
        Enrollment.objects.filter(person_id=person_id, status__in=MEMBER_STATUSES)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )
    ids = [e.cohort_id for e in enrollments]
    hours = earned_hours(ids, today=today, person_ids=[person_id])
    sessions = session_hours(ids, today=today)
    mine = []
    for enrollment in enrollments:
        cohort = enrollment.cohort
        row = hours.get((cohort.pk, person_id)) or {}
        held, scheduled = sessions.get(cohort.pk, (Decimal(0), Decimal(0)))
        mine.append(
            MyCohort(
                cohort=cohort,
                enrollment=enrollment,
                hours=row.get("hours") or Decimal(0),
                attended=row.get("attended", 0),
                pace=Pace(held=held, scheduled=scheduled, target=cohort.program.hours_target),
            )
        )
    labels = dict(AttendanceStatus.choices)
    history = [
        HistoryRow(
            session=record.session,
            status=record.status,
            status_label=str(labels.get(record.status, record.status)),
            hours=record.credited,  # type: ignore[attr-defined]
        )
        for record in Attendance.objects.filter(
            person_id=person_id, session__cohort_id__in=ids, session__starts_on__lte=today
        )
        .select_related("session__cohort")
        .annotate(credited=CREDITED_HOURS)
        .order_by("-session__starts_on", "-session_id")[:history_limit]
    ]
    upcoming = list(
        Session.objects.filter(cohort_id__in=ids, starts_on__gte=today)
        .select_related("cohort__program")
        .order_by("starts_on", "pk")[:10]
    )
    return MyDashboard(cohorts=mine, history=history, upcoming=upcoming)


def dashboard_links(request: Any, program: Any) -> dict[str, bool] | None:
    """Which dashboards of ``program`` the reader may open (None: neither)."""
    facts = request_facts(request)
    held = facts.roles_in(program.pk)
    if not (facts.is_admin or held):
        return None
    return {"staff": facts.is_admin or bool(held & (MANAGING | {StaffRole.EVALUATOR.value}))}
