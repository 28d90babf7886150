"""Who may read and write a wave's analysis: the wave's own policy decides (``surveys``);
this module names what each page of evaluation asks for, so the rules stay in one place."""

from __future__ import annotations

from movilim.core.disclosure import Audience
from movilim.programs.facts import Facts
from movilim.surveys.models import Wave
from movilim.surveys.policies import WavePolicy, audience_for

#: Page or action of this app -> the wave action it needs.
NEEDS = {
    "report": "view",
    "export_aggregates": "view",
    "export_respondents": "view_respondents",
    "compare": "view",
    "code": "manage",
    "recommend": "manage",
    "record": "manage",
}


class StudyPolicy:
    """The evaluation pages of one wave, for one reader."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.waves = WavePolicy(facts)

    def may(self, action: str, wave: Wave) -> bool:
        return self.waves.user_has_permission_for_instance(NEEDS[action], wave)

    def audience(self, wave: Wave) -> Audience:
        return audience_for(self.facts, wave.program_id)
