"""Who may do what to programs, cohorts and people: one policy per kind of object.

Each policy answers from the user's :class:`~movilim.programs.facts.Facts` alone, in the three
questions Wagtail's permission policies ask: may the user do this to some object of the kind
(``user_has_permission``), to this object (``user_has_permission_for_instance``), and which
objects may they do it to (``instances_user_has_permission_for``, a queryset to filter lists
and set-based writes with). Views use them through the loaders in ``access.py``; the API will
use the same objects. Apps above ``programs`` write their own policies on the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from movilim.core.roles import StaffRole
from movilim.people.models import Organization, Person

from .facts import MANAGING, Facts
from .models import MEMBER_STATUSES, Cohort, Enrollment, Program

M = TypeVar("M", bound=Model)


class InProgram(Protocol):
    """A cohort as far as the checks need it: its key and its program's."""

    @property
    def pk(self) -> int: ...

    @property
    def program_id(self) -> int: ...


class Policy(Generic[M]):
    """The three questions; subclasses list their ``actions`` and answer for them."""

    model: type[M]
    actions: frozenset[str] = frozenset()

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def _check(self, action: str) -> None:
        if action not in self.actions:
            # A typo must fail loudly, never read as "not allowed" or, worse, "allowed".
            raise ValueError(f"{type(self).__name__} knows no action {action!r}")

    def user_has_permission(self, action: str) -> bool:
        """Whether the user may do ``action`` to at least some object of this kind."""
        self._check(action)
        return self.facts.is_admin or self._any(action)

    def user_has_permission_for_instance(self, action: str, instance: object) -> bool:
        self._check(action)
        return self.facts.is_admin or self._for_instance(action, instance)

    def instances_user_has_permission_for(self, action: str) -> QuerySet[M]:
        self._check(action)
        objects = self.model._default_manager.all()
        return objects if self.facts.is_admin else objects.filter(self._condition(action))

    # Subclasses answer for users who are not site administrators.
    def _any(self, action: str) -> bool:
        raise NotImplementedError

    def _for_instance(self, action: str, instance: object) -> bool:
        raise NotImplementedError

    def _condition(self, action: str) -> Q:
        raise NotImplementedError


class ProgramPolicy(Policy[Program]):
    """``view``: staff of the program and its members; ``manage``: its managers and
    coordinators (schedule, take attendance, change enrollments, import)."""

    model = Program
    actions = frozenset({"view", "manage"})

    def _program_ids(self, action: str) -> set[int]:
        if action == "manage":
            return self.facts.staff_program_ids(MANAGING)
        return self.facts.staff_program_ids() | self.facts.member_program_ids

    def _any(self, action: str) -> bool:
        return bool(self._program_ids(action))

    def _for_instance(self, action: str, instance: object) -> bool:
        return instance.pk in self._program_ids(action)  # type: ignore[attr-defined]

    def _condition(self, action: str) -> Q:
        return Q(pk__in=self._program_ids(action))


class CohortPolicy(Policy[Cohort]):
    """``view``: the cohort's page (staff of its program, its members); ``view_roster``: names,
    organizations and titles of its participants (not the steering committee, which sees
    aggregates only); ``view_composition``: aggregate shares against targets (every staff role);
    ``view_attendance``: each member's attendance and hours (staff who see the roster, never
    fellow members: another participant's record is personal data); ``manage``: the program's
    managers and coordinators."""

    model = Cohort
    actions = frozenset({"view", "view_roster", "view_composition", "view_attendance", "manage"})

    _STAFF_ROLES = {
        "view": frozenset(StaffRole.values),
        "view_roster": MANAGING | {StaffRole.EVALUATOR.value},
        "view_attendance": MANAGING | {StaffRole.EVALUATOR.value},
        "view_composition": frozenset(StaffRole.values),
        "manage": MANAGING,
    }
    _MEMBERS_MAY = frozenset({"view", "view_roster"})

    def _any(self, action: str) -> bool:
        members = action in self._MEMBERS_MAY and bool(self.facts.member_cohorts)
        return members or bool(self.facts.staff_program_ids(self._STAFF_ROLES[action]))

    def _for_instance(self, action: str, instance: object) -> bool:
        cohort: InProgram = instance  # type: ignore[assignment]
        if self.facts.roles_in(cohort.program_id) & self._STAFF_ROLES[action]:
            return True
        return action in self._MEMBERS_MAY and cohort.pk in self.facts.member_cohorts

    def _condition(self, action: str) -> Q:
        condition = Q(program_id__in=self.facts.staff_program_ids(self._STAFF_ROLES[action]))
        if action in self._MEMBERS_MAY:
            condition |= Q(pk__in=list(self.facts.member_cohorts))
        return condition


@dataclass(frozen=True)
class PersonView:
    """A profile as one reader may see it."""

    person: Person
    can_see_sensitive: bool
    can_edit: bool


class PersonPolicy(Policy[Person]):
    """``list`` and ``import``: managers and coordinators of some program. ``view``: the person,
    staff of a program they are enrolled in (the steering committee excepted) and fellow
    members of their cohorts. ``view_sensitive`` (gender, minority, contact details) and
    ``edit``: the person and the managers and coordinators of their programs."""

    model = Person
    actions = frozenset({"list", "import", "view", "view_sensitive", "edit"})

    def _any(self, action: str) -> bool:
        if action in ("list", "import"):
            return bool(self.facts.staff_program_ids(MANAGING))
        return self.facts.person_id is not None or bool(self.facts.program_roles)

    def _for_instance(self, action: str, instance: object) -> bool:
        if action in ("list", "import"):
            return self._any(action)
        view = self.view_of(instance)  # type: ignore[arg-type]
        if view is None:
            return False
        return action == "view" or view.can_edit

    def _condition(self, action: str) -> Q:
        if action in ("list", "import"):
            return Q(pk__in=[]) if not self._any(action) else Q()
        managed = Enrollment.objects.filter(
            person=OuterRef("pk"), cohort__program_id__in=self.facts.staff_program_ids(MANAGING)
        )
        condition = Q(pk=self.facts.person_id) | Q(Exists(managed))
        if action == "view":
            evaluated = Enrollment.objects.filter(
                person=OuterRef("pk"),
                cohort__program_id__in=self.facts.staff_program_ids({StaffRole.EVALUATOR}),
            )
            fellows = Enrollment.objects.filter(
                person=OuterRef("pk"),
                cohort_id__in=list(self.facts.member_cohorts),
                status__in=MEMBER_STATUSES,
            )
            condition |= Q(Exists(evaluated)) | Q(Exists(fellows))
        return condition

    def view_of(self, person: Person) -> PersonView | None:
        """How this reader may see ``person``, or None if they may not know of them: one query
        for the person's enrollments, none for the reader's own profile or an administrator."""
        facts = self.facts
        if facts.is_admin or facts.person_id == person.pk:
            return PersonView(person, can_see_sensitive=True, can_edit=True)
        enrollments = list(
            Enrollment.objects.filter(person=person).values_list(
                "cohort_id", "cohort__program_id", "status"
            )
        )
        programs = {program_id for _, program_id, _ in enrollments}
        if facts.staff_program_ids(MANAGING) & programs:
            return PersonView(person, can_see_sensitive=True, can_edit=True)
        evaluating = facts.staff_program_ids({StaffRole.EVALUATOR}) & programs
        member_of = {cohort_id for cohort_id, _, status in enrollments if status in MEMBER_STATUSES}
        if evaluating or set(facts.member_cohorts) & member_of:
            return PersonView(person, can_see_sensitive=False, can_edit=False)
        return None


class ProgramSetupPolicy(Policy[Program]):
    """Setting a program up: ``create`` a program (site administrators only: a new program has
    no staff yet, and its managers are named by an administrator); ``edit`` the program and
    create or edit its cohorts and their composition targets (the program's managers, not its
    coordinators, who run cohorts day to day but do not define them)."""

    model = Program
    actions = frozenset({"create", "edit"})

    def _program_ids(self) -> set[int]:
        return self.facts.staff_program_ids({StaffRole.MANAGER.value})

    def _any(self, action: str) -> bool:
        return action == "edit" and bool(self._program_ids())

    def _for_instance(self, action: str, instance: object) -> bool:
        return action == "edit" and instance.pk in self._program_ids()  # type: ignore[attr-defined]

    def _condition(self, action: str) -> Q:
        return Q(pk__in=self._program_ids() if action == "edit" else [])


class OrganizationPolicy(Policy[Organization]):
    """Organizations are shared by every program: ``change`` (rename, re-classify, merge
    duplicates) is for site administrators; ``add`` a new one, for managers and coordinators
    of some program, who meet new organizations as they enroll people."""

    model = Organization
    actions = frozenset({"add", "change"})

    def _any(self, action: str) -> bool:
        return action == "add" and bool(self.facts.staff_program_ids(MANAGING))

    def _for_instance(self, action: str, instance: object) -> bool:
        return self._any(action)

    def _condition(self, action: str) -> Q:
        return Q() if self._any(action) else Q(pk__in=[])
