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

pytestmark = pytest.mark.usefixtures("module_world")


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

    # The coordinator swaps two people (keeping the pair together), then creates the projects;
    # sending again adds nothing.
    assignment = {f"team_{p.pk}": str(t["number"]) for t in proposal["teams"] for p in t["members"]}
    pair = {world.participant_person.pk, world.fellow_person.pk}
    first, second = ([p for p in t["members"] if p.pk not in pair] for t in proposal["teams"])
    moved = first[0]
    assignment[f"team_{moved.pk}"], assignment[f"team_{second[0].pk}"] = (
        assignment[f"team_{second[0].pk}"],
        assignment[f"team_{moved.pk}"],
    )
    form = {
        "action": "create",
        "submission_token": str(uuid.uuid4()),
        "together": proposal["together"],
        **assignment,
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    created = Project.objects.filter(cohort=world.cohort, kind="group")
    assert created.count() == 2
    assert ProjectMember.objects.filter(project__in=created).count() == 8
    assert ProjectMember.objects.get(person=moved).project != (
        ProjectMember.objects.get(person=first[1]).project
    )


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
    # Pairs that are not the cohort's (a tampered edit) are refused too.
    tampered = client.post(
        url,
        {
            "action": "check",
            "together": "a@b.c, x@y.z",
            f"team_{world.participant_person.pk}": "1",
            f"team_{world.fellow_person.pk}": "1",
        },
    )
    assert tampered.status_code == 400
    assert not Project.objects.exists()


# --- staff edits, checked again ------------------------------------------------------------


def test_every_broken_rule_is_found_and_a_sound_edit_breaks_none() -> None:
    keys = [1, 2, 3, 4, 5, 6]
    sound = {1: [1, 2, 3], 2: [4, 5, 6]}
    assert teams.violations(keys, sound, together=[(1, 2)], apart=[(1, 4)]) == []
    assert teams.violations(keys, {1: [1, 2, 3], 2: [3, 4, 5, 6]}) == [
        teams.Violation("two_teams", (3,), (1, 2))
    ]
    assert teams.violations(keys, {1: [1, 2, 3], 2: [4, 5]}) == [teams.Violation("no_team", (6,))]
    assert teams.violations(keys, {1: [1, 2, 3, 4], 2: [5, 6]}) == [
        teams.Violation("sizes", teams=(2, 1), sizes=(2, 4))
    ]
    assert teams.violations(keys, sound, together=[(1, 4)]) == [
        teams.Violation("together", (1, 4), (1, 2))
    ]
    assert teams.violations(keys, sound, apart=[(2, 1)]) == [teams.Violation("apart", (2, 1), (1,))]
    # Everything at once is reported, rule by rule, not only the first found.
    found = teams.violations(
        keys, {1: [1, 2], 2: [2, 3, 4, 5], 4: [2]}, together=[(1, 3)], apart=[(3, 4)]
    )
    assert [v.rule for v in found] == ["two_teams", "no_team", "sizes", "together", "apart"]


def _post_edit(client, url, assignment, *, together=(), apart=(), action="check", **extra):  # type: ignore[no-untyped-def]
    """An edit of the teams as the page sends it: a team number per person (a list for more
    than one), the pairs carried from the proposal."""
    data = {
        "action": action,
        "submission_token": str(uuid.uuid4()),
        "together": [f"{a.user.email}, {b.user.email}" for a, b in together],
        "apart": [f"{a.user.email}, {b.user.email}" for a, b in apart],
        **extra,
    }
    for person, number in assignment.items():
        data[f"team_{person.pk}"] = number
    return client.post(url, data)


@pytest.fixture
def eight(world: World) -> list:  # type: ignore[type-arg]
    """The cohort's eight members: the participant, the fellow and six more."""
    _cohort_of(world, 6)
    from movilim.projects.queries import team_candidates

    _candidates, people = team_candidates(world.cohort)
    return list(people.values())


def _refused_with(response, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    """Checked: listed as broken, in Hebrew; created: refused, and nothing stored."""
    page = response.content.decode()
    for fragment in fragments:
        assert fragment in page
    assert not Project.objects.exists()


def _split(world: World, eight: list) -> dict:  # type: ignore[type-arg]
    """A sound set of two teams of four: the participant in team 1, the fellow in team 2."""
    pair = {world.participant_person.pk, world.fellow_person.pk}
    others = [p for p in eight if p.pk not in pair]
    assignment = {world.participant_person: "1", world.fellow_person: "2"}
    assignment.update(dict.fromkeys(others[:3], "1"))
    assignment.update(dict.fromkeys(others[3:], "2"))
    return assignment


def _both_ways(client, url, assignment, *fragments: str, **pairs) -> None:  # type: ignore[no-untyped-def]
    """Checking lists the broken rule in Hebrew; creating is refused while it is broken."""
    checked = _post_edit(client, url, assignment, **pairs)
    assert checked.status_code == 200
    assert checked.context["proposal"]["violations"]
    _refused_with(checked, "מפרים את הכללים", *fragments)
    created = _post_edit(client, url, assignment, action="create", **pairs)
    assert created.status_code == 400
    _refused_with(created, "הפרויקטים הקבוצתיים לא נוצרו", *fragments)


def test_an_edit_is_scored_again_and_a_swap_exchanges_two_people(
    world: World, client_for, eight: list
) -> None:
    from movilim.projects.queries import team_candidates

    client = client_for("coordinator")
    url = reverse("projects:teams", args=[world.cohort.pk])
    assignment = _split(world, eight)
    a, b = world.participant_person, world.fellow_person
    response = _post_edit(client, url, assignment, swap_a=a.pk, swap_b=b.pk, proposed_total="20.0")
    assert response.status_code == 200
    proposal = response.context["proposal"]
    members = {t["number"]: {p.pk for p in t["members"]} for t in proposal["teams"]}
    assert b.pk in members[1] and a.pk in members[2]
    assert proposal["violations"] == []
    # The score is the model's, for the teams as they now stand, explained team by team.
    candidates, _people = team_candidates(world.cohort)
    expected = teams.evaluate(candidates, [sorted(members[1]), sorted(members[2])])
    assert [t["score"] for t in proposal["teams"]] == expected
    assert proposal["objective"] == sum(score.total for score in expected)
    page = response.content.decode()
    assert "הציון חושב מחדש" in page and "ציון ההצעה היה 20" in page
    assert "כל הכללים מתקיימים" in page and "מגזרים" in page
    # The form now holds the swapped numbers, ready to be created.
    assert f'id="team_2_{a.pk}" name="team_{a.pk}" value="2"' in page
    assert not Project.objects.exists()


def test_an_edit_that_puts_someone_in_two_teams_is_refused(
    world: World, client_for, eight: list
) -> None:
    url = reverse("projects:teams", args=[world.cohort.pk])
    assignment = _split(world, eight)
    assignment[world.fellow_person] = ["2", "1"]
    name = world.fellow_person.full_name
    _both_ways(client_for("coordinator"), url, assignment, f"{name} משובץ/ת ביותר מצוות אחד")


def test_an_edit_that_leaves_someone_out_is_refused(world: World, client_for, eight: list) -> None:
    url = reverse("projects:teams", args=[world.cohort.pk])
    assignment = _split(world, eight)
    assignment[world.fellow_person] = ""
    name = world.fellow_person.full_name
    _both_ways(client_for("manager"), url, assignment, f"{name} אינו/ה משובץ/ת באף צוות")


def test_an_edit_that_unbalances_the_sizes_is_refused(
    world: World, client_for, eight: list
) -> None:
    url = reverse("projects:teams", args=[world.cohort.pk])
    assignment = _split(world, eight)
    moved = [p for p, number in assignment.items() if number == "2"][:2]
    assignment.update(dict.fromkeys(moved, "1"))
    _both_ways(client_for("coordinator"), url, assignment, "בצוות 2 יש 2 משתתפים ובצוות 1 יש 6")


def test_an_edit_that_splits_a_pair_meant_to_be_together_is_refused(
    world: World, client_for, eight: list
) -> None:
    url = reverse("projects:teams", args=[world.cohort.pk])
    a, b = world.participant_person, world.fellow_person
    _both_ways(
        client_for("coordinator"),
        url,
        _split(world, eight),
        f"{a.full_name} ו־{b.full_name} חייבים להיות יחד, אך הם בצוותים 1 ו־2",
        together=[(a, b)],
    )


def test_an_edit_that_joins_a_pair_meant_to_be_apart_is_refused(
    world: World, client_for, eight: list
) -> None:
    url = reverse("projects:teams", args=[world.cohort.pk])
    assignment = _split(world, eight)
    a = world.participant_person
    teammate = next(p for p, n in assignment.items() if n == "1" and p != a)
    _both_ways(
        client_for("coordinator"),
        url,
        assignment,
        f"{a.full_name} ו־{teammate.full_name} חייבים להיות בנפרד, אך שניהם בצוות 1",
        apart=[(a, teammate)],
    )
    # Moving the teammate out (and someone back, to keep the sizes) lets the projects be made.
    other = next(p for p, n in assignment.items() if n == "2" and p != world.fellow_person)
    assignment[teammate], assignment[other] = "2", "1"
    response = _post_edit(
        client_for("coordinator"), url, assignment, action="create", apart=[(a, teammate)]
    )
    assert response.status_code == 302
    assert Project.objects.filter(cohort=world.cohort, kind="group").count() == 2
