"""Who may do what in the community, decided from the programs' facts and one more fact: whether
the user is an active member of the community.

One rule runs through it: everything in the community belongs to a program. Members of the
community (network fellows, community members, consultants and lecturers) read all of it,
whichever program runs it, since the community is open across ministries and programs; the
program's staff (managers, coordinators, evaluators) read what their programs run, and its
managers and coordinators run it. The steering committee sees aggregates only, and is not a
reader here. Site administrators may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection
from django.db.models import Model, Q
from django.http import HttpRequest

from movilim.core import userfacts
from movilim.core.roles import StaffRole
from movilim.people.models import Person
from movilim.programs.facts import MANAGING, Facts, facts_for
from movilim.programs.policies import Policy

from .models import Cluster, Discussion, Event, KnowledgeItem, Membership

if TYPE_CHECKING:
    from movilim.core.models import User

#: Staff roles that read a program's community content (the steering committee does not).
READING_STAFF = MANAGING | {StaffRole.EVALUATOR.value}

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Member:
    """The reader's own active membership, as far as the policies need it."""

    id: int
    program_id: int
    kind: str


def _member_sql() -> str:
    """The community's part of the user's statement (``core.userfacts``): their active
    membership (one at most: a person has one), read with their other facts in one round trip."""
    q = connection.ops.quote_name
    membership, person = Membership._meta.db_table, Person._meta.db_table
    return (
        f"SELECT 'member', m.{q('program_id')}, m.{q('kind')}, m.{q('id')}, "  # noqa: S608
        f"{userfacts.NO_NUMBER} FROM {q(membership)} m "
        f"JOIN {q(person)} p ON p.{q('id')} = m.{q('person_id')} "
        f"WHERE p.{q('user_id')} = %s AND m.{q('is_active')}"
    )


USER_PART = userfacts.Part("community", _member_sql)


def member_for(user: User | None) -> Member | None:
    """The user's active membership, as read with their other facts for this request."""
    rows = userfacts.rows_for(user, "member")
    if not rows:
        return None
    program_id, kind, pk, _ = rows[0]
    return Member(id=pk, program_id=program_id, kind=kind)


class CommunityPolicy(Policy[M]):
    """``view``: members, and staff of the object's program; ``manage``: the program's managers
    and coordinators. Objects are reached through their ``program_id``."""

    actions = frozenset({"view", "manage"})

    def __init__(self, facts: Facts, member: Member | None) -> None:
        super().__init__(facts)
        self.member = member

    def _roles(self, action: str) -> frozenset[str]:
        return READING_STAFF if action == "view" else MANAGING

    def _members_may(self, action: str) -> bool:
        return action == "view" and self.member is not None

    def _any(self, action: str) -> bool:
        return self._members_may(action) or bool(self.facts.staff_program_ids(self._roles(action)))

    def _for_instance(self, action: str, instance: object) -> bool:
        if self._members_may(action):
            return True
        program_id: int = instance.program_id  # type: ignore[attr-defined]
        return bool(self.facts.roles_in(program_id) & self._roles(action))

    def _condition(self, action: str) -> Q:
        if self._members_may(action):
            return Q()
        return Q(program_id__in=self.facts.staff_program_ids(self._roles(action)))

    def program_ids(self, action: str) -> set[int] | None:
        """The programs whose objects the user may ``action``; None: all of them."""
        self._check(action)
        if self.facts.is_admin or self._members_may(action):
            return None
        return self.facts.staff_program_ids(self._roles(action))

    @property
    def may_contribute(self) -> bool:
        """Write items, reply, register for events, join clusters: active members."""
        return self.member is not None


class MembershipPolicy(CommunityPolicy[Membership]):
    """The directory and profiles: members see every member; staff the members their programs
    look after. What each profile shows is the member's choice (``queries.profile_fields``)."""

    model = Membership


class ClusterPolicy(CommunityPolicy[Cluster]):
    model = Cluster


class EventPolicy(CommunityPolicy[Event]):
    model = Event


class ItemPolicy(CommunityPolicy[KnowledgeItem]):
    model = KnowledgeItem


class DiscussionPolicy(CommunityPolicy[Discussion]):
    model = Discussion


P = TypeVar("P", bound=CommunityPolicy[Any])


def policy_for(cls: type[P], user: User | None) -> P:
    return cls(facts_for(user), member_for(user))


def request_policy(cls: type[P], request: HttpRequest) -> P:
    return policy_for(cls, request.user)  # type: ignore[arg-type]


def sees_community(user: User | None) -> bool:
    """Whether the community's pages are for this user at all."""
    return policy_for(ItemPolicy, user).user_has_permission("view")
