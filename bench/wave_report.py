"""Wave report benchmark: 10,000 respondents × 100 questions (1,000,000 answers) on PostgreSQL.

Run with ``.venv/bin/python bench/wave_report.py``. One run:

1. creates the scratch PostgreSQL database ``movilim_bench_surveys`` on 127.0.0.1:5432 (dropping
   a leftover one first) and migrates it;
2. adds a program, a cohort of 12,000 people, an instrument of 100 closed questions in the 8
   outcome domains (85 Likert, 10 yes/no, 5 multiple choice), a wave inviting all 12,000, and
   10,000 responses of 100 answers each, written by one ``INSERT … SELECT`` (seeded, so every
   run has the same data);
3. times, in the same run and alternately, the full report (``evaluation.queries.report_context``
   for an evaluator: every question's distribution, mean, share agreeing and Wilson interval,
   the domain averages, breakdowns by sector, ministry type, gender and program, response rate
   overall and by subgroup, themes) and a hand-written SQL aggregate of the same figures
   (the grouped counts, the respondents of the multiple-choice questions, the invitation and
   response counts), each 7 times after a warm-up, and prints the medians;
4. drops the database, also on an error.

Target: the report under 1 s and within 2× the SQL baseline. The exit status is 1 when either
is missed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

import psycopg
import scratch

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "movilim_bench_surveys"
RESPONDENTS = 10_000
INVITED = 12_000
LIKERT, YESNO, MULTIPLE = 85, 10, 5
RUNS = 7
TARGET_SECONDS = 1.0
TARGET_RATIO = 2.0


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    for name in ("MOVILIM_DEBUG", "CONN_MAX_AGE"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="movilim.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=scratch.url(DB_NAME),
    )
    import django

    django.setup()


def _generate() -> int:
    """The data; returns the wave's id."""
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from movilim.core.models import User
    from movilim.people.models import Organization, Person
    from movilim.programs.models import Cohort, Enrollment, Program
    from movilim.surveys import services
    from movilim.surveys.models import OutcomeDomain, Question, Response, WaveInvitation

    kinds = ("gov_hq", "gov_execution", "local_authority", "civil_society")
    with transaction.atomic():
        program = Program.objects.create(slug="bench", kind="government", name_he="תכנית")
        cohort = Cohort.objects.create(
            program=program,
            name_he="מחזור",
            start_date=date(2025, 1, 1),
            end_date=date(2025, 12, 31),
        )
        orgs = Organization.objects.bulk_create(
            Organization(name_he=f"ארגון {n}", kind=kinds[n % 4]) for n in range(40)
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            User(
                email=f"r{n}@bench.example.org",
                first_name="א",
                last_name=f"ב{n}",
                password=password,
            )
            for n in range(INVITED)
        )
        people = Person.objects.bulk_create(
            Person(user=u, organization=orgs[n % 40], gender="female" if n % 3 else "male")
            for n, u in enumerate(users)
        )
        Enrollment.objects.bulk_create(
            Enrollment(cohort=cohort, person=p, status="graduated") for p in people
        )
        instrument = services.instrument_create(program=program, title_he="שאלון")
        services.domains_ensure_defaults()
        domains = list(OutcomeDomain.objects.all())
        questions = []
        for n in range(LIKERT + YESNO + MULTIPLE):
            kind = "likert" if n < LIKERT else "yesno" if n < LIKERT + YESNO else "multiple"
            questions.append(
                Question(
                    instrument=instrument,
                    position=n,
                    code=f"q{n}",
                    kind=kind,
                    text_he=f"שאלה {n}",
                    domain=domains[n % len(domains)],
                )
            )
        Question.objects.bulk_create(questions)
        for q in Question.objects.filter(instrument=instrument):
            specs = [services.ChoiceSpec(f"אפשרות {i}") for i in range(1, 5)]
            services.question_save(
                instrument=instrument,
                code=q.code,
                kind=q.kind,
                text_he=q.text_he,
                domain=q.domain,
                choices=specs if q.kind == "multiple" else (),
                replacing=q,
            )
        wave = services.wave_create(
            instrument=instrument,
            cohort=cohort,
            name_he="גל",
            time_point="end",
            months_after=None,
            opens_on=date(2025, 12, 1),
            closes_on=date(2025, 12, 31),
            mode="anonymous",
        )
        WaveInvitation.objects.bulk_create(
            WaveInvitation(
                wave=wave, person=p, nonce="x", status="submitted" if n < RESPONDENTS else "sent"
            )
            for n, p in enumerate(people)
        )
        from django.utils import timezone

        Response.objects.bulk_create(
            Response(
                wave=wave,
                submitted_at=timezone.now(),
                source="form",
                cohort=cohort,
                org_kind=kinds[n % 4],
                gender="female" if n % 3 else "male",
            )
            for n in range(RESPONDENTS)
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
            # One answer per respondent and question: Likert 1–5 leaning to agreement,
            # yes/no 0/1, one option of four for a multiple-choice question.
            cursor.execute(
                """
                INSERT INTO surveys_answer (response_id, wave_id, question_id, number, text)
                SELECT r.id, r.wave_id, q.id,
                       CASE q.kind
                         WHEN 'likert' THEN LEAST(5, 1 + floor(random() * 5.6)::int)
                         WHEN 'yesno' THEN (random() < 0.7)::int
                         ELSE 1 + floor(random() * 4)::int END,
                       ''
                FROM surveys_response r CROSS JOIN surveys_question q
                WHERE r.wave_id = %s AND q.instrument_id = %s
                """,
                [wave.pk, instrument.pk],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return wave.pk


BASELINE_SQL = (
    """
    SELECT a.question_id, a.number, r.org_kind, r.gender, r.cohort_id, count(*)
    FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
    WHERE a.wave_id = %s AND a.number IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
    """,
    """
    SELECT a.question_id, count(DISTINCT a.response_id) FROM surveys_answer a
    JOIN surveys_question q ON q.id = a.question_id
    WHERE a.wave_id = %s AND q.kind = 'multiple' GROUP BY 1
    """,
    "SELECT status, count(*) FROM surveys_waveinvitation WHERE wave_id = %s GROUP BY 1",
    "SELECT count(*) FROM surveys_response WHERE wave_id = %s",
)


def run() -> int:
    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from movilim.evaluation.queries import report_context
    from movilim.surveys.models import Answer, Wave

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    wave_id = _generate()
    print(f"generated {Answer.objects.count():,} answers in {time.perf_counter() - started:.1f} s")
    translation.activate("he")

    def report() -> dict:
        wave = Wave.objects.select_related("instrument", "program", "cohort").get(pk=wave_id)
        return report_context(wave, audience="evaluator")

    def baseline() -> list:
        out = []
        with connection.cursor() as cursor:
            for statement in BASELINE_SQL:
                cursor.execute(statement, [wave_id])
                out.append(cursor.fetchall())
        return out

    report()
    baseline()
    times: dict[str, list[float]] = {"report": [], "sql": []}
    for _ in range(RUNS):
        for name, work in (("report", report), ("sql", baseline)):
            t0 = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as queries:
        context = report()
    figures = context["figures"]
    assert figures.rate.respondents == RESPONDENTS and len(figures.questions) == 100
    report_s, sql_s = statistics.median(times["report"]), statistics.median(times["sql"])
    ratio = report_s / sql_s
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'':<26}{'median s':>9}{'min s':>8}{'max s':>8}")
    for label, key, note in (
        ("full wave report", "report", f"{len(queries.captured_queries)} queries"),
        ("hand-written SQL", "sql", f"{len(BASELINE_SQL)} statements"),
    ):
        runs = times[key]
        print(
            f"{label:<26}{statistics.median(runs):>9.3f}{min(runs):>8.3f}{max(runs):>8.3f}"
            f"   ({note})"
        )
    fast, close = report_s < TARGET_SECONDS, ratio < TARGET_RATIO
    print(
        f"report {report_s:.3f} s (target < {TARGET_SECONDS:.0f} s): {'PASS' if fast else 'FAIL'}; "
        f"{ratio:.2f}× the SQL baseline (target < {TARGET_RATIO:.0f}×): "
        f"{'PASS' if close else 'FAIL'}"
    )
    return 0 if fast and close else 1


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    try:
        scratch.create(DB_NAME)
    except psycopg.OperationalError as error:
        print(
            f"PostgreSQL at {scratch.PG_HOST}:{scratch.PG_PORT} is not reachable: {error}",
            file=sys.stderr,
        )
        return 2
    try:
        return run()
    finally:
        from django.db import connections

        connections.close_all()
        scratch.drop(DB_NAME)


if __name__ == "__main__":
    sys.exit(main())
