"""Reads shared by the projects pages, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from movilim.core.formatting import choice_labels, name_chooser, url_maker
from movilim.core.paging import Keyset, Page, keyset_page
from movilim.people.models import Person
from movilim.programs.models import MEMBER_STATUSES, Cohort, Enrollment

from .models import (
    ADVANCED_STAGES,
    STAGE_ORDER,
    GoalKind,
    Interest,
    Project,
    ProjectMember,
    Stage,
    StrategicGoal,
)
from .teams import Candidate

PER_PAGE = 50
SORT_ORDERS: dict[str, tuple[str, ...]] = {
    "recent": ("-stage_since", "-id"),
    "oldest": ("stage_since", "id"),
    "title": ("title", "id"),
}
COLUMNS = (
    "id",
    "title",
    "kind",
    "stage",
    "stage_since",
    "cohort__name_he",
    "cohort__name_en",
    "is_cross_organization",
)


@dataclass(frozen=True)
class CatalogueRow:
    url: str
    title: str
    kind: str
    stage: str
    stage_code: str
    stage_since: Any
    cohort: str
    cross: bool


def filtered(projects: QuerySet[Project], filters: Mapping[str, Any]) -> QuerySet[Project]:
    if filters.get("kind"):
        projects = projects.filter(kind=filters["kind"])
    if filters.get("stage"):
        projects = projects.filter(stage=filters["stage"])
    if filters.get("cohort"):
        projects = projects.filter(cohort=filters["cohort"])
    if filters.get("goal"):
        goals = Project.goals.through.objects.filter(
            project=OuterRef("pk"), strategicgoal=filters["goal"]
        )
        projects = projects.filter(Exists(goals))
    if filters.get("organization_kind"):
        involved = Project.organizations.through.objects.filter(
            project=OuterRef("pk"), organization__kind=filters["organization_kind"]
        )
        projects = projects.filter(Exists(involved))
    if filters.get("crossing") in ("yes", "no"):
        projects = projects.filter(is_cross_organization=filters["crossing"] == "yes")
    return projects


def catalogue_page(
    projects: QuerySet[Project], query: QueryDict, filters: Mapping[str, Any]
) -> Page:
    """One page of the catalogue as display rows: one query (two when paging back to the start)."""
    order = SORT_ORDERS.get(filters.get("sort") or "recent", SORT_ORDERS["recent"])
    page = keyset_page(
        filtered(projects, filters),
        query,
        keyset=Keyset(Project, order),
        columns=COLUMNS,
        per_page=PER_PAGE,
    )
    kinds = choice_labels(Project, "kind")
    stages = choice_labels(Project, "stage")
    name = name_chooser()
    url = url_maker("projects:detail")
    rows = [
        CatalogueRow(
            url(pk),
            title,
            kinds[kind],
            stages[stage],
            stage,
            since,
            name(cohort_he, cohort_en),
            cross,
        )
        for pk, title, kind, stage, since, cohort_he, cohort_en, cross in page.items
    ]
    return Page(
        rows,
        page.has_next,
        page.has_previous,
        page.next_query,
        page.previous_query,
        page.first_query,
    )


def project_members(project: Project) -> list[ProjectMember]:
    return list(
        ProjectMember.objects.filter(project=project)
        .select_related("person__user", "person__organization")
        .order_by("ended_on", "started_on", "id")
    )


def my_projects(person_id: int) -> list[Project]:
    """The projects a person is active in, for their home page and profile."""
    return list(
        Project.objects.filter(members__person_id=person_id, members__ended_on__isnull=True)
        .select_related("cohort")
        .distinct()
        .order_by("-stage_since", "-id")[:20]
    )


# --- the portfolio ----------------------------------------------------------------------------


@dataclass
class CohortStages:
    cohort: Cohort
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    advanced: int = 0
    cells: list[int] = field(default_factory=list)

    @property
    def advanced_share(self) -> float:
        return 100 * self.advanced / self.total if self.total else 0.0


@dataclass
class Portfolio:
    cohorts: list[CohortStages]
    stages: list[tuple[str, str]]
    total: int
    with_original_active: int
    with_original: int
    cross_organization: int
    cross_sector: int
    goals: list[tuple[StrategicGoal, int]]

    def share(self, part: int, whole: int | None = None) -> float:
        whole = self.total if whole is None else whole
        return 100 * part / whole if whole else 0.0

    @property
    def original_active_share(self) -> float:
        return self.share(self.with_original_active, self.with_original)

    @property
    def cross_organization_share(self) -> float:
        return self.share(self.cross_organization)

    @property
    def advanced(self) -> int:
        return sum(c.advanced for c in self.cohorts)


def portfolio(projects: QuerySet[Project], cohorts: Iterable[Cohort]) -> Portfolio:
    """Counts only, never names: what the steering committee may see. Four queries."""
    by_cohort: dict[int, CohortStages] = {c.pk: CohortStages(c) for c in cohorts}
    for cohort_id, stage, count in (
        projects.values_list("cohort_id", "stage").annotate(n=Count("id")).order_by()
    ):
        row = by_cohort.get(cohort_id)
        if row is None:
            continue
        row.counts[stage] = count
        row.total += count
        if stage in ADVANCED_STAGES:
            row.advanced += count
    originals = ProjectMember.objects.filter(project=OuterRef("pk"), is_original=True)
    totals = projects.aggregate(
        total=Count("id"),
        cross_org=Count("id", filter=Q(is_cross_organization=True)),
        cross_sector=Count("id", filter=Q(is_cross_sector=True)),
        with_original=Count("id", filter=Q(Exists(originals))),
        with_original_active=Count("id", filter=Q(Exists(originals.filter(ended_on__isnull=True)))),
    )
    through = Project.goals.through
    goal_counts = Counter(
        dict(
            through.objects.filter(project__in=projects)
            .values_list("strategicgoal_id")
            .annotate(n=Count("project_id", distinct=True))
            .order_by()
        )
    )
    goals = [(goal, goal_counts.get(goal.pk, 0)) for goal in StrategicGoal.objects.all()]
    labels = choice_labels(Project, "stage")
    stages = [(code, labels[code]) for code in (*STAGE_ORDER, Stage.STALLED)]
    for row in by_cohort.values():
        row.cells = [row.counts.get(code, 0) for code, _label in stages]
    return Portfolio(
        cohorts=[row for row in by_cohort.values() if row.total],
        stages=stages,
        total=totals["total"],
        with_original_active=totals["with_original_active"],
        with_original=totals["with_original"],
        cross_organization=totals["cross_org"],
        cross_sector=totals["cross_sector"],
        goals=goals,
    )


def portfolio_rows(data: Portfolio) -> list[list[Any]]:
    """The dashboard as one table for the spreadsheet: section, item, count, share."""
    rows: list[list[Any]] = []
    for row in data.cohorts:
        for code, label in data.stages:
            count = row.counts.get(code, 0)
            rows.append([str(row.cohort), str(label), count, round(100 * count / row.total, 1)])
        rows.append(
            [str(row.cohort), _("Advanced or beyond"), row.advanced, round(row.advanced_share, 1)]
        )
    for goal, count in data.goals:
        kind = _("Over-goal") if goal.kind == GoalKind.OVER_GOAL else _("Strategic objective")
        rows.append([kind, goal.name, count, round(data.share(count), 1)])
    rows.append(
        [
            _("Original members still active"),
            _("Projects with an original member"),
            data.with_original_active,
            round(data.original_active_share, 1),
        ]
    )
    rows.append(
        [
            _("Cross-organization"),
            _("All projects"),
            data.cross_organization,
            round(data.cross_organization_share, 1),
        ]
    )
    return rows


def goal_ids_by_project(project_ids: Iterable[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    for project_id, goal_id in Project.goals.through.objects.filter(
        project_id__in=list(project_ids)
    ).values_list("project_id", "strategicgoal_id"):
        result[project_id].append(goal_id)
    return result


def team_candidates(cohort: Cohort) -> tuple[list[Candidate], dict[int, Person]]:
    """The cohort's members as team formation sees them, and their people (two queries)."""
    enrollments = (
        Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES)
        .select_related("person__user", "person__organization")
        .order_by("person__user__last_name", "person__id")
    )
    people = {e.person_id: e.person for e in enrollments}
    chosen: dict[int, set[int]] = {}
    for person_id, goal_id in Interest.objects.filter(person_id__in=list(people)).values_list(
        "person_id", "goal_id"
    ):
        chosen.setdefault(person_id, set()).add(goal_id)
    candidates = [
        Candidate(
            key=p.pk,
            organization=p.organization_id,
            sector=p.organization.sector if p.organization else "",
            profile=p.profile_type,
            gender=p.gender,
            interests=frozenset(chosen.get(p.pk, ())),
        )
        for p in people.values()
    ]
    return candidates, people
