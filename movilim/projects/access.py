"""Loaders that check the user's rights as they load a project (404 for a project the user may
not know of, 403 for one they may see but not change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from movilim.programs.facts import facts_for
from movilim.programs.models import Cohort

from .models import Project, ProjectAttachment, ProjectLink, ProjectMember
from .policies import ProjectPolicy

if TYPE_CHECKING:
    from movilim.core.models import User


@dataclass(frozen=True)
class ProjectView:
    project: Project
    can_edit: bool
    is_member: bool


def project_policy(user: User, *, project_id: int | None = None) -> ProjectPolicy:
    """The policy, knowing whether the user is an active member of ``project_id``."""
    facts = facts_for(user)
    member_of: frozenset[int] = frozenset()
    if project_id is not None and facts.person_id is not None:
        found = ProjectMember.objects.filter(
            project_id=project_id, person_id=facts.person_id, ended_on__isnull=True
        ).exists()
        member_of = frozenset({project_id}) if found else frozenset()
    return ProjectPolicy(facts, member_of=member_of)


def project_for_view(user: User, project_id: int) -> ProjectView:
    project = Project.objects.select_related("cohort__program").filter(pk=project_id).first()
    if project is None:
        raise Http404
    policy = project_policy(user, project_id=project.pk)
    if not policy.user_has_permission_for_instance("view", project):
        raise Http404
    return ProjectView(
        project,
        can_edit=policy.user_has_permission_for_instance("edit", project),
        is_member=project.pk in policy.member_of,
    )


def project_for_edit(user: User, project_id: int) -> ProjectView:
    view = project_for_view(user, project_id)
    if not view.can_edit:
        raise PermissionDenied
    return view


def attachment_for_view(user: User, attachment_id: int) -> ProjectAttachment:
    attachment = ProjectAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    project_for_view(user, attachment.project_id)
    return attachment


def link_for_edit(user: User, project_id: int, link_id: int) -> ProjectLink:
    """The link ``link_id`` of project ``project_id``, if the user may change that project.

    The link is looked up within the project named in the address, so another project's link is
    404 there; the right to edit is then asked of the link's own project."""
    link = ProjectLink.objects.filter(pk=link_id, project_id=project_id).first()
    if link is None:
        raise Http404
    project_for_edit(user, link.project_id)
    return link


def attachment_for_edit(user: User, project_id: int, attachment_id: int) -> ProjectAttachment:
    """The file ``attachment_id`` of project ``project_id``, if the user may change that project
    (404 for another project's file, as for :func:`link_for_edit`)."""
    attachment = ProjectAttachment.objects.filter(pk=attachment_id, project_id=project_id).first()
    if attachment is None:
        raise Http404
    project_for_edit(user, attachment.project_id)
    return attachment


def cohorts_for(user: User, action: str) -> QuerySet[Cohort]:
    """Cohorts in which the user may ``create`` projects, see the ``portfolio`` or
    ``form_teams``."""
    facts = facts_for(user)
    cohorts = Cohort.objects.select_related("program")
    if facts.is_admin:
        return cohorts
    policy = ProjectPolicy(facts)
    roles = policy._roles(action)
    condition = cohorts.filter(program_id__in=facts.staff_program_ids(roles))
    if action == "create":
        condition = condition | cohorts.filter(pk__in=list(facts.member_cohorts))
    return condition


def cohort_for(user: User, cohort_id: int, action: str) -> Cohort:
    cohort = Cohort.objects.select_related("program").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    facts = facts_for(user)
    policy = ProjectPolicy(facts)
    if not policy.user_has_permission_for_instance(action, cohort):
        sees = (
            facts.is_admin
            or facts.roles_in(cohort.program_id)
            or (cohort.pk in facts.member_cohorts)
        )
        if not sees:
            raise Http404
        raise PermissionDenied
    return cohort
