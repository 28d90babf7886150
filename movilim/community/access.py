"""Loaders that check the user's rights while they load: 404 for what the user may not know of,
403 for what they may see but not do (rules in ``policies.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from movilim.programs.facts import MANAGING, facts_for
from movilim.programs.models import Program

from .models import Cluster, Digest, Discussion, Event, KnowledgeItem, Membership
from .policies import (
    ClusterPolicy,
    CommunityPolicy,
    DiscussionPolicy,
    EventPolicy,
    ItemPolicy,
    MembershipPolicy,
    member_for,
    policy_for,
)

if TYPE_CHECKING:
    from movilim.core.models import User

M = TypeVar("M", bound=Model)


def _load(
    user: User, queryset: QuerySet[M], pk: int, policy_class: type[CommunityPolicy[Any]]
) -> M:
    obj = queryset.filter(pk=pk).first()
    policy = policy_for(policy_class, user)
    if obj is None or not policy.user_has_permission_for_instance("view", obj):
        raise Http404
    return obj


def _managed(obj: M, user: User, policy_class: type[CommunityPolicy[Any]]) -> M:
    if not policy_for(policy_class, user).user_has_permission_for_instance("manage", obj):
        raise PermissionDenied
    return obj


def event_for_view(user: User, pk: int) -> Event:
    return _load(user, Event.objects.select_related("program", "cluster"), pk, EventPolicy)


def event_for_management(user: User, pk: int) -> Event:
    return _managed(event_for_view(user, pk), user, EventPolicy)


def item_for_view(user: User, pk: int) -> KnowledgeItem:
    items = KnowledgeItem.objects.select_related("program", "cluster", "author__user")
    return _load(user, items, pk, ItemPolicy)


def discussion_for_view(user: User, pk: int) -> Discussion:
    return _load(user, Discussion.objects.select_related("cluster"), pk, DiscussionPolicy)


def discussion_for_management(user: User, pk: int) -> Discussion:
    return _managed(discussion_for_view(user, pk), user, DiscussionPolicy)


def cluster_for_view(user: User, pk: int) -> Cluster:
    return _load(user, Cluster.objects.all(), pk, ClusterPolicy)


def cluster_for_management(user: User, pk: int) -> Cluster:
    return _managed(cluster_for_view(user, pk), user, ClusterPolicy)


def own_membership(user: User) -> Membership:
    """The user's own active membership: the pages of a member's own settings need one."""
    member = member_for(user)
    if member is None:
        raise PermissionDenied
    return Membership.objects.select_related("person__user").get(pk=member.id)


@dataclass(frozen=True)
class ProfileView:
    """A member's profile as one reader may see it: ``audiences`` are the audiences whose
    fields this reader sees."""

    membership: Membership
    is_self: bool
    is_staff: bool

    def shows(self, field: str) -> bool:
        if self.is_self:
            return True
        audience = self.membership.audience_of(field)
        return audience == "members" or (audience == "staff" and self.is_staff)


def profile_for_view(user: User, person_id: int) -> ProfileView:
    membership = (
        Membership.objects.select_related("person__user", "person__organization", "program")
        .filter(person_id=person_id, is_active=True)
        .first()
    )
    policy = policy_for(MembershipPolicy, user)
    if membership is None or not policy.user_has_permission_for_instance("view", membership):
        raise Http404
    facts = policy.facts
    is_staff = facts.is_admin or bool(facts.roles_in(membership.program_id))
    return ProfileView(membership, facts.person_id == person_id, is_staff)


def managed_program_ids(user: User) -> set[int] | None:
    """Programs whose community the user runs (None: all, for administrators)."""
    facts = facts_for(user)
    return None if facts.is_admin else facts.staff_program_ids(MANAGING)


def managed_programs(user: User) -> QuerySet[Program]:
    """The active programs whose community the user runs: the choices of a staff form."""
    ids = managed_program_ids(user)
    programs = Program.objects.filter(is_active=True).order_by("kind", "name_he")
    return programs if ids is None else programs.filter(pk__in=ids)


def runs_community(user: User) -> bool:
    ids = managed_program_ids(user)
    return ids is None or bool(ids)


def digest_for_management(user: User, pk: int) -> Digest:
    digest = Digest.objects.select_related("program").filter(pk=pk).first()
    if digest is None:
        raise Http404
    programs = managed_program_ids(user)
    if programs is not None and digest.program_id not in programs:
        raise Http404
    return digest
