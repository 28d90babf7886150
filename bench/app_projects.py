"""Projects and 7 Lenses assessments in the 20,000-people page benchmark (see ``apps.py``).

Every cohort gets ten projects (two thousand in all) with teams drawn from its members, stage
histories, goals and organizations; every other project has two assessments of two members.
The digital maturity of every ministry and local authority but one in four is kept by the first
program (the government track): assessed at four dates by up to three of its staff.
The pages timed: the catalogue (first page of everything the coordinator sees), a project page,
its 7 Lenses page, and the organizations' maturity list, each beside the same page over little
data.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any
from urllib.parse import quote

DATA_VERSION = 2
PER_COHORT = 10
SEED = "bench:projects"


def generate() -> str:
    from movilim.maturity.models import Assessment, Lens, Score
    from movilim.people.models import SECTOR_OF_KIND
    from movilim.programs.models import MEMBER_STATUSES, Cohort, Enrollment
    from movilim.projects.models import (
        STAGE_ORDER,
        Project,
        ProjectMember,
        StageChange,
        StrategicGoal,
    )

    rng = random.Random(SEED)
    goals = list(StrategicGoal.objects.values_list("id", flat=True))
    kinds = ["personal", "group", "authority", "work_plan", "network"]
    members_of: dict[int, list[tuple[int, int | None, str | None]]] = {}
    for cohort_id, person_id, org_id, org_kind in Enrollment.objects.filter(
        status__in=MEMBER_STATUSES
    ).values_list(
        "cohort_id", "person_id", "person__organization_id", "person__organization__kind"
    ):
        members_of.setdefault(cohort_id, []).append((person_id, org_id, org_kind))
    cohorts = list(Cohort.objects.order_by("pk").values_list("pk", "start_date"))
    rows, plans = [], []
    for cohort_id, start in cohorts:
        people = members_of.get(cohort_id, [])
        for n in range(PER_COHORT if people else 0):
            stage_index = rng.randint(0, len(STAGE_ORDER) - 1)
            stalled = rng.random() < 0.1
            team = rng.sample(people, min(len(people), rng.randint(1, 4)))
            orgs = {org for _p, org, _k in team if org}
            sectors = {SECTOR_OF_KIND[k] for _p, _o, k in team if k}
            since = start + timedelta(days=30 * (stage_index + 1))
            rows.append(
                Project(
                    cohort_id=cohort_id,
                    title=f"מיזם {cohort_id}-{n}",
                    kind=rng.choice(kinds),
                    stage="stalled" if stalled else STAGE_ORDER[stage_index],
                    stage_since=since,
                    is_cross_organization=len(orgs) > 1,
                    is_cross_sector=len(sectors) > 1,
                )
            )
            plans.append((team, orgs, stage_index, stalled, start))
    projects = Project.objects.bulk_create(rows, batch_size=1000)
    members, changes, org_links, goal_links = [], [], [], []
    organizations = Project.organizations.through
    project_goals = Project.goals.through
    for project, (team, orgs, stage_index, stalled, start) in zip(projects, plans, strict=True):
        for index, (person_id, _org, _kind) in enumerate(team):
            ended = start + timedelta(days=400) if rng.random() < 0.6 else None
            members.append(
                ProjectMember(
                    project=project,
                    person_id=person_id,
                    role="lead" if index == 0 else "member",
                    started_on=start + timedelta(days=20),
                    ended_on=ended,
                    is_original=True,
                )
            )
        for step in range(stage_index + 1):
            changes.append(
                StageChange(
                    project=project,
                    stage=STAGE_ORDER[step],
                    changed_on=start + timedelta(days=30 * (step + 1)),
                )
            )
        if stalled:
            changes.append(
                StageChange(
                    project=project,
                    stage="stalled",
                    changed_on=project.stage_since,
                    reason="אין תקציב",
                )
            )
        org_links += [organizations(project=project, organization_id=o) for o in orgs]
        goal_links += [
            project_goals(project=project, strategicgoal_id=g) for g in rng.sample(goals, 2)
        ]
    ProjectMember.objects.bulk_create(members, batch_size=2000)
    StageChange.objects.bulk_create(changes, batch_size=2000)
    organizations.objects.bulk_create(org_links, batch_size=2000)
    project_goals.objects.bulk_create(goal_links, batch_size=2000)

    from movilim.core.models import User

    lenses = list(Lens.objects.values_list("id", flat=True))
    user_of = dict(User.objects.filter(person__isnull=False).values_list("person__id", "id"))
    assessments, levels = [], []
    for project, (team, *_rest, start) in zip(projects[::2], plans[::2], strict=True):
        for person_id, _org, _kind in team[:2]:
            for days in (60, 240):
                assessments.append(
                    Assessment(
                        project=project,
                        assessor_id=user_of[person_id],
                        assessed_on=start + timedelta(days=days),
                    )
                )
                levels.append([rng.randint(1, 5) for _ in lenses])
    assessments = Assessment.objects.bulk_create(assessments, batch_size=2000)
    Score.objects.bulk_create(
        [
            Score(assessment=a, lens_id=lens, level=level)
            for a, row in zip(assessments, levels, strict=True)
            for lens, level in zip(lenses, row, strict=True)
        ],
        batch_size=5000,
    )
    followed = _organization_maturity(rng, lenses)
    return (
        f"projects: {len(projects)} projects, {len(members)} members, {len(changes)} stage "
        f"changes, {len(assessments)} 7 Lenses assessments, {followed} assessments of organizations"
    )


def _organization_maturity(rng: random.Random, lenses: list[int]) -> int:
    """Three organizations in four of the kinds the programs follow, each assessed at four dates
    by up to three staff of the first program. Returns how many assessments were made."""
    from datetime import date

    from movilim.maturity.models import Assessment, Score
    from movilim.maturity.queries import ASSESSED_KINDS
    from movilim.people.models import Organization
    from movilim.programs.models import Program, ProgramRole

    program = Program.objects.order_by("pk").first()
    if program is None:
        return 0
    staff = list(
        ProgramRole.objects.filter(program=program)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:3]
    )
    organizations = Organization.objects.filter(kind__in=ASSESSED_KINDS).order_by("pk")
    assessments, levels = [], []
    for index, org_id in enumerate(organizations.values_list("pk", flat=True)):
        if index % 4 == 3:
            continue  # not assessed yet
        base = rng.randint(1, 4)
        for step, on in enumerate(
            (date(2024, 3, 1), date(2024, 9, 1), date(2025, 3, 1), date(2025, 9, 1))
        ):
            for user_id in staff:
                assessments.append(
                    Assessment(
                        program=program, organization_id=org_id, assessor_id=user_id, assessed_on=on
                    )
                )
                levels.append([min(5, base + step // 2 + rng.randint(0, 1)) for _ in lenses])
    made = Assessment.objects.bulk_create(assessments, batch_size=2000)
    Score.objects.bulk_create(
        [
            Score(assessment=a, lens_id=lens, level=level)
            for a, row in zip(made, levels, strict=True)
            for lens, level in zip(lenses, row, strict=True)
        ],
        batch_size=5000,
    )
    return len(made)


def targets() -> list[dict[str, Any]]:
    from django.db.models import Count

    from movilim.projects.models import Project

    projects = Project.objects.annotate(n=Count("members"), a=Count("assessments"))
    largest = projects.order_by("-n", "-a", "pk").first()
    smallest = projects.order_by("n", "a", "pk").first()
    if largest is None or smallest is None:
        return []
    # Few rows through filters that read no other table (a cohort or goal filter checks its
    # choice with a query of its own, on the small page only).
    few = f"/projects/?kind={smallest.kind}&stage={smallest.stage}"
    return [
        {"label": "projects catalogue", "path": "/projects/", "small": few},
        {
            "label": "projects catalogue, filtered",
            "path": "/projects/?stage=advanced&crossing=yes&sort=title",
            "small": f"{few}&crossing=no&sort=title",
        },
        {
            "label": "project page",
            "path": f"/projects/{largest.pk}/",
            "small": f"/projects/{smallest.pk}/",
        },
        {
            "label": "project 7 Lenses",
            "path": f"/maturity/projects/{largest.pk}/",
            "small": f"/maturity/projects/{smallest.pk}/",
        },
        *_organization_targets(),
    ]


def _organization_targets() -> list[dict[str, Any]]:
    """The organizations' maturity list of the first program: its first page, and one kind
    searched for one organization's name as the small page."""
    from movilim.maturity.queries import ASSESSED_KINDS
    from movilim.people.models import Organization
    from movilim.programs.models import Program

    program = Program.objects.order_by("pk").first()
    one = Organization.objects.filter(kind__in=ASSESSED_KINDS).order_by("pk").first()
    if program is None or one is None:
        return []
    path = f"/maturity/programs/{program.slug}/organizations/"
    return [
        {
            "label": "organizations' maturity",
            "path": path,
            "small": f"{path}?kind={one.kind}&q={quote(one.name_he)}",
        }
    ]
