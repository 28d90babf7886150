"""The demo's projects: cohorts A, B and C with projects in every stage, and a project of the
demo participant in the current cohort.

The histories follow the cohort A follow-up study (Myers-JDC-Brookdale, November 2016): about
half of the projects reached advanced implementation or beyond, while most of their original
members are no longer involved. Loading twice adds nothing: a project is matched by its cohort
and title, and nothing of an existing project is touched.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import models

from movilim.core.models import User
from movilim.people.models import Person
from movilim.programs.models import MEMBER_STATUSES, Cohort, Enrollment

from . import services
from .models import (
    STAGE_ORDER,
    MemberRole,
    Project,
    ProjectKind,
    ProjectMember,
    Stage,
    StageChange,
    StrategicGoal,
)
from .reference import ensure_goals

COUNTED: tuple[tuple[str, type[models.Model]], ...] = (
    ("projects", Project),
    ("project members", ProjectMember),
    ("stage changes", StageChange),
)

# (title, kind, final stage, objective keys)
GOVERNMENT = [
    ("טופס מקוון אחד לבקשת היתרים", ProjectKind.PERSONAL, Stage.ADVANCED, ["less-bureaucracy"]),
    ("מיצוי זכויות אוטומטי לקשישים", ProjectKind.GROUP, Stage.ADVANCED, ["rights"]),
    (
        "שיתוף נתונים בין משרדי הרווחה והבריאות",
        ProjectKind.GROUP,
        Stage.STALLED,
        ["public-services"],
    ),
    ("זימון תורים דיגיטלי במרפאות", ProjectKind.PERSONAL, Stage.COMPLETED, ["public-services"]),
    (
        "פורטל תעסוקה לאזורי הפריפריה",
        ProjectKind.GROUP,
        Stage.IMPLEMENTATION,
        ["employment", "periphery"],
    ),
    ("ממשק פתוח לנתוני רכש", ProjectKind.PERSONAL, Stage.ADVANCED, ["innovative-government"]),
    ("הגשת דוחות לעסקים קטנים", ProjectKind.PERSONAL, Stage.PILOT, ["digital-industry"]),
    ("מפת תשתיות תקשורת ארצית", ProjectKind.GROUP, Stage.DESIGN, ["infrastructure"]),
    ("השוואת מחירים לסל הבסיסי", ProjectKind.PERSONAL, Stage.ADVANCED, ["cost-of-living"]),
    ("צ'אט שירות לפניות הציבור", ProjectKind.PERSONAL, Stage.IDEA, ["less-bureaucracy"]),
]
LOCAL = [
    ("אפליקציית פניות תושבים עירונית", ProjectKind.AUTHORITY, Stage.ADVANCED, ["public-services"]),
    ("תשלום ארנונה מקוון", ProjectKind.AUTHORITY, Stage.COMPLETED, ["less-bureaucracy"]),
    ("מרכז נתונים עירוני פתוח", ProjectKind.AUTHORITY, Stage.STALLED, ["innovative-government"]),
    ("תכנית עבודה דיגיטלית אסטרטגית", ProjectKind.WORK_PLAN, Stage.IMPLEMENTATION, ["periphery"]),
    ("רישום מקוון לגני ילדים", ProjectKind.AUTHORITY, Stage.ADVANCED, ["public-services"]),
    ("מוקד רב-ערוצי לתושבים", ProjectKind.AUTHORITY, Stage.PILOT, ["rights"]),
]
STALL_REASONS = ["ההנהלה החליפה סדרי עדיפויות והתקציב הוקפא", "חסם משפטי בהעברת מידע בין משרדים"]


def _members(cohort: Cohort) -> list[Person]:
    return [
        e.person
        for e in Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES)
        .select_related("person")
        .order_by("person_id")
    ]


def _load_cohort(
    cohort: Cohort, plans: list[tuple[str, str, str, list[str]]], *, today: date, key: str
) -> None:
    rng = random.Random(f"movilim-demo:projects:{key}")  # noqa: S311 - demo data
    people = _members(cohort)
    goals = {g.key: g for g in StrategicGoal.objects.all()}
    over = {
        "less-bureaucracy": "smart-government",
        "innovative-government": "smart-government",
        "public-services": "smart-government",
        "rights": "social-gaps",
        "periphery": "social-gaps",
        "employment": "economic-growth",
        "digital-industry": "economic-growth",
        "infrastructure": "economic-growth",
        "cost-of-living": "social-gaps",
    }
    recorder = User.objects.filter(email__startswith="coordinator@").first()
    for index, (title, kind, final, objectives) in enumerate(plans):
        size = 1 if kind == ProjectKind.PERSONAL else rng.randint(3, 4)
        team = [people[(index * 4 + k) % len(people)] for k in range(size)] if people else []
        start = cohort.start_date + timedelta(days=30 + rng.randint(0, 60))
        if Project.objects.filter(cohort=cohort, title=title).exists():
            rng.random()
            continue
        chosen = [goals[k] for k in objectives] + [goals[over[objectives[0]]]]
        project = services.project_create(
            cohort=cohort,
            title=title,
            kind=kind,
            description="",
            goals=chosen,
            members=[
                (p, MemberRole.LEAD if i == 0 else MemberRole.MEMBER) for i, p in enumerate(team)
            ],
            started_on=start,
            by=recorder,
        )
        path = (
            list(STAGE_ORDER[1 : STAGE_ORDER.index(final) + 1])
            if final != Stage.STALLED
            else [Stage.DESIGN, Stage.PILOT, Stage.STALLED]
        )
        day = start
        for stage in path:
            day = min(today, day + timedelta(days=rng.randint(90, 300)))
            reason = rng.choice(STALL_REASONS) if stage == Stage.STALLED else ""
            services.stage_set(project=project, stage=stage, on=day, reason=reason, by=recorder)
        # Most original members moved on after the program: in two projects of three nobody of
        # the founding team is still involved; in the third the lead stayed.
        for member in project.members.order_by("id"):
            if index % 3 == 0 and member.role == MemberRole.LEAD:
                continue
            end = min(today, cohort.end_date + timedelta(days=rng.randint(60, 500)))
            services.member_end(member=member, ended_on=max(end, member.started_on))


def load(*, today: date) -> None:
    ensure_goals()
    cohorts = {
        c.name_en: c
        for c in Cohort.objects.filter(name_en__in=["Cohort A", "Cohort B", "Cohort C", "Cohort H"])
    }
    if "Cohort A" in cohorts:
        _load_cohort(cohorts["Cohort A"], GOVERNMENT[:6], today=today, key="A")
    if "Cohort B" in cohorts:
        _load_cohort(cohorts["Cohort B"], GOVERNMENT[4:], today=today, key="B")
    if "Cohort C" in cohorts:
        _load_cohort(cohorts["Cohort C"], LOCAL, today=today, key="C")
    current = cohorts.get("Cohort H")
    participant = Person.objects.filter(user__email__startswith="participant@").first()
    title = "לוח מחוונים לשירותי הממשלה"
    if current and participant and not Project.objects.filter(cohort=current, title=title).exists():
        fellows = [p for p in _members(current) if p.pk != participant.pk][:2]
        project = services.project_create(
            cohort=current,
            title=title,
            kind=ProjectKind.GROUP,
            description="מעקב שקוף אחר זמני מענה לפניות ציבור בכמה משרדים.",
            goals=list(
                StrategicGoal.objects.filter(key__in=["less-bureaucracy", "smart-government"])
            ),
            members=[(participant, MemberRole.LEAD), *((p, MemberRole.MEMBER) for p in fellows)],
            started_on=max(current.start_date, today - timedelta(days=120)),
            by=None,
        )
        services.stage_set(
            project=project, stage=Stage.DESIGN, on=today - timedelta(days=30), by=None
        )
