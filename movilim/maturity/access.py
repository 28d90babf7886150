"""Loaders that check as they load: 404 for what the user may not know of, 403 for actions
refused on what they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from movilim.people.models import Organization
from movilim.programs.facts import facts_for
from movilim.programs.models import Program
from movilim.projects.access import ProjectView, project_for_view

from .policies import OrganizationMaturityPolicy
from .queries import ASSESSED_KINDS

if TYPE_CHECKING:
    from movilim.core.models import User


def project_for_assessment(user: User, project_id: int) -> ProjectView:
    """The project if the user may assess it: an active member (or an administrator)."""
    view = project_for_view(user, project_id)
    if not (view.is_member or facts_for(user).is_admin):
        raise PermissionDenied
    return view


def program_for_maturity(user: User, slug: str, action: str = "view") -> Program:
    program = Program.objects.filter(slug=slug).first()
    policy = OrganizationMaturityPolicy(facts_for(user))
    if program is None or not policy.user_has_permission_for_instance("view", program):
        raise Http404
    if not policy.user_has_permission_for_instance(action, program):
        raise PermissionDenied
    return program


def organization_for_maturity(
    user: User, slug: str, organization_id: int, action: str = "view"
) -> tuple[Program, Organization]:
    """The organization, if the tool assesses its kind (ministries and local authorities), with
    the program whose staff look at it: anything else is not found, as in the list."""
    program = program_for_maturity(user, slug, action)
    organization = Organization.objects.filter(pk=organization_id, kind__in=ASSESSED_KINDS).first()
    if organization is None:
        raise Http404
    return program, organization
