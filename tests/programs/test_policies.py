"""The policies answer the same whichever way they are asked: for one object, or as the
queryset that lists and set-based writes filter with."""

from __future__ import annotations

import pytest

from movilim.people.models import Person
from movilim.programs.facts import facts_for
from movilim.programs.models import Cohort, Program
from movilim.programs.policies import CohortPolicy, PersonPolicy, ProgramPolicy

ROLES = ("participant", "outsider", "coordinator", "manager", "evaluator", "steering", "admin")


pytestmark = pytest.mark.usefixtures("module_world")


def test_instance_answers_match_the_querysets(world) -> None:
    for role in ROLES:
        facts = facts_for(world.user(role))
        for policy, objects in (
            (ProgramPolicy(facts), Program.objects.all()),
            (CohortPolicy(facts), Cohort.objects.all()),
            (PersonPolicy(facts), Person.objects.all()),
        ):
            for action in sorted(policy.actions - {"list", "import"}):
                allowed = set(policy.instances_user_has_permission_for(action))
                for instance in objects:
                    expected = policy.user_has_permission_for_instance(action, instance)
                    assert (instance in allowed) == expected, (role, action, instance)


def test_the_rules_per_role(world) -> None:
    cohort, other = world.cohort, world.other_cohort

    def allows(role: str, action: str, target: Cohort) -> bool:
        return CohortPolicy(facts_for(world.user(role))).user_has_permission_for_instance(
            action, target
        )

    assert allows("coordinator", "manage", cohort) and not allows("coordinator", "manage", other)
    assert allows("steering", "view_composition", cohort)
    assert not allows("steering", "view_roster", cohort)
    assert allows("participant", "view_roster", cohort)
    assert not allows("participant", "view_composition", cohort)
    assert not allows("evaluator", "manage", cohort)
    people = PersonPolicy(facts_for(world.coordinator))
    assert people.user_has_permission("import")
    assert people.user_has_permission_for_instance("edit", world.fellow_person)
    assert not people.user_has_permission_for_instance("edit", world.outsider_person)
    assert not PersonPolicy(facts_for(world.evaluator)).user_has_permission("list")


def test_an_unknown_action_fails_loudly(world) -> None:
    with pytest.raises(ValueError, match="no action 'mange'"):
        CohortPolicy(facts_for(world.admin)).user_has_permission_for_instance("mange", world.cohort)
