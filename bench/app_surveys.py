"""Surveys and evaluation in the page benchmark: a wave report and the respondent form.

``generate()`` gives the running government cohort (about 100 people, the one the cohort page is
timed on) an end-of-program wave of a 30-question instrument answered by 80% of its members, and
the smallest cohort the same wave with its few members; the benchmark's coordinator gets a
profile and an open invitation to both, so that the respondent form can be timed signed in
(the token link depends on the server's secret key, which the benchmark draws per run).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

DATA_VERSION = 1
WAVE_HE = "גל מדידה"
QUESTIONS = 30  # 24 Likert, 3 yes/no, 2 multiple choice, 1 free text


def _kind(n: int) -> str:
    return "likert" if n < 24 else "yesno" if n < 27 else "multiple" if n < 29 else "text"


def _cohorts() -> tuple[Any, Any]:
    from django.db.models import Count

    from movilim.programs.models import Cohort, ProgramKind

    try:
        import data

        anchor = data.ANCHOR
    except ImportError:  # run from the tests, without bench/ on the path
        anchor = date(2026, 11, 1)
    running = (
        Cohort.objects.filter(
            program__kind=ProgramKind.GOVERNMENT, start_date__lte=anchor, end_date__gte=anchor
        )
        .order_by("-start_date")
        .first()
    )
    smallest = (
        Cohort.objects.annotate(n=Count("enrollments"))
        .filter(n__gt=0)
        .exclude(pk=getattr(running, "pk", None))
        .order_by("n", "pk")
        .first()
    )
    return running, smallest


def _coordinator() -> Any:
    from movilim.core.models import User

    try:
        import data

        email = data.COORDINATOR_EMAIL
    except ImportError:
        email = "coordinator@bench.example.org"
    return User.objects.get(email=email)


def generate() -> str:
    from django.db import connection

    from movilim.people.models import Organization, Person
    from movilim.programs.models import MEMBER_STATUSES, Enrollment
    from movilim.surveys import services
    from movilim.surveys.models import OutcomeDomain, Response, WaveInvitation

    rng = random.Random(9)
    running, smallest = _cohorts()
    coordinator = _coordinator()
    me = Person.objects.filter(user=coordinator).first() or Person.objects.create(
        user=coordinator, organization=Organization.objects.order_by("pk").first()
    )
    services.domains_ensure_defaults()
    domains = list(OutcomeDomain.objects.all())
    summary = []
    for cohort in (running, smallest):
        instrument = services.instrument_create(program=cohort.program, title_he="שאלון מדידה")
        for n in range(QUESTIONS):
            kind = _kind(n)
            services.question_save(
                instrument=instrument,
                code=f"q{n}",
                kind=kind,
                text_he=f"שאלה {n}",
                domain=domains[n % len(domains)] if kind != "text" else None,
                required=False,
                choices=[services.ChoiceSpec(f"אפשרות {i}") for i in range(1, 5)]
                if kind == "multiple"
                else (),
            )
        wave = services.wave_create(
            instrument=instrument,
            cohort=cohort,
            name_he=WAVE_HE,
            time_point="end",
            months_after=None,
            opens_on=date(2000, 1, 1),
            closes_on=date(2099, 12, 31),
            mode="confidential",
        )
        members = list(
            Enrollment.objects.filter(cohort=cohort, status__in=MEMBER_STATUSES)
            .select_related("person__organization")
            .values_list("person_id", "person__organization__kind", "person__gender")
        )
        WaveInvitation.objects.bulk_create(
            [
                WaveInvitation(wave=wave, person_id=pid, nonce="b", status="sent")
                for pid, _k, _g in members
            ]
            + [WaveInvitation(wave=wave, person=me, nonce="b", status="sent")]
        )
        answering = members[: max(1, len(members) * 4 // 5)]
        Response.objects.bulk_create(
            Response(
                wave=wave,
                person_id=pid,
                submitted_at=wave.created_at,
                source="form",
                org_kind=kind or "",
                gender=gender or "",
                cohort=cohort,
            )
            for pid, kind, gender in answering
        )
        WaveInvitation.objects.filter(
            wave=wave, person_id__in=[p for p, _k, _g in answering]
        ).update(status="submitted", submitted_at=wave.created_at)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO surveys_answer (response_id, wave_id, question_id, number, text)
                SELECT r.id, r.wave_id, q.id,
                       CASE q.kind WHEN 'likert' THEN 1 + (r.id + q.id * 7) %% 5
                                   WHEN 'yesno' THEN (r.id + q.id) %% 2
                                   WHEN 'multiple' THEN 1 + (r.id * 3 + q.id) %% 4
                                   ELSE NULL END,
                       CASE q.kind WHEN 'text' THEN 'הערה' ELSE '' END
                FROM surveys_response r CROSS JOIN surveys_question q
                WHERE r.wave_id = %s AND q.instrument_id = %s
                """,
                [wave.pk, instrument.pk],
            )
        rng.random()
        summary.append(f"{len(answering)} of {len(members) + 1} answered in cohort {cohort.pk}")
    return "surveys: " + "; ".join(summary)


def targets() -> list[dict[str, Any]]:
    from movilim.surveys.models import Wave, WaveInvitation

    running, smallest = _cohorts()
    coordinator = _coordinator()
    big = Wave.objects.get(cohort=running, name_he=WAVE_HE)
    small = Wave.objects.get(cohort=smallest, name_he=WAVE_HE)

    def mine(wave: Wave) -> int:
        return WaveInvitation.objects.get(wave=wave, person__user=coordinator).pk

    return [
        {
            "label": "wave report",
            "path": f"/evaluation/waves/{big.pk}/report/",
            "small": f"/evaluation/waves/{small.pk}/report/",
        },
        {
            "label": "respondent form",
            "path": f"/surveys/answer/{mine(big)}/",
            "small": f"/surveys/answer/{mine(small)}/",
        },
    ]
