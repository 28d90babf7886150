"""The facts about a user that their rights follow from, read once per request.

Staff roles are granted per program (``ProgramRole``); a participant's rights come from their
enrollments. What these facts allow is decided by the policies (``policies.py``); the facts
themselves decide nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import connection
from django.http import HttpRequest

from movilim.core import userfacts
from movilim.core.roles import Role, StaffRole
from movilim.people.models import Person

from .models import MEMBER_STATUSES, Cohort, Enrollment, ProgramRole

if TYPE_CHECKING:
    from movilim.core.models import User

MANAGING = frozenset({StaffRole.MANAGER.value, StaffRole.COORDINATOR.value})
ALL_STAFF = frozenset(StaffRole.values)


@dataclass
class Facts:
    """What one user is in the programs: administrator or not, their person record, staff roles
    per program and the cohorts they are a member of. Built by :func:`facts_for` in one query;
    the policies read nothing else."""

    user_id: int | None
    is_admin: bool = False
    person_id: int | None = None
    program_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    member_cohorts: dict[int, int] = field(default_factory=dict)  # cohort id -> program id

    def roles_in(self, program_id: int) -> frozenset[str]:
        return self.program_roles.get(program_id, frozenset())

    def staff_program_ids(self, roles: Iterable[str] = ALL_STAFF) -> set[int]:
        wanted = set(roles)
        return {pid for pid, held in self.program_roles.items() if held & wanted}

    @cached_property
    def member_program_ids(self) -> set[int]:
        return set(self.member_cohorts.values())

    @cached_property
    def roles(self) -> list[str]:
        """The roles held anywhere, for pages that greet the user by what they do."""
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


ANONYMOUS_FACTS = Facts(user_id=None)


def _access_sql() -> str:
    """This app's part of the user's statement (``core.userfacts``): program roles, person and
    enrollments.

    Rows are ``("role", program, role, NULL, NULL)`` and ``("person", program, status, cohort,
    person)``, the latter once per enrollment (or once with NULLs for a person without any).
    Table and column names come from the models, never from input.
    """
    q = connection.ops.quote_name
    role, person = ProgramRole._meta.db_table, Person._meta.db_table
    enrollment, cohort = Enrollment._meta.db_table, Cohort._meta.db_table
    return (
        f"SELECT 'role', {q('program_id')}, {q('role')}, {userfacts.NO_NUMBER}, "  # noqa: S608
        f"{userfacts.NO_NUMBER} FROM {q(role)} "
        f"WHERE {q('user_id')} = %s "
        f"UNION ALL "
        f"SELECT 'person', c.{q('program_id')}, e.{q('status')}, e.{q('cohort_id')}, p.{q('id')} "
        f"FROM {q(person)} p "
        f"LEFT JOIN {q(enrollment)} e ON e.{q('person_id')} = p.{q('id')} "
        f"LEFT JOIN {q(cohort)} c ON c.{q('id')} = e.{q('cohort_id')} "
        f"WHERE p.{q('user_id')} = %s"
    )


USER_PART = userfacts.Part("programs", _access_sql, params=2)


def facts_for(user: User | None) -> Facts:
    """The user's facts, read once and kept on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS_FACTS
    cached: Facts | None = getattr(user, "_movilim_access", None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    member_cohorts: dict[int, int] = {}
    person_id: int | None = None
    for program_id, value, _cohort, _person in userfacts.rows_for(user, "role"):
        roles.setdefault(program_id, set()).add(value)
    for program_id, value, cohort_id, pid in userfacts.rows_for(user, "person"):
        person_id = pid
        if value in MEMBER_STATUSES:
            member_cohorts[cohort_id] = program_id
    access = Facts(
        user_id=user.pk,
        is_admin=user.is_superuser,
        person_id=person_id,
        program_roles={pid: frozenset(held) for pid, held in roles.items()},
        member_cohorts=member_cohorts,
    )
    user.__dict__["_movilim_access"] = access
    return access


def request_facts(request: HttpRequest) -> Facts:
    return facts_for(request.user)  # type: ignore[arg-type]
