"""Who may do what with 7 Lenses assessments, decided from the user's facts.

- A project's lenses page follows the project: whoever may ``view`` the project
  (``projects.policies``) sees its assessments, with the assessors' names.
- ``assess`` a project: its active members (the tool is the team's own diagnosis) and site
  administrators. ``set_targets``: whoever may edit the project.
- The cohort heatmap (counts of projects per lens and level, no names): every staff role of
  the program, the steering committee included.
- An organization's digital maturity is kept per program (the program that follows it, say the
  local track choosing authorities for its preparatory course): every staff role of that program
  sees it and the ranking, its managers and coordinators assess.
"""

from __future__ import annotations

from movilim.core.roles import StaffRole
from movilim.programs.facts import MANAGING, Facts
from movilim.programs.models import Program

ALL_STAFF = frozenset(StaffRole.values)


class OrganizationMaturityPolicy:
    """``view`` and ``assess`` the organizations' maturity kept by a program."""

    actions = frozenset({"view", "assess"})

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def _roles(self, action: str) -> frozenset[str]:
        if action not in self.actions:
            raise ValueError(f"OrganizationMaturityPolicy knows no action {action!r}")
        return MANAGING if action == "assess" else ALL_STAFF

    def user_has_permission(self, action: str) -> bool:
        roles = self._roles(action)
        return self.facts.is_admin or bool(self.facts.staff_program_ids(roles))

    def user_has_permission_for_instance(self, action: str, program: Program) -> bool:
        roles = self._roles(action)
        return self.facts.is_admin or bool(self.facts.roles_in(program.pk) & roles)

    def program_ids(self, action: str) -> set[int] | None:
        """The programs, or None for all (administrators)."""
        if self.facts.is_admin:
            return None
        return self.facts.staff_program_ids(self._roles(action))
