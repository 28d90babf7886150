"""Reads of the 7 Lenses pages: rounds of assessments with each lens's median and spread, the
guidance, heatmaps and rankings. Each runs a fixed number of queries."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.urls import reverse

from movilim.core.formatting import choice_labels, name_chooser
from movilim.core.hebrew import fold
from movilim.core.paging import Keyset, Page, keyset_page
from movilim.people.models import Organization, OrganizationKind
from movilim.programs.models import Program
from movilim.programs.queries import organizations_matching
from movilim.projects.models import Project

from .models import LEVELS, Assessment, Lens, LensLevel, Score, Target


def matrix() -> list[Lens]:
    """The lenses with their five descriptors each (two queries)."""
    lenses = list(Lens.objects.order_by("position"))
    by_lens: dict[int, list[LensLevel]] = defaultdict(list)
    for level in LensLevel.objects.order_by("lens_id", "level"):
        by_lens[level.lens_id].append(level)
    for lens in lenses:
        lens.level_list = by_lens[lens.pk]  # type: ignore[attr-defined]
    return lenses


@dataclass
class LensReading:
    levels: list[int] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (assessor, note)

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.levels)) if self.levels else None

    @property
    def low(self) -> int | None:
        return min(self.levels) if self.levels else None

    @property
    def high(self) -> int | None:
        return max(self.levels) if self.levels else None

    @property
    def spread(self) -> int:
        return (max(self.levels) - min(self.levels)) if self.levels else 0


@dataclass
class Round:
    """All readings of one subject at one date."""

    on: date
    assessors: list[str] = field(default_factory=list)
    lenses: dict[int, LensReading] = field(default_factory=lambda: defaultdict(LensReading))

    def median(self, lens_id: int) -> float | None:
        reading = self.lenses.get(lens_id)
        return reading.median if reading else None


def rounds(assessments: QuerySet[Assessment]) -> list[Round]:
    """The subject's rounds, oldest first (one query of plain rows: a project assessed by its
    team for a year holds hundreds of scores, and as model instances with their assessors they
    cost more than the page around them)."""
    by_date: dict[date, Round] = {}
    seen: set[tuple[date, int]] = set()
    scores = (
        Score.objects.filter(assessment__in=assessments)
        .order_by("assessment__assessed_on", "assessment_id", "lens_id")
        .values_list(
            "assessment__assessed_on",
            "assessment_id",
            "lens_id",
            "level",
            "note",
            "assessment__assessor__first_name",
            "assessment__assessor__last_name",
            "assessment__assessor__email",
        )
    )
    for on, assessment_id, lens_id, level, note, first, last, email in scores:
        current = by_date.setdefault(on, Round(on))
        name = f"{first} {last}".strip() or email
        if (on, assessment_id) not in seen:
            seen.add((on, assessment_id))
            current.assessors.append(name)
        reading = current.lenses[lens_id]
        reading.levels.append(level)
        if note:
            reading.notes.append((name, note))
    return [by_date[key] for key in sorted(by_date)]


def targets(project: Project) -> dict[int, Target]:
    return {t.lens_id: t for t in Target.objects.filter(project=project)}


@dataclass(frozen=True)
class Step:
    lens: Lens
    current: float
    target: int | None
    next_level: int
    descriptor: str
    why: str  # "weakest" or "target"


def guidance(
    lenses: Sequence[Lens], current: Round | None, goals: dict[int, Target], *, count: int = 2
) -> list[Step]:
    """The concrete next step for the weakest lenses and those furthest from their target: the
    descriptor of the level above where the team stands now."""
    if current is None:
        return []
    medians: dict[int, float] = {}
    for lens in lenses:
        median = current.median(lens.pk)
        if median is not None:
            medians[lens.pk] = median
    rated = [lens for lens in lenses if lens.pk in medians and medians[lens.pk] < 5]
    weakest = sorted(rated, key=lambda lens: (medians[lens.pk], lens.position))[:count]
    gaps = [lens for lens in rated if lens.pk in goals and goals[lens.pk].level > medians[lens.pk]]
    furthest = sorted(
        gaps, key=lambda lens: (-(goals[lens.pk].level - medians[lens.pk]), lens.position)
    )[:count]
    steps: list[Step] = []
    chosen: set[int] = set()
    for why, group in (("target", furthest), ("weakest", weakest)):
        for lens in group:
            if lens.pk in chosen:
                continue
            chosen.add(lens.pk)
            median = medians[lens.pk]
            next_level = min(5, math.floor(median) + 1)
            descriptor = next(lv.text for lv in lens.level_list if lv.level == next_level)  # type: ignore[attr-defined]
            target = goals[lens.pk].level if lens.pk in goals else None
            steps.append(Step(lens, median, target, next_level, descriptor, why))
    return steps


def heatmap(projects: QuerySet[Project], lenses: Sequence[Lens]) -> tuple[list[list[int]], int]:
    """Per lens, how many projects stand at each level (their latest round's median, rounded
    half up), and how many projects were assessed: one query."""
    latest = (
        Assessment.objects.filter(project=OuterRef("assessment__project"))
        .values("project")
        .annotate(last=Max("assessed_on"))
        .values("last")
    )
    readings: dict[tuple[int, int], list[int]] = defaultdict(list)
    for project_id, lens_id, level in (
        Score.objects.filter(assessment__project__in=projects)
        .filter(assessment__assessed_on=Subquery(latest[:1]))
        .values_list("assessment__project_id", "lens_id", "level")
    ):
        readings[(project_id, lens_id)].append(level)
    counts = {lens.pk: [0] * len(LEVELS) for lens in lenses}
    assessed = set()
    for (project_id, lens_id), levels in readings.items():
        assessed.add(project_id)
        level = min(5, max(1, math.floor(statistics.median(levels) + 0.5)))
        if lens_id in counts:
            counts[lens_id][level - 1] += 1
    return [counts[lens.pk] for lens in lenses], len(assessed)


@dataclass(frozen=True)
class Ranked:
    organization: Organization
    on: date
    mean: float
    medians: dict[int, float]


def _latest_readings(
    program: Program, scores: QuerySet[Score]
) -> dict[int, tuple[date, dict[int, float]]]:
    """Per organization among ``scores``, the date of its latest assessment in ``program`` and
    each lens's median at that date (one query)."""
    latest = (
        Assessment.objects.filter(
            program=program, organization=OuterRef("assessment__organization")
        )
        .values("organization")
        .annotate(last=Max("assessed_on"))
        .values("last")
    )
    readings: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    dates: dict[int, date] = {}
    for org_id, on, lens_id, level in (
        scores.filter(assessment__program=program)
        .filter(assessment__assessed_on=Subquery(latest[:1]))
        .values_list("assessment__organization_id", "assessment__assessed_on", "lens_id", "level")
    ):
        readings[org_id][lens_id].append(level)
        dates[org_id] = on
    return {
        org_id: (
            dates[org_id],
            {lens_id: float(statistics.median(levels)) for lens_id, levels in lenses.items()},
        )
        for org_id, lenses in readings.items()
    }


def overall(medians: dict[int, float]) -> float:
    """An organization's overall level: the mean of the lenses' medians."""
    return sum(medians.values()) / len(medians)


def ranking(program: Program, *, kind: str = OrganizationKind.LOCAL_AUTHORITY) -> list[Ranked]:
    """Organizations of ``kind`` by their latest maturity in ``program``, least mature first."""
    latest = _latest_readings(program, Score.objects.filter(assessment__organization__kind=kind))
    organizations = Organization.objects.in_bulk(list(latest))
    ranked = [
        Ranked(organizations[org_id], on, overall(medians), medians)
        for org_id, (on, medians) in latest.items()
    ]
    return sorted(ranked, key=lambda r: (r.mean, r.organization.name_he))


# --- the organizations whose maturity a program keeps ----------------------------------------

#: The kinds of organization whose digital maturity the programs follow.
MINISTRIES = (OrganizationKind.GOV_HQ, OrganizationKind.GOV_EXECUTION)
ASSESSED_KINDS = (*MINISTRIES, OrganizationKind.LOCAL_AUTHORITY)
#: The list's kind filter: a group of kinds by its key.
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "": ASSESSED_KINDS,
    "ministries": MINISTRIES,
    OrganizationKind.GOV_HQ: (OrganizationKind.GOV_HQ,),
    OrganizationKind.GOV_EXECUTION: (OrganizationKind.GOV_EXECUTION,),
    OrganizationKind.LOCAL_AUTHORITY: (OrganizationKind.LOCAL_AUTHORITY,),
}
ORGANIZATIONS_ORDER = Keyset(Organization, ("name_he", "pk"))
ORGANIZATION_COLUMNS = ("pk", "name_he", "name_en", "kind", "region")
ORGANIZATIONS_PER_PAGE = 50


@dataclass(frozen=True)
class OrganizationRow:
    pk: int
    name: str
    kind: str
    region: str
    assessed_on: date | None
    level: float | None  # the mean of the lenses' medians at the latest assessment
    history_url: str
    assess_url: str


def _links(name: str, slug: str) -> Callable[[int], str]:
    """``reverse(name, args=[slug, pk])`` for a page of rows: reversed once, then each row's key
    put in its place (a hundred ``{% url %}`` tags cost a third of the page)."""
    placeholder = "2147483647"
    head, _, tail = reverse(name, args=[slug, placeholder]).rpartition(placeholder)
    return lambda pk: f"{head}{pk}{tail}"


def organizations(*, kind: str = "", search: str = "") -> QuerySet[Organization]:
    """Ministries and local authorities (or the group ``kind`` names) whose name contains
    ``search``, folded as everywhere (``core.hebrew``)."""
    found = Organization.objects.filter(kind__in=KIND_GROUPS.get(kind, ASSESSED_KINDS))
    if fold(search).strip():
        found = found.filter(pk__in=organizations_matching(search.strip()).values("pk"))
    return found


def organizations_page(
    program: Program, query: QueryDict, *, kind: str = "", search: str = ""
) -> Page:
    """One page of :func:`organizations` by name, as :class:`OrganizationRow` with the latest
    assessment kept by ``program``: two queries whatever the number of organizations or of
    assessments."""
    page = keyset_page(
        organizations(kind=kind, search=search),
        query,
        keyset=ORGANIZATIONS_ORDER,
        columns=ORGANIZATION_COLUMNS,
        per_page=ORGANIZATIONS_PER_PAGE,
    )
    ids = [row[0] for row in page.items]
    latest = _latest_readings(program, Score.objects.filter(assessment__organization_id__in=ids))
    kinds = choice_labels(Organization, "kind")
    name = name_chooser()
    history = _links("maturity:organization", program.slug)
    assess = _links("maturity:organization_assess", program.slug)
    rows = []
    for pk, name_he, name_en, org_kind, region in page.items:
        on, medians = latest.get(pk, (None, {}))
        rows.append(
            OrganizationRow(
                pk,
                name(name_he, name_en),
                kinds[org_kind],
                region,
                on,
                overall(medians) if medians else None,
                history(pk),
                assess(pk),
            )
        )
    return replace(page, items=rows)
