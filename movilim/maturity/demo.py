"""The demo's 7 Lenses data: assessments at two dates for several projects (by two or three of
their members each), targets, and the digital maturity of some local authorities over time, as
kept by the local-government track. Loading twice adds nothing: a subject already assessed is
left alone."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import models

from movilim.core.models import User
from movilim.people.models import Organization, OrganizationKind
from movilim.programs.models import Program
from movilim.projects.models import Project

from . import services
from .models import Assessment, Lens, Score, Target
from .reference import ensure_matrix

COUNTED: tuple[tuple[str, type[models.Model]], ...] = (
    ("7 Lenses assessments", Assessment),
    ("7 Lenses scores", Score),
    ("7 Lenses targets", Target),
)


def _levels(rng: random.Random, base: list[int], lens_ids: list[int]) -> dict[int, tuple[int, str]]:
    return {
        lens_id: (max(1, min(5, level + rng.choice((-1, 0, 0, 1)))), "")
        for lens_id, level in zip(lens_ids, base, strict=True)
    }


def load(*, today: date) -> None:
    ensure_matrix()
    rng = random.Random("movilim-demo:maturity")  # noqa: S311 - demo data
    lens_ids = list(Lens.objects.order_by("position").values_list("id", flat=True))
    if not lens_ids:
        return
    projects = list(
        Project.objects.filter(
            cohort__name_en__in=["Cohort A", "Cohort B", "Cohort C", "Cohort H"]
        ).order_by("cohort__start_date", "id")
    )
    chosen = [p for i, p in enumerate(projects) if i % 2 == 0]
    for project in chosen:
        base = [rng.randint(1, 3) for _ in lens_ids]
        if Assessment.objects.filter(project=project).exists():
            continue
        users = list(User.objects.filter(person__project_roles__project=project).order_by("id")[:3])
        first = min(today - timedelta(days=200), project.stage_since + timedelta(days=10))
        first = max(first, project.cohort.start_date + timedelta(days=40))
        second = min(today, first + timedelta(days=180))
        for user in users:
            services.project_assess(
                project=project, assessor=user, on=first, levels=_levels(rng, base, lens_ids)
            )
            later = [min(5, level + rng.choice((0, 1, 1))) for level in base]
            services.project_assess(
                project=project, assessor=user, on=second, levels=_levels(rng, later, lens_ids)
            )
        if users:
            services.targets_set(
                project=project,
                targets={
                    lens_id: min(5, level + 2)
                    for lens_id, level in zip(lens_ids, base, strict=True)
                },
                horizon=12,
                on=second,
                by=users[0],
            )
    program = Program.objects.filter(slug="local").first()
    assessor = User.objects.filter(email__startswith="manager@").first()
    if program is None or assessor is None:
        return
    authorities = list(
        Organization.objects.filter(kind=OrganizationKind.LOCAL_AUTHORITY).order_by("name_he")[:10]
    )
    for org in authorities:
        base = [rng.randint(1, 4) for _ in lens_ids]
        if Assessment.objects.filter(program=program, organization=org).exists():
            continue
        for months_ago, lift in ((18, 0), (4, 1)):
            services.organization_assess(
                program=program,
                organization=org,
                assessor=assessor,
                on=today - timedelta(days=30 * months_ago),
                levels=_levels(rng, [min(5, b + lift) for b in base], lens_ids),
            )
