"""Who may do what to projects, decided from the user's facts (``programs.facts``).

- ``view`` (the project page, with its members' names): site administrators; program staff of
  the project's program except the steering committee (managers, coordinators, evaluators);
  members of any cohort of the program, since alumni learn from each other's projects; and the
  project's own members, whatever their cohort.
- ``edit`` (details, stage, members, links, attachments): the project's active members and the
  managers and coordinators of its program.
- ``create``: managers and coordinators of the cohort's program, and the cohort's members (who
  become the project's lead).
- ``portfolio`` (the dashboard: counts and shares, no names): every staff role of the program,
  the steering committee included, which sees aggregates and never the pages with names.
- ``form_teams``: managers and coordinators of the cohort's program.
"""

from __future__ import annotations

from typing import Protocol

from django.db.models import Exists, OuterRef, Q

from movilim.core.roles import StaffRole
from movilim.programs.facts import MANAGING
from movilim.programs.policies import Policy

from .models import Project, ProjectMember

#: Staff who may read project pages (names of members included).
READERS = MANAGING | {StaffRole.EVALUATOR.value}
PORTFOLIO = frozenset(StaffRole.values)


class ProjectLike(Protocol):
    @property
    def pk(self) -> int: ...

    @property
    def cohort_id(self) -> int: ...


class ProjectPolicy(Policy[Project]):
    model = Project
    actions = frozenset({"view", "edit", "create", "portfolio", "form_teams"})

    def __init__(self, facts, *, member_of: frozenset[int] = frozenset()) -> None:  # type: ignore[no-untyped-def]
        super().__init__(facts)
        # Projects the user is an active member of, when the caller read them (see access.py).
        self.member_of = member_of

    def _roles(self, action: str) -> frozenset[str]:
        if action == "view":
            return READERS
        if action == "portfolio":
            return PORTFOLIO
        return MANAGING

    def _any(self, action: str) -> bool:
        staff = bool(self.facts.staff_program_ids(self._roles(action)))
        if action in ("portfolio", "form_teams"):
            return staff
        return staff or self.facts.person_id is not None

    def program_of(self, instance: object) -> int | None:
        cohort = getattr(instance, "cohort", None)
        return getattr(cohort, "program_id", None)

    def _for_instance(self, action: str, instance: object) -> bool:
        """``instance`` is a project with ``cohort`` loaded (a cohort itself for ``create``,
        ``portfolio`` and ``form_teams``)."""
        facts = self.facts
        if action in ("create", "portfolio", "form_teams"):
            program_id = instance.program_id  # type: ignore[attr-defined]
            if facts.roles_in(program_id) & self._roles(action):
                return True
            return action == "create" and instance.pk in facts.member_cohorts  # type: ignore[attr-defined]
        project: ProjectLike = instance  # type: ignore[assignment]
        program_id = self.program_of(project)
        if program_id is not None and facts.roles_in(program_id) & self._roles(action):
            return True
        if project.pk in self.member_of:
            return True
        return action == "view" and program_id in facts.member_program_ids

    def _condition(self, action: str) -> Q:
        facts = self.facts
        condition = Q(cohort__program_id__in=facts.staff_program_ids(self._roles(action)))
        if action in ("portfolio", "form_teams", "create"):
            return condition
        if facts.person_id is not None:
            active = ProjectMember.objects.filter(
                project=OuterRef("pk"), person_id=facts.person_id, ended_on__isnull=True
            )
            condition |= Q(Exists(active))
        if action == "view":
            condition |= Q(cohort__program_id__in=facts.member_program_ids)
        return condition
