"""Team formation: the hard rules always hold, the exact model beats the greedy baseline, and
staff turn the proposal into group projects."""

from __future__ import annotations

import random
import uuid

import pytest
from django.urls import reverse

from movilim.people.models import OrganizationKind
from movilim.projects import teams
from movilim.projects.models import Project, ProjectMember, StrategicGoal

from .. import factories
from ..conftest import World


def _people(n: int, seed: int = 3) -> list[teams.Candidate]:
    rng = random.Random(seed)
    return [
        teams.Candidate(
            key=i,
            organization=rng.randint(0, n // 3),
            sector=rng.choice(["government", "local", "civil"]),
            profile=rng.choice(["policy", "technology", "both"]),
            gender=rng.choice(["female", "male"]),
            interests=frozenset(rng.sample(range(9), 2)),
        )
        for i in range(n)
    ]


def _valid(proposal: teams.Proposal, n: int, together=(), apart=()) -> None:  # type: ignore[no-untyped-def]
    everyone = [k for team in proposal.teams for k in team]
    assert sorted(everyone) == list(range(n))  # everyone once, nobody twice
    sizes = [len(team) for team in proposal.teams]
    assert max(sizes) - min(sizes) <= 1
    where = {k: t for t, team in enumerate(proposal.teams) for k in team}
    assert all(where[a] == where[b] for a, b in together)
    assert all(where[a] != where[b] for a, b in apart)


def test_the_exact_model_respects_every_rule_and_is_at_least_as_good_as_greedy() -> None:
    people = _people(12)
    together, apart = [(0, 1)], [(2, 3), (0, 4)]
    proposal = teams.propose(people, n_teams=3, together=together, apart=apart, time_limit=20)
    _valid(proposal, 12, together, apart)
    assert proposal.method == "exact"
    baseline = teams.greedy(people, n_teams=3, together=together, apart=apart)
    greedy_total = sum(s.total for s in teams.evaluate(people, baseline))
    assert proposal.objective >= greedy_total
    # The explanation adds up to the score.
    assert proposal.objective == pytest.approx(sum(s.total for s in proposal.scores))


def test_the_fallback_respects_the_rules_beyond_the_exact_limit() -> None:
    people = _people(30)
    proposal = teams.propose(
        people, n_teams=7, together=[(5, 6)], apart=[(7, 8)], exact=False, time_limit=2
    )
    assert proposal.method == "greedy + local search"
    _valid(proposal, 30, [(5, 6)], [(7, 8)])


def test_a_team_scores_by_diversity_and_shared_interest() -> None:
    a = teams.Candidate(1, 10, "government", "policy", "female", frozenset({5}))
    b = teams.Candidate(2, 10, "government", "policy", "male", frozenset({5}))
    c = teams.Candidate(3, 11, "local", "technology", "female", frozenset({6}))
    same = teams.score_team([a, b])
    mixed = teams.score_team([a, c])
    assert (same.sectors, same.profiles, same.same_org_extra, same.gender_gap) == (1, 1, 1, 0)
    assert (same.focus, same.interested) == (5, 2)
    assert mixed.total > same.total


def test_impossible_rules_are_reported() -> None:
    people = _people(6)
    with pytest.raises(teams.Infeasible):
        teams.propose(people, n_teams=3, together=[(0, 1), (1, 2)])  # 3 together, teams of 2
    with pytest.raises(teams.Infeasible):
        teams.propose(people, n_teams=2, together=[(0, 1)], apart=[(0, 1)])
    with pytest.raises(teams.Infeasible):
        teams.propose(people, n_teams=7)


def _cohort_of(world: World, n: int) -> None:
    kinds = [
        OrganizationKind.GOV_HQ,
        OrganizationKind.LOCAL_AUTHORITY,
        OrganizationKind.CIVIL_SOCIETY,
    ]
    goal = StrategicGoal.objects.get(key="rights")
    for i in range(n):
        person = factories.PersonFactory(
            organization=factories.OrganizationFactory(kind=kinds[i % 3]),
            gender="female" if i % 2 else "male",
            profile_type="technology" if i % 3 else "policy",
        )
        factories.EnrollmentFactory(cohort=world.cohort, person=person)
        if i % 2:
            person.interests.create(goal=goal)


def test_staff_propose_edit_and_create_group_projects_once(world: World, client_for) -> None:
    _cohort_of(world, 6)  # 8 with the participant and the fellow
    client = client_for("coordinator")
    url = reverse("projects:teams", args=[world.cohort.pk])
    response = client.post(
        url,
        {
            "action": "propose",
            "team_size": "4",
            "together": f"{world.participant.email}, {world.fellow_person.user.email}",
        },
    )
    assert response.status_code == 200
    proposal = response.context["proposal"]
    assert proposal["count"] == 2
    members = [{p.pk for p in team["members"]} for team in proposal["teams"]]
    assert any({world.participant_person.pk, world.fellow_person.pk} <= m for m in members)
    page = response.content.decode()
    assert "מגזרים" in page  # why each team scores as it does, in Hebrew

    # The coordinator moves one person, then creates the projects; sending again adds nothing.
    assignment = {f"team_{p.pk}": str(t["number"]) for t in proposal["teams"] for p in t["members"]}
    moved = proposal["teams"][0]["members"][-1]
    assignment[f"team_{moved.pk}"] = "2"
    form = {"action": "create", "submission_token": str(uuid.uuid4()), **assignment}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    created = Project.objects.filter(cohort=world.cohort, kind="group")
    assert created.count() == 2
    assert ProjectMember.objects.filter(project__in=created).count() == 8
    assert ProjectMember.objects.get(person=moved).project.title.endswith("2")


def test_bad_team_forms_are_refused_with_a_message(world: World, client_for) -> None:
    client = client_for("manager")
    url = reverse("projects:teams", args=[world.cohort.pk])
    assert client.post(url, {"action": "propose"}).status_code == 400
    unknown = client.post(url, {"action": "propose", "team_size": "2", "apart": "a@b.c, x@y.z"})
    assert unknown.status_code == 400
    assert "אינו משתתף" in unknown.content.decode()
    too_many = client.post(url, {"action": "propose", "team_count": "5"})
    assert too_many.status_code == 400
    partial = client.post(
        url,
        {
            "action": "create",
            "submission_token": str(uuid.uuid4()),
            f"team_{world.participant_person.pk}": "1",
        },
    )
    assert partial.status_code == 400
    assert not Project.objects.exists()
