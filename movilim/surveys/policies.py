"""Who may do what with instruments and waves, read from the user's program facts.

Evaluators of a program run its studies: they build instruments, open waves, invite, import
responses and see respondent-level data. The program's managers, coordinators and steering
committee see a wave's aggregates (suppressed for small groups, see ``audience_for``).
Participants answer only their own invitations.
"""

from __future__ import annotations

from django.db.models import Q

from movilim.core.disclosure import Audience
from movilim.core.roles import StaffRole
from movilim.programs.facts import MANAGING, Facts
from movilim.programs.policies import Policy

from .models import Instrument, Wave, WaveInvitation

EVALUATORS = frozenset({StaffRole.EVALUATOR.value})
FOLLOWERS = frozenset(StaffRole.values)


class InstrumentPolicy(Policy[Instrument]):
    """``manage``: build, import, export and open waves with it — the program's evaluators."""

    model = Instrument
    actions = frozenset({"manage"})

    def _any(self, action: str) -> bool:
        return bool(self.facts.staff_program_ids(EVALUATORS))

    def _for_instance(self, action: str, instance: object) -> bool:
        return bool(self.facts.roles_in(instance.program_id) & EVALUATORS)  # type: ignore[attr-defined]

    def _condition(self, action: str) -> Q:
        return Q(program_id__in=self.facts.staff_program_ids(EVALUATORS))


class WavePolicy(Policy[Wave]):
    """``view``: the wave's aggregates and report — every staff role of its program;
    ``manage`` (invite, import, code, write recommendations) and ``view_respondents``
    (respondent-level data and exports) — its evaluators."""

    model = Wave
    actions = frozenset({"view", "manage", "view_respondents"})

    def _roles(self, action: str) -> frozenset[str]:
        return FOLLOWERS if action == "view" else EVALUATORS

    def _any(self, action: str) -> bool:
        return bool(self.facts.staff_program_ids(self._roles(action)))

    def _for_instance(self, action: str, instance: object) -> bool:
        return bool(self.facts.roles_in(instance.program_id) & self._roles(action))  # type: ignore[attr-defined]

    def _condition(self, action: str) -> Q:
        return Q(program_id__in=self.facts.staff_program_ids(self._roles(action)))


class InvitationPolicy(Policy[WaveInvitation]):
    """``answer``: the invited person themself."""

    model = WaveInvitation
    actions = frozenset({"answer"})

    def _any(self, action: str) -> bool:
        return self.facts.person_id is not None

    def _for_instance(self, action: str, instance: object) -> bool:
        return self.facts.person_id is not None and (
            instance.person_id == self.facts.person_id  # type: ignore[attr-defined]
        )

    def _condition(self, action: str) -> Q:
        return Q(person_id=self.facts.person_id) if self.facts.person_id else Q(pk__in=[])

    def user_has_permission_for_instance(self, action: str, instance: object) -> bool:
        # Answering is personal: a site administrator does not answer in someone's name.
        self._check(action)
        return self._for_instance(action, instance)


def audience_for(facts: Facts, program_id: int) -> Audience:
    """The most trusted audience the reader belongs to for this program's figures."""
    roles = facts.roles_in(program_id)
    if facts.is_admin or roles & EVALUATORS:
        return Audience.EVALUATOR
    if roles & MANAGING:
        return Audience.STAFF
    if roles:
        return Audience.STEERING
    return Audience.PUBLIC
