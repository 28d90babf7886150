"""Who may see and do what, resolved once per request and checked while objects load.

Staff roles are granted per program (``ProgramRole``); a participant's rights come from their
enrollments. Views never fetch a protected object directly: they call one of the ``*_for_*``
loaders below, which raise ``Http404`` for objects the user may not know about and
``PermissionDenied`` for visible objects the user may not act on.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from movilim.core.roles import Role, StaffRole
from movilim.people.models import Person

from .models import MEMBER_STATUSES, Cohort, Enrollment, ProgramRole, Session

if TYPE_CHECKING:
    from movilim.core.models import User

MANAGING = frozenset({StaffRole.MANAGER.value, StaffRole.COORDINATOR.value})
ALL_STAFF = frozenset(StaffRole.values)


class InProgram(Protocol):
    """A cohort as far as the checks need it: its key and its program's."""

    @property
    def pk(self) -> int: ...

    @property
    def program_id(self) -> int: ...


@dataclass
class Access:
    """The rights of one user; built by :func:`access_for`, two queries at most."""

    user_id: int | None
    is_admin: bool = False
    person_id: int | None = None
    program_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    member_cohorts: dict[int, int] = field(default_factory=dict)  # cohort id -> program id

    # --- programs ---------------------------------------------------------------------------
    def roles_in(self, program_id: int) -> frozenset[str]:
        return self.program_roles.get(program_id, frozenset())

    def staff_program_ids(self, roles: Iterable[str] = ALL_STAFF) -> set[int]:
        wanted = set(roles)
        return {pid for pid, held in self.program_roles.items() if held & wanted}

    @cached_property
    def member_program_ids(self) -> set[int]:
        return set(self.member_cohorts.values())

    def can_manage_program(self, program_id: int) -> bool:
        return self.is_admin or bool(self.roles_in(program_id) & MANAGING)

    def can_see_program(self, program_id: int) -> bool:
        return (
            self.is_admin
            or bool(self.roles_in(program_id))
            or program_id in self.member_program_ids
        )

    # --- cohorts ----------------------------------------------------------------------------
    def can_see_cohort(self, cohort: InProgram) -> bool:
        return (
            self.is_admin
            or bool(self.roles_in(cohort.program_id))
            or cohort.pk in self.member_cohorts
        )

    def can_see_roster(self, cohort: InProgram) -> bool:
        """Names, organizations and titles of the cohort's participants."""
        return (
            self.is_admin
            or bool(self.roles_in(cohort.program_id) & (MANAGING | {StaffRole.EVALUATOR}))
            or cohort.pk in self.member_cohorts
        )

    def can_see_composition(self, cohort: InProgram) -> bool:
        """Aggregate shares against targets: for every staff role, steering committee included."""
        return self.is_admin or bool(self.roles_in(cohort.program_id))

    def can_manage_cohort(self, cohort: InProgram) -> bool:
        """Take attendance, schedule sessions, change enrollments, import, export contacts."""
        return self.can_manage_program(cohort.program_id)

    # --- people -----------------------------------------------------------------------------
    def can_list_people(self) -> bool:
        return self.is_admin or bool(self.staff_program_ids(MANAGING))

    def can_import(self) -> bool:
        return self.can_list_people()

    # --- roles, for pages that greet the user by what they do -------------------------------
    @cached_property
    def roles(self) -> list[str]:
        held: list[str] = []
        if self.is_admin:
            held.append(Role.ADMIN.value)
        all_roles = set().union(*self.program_roles.values()) if self.program_roles else set()
        held.extend(role for role in StaffRole.values if role in all_roles)
        if self.member_cohorts:
            held.append(Role.PARTICIPANT.value)
        return held

    @property
    def is_staff_anywhere(self) -> bool:
        return self.is_admin or bool(self.program_roles)


ANONYMOUS_ACCESS = Access(user_id=None)


@functools.cache
def _access_sql() -> str:
    """One statement for a user's program roles, person and enrollments.

    Every signed-in page needs these rights, so they cost one round trip and no ORM query
    building. Rows are ``("role", program, role, NULL, NULL)`` and ``("person", program, status,
    cohort, person)``, the latter once per enrollment (or once with NULLs for a person without
    any). Table and column names come from the models, never from input.
    """
    q = connection.ops.quote_name
    role, person = ProgramRole._meta.db_table, Person._meta.db_table
    enrollment, cohort = Enrollment._meta.db_table, Cohort._meta.db_table
    return (
        f"SELECT 'role', {q('program_id')}, {q('role')}, NULL, NULL FROM {q(role)} "  # noqa: S608
        f"WHERE {q('user_id')} = %s "
        f"UNION ALL "
        f"SELECT 'person', c.{q('program_id')}, e.{q('status')}, e.{q('cohort_id')}, p.{q('id')} "
        f"FROM {q(person)} p "
        f"LEFT JOIN {q(enrollment)} e ON e.{q('person_id')} = p.{q('id')} "
        f"LEFT JOIN {q(cohort)} c ON c.{q('id')} = e.{q('cohort_id')} "
        f"WHERE p.{q('user_id')} = %s"
    )


def access_for(user: User | None) -> Access:
    """The user's rights, computed once and kept on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS_ACCESS
    cached: Access | None = getattr(user, "_movilim_access", None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    member_cohorts: dict[int, int] = {}
    person_id: int | None = None
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(), [user.pk, user.pk])
        for kind, program_id, value, cohort_id, pid in cursor.fetchall():
            if kind == "role":
                roles.setdefault(program_id, set()).add(value)
            else:
                person_id = pid
                if value in MEMBER_STATUSES:
                    member_cohorts[cohort_id] = program_id
    access = Access(
        user_id=user.pk,
        is_admin=user.is_superuser,
        person_id=person_id,
        program_roles={pid: frozenset(held) for pid, held in roles.items()},
        member_cohorts=member_cohorts,
    )
    user.__dict__["_movilim_access"] = access
    return access


def request_access(request: HttpRequest) -> Access:
    return access_for(request.user)  # type: ignore[arg-type]


# --- loaders that check as they load ----------------------------------------------------------


def cohort_for_view(user: User, cohort_id: int) -> Cohort:
    cohort = Cohort.objects.select_related("program").filter(pk=cohort_id).first()
    if cohort is None or not access_for(user).can_see_cohort(cohort):
        raise Http404
    return cohort


def cohort_for_management(user: User, cohort_id: int) -> Cohort:
    cohort = cohort_for_view(user, cohort_id)
    if not access_for(user).can_manage_cohort(cohort):
        raise PermissionDenied
    return cohort


def session_for_view(user: User, session_id: int) -> Session:
    session = (
        Session.objects.select_related("cohort__program", "domain").filter(pk=session_id).first()
    )
    if session is None or not access_for(user).can_see_cohort(session.cohort):
        raise Http404
    return session


def session_for_management(user: User, session_id: int) -> Session:
    session = session_for_view(user, session_id)
    if not access_for(user).can_manage_cohort(session.cohort):
        raise PermissionDenied
    return session


def enrollment_for_management(user: User, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "person__user")
        .filter(pk=enrollment_id)
        .first()
    )
    if enrollment is None or not access_for(user).can_see_cohort(enrollment.cohort):
        raise Http404
    if not access_for(user).can_manage_cohort(enrollment.cohort):
        raise PermissionDenied
    return enrollment


@dataclass(frozen=True)
class PersonView:
    person: Person
    can_see_sensitive: bool
    can_edit: bool


def person_for_view(user: User, person_id: int) -> PersonView:
    """A profile the user may open, and whether they may see its sensitive fields.

    Visible to the person, to staff of a program they are enrolled in (the steering committee
    excepted: it sees aggregates only), and to fellow members of their cohorts. Sensitive fields
    (gender, minority, contact details) only to the person and to the managers and coordinators
    of their programs.
    """
    person = Person.objects.select_related("user", "organization").filter(pk=person_id).first()
    if person is None:
        raise Http404
    access = access_for(user)
    if access.is_admin or access.person_id == person.pk:
        return PersonView(person, can_see_sensitive=True, can_edit=True)
    enrollments = list(
        Enrollment.objects.filter(person=person).values_list(
            "cohort_id", "cohort__program_id", "status"
        )
    )
    programs = {program_id for _, program_id, _ in enrollments}
    if access.staff_program_ids(MANAGING) & programs:
        return PersonView(person, can_see_sensitive=True, can_edit=True)
    evaluating = access.staff_program_ids({StaffRole.EVALUATOR}) & programs
    member_of = {cohort_id for cohort_id, _, status in enrollments if status in MEMBER_STATUSES}
    fellow = set(access.member_cohorts) & member_of
    if evaluating or fellow:
        return PersonView(person, can_see_sensitive=False, can_edit=False)
    raise Http404


def visible_cohorts(user: User) -> QuerySet[Cohort]:
    access = access_for(user)
    cohorts = Cohort.objects.select_related("program")
    if access.is_admin:
        return cohorts
    return cohorts.filter(
        Q(program_id__in=access.staff_program_ids()) | Q(pk__in=list(access.member_cohorts))
    )


def managed_cohorts(user: User) -> QuerySet[Cohort]:
    access = access_for(user)
    cohorts = Cohort.objects.select_related("program")
    if access.is_admin:
        return cohorts
    return cohorts.filter(program_id__in=access.staff_program_ids(MANAGING))
