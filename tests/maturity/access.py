"""Who may use each page of ``movilim.maturity``: this app's entries of the every-URL table
(``tests/test_url_access.py``).

A project's assessments are the team's: its active members assess, whoever may see the project
sees them. The heatmap and organizations' maturity are for the program's staff, the steering
committee included (no personal data); managers and coordinators assess organizations.
"""

from __future__ import annotations

import uuid

from movilim.maturity.models import Lens
from movilim.maturity.reference import ensure_matrix

from ..access_rules import Rule
from ..projects.access import EDITORS, MANAGERS, PORTFOLIO, READERS, project_of

ADMIN_AND_MEMBER = frozenset({"participant", "admin"})


def _levels(w) -> dict:  # type: ignore[no-untyped-def]
    ensure_matrix()
    data: dict = {"assessed_on": "2026-06-01", "submission_token": str(uuid.uuid4())}
    for lens in Lens.objects.all():
        data[f"level_{lens.pk}"] = "3"
        data[f"note_{lens.pk}"] = ""
    return data


def _targets(w) -> dict:  # type: ignore[no-untyped-def]
    ensure_matrix()
    return {"horizon": "12", **{f"target_{lens.pk}": "4" for lens in Lens.objects.all()}}


def _organization(w) -> list:  # type: ignore[no-untyped-def]
    return [w.program.slug, w.participant_person.organization_id]


RULES: dict[str, Rule] = {
    "maturity:matrix": Rule(
        frozenset(
            {
                "participant",
                "outsider",
                "coordinator",
                "manager",
                "evaluator",
                "steering",
                "staff_not_admin",
                "admin",
            }
        )
    ),
    "maturity:project": Rule(READERS, args=lambda w: [project_of(w).pk]),
    "maturity:assess": Rule(
        ADMIN_AND_MEMBER, args=lambda w: [project_of(w).pk], post=ADMIN_AND_MEMBER, data=_levels
    ),
    "maturity:targets": Rule(
        EDITORS, args=lambda w: [project_of(w).pk], post=EDITORS, data=_targets
    ),
    "maturity:heatmap": Rule(PORTFOLIO, args=lambda w: [w.cohort.pk]),
    "maturity:authorities": Rule(PORTFOLIO, args=lambda w: [w.program.slug]),
    "maturity:organizations": Rule(PORTFOLIO, args=lambda w: [w.program.slug]),
    "maturity:organization": Rule(PORTFOLIO, args=_organization),
    "maturity:organization_assess": Rule(MANAGERS, args=_organization, post=MANAGERS, data=_levels),
}
