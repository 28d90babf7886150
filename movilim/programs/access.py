"""Loaders that check the user's rights while they load a protected object.

Views never fetch a protected object directly: they call one of the ``*_for_*`` loaders below,
which raise ``Http404`` for objects the user may not know about and ``PermissionDenied`` for
visible objects the user may not act on. The rules are the policies' (``policies.py``), read
from the user's facts (``facts.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.expressions import BaseExpression
from django.http import Http404

from movilim.core.roles import StaffRole
from movilim.people.models import Person

from .facts import MANAGING, facts_for
from .models import MEMBER_STATUSES, Cohort, Enrollment, Program, Session
from .policies import CohortPolicy, PersonPolicy, PersonView

if TYPE_CHECKING:
    from movilim.core.models import User

# --- loaders that check as they load ----------------------------------------------------------


def cohort_for_view(
    user: User, cohort_id: int, *, annotate: Mapping[str, BaseExpression] | None = None
) -> Cohort:
    """The cohort if ``user`` may see it, else 404; ``annotate`` adds values read in the same
    query (a page's counts, say)."""
    cohorts = Cohort.objects.select_related("program").filter(pk=cohort_id)
    if annotate:
        cohorts = cohorts.annotate(**annotate)
    cohort = cohorts.first()
    if cohort is None or not cohort_policy(user).user_has_permission_for_instance("view", cohort):
        raise Http404
    return cohort


def cohort_for_management(user: User, cohort_id: int) -> Cohort:
    cohort = cohort_for_view(user, cohort_id)
    if not cohort_policy(user).user_has_permission_for_instance("manage", cohort):
        raise PermissionDenied
    return cohort


def session_for_view(user: User, session_id: int) -> Session:
    session = (
        Session.objects.select_related("cohort__program", "domain").filter(pk=session_id).first()
    )
    if session is None or not cohort_policy(user).user_has_permission_for_instance(
        "view", session.cohort
    ):
        raise Http404
    return session


def session_for_management(user: User, session_id: int) -> Session:
    session = session_for_view(user, session_id)
    if not cohort_policy(user).user_has_permission_for_instance("manage", session.cohort):
        raise PermissionDenied
    return session


def enrollment_for_management(user: User, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "person__user")
        .filter(pk=enrollment_id)
        .first()
    )
    policy = cohort_policy(user)
    if enrollment is None or not policy.user_has_permission_for_instance("view", enrollment.cohort):
        raise Http404
    if not policy.user_has_permission_for_instance("manage", enrollment.cohort):
        raise PermissionDenied
    return enrollment


def person_for_view(user: User, person_id: int) -> PersonView:
    """A profile the user may open, and whether they may see its sensitive fields and edit it
    (the rules are :class:`~movilim.programs.policies.PersonPolicy`'s)."""
    person = Person.objects.select_related("user", "organization").filter(pk=person_id).first()
    if person is None:
        raise Http404
    view = PersonPolicy(facts_for(user)).view_of(person)
    if view is None:
        raise Http404
    return view


def visible_cohorts(user: User) -> QuerySet[Cohort]:
    return cohort_policy(user).instances_user_has_permission_for("view").select_related("program")


def managed_cohorts(user: User) -> QuerySet[Cohort]:
    return cohort_policy(user).instances_user_has_permission_for("manage").select_related("program")


def cohort_policy(user: User) -> CohortPolicy:
    return CohortPolicy(facts_for(user))


# --- setting programs up ------------------------------------------------------------------------


def program_for_setup(user: User, slug: str) -> Program:
    """The program if ``user`` may change it and its cohorts; 404 if they may not see it."""
    from .policies import ProgramPolicy, ProgramSetupPolicy

    program = Program.objects.filter(slug=slug).first()
    facts = facts_for(user)
    if program is None or not ProgramPolicy(facts).user_has_permission_for_instance(
        "view", program
    ):
        raise Http404
    if not ProgramSetupPolicy(facts).user_has_permission_for_instance("edit", program):
        raise PermissionDenied
    return program


def cohort_for_setup(user: User, cohort_id: int) -> Cohort:
    """The cohort if ``user`` may change its dates and targets (its program's managers)."""
    from .policies import ProgramSetupPolicy

    cohort = cohort_for_view(user, cohort_id)
    if not ProgramSetupPolicy(facts_for(user)).user_has_permission_for_instance(
        "edit", cohort.program
    ):
        raise PermissionDenied
    return cohort


def may_set_up(user: User, program: Program) -> bool:
    from .policies import ProgramSetupPolicy

    return ProgramSetupPolicy(facts_for(user)).user_has_permission_for_instance("edit", program)


def program_for_dashboard(user: User, slug: str, *, aggregates_only: bool) -> Program:
    """The program if ``user`` may read its dashboard, else 404: the staff's dashboard (names of
    members behind pace) for those who see attendance, the aggregates for every staff role."""
    program = Program.objects.filter(slug=slug).first()
    facts = facts_for(user)
    if program is None:
        raise Http404
    roles = frozenset(StaffRole.values) if aggregates_only else MANAGING | {StaffRole.EVALUATOR}
    if not (facts.is_admin or facts.roles_in(program.pk) & roles):
        raise Http404
    return program


def enrollment_for_statement(user: User, enrollment_id: int) -> Enrollment:
    """A member's enrollment whose hours ``user`` may read: their own, or any of a cohort whose
    attendance they see (the program's managers, coordinators and evaluators); else 404."""
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "person__user")
        .filter(pk=enrollment_id, status__in=MEMBER_STATUSES)
        .first()
    )
    if enrollment is None:
        raise Http404
    facts = facts_for(user)
    if facts.person_id == enrollment.person_id:
        return enrollment
    if not cohort_policy(user).user_has_permission_for_instance(
        "view_attendance", enrollment.cohort
    ):
        raise Http404
    return enrollment
