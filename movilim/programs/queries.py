"""Read paths that pages share. Each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from movilim.core.charts import Bar, BarChart
from movilim.core.formatting import (
    DASH,
    choice_labels,
    date_formatter,
    hours_text,
    localized_name,
    name_chooser,
    url_for,
    url_maker,
)
from movilim.core.hebrew import Folded, fold
from movilim.core.invitations import InvitationState, invitation_columns, invitation_state
from movilim.core.models import User
from movilim.core.paging import Keyset, Page, keyset_page, keyset_pages
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
    EnrollmentStatus,
    EnrollmentStatusChange,
    Program,
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


def cohort_label(
    program_he: str,
    program_en: str,
    cohort_he: str,
    cohort_en: str,
    *,
    name: Callable[[str, str], str] = localized_name,
) -> str:
    """ "Program – cohort", as ``str(cohort)`` gives it, from plain column values; tables pass
    ``name=name_chooser()`` so that the language is read once, not twice per row."""
    return f"{name(program_he, program_en)} – {name(cohort_he, cohort_en)}"


def cohort_choices(cohorts: QuerySet[Cohort]) -> list[tuple[int, str]]:
    """``(id, "program – cohort")`` pairs for drop-downs: one query, no model instances."""
    rows = cohorts.values_list("pk", "program__name_he", "program__name_en", "name_he", "name_en")
    name = name_chooser()
    return [(pk, cohort_label(*names, name=name)) for pk, *names in rows]


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
    people: Sequence[tuple[Any, ...]],
    enrollments: QuerySet[Enrollment],
    cohorts: Sequence[tuple[int, str]] = (),
) -> list[PersonRow]:
    """Display rows for one page of people (:data:`PEOPLE_COLUMNS` values), each with the
    cohorts of theirs that ``enrollments`` lets the reader see: one more query in all.

    ``cohorts`` are the reader's cohorts as the page's filter offers them, ``(id, label)``
    latest first (:func:`cohort_choices`): the links take their labels and order from them, so
    the query reads three columns of enrollments without joining cohorts and programs again.
    A cohort missing from them (none, when they are the reader's) costs one query for all such.
    """
    statuses = choice_labels(Enrollment, "status")
    name, cohort_url = name_chooser(), url_maker("programs:cohort")
    rows = list(
        enrollments.filter(person_id__in=[values[0] for values in people])
        .order_by("pk")
        .values_list("person_id", "cohort_id", "status")
    )
    labels = dict(cohorts)
    missing = {cohort_id for _person, cohort_id, _status in rows} - labels.keys()
    if missing:
        extra = cohort_choices(Cohort.objects.filter(pk__in=missing).order_by("-start_date", "pk"))
        labels.update(extra)
        cohorts = [*cohorts, *extra]
    place = {cohort_id: index for index, (cohort_id, _label) in enumerate(cohorts)}
    links: dict[int, list[CohortLink]] = defaultdict(list)
    # Latest cohort first, as the filter lists them; the sort keeps enrollment order in a tie.
    for person_id, cohort_id, status in sorted(rows, key=lambda row: place[row[1]]):
        links[person_id].append(
            CohortLink(labels[cohort_id], cohort_url(cohort_id), statuses[status])
        )
    person_url = url_maker("programs:person")
    return [
        PersonRow(
            name=f"{first} {last}".strip() or email,
            url=person_url(pk),
            organization=name(org_he, org_en) if org_he else DASH,
            job_title=job_title or DASH,
            cohorts=links[pk],
        )
        for pk, first, last, email, org_he, org_en, job_title in people
    ]


#: The participant list's order: by name, the person's key breaking ties.
PEOPLE_ORDER = Keyset(Person, ("user__last_name", "user__first_name", "pk"))
#: The other orders it may be sorted in (``?sort=``); see ``ROSTER_SORTS``.
PEOPLE_SORTS = {
    "name": PEOPLE_ORDER,
    "-name": Keyset(Person, ("-user__last_name", "-user__first_name", "-pk")),
    "job": Keyset(Person, ("job_title", "pk")),
    "-job": Keyset(Person, ("-job_title", "-pk")),
    "email": Keyset(Person, ("user__email", "pk")),
    "-email": Keyset(Person, ("-user__email", "-pk")),
}


def users_matching(search: str) -> QuerySet[User]:
    """Accounts whose names or e-mail contain ``search``, both sides folded."""
    return User.objects.annotate(folded=Folded("first_name", "last_name", "email")).filter(
        folded__contains=fold(search)
    )


def organizations_matching(search: str) -> QuerySet[Organization]:
    """Organizations whose Hebrew or English name contains ``search``, both sides folded."""
    return Organization.objects.annotate(folded=Folded("name_he", "name_en")).filter(
        folded__contains=fold(search)
    )


def people_search(search: str) -> Q:
    """People whose names, e-mail or organization's names contain ``search``, folded.

    Both sides are folded (:mod:`movilim.core.hebrew`), so ``שרה`` finds ``שָׂרָה``. Matched table
    by table, each through its trigram index on PostgreSQL (migration ``people.0002_search``),
    and united: one condition spanning the joined tables, or an OR of the two, would make the
    database test every person.
    """
    matched = (
        Person.objects.filter(user__in=users_matching(search).values("pk"))
        .order_by()
        .values("pk")
        .union(
            Person.objects.filter(organization__in=organizations_matching(search).values("pk"))
            .order_by()
            .values("pk")
        )
    )
    return Q(pk__in=matched)


def people_page(
    query: QueryDict,
    *,
    program_ids: set[int] | None,
    search: str = "",
    cohort_id: int | None = None,
    status: str = "",
    per_page: int = 50,
    counted: bool = False,
    cohorts: Sequence[tuple[int, str]] = (),
) -> Page:
    """One page of the participant list as :class:`PersonRow`: two queries whatever the data.

    ``program_ids`` are the programs whose people the reader may list (None: all). Only people
    with an enrollment the filters let through are listed, and each row links the cohorts of
    those enrollments. ``counted``: the first page also carries the total (see
    :func:`keyset_page`), for a search or filter, whose matches are all read anyway.
    ``cohorts`` label the rows' cohort links (see :func:`people_rows`).
    """
    enrollments = Enrollment.objects.all()
    if program_ids is not None:
        enrollments = enrollments.filter(cohort__program_id__in=program_ids)
    if cohort_id is not None:
        enrollments = enrollments.filter(cohort_id=cohort_id)
    if status:
        enrollments = enrollments.filter(status=status)
    people = Person.objects.filter(Exists(enrollments.filter(person=OuterRef("pk"))))
    if fold(search).strip():
        people = people.filter(people_search(search.strip()))
    keyset = PEOPLE_SORTS.get(query.get("sort", ""), PEOPLE_ORDER)
    page = keyset_page(
        people, query, keyset=keyset, columns=PEOPLE_COLUMNS, per_page=per_page, counted=counted
    )
    return replace(page, items=people_rows(page.items, enrollments, cohorts))


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
    invite_url: str = ""


#: Columns of ``Enrollment`` rows that :func:`roster_page` turns into :class:`RosterRow`.
ROSTER_COLUMNS = (
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
_ROSTER_KEY = ("person__user__last_name", "person__user__first_name", "pk")
#: Members and the others (applicants, waitlist, withdrawals) page independently on one page.
MEMBERS_ORDER = Keyset(Enrollment, _ROSTER_KEY)
OTHERS_ORDER = Keyset(Enrollment, _ROSTER_KEY, prefix="others_")


def _both_ways(sorts: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each order, and its reverse under the same name with a leading ``-``."""
    reverse = {
        f"-{key}": tuple(n[1:] if n.startswith("-") else f"-{n}" for n in order)
        for key, order in sorts.items()
    }
    return {**sorts, **reverse}


#: The orders a roster of members may be sorted in (``?sort=``), each ending in a unique key
#: so that keyset paging stays exact. The organization's name is read through
#: :func:`_organization_sort_key`, never NULL, in the reader's language.
ROSTER_SORTS = {
    key: Keyset(Enrollment, order, annotated={"organization_sort": models.CharField()})
    for key, order in _both_ways(
        {
            "name": _ROSTER_KEY,
            "first": ("person__user__first_name", "person__user__last_name", "pk"),
            "organization": ("organization_sort", *_ROSTER_KEY),
            "job": ("person__job_title", "pk"),
            "profile": ("person__profile_type", "pk"),
            "status": ("status", "pk"),
        }
    ).items()
}


def _organization_sort_key() -> Coalesce:
    """The member's organization name in the reader's language (Hebrew where the other is
    missing), and an empty text for people without one, who come first."""
    language = "en" if (translation.get_language() or "he").startswith("en") else "he"
    return Coalesce(
        NullIf(F(f"person__organization__name_{language}"), Value("")),
        F("person__organization__name_he"),
        Value(""),
        output_field=models.CharField(),
    )


def roster_filtered(enrollments: QuerySet[Enrollment], query: QueryDict) -> QuerySet[Enrollment]:
    """The roster's search (``?q=``, names, e-mail or organization) and status filter."""
    search = (query.get("q") or "").strip()
    if fold(search).strip():
        enrollments = enrollments.filter(
            person_id__in=Person.objects.filter(people_search(search)).values("pk")
        )
    status = query.get("status") or ""
    if status in EnrollmentStatus.values:
        enrollments = enrollments.filter(status=status)
    return enrollments


def roster_selection(
    cohort: Cohort,
    *,
    managed: QuerySet[Cohort],
    picked: Sequence[int] | None,
    query: Mapping[str, str],
) -> QuerySet[Enrollment]:
    """The members of ``cohort`` an action of the roster applies to: those ticked (``picked``),
    or with ``picked`` None all that the roster's search and filter (``query``) let through.
    Only in the cohorts of ``managed`` (what the acting user may change), so a key of another
    cohort slipped into ``picked`` selects nothing."""
    enrollments = Enrollment.objects.filter(
        cohort=cohort, cohort__in=managed, status__in=MEMBER_STATUSES
    )
    if picked is not None:
        return enrollments.filter(pk__in=list(picked))
    return roster_filtered(enrollments, query)  # type: ignore[arg-type]


def latest_steps(steps: QuerySet[EnrollmentStatusChange]) -> QuerySet[EnrollmentStatusChange]:
    """Those of ``steps`` that are still their enrollment's latest (by time, then key): the
    only ones an undo may take back."""
    later = EnrollmentStatusChange.objects.filter(enrollment_id=OuterRef("enrollment_id")).filter(
        Q(changed_at__gt=OuterRef("changed_at"))
        | Q(changed_at=OuterRef("changed_at"), pk__gt=OuterRef("pk"))
    )
    return steps.filter(~Exists(later))


ROSTER_PAGE_SIZE = 100


@dataclass(frozen=True)
class RosterCounts:
    members: int
    others: int
    sessions: int


def _count(queryset: QuerySet[Any]) -> Subquery:
    """The number of rows of ``queryset`` as a scalar subquery (no grouping of the outer query).

    ``COUNT(*)`` needs no column, so an index on the filtered columns answers it alone.
    """
    return Subquery(
        queryset.order_by()
        .annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
        .values("n"),
        output_field=IntegerField(),
    )


#: The names of :func:`roster_count_annotations`, in their order.
_ROSTER_COUNT_NAMES = ("roster_members", "roster_total", "roster_sessions")


def roster_count_annotations() -> dict[str, RawSQL]:
    """The cohort's numbers of members, enrollments and sessions as annotations, so that the
    query loading the cohort brings them (see :func:`roster_counts`).

    Written as SQL, with the tables' and columns' names taken from the models: built and
    compiled through the ORM, these three subqueries cost the cohort page more than loading the
    cohort itself. ``COUNT(*)`` needs no column, so the ``(cohort, status)`` index answers each.
    """
    members, total, sessions = _ROSTER_COUNT_NAMES
    return {
        members: _cohort_count(Enrollment, statuses=MEMBER_STATUSES),
        total: _cohort_count(Enrollment),
        sessions: _cohort_count(Session),
    }


def _cohort_count(model: type[models.Model], *, statuses: Sequence[str] = ()) -> RawSQL:
    """How many rows of ``model`` belong to the outer query's cohort (with one of ``statuses``,
    when given), as a scalar subquery. The outer query must read cohorts itself, under their
    table's own name: not a query nested in another, whose tables are renamed."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"SELECT COUNT(*) FROM {table} WHERE {_sql_column(model, 'cohort')} = "  # noqa: S608
    sql += _sql_column(Cohort, "pk")
    if statuses:
        sql += f" AND {_sql_column(model, 'status')} IN ({', '.join(['%s'] * len(statuses))})"
    return RawSQL(sql, tuple(statuses), output_field=IntegerField())  # noqa: S611 - no user text


def _sql_column(model: type[models.Model], name: str) -> str:
    """``table.column`` of ``model``'s field ``name`` (``pk``: its key), quoted for SQL."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(field.column)}"


def roster_counts(cohort: Cohort) -> RosterCounts:
    """How many members, others and sessions the cohort has: read from the annotations of
    :func:`roster_count_annotations` when the cohort was loaded with them, else one query."""
    names = _ROSTER_COUNT_NAMES
    if all(hasattr(cohort, name) for name in names):
        members, total, sessions = (getattr(cohort, name) for name in names)
    else:
        members, total, sessions = (
            Cohort.objects.filter(pk=cohort.pk)
            .annotate(**roster_count_annotations())
            .values_list(*names)
            .get()
        )
    return RosterCounts(members=members, others=total - members, sessions=sessions)


def roster_page(
    cohort: Cohort,
    query: QueryDict,
    *,
    members: bool,
    with_invitations: bool = False,
    per_page: int = ROSTER_PAGE_SIZE,
) -> Page:
    """One page of the cohort's members (or of the others) as :class:`RosterRow`: one query,
    which also reads the invitation states when ``with_invitations`` (for those who manage)."""
    (page,) = roster_pages(
        cohort,
        query,
        members=members,
        others=not members,
        with_invitations=with_invitations,
        per_page=per_page,
    )
    return page


def roster_pages(
    cohort: Cohort,
    query: QueryDict,
    *,
    members: bool = True,
    others: bool = False,
    with_invitations: bool = False,
    per_page: int = ROSTER_PAGE_SIZE,
) -> list[Page]:
    """A page of the cohort's members and one of the others (applicants, waitlist, withdrawals),
    as far as asked for and in this order, each as :class:`RosterRow` and paged by its own
    cursor. One query for both where the database allows (:func:`keyset_pages`); the members'
    rows also carry their invitation states when ``with_invitations`` (for those who manage).

    A cohort may hold the whole network (20,000 people), so the roster is paged by keyset and
    built as display rows, without model instances, choice-label lookups or URL reversals.
    """
    enrollments = Enrollment.objects.filter(cohort=cohort)
    columns: tuple[str, ...] = ROSTER_COLUMNS
    keyset = ROSTER_SORTS.get(query.get("sort", ""), MEMBERS_ORDER)
    invitation: tuple[str, ...] = ()
    if with_invitations:
        annotation, invitation = invitation_columns("person__user")
        enrollments = enrollments.annotate(**annotation)
        columns += invitation
    if members and "organization_sort" in keyset.names:
        # Read as the last column, after the invitation's, and only to mark the page's edges.
        enrollments = enrollments.annotate(organization_sort=_organization_sort_key())
        columns += ("organization_sort",)
    # The selection is set up once, for both lists.
    enrollments = enrollments.values_list(*columns)
    lists: list[tuple[QuerySet[Enrollment], Keyset]] = []
    if members:
        lists.append(
            (roster_filtered(enrollments.filter(status__in=MEMBER_STATUSES), query), keyset)
        )
    if others:
        # The same columns as the members' (one statement reads both); their table shows
        # no invitation, so none is made of them.
        lists.append((enrollments.exclude(status__in=MEMBER_STATUSES), OTHERS_ORDER))
    pages = keyset_pages(lists, query, columns=columns, per_page=per_page)
    invited = [len(invitation) if members else 0, 0]
    return [
        replace(page, items=_roster_rows(page.items, invitation=count))
        for page, count in zip(pages, invited, strict=False)
    ]


def _roster_rows(page: Iterable[Sequence[Any]], *, invitation: int) -> list[RosterRow]:
    """Display rows of :data:`ROSTER_COLUMNS` followed by ``invitation`` columns of
    :func:`invitation_columns` (none: no invitation state, nor a link to send one)."""
    profiles = choice_labels(Person, "profile_type")
    statuses = choice_labels(Enrollment, "status")
    name = name_chooser()
    person_url = url_maker("programs:person")
    status_url = url_maker("programs:enrollment_status")
    invite_url = url_maker("programs:person_invite")
    return [
        RosterRow(
            enrollment_id=pk,
            person_id=person_id,
            name=f"{first} {last}".strip() or email,
            organization=name(org_he, org_en) if org_he else DASH,
            job_title=job_title or DASH,
            profile=profiles.get(profile, DASH),
            status=status,
            status_label=statuses.get(status, status),
            is_member=status in MEMBER_STATUSES,
            person_url=person_url(person_id),
            status_url=status_url(pk),
            invitation=(
                invitation_state(*invited[:invitation]) if invitation and user_id else None
            ),
            invite_url=invite_url(person_id) if invitation else "",
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
            *invited,
        ) in page
    ]


@dataclass(frozen=True)
class MemberHoursRow:
    """One member on the attendance page: sessions attended and hours against the target."""

    person_id: int
    name: str
    url: str
    attended: int
    hours: Decimal
    target: int

    @property
    def share_of_target(self) -> float:
        return min(100.0, 100.0 * float(self.hours) / self.target) if self.target else 0.0


def member_hours_page(
    cohort: Cohort, query: QueryDict, *, today: date, per_page: int = ROSTER_PAGE_SIZE
) -> Page:
    """One page of the cohort's members with their hours: two queries, the page's people only."""
    page = keyset_page(
        Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES),
        query,
        keyset=MEMBERS_ORDER,
        columns=ROSTER_COLUMNS,
        per_page=per_page,
    )
    hours = hours_by_person([cohort.pk], [values[1] for values in page], today=today)
    target = cohort.program.hours_target
    rows = []
    for _pk, person_id, first, last, email, *_rest in page:
        row = hours.get((cohort.pk, person_id), {})
        rows.append(
            MemberHoursRow(
                person_id=person_id,
                name=f"{first} {last}".strip() or email,
                url=url_for("programs:person", person_id),
                attended=row.get("attended", 0),
                hours=row.get("hours") or Decimal(0),
                target=target,
            )
        )
    return replace(page, items=rows)


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


@functools.cache
def _composition_sql() -> str:
    """The statement of :func:`cohort_composition`, its names taken from the models.

    Parameters: the cohort's id, the member statuses, the cohort's id again.
    """
    column = _sql_column

    def table(model: type[models.Model]) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    attributes = ", ".join(
        [
            column(Organization, "kind"),
            column(Person, "profile_type"),
            column(Person, "gender"),
            column(Person, "minority"),
        ]
    )
    statuses = ", ".join(["%s"] * len(MEMBER_STATUSES))
    return (
        f"SELECT {attributes}, COUNT(*), NULL, NULL FROM {table(Enrollment)}"  # noqa: S608 - names from the models
        f" INNER JOIN {table(Person)} ON {column(Enrollment, 'person')} = {column(Person, 'pk')}"
        f" LEFT OUTER JOIN {table(Organization)}"
        f" ON {column(Person, 'organization')} = {column(Organization, 'pk')}"
        f" WHERE {column(Enrollment, 'cohort')} = %s AND {column(Enrollment, 'status')}"
        f" IN ({statuses}) GROUP BY {attributes}"
        f" UNION ALL SELECT {column(CompositionTarget, 'dimension')},"
        f" {column(CompositionTarget, 'category')}, NULL, NULL, NULL,"
        f" {column(CompositionTarget, 'min_percent')}, {column(CompositionTarget, 'max_percent')}"
        f" FROM {table(CompositionTarget)} WHERE {column(CompositionTarget, 'cohort')} = %s"
    )


def _bound(value: Any) -> Decimal | None:
    """A target's bound as the model gives it (SQLite answers with a number, not a Decimal)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"))


def cohort_composition(cohort: Cohort) -> Composition:
    """Shares of the cohort's members by sector, ministry type, profile, gender and minority.

    One query: the members counted by each combination of the four attributes (a few dozen
    rows at most, whatever the cohort's size), followed by the cohort's targets (``UNION ALL``;
    a target's row has no count, its bounds where a combination's are empty). Written as SQL
    (:func:`_composition_sql`): through the ORM, building the statement cost three times what
    the database takes to answer it, on every cohort page and for every cohort of a dashboard.
    """
    tallies: dict[str, Counter[Any]] = {key: Counter() for key in _COLUMNS}
    targets: dict[tuple[str, str], tuple[Decimal | None, Decimal | None]] = {}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(_composition_sql(), [cohort.pk, *MEMBER_STATUSES, cohort.pk])
        rows = cursor.fetchall()
    for kind, profile, gender, minority, n, target_min, target_max in rows:
        if n is None:
            targets[(kind, profile)] = (_bound(target_min), _bound(target_max))
            continue
        total += n
        # SQLite answers a boolean with 0 or 1; they count as False and True alike.
        attributes = (kind, profile, gender, None if minority is None else bool(minority))
        for key, value in zip(_COLUMNS, attributes, strict=True):
            tallies[key][value] += n
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
                    target_min=target[0] if target else None,
                    target_max=target[1] if target else None,
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
        session__cohort_id__in=list(cohort_ids),
        session__starts_on__lte=today,
        session__cancelled_at__isnull=True,
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
    total = Session.objects.filter(cohort=cohort, cancelled_at__isnull=True).aggregate(
        total=Sum("hours")
    )["total"]
    return total or Decimal(0)


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
    """A cohort's attendance figures; its members' own hours come a page at a time
    (:func:`member_hours_page`)."""

    member_count: int
    member_hours: Decimal  # all members' credited hours together
    reached_target: int  # members whose hours reach the target
    sessions: list[SessionTally]
    scheduled_hours: Decimal
    held_hours: Decimal
    target: int

    @property
    def average_hours(self) -> Decimal | None:
        if not self.member_count:
            return None
        return self.member_hours / self.member_count

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
    """The members' hours against the program's target, and each session's turnout.

    Hours count sessions that have started by ``today`` (see :func:`hours_by_person`). Totals
    come from aggregates over the whole cohort (three queries in all, whatever its size), never
    from reading every member: the network's cohort holds 20,000 people.
    """
    target = cohort.program.hours_target
    members = set(
        Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES).values_list(
            "person_id", flat=True
        )
    )
    # Each person's total in one grouped query, kept for members here: filtering members in the
    # database probes the enrollments once per attendance record (54,000 for the network).
    hours = [
        total or Decimal(0)
        for person_id, total in Attendance.objects.filter(
            session__cohort=cohort,
            session__starts_on__lte=today,
            session__cancelled_at__isnull=True,
        )
        .values("person_id")
        .annotate(total=Sum(CREDITED_HOURS))
        .values_list("person_id", "total")
        if person_id in members
    ]
    member_count = len(members)
    member_hours = sum(hours, Decimal(0))
    reached = sum(1 for h in hours if h >= target) if target else member_count
    sessions = list(cohort_sessions(cohort))
    return AttendanceSummary(
        member_count=member_count,
        member_hours=member_hours,
        reached_target=reached,
        sessions=[
            SessionTally(s, s.attended_count, s.absent_count, s.recorded_count)  # type: ignore[attr-defined]
            for s in sessions
        ],
        scheduled_hours=sum((s.hours for s in sessions if not s.is_cancelled), Decimal(0)),
        held_hours=sum(
            (s.hours for s in sessions if s.has_started(today) and not s.is_cancelled), Decimal(0)
        ),
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
    cancelled: bool = False


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
    "title_en",
    "cancelled_at",
)


def schedule_row_maker(
    *, today: date, managed_programs: set[int] | None
) -> Callable[[tuple[Any, ...]], ScheduleRow]:
    """Turns a row of :data:`SCHEDULE_COLUMNS` into a :class:`ScheduleRow`.

    ``managed_programs`` are the programs whose attendance the reader may take (None: all).
    """
    kinds = choice_labels(Session, "kind")
    name = name_chooser()
    short_date = date_formatter("SHORT_DATE_FORMAT")
    session_url, cohort_url = url_maker("programs:session"), url_maker("programs:cohort")
    attendance_url = url_maker("programs:attendance")

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
            title_en,
            cancelled_at,
        ) = values
        dates = short_date(starts_on)
        if ends_on:
            dates = f"{dates} – {short_date(ends_on)}"
        may_take = managed_programs is None or program_id in managed_programs
        return ScheduleRow(
            title=name(title, title_en),
            url=session_url(pk),
            location=location,
            dates=dates,
            kind=kinds.get(kind, kind),
            cohort=cohort_label(program_he, program_en, cohort_he, cohort_en, name=name),
            cohort_url=cohort_url(cohort_id),
            hours=hours_text(hours),
            recorded=recorded,
            held=starts_on <= today,
            attendance_url=attendance_url(pk) if may_take and not cancelled_at else None,
            cancelled=cancelled_at is not None,
        )

    return make


#: Orders of the schedule: coming sessions soonest first, the others latest first. Both walk the
#: ``(starts_on, id)`` index of sessions.
SOONEST_FIRST = Keyset(Session, ("starts_on", "pk"))
LATEST_FIRST = Keyset(Session, ("-starts_on", "-pk"))


def schedule_page(
    cohorts: QuerySet[Cohort],
    query: QueryDict,
    *,
    today: date,
    period: str = "upcoming",
    cohort_id: int | None = None,
    managed_programs: set[int] | None,
    per_page: int = 50,
) -> Page:
    """One page of the sessions of ``cohorts`` as :class:`ScheduleRow`: one query.

    ``period`` is ``upcoming`` (from today on), ``past`` (before today) or ``all``;
    ``managed_programs`` as for :func:`schedule_row_maker`.
    """
    sessions = sessions_for_cohorts(cohorts)
    if cohort_id is not None:
        sessions = sessions.filter(cohort_id=cohort_id)
    keyset = LATEST_FIRST
    if period == "upcoming":
        sessions, keyset = sessions.filter(starts_on__gte=today), SOONEST_FIRST
    elif period == "past":
        sessions = sessions.filter(starts_on__lt=today)
    keyset = {"date": SOONEST_FIRST, "-date": LATEST_FIRST}.get(query.get("sort", ""), keyset)
    page = keyset_page(sessions, query, keyset=keyset, columns=SCHEDULE_COLUMNS, per_page=per_page)
    make_row = schedule_row_maker(today=today, managed_programs=managed_programs)
    return replace(page, items=[make_row(values) for values in page])


def schedule_total(
    cohorts: QuerySet[Cohort],
    *,
    today: date,
    period: str = "upcoming",
    cohort_id: int | None = None,
) -> int:
    """How many sessions :func:`schedule_page` lists with these filters: one COUNT."""
    sessions = Session.objects.filter(cohort__in=cohorts)
    if cohort_id is not None:
        sessions = sessions.filter(cohort_id=cohort_id)
    if period == "upcoming":
        sessions = sessions.filter(starts_on__gte=today)
    elif period == "past":
        sessions = sessions.filter(starts_on__lt=today)
    return sessions.count()


def sessions_missing_attendance(cohorts: QuerySet[Cohort], *, today: date) -> QuerySet[Session]:
    """Sessions already held for which nobody has recorded attendance yet."""
    return (
        sessions_for_cohorts(cohorts)
        .filter(starts_on__lt=today, has_attendance=False, cancelled_at__isnull=True)  # type: ignore[misc]
        .order_by("-starts_on")
    )


def cohort_member_counts(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """``cohorts`` with ``member_count``: counted per cohort in the ``(cohort, status)`` index,
    rather than by joining every enrollment and grouping by all of the cohort's columns. For a
    query of cohorts of its own, not one nested in another (see :func:`_cohort_count`)."""
    return cohorts.annotate(member_count=_cohort_count(Enrollment, statuses=MEMBER_STATUSES))


# --- programs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunningCohort:
    """A cohort running now, as the programs page lists it."""

    name: str
    url: str
    dates: str
    members: int
    members_text: str  # "23 participants", in the page's language


@dataclass
class ProgramSummary:
    """A program on the programs page: how many cohorts the reader sees, and the running ones."""

    program: Program
    cohort_count: int
    current: list[RunningCohort]
    url: str  # the program's page
    kind: str  # the kind's label, in the page's language


def program_overview(
    programs: QuerySet[Program], cohorts: QuerySet[Cohort], *, today: date
) -> list[ProgramSummary]:
    """Each of ``programs`` with its number of ``cohorts`` and those running ``today`` (with
    their member counts): two queries, and a page whose size follows the programs, not the
    years of cohorts or the people in them. The program's own page lists all its cohorts.
    Each program's number of cohorts comes with the program (a subquery per program)."""
    programs = programs.annotate(cohort_count=_count(cohorts.filter(program=OuterRef("pk"))))
    running = cohort_member_counts(cohorts.filter(start_date__lte=today, end_date__gte=today))
    short_date = date_formatter("SHORT_DATE_FORMAT")
    current: dict[int, list[RunningCohort]] = defaultdict(list)
    for pk, program_id, name_he, name_en, start, end, members in running.order_by(
        "-start_date", "pk"
    ).values_list(  # type: ignore[misc]  # member_count is an annotation
        "pk", "program_id", "name_he", "name_en", "start_date", "end_date", "member_count"
    ):
        dates = f"{short_date(start)} – {short_date(end)}"
        current[program_id].append(
            RunningCohort(
                name=localized_name(name_he, name_en),
                url=url_for("programs:cohort", pk),
                dates=dates,
                members=members,
                members_text=ngettext("%(n)s participant", "%(n)s participants", members)
                % {"n": members},
            )
        )
    kinds = choice_labels(Program, "kind")
    return [
        ProgramSummary(
            program=program,
            cohort_count=program.cohort_count,  # type: ignore[attr-defined]  # annotated
            current=current[program.pk],
            url=url_for("programs:program", program.slug),
            kind=kinds.get(program.kind, program.kind),
        )
        for program in programs
    ]


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
        Session.objects.filter(
            cohort_id__in=cohort_ids, starts_on__gte=today, cancelled_at__isnull=True
        )
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
