"""Import benchmark: new participants into a cohort on PostgreSQL, through the real import.

Run with ``.venv/bin/python bench/imports.py``. One run:

1. creates the scratch PostgreSQL database ``movilim_bench_imports`` on 127.0.0.1:5432 (dropping
   a leftover one first) and migrates it;
2. adds a program, a cohort, a coordinator and one organization;
3. imports files of 10, 100, 1,000 and 5,000 new participants (all enrolled in the cohort) with
   ``import_participants``, as the coordinator, and prints for each the seconds, the queries and
   the seconds per 1,000 rows; the baseline is the 100-row import, scaled to the row count;
4. drops the database, also on an error.

Target: 5,000 rows in under 3 s, and the same number of queries for every size. The exit status
is 1 when either is missed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

import psycopg
import scratch

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "movilim_bench_imports"
SIZES = (10, 100, 1000, 5000)
TARGET_SECONDS = 3.0


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


def _participants_file(count: int, prefix: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lines = ["E-mail,First name,Last name,Organization,Job title,Gender,Phone,Status"]
    lines += [
        f"{prefix}{n}@bench.gov.il,שם{n},משפחה{n % 97},משרד הבריאות,רכזת,female,050-{n:07d},active"
        for n in range(count)
    ]
    return SimpleUploadedFile("people.csv", ("\n".join(lines) + "\n").encode())


def run() -> int:
    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from movilim.core.models import User
    from movilim.people.models import Organization
    from movilim.programs.imports import import_participants
    from movilim.programs.models import Cohort, Program, ProgramRole

    call_command("migrate", verbosity=0, interactive=False)
    program = Program.objects.create(
        slug="bench", kind="government", name_he="תכנית", name_en="Program", hours_target=200
    )
    cohort = Cohort.objects.create(
        program=program,
        name_he="מחזור",
        name_en="Cohort",
        start_date="2027-01-01",
        end_date="2027-12-31",
    )
    cohort = Cohort.objects.select_related("program").get(pk=cohort.pk)
    coordinator = User.objects.create_user(email="coordinator@bench.gov.il")
    ProgramRole.objects.create(user=coordinator, program=program, role="coordinator")
    Organization.objects.create(name_he="משרד הבריאות", kind="gov_execution")

    # Warm-up: the first import loads content types and the like once per process.
    import_participants(_participants_file(5, prefix="warm-"), cohort=cohort, by=coordinator)
    results: dict[int, tuple[float, float, int]] = {}
    for count in SIZES:
        upload = _participants_file(count, prefix=f"p{count}-")
        importer = User.objects.get(pk=coordinator.pk)
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            report = import_participants(upload, cohort=cohort, by=importer)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        if not report.ok or report.created != count:
            print(f"{count} rows: import failed: {report.errors[:3]}", file=sys.stderr)
            return 2
        results[count] = (seconds, cpu, len(queries.captured_queries))

    base_seconds = results[100][0]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'rows':>6} {'seconds':>8} {'100 scaled':>10} {'s/1000':>7} {'app cpu':>8} {'queries':>7}"
    )
    for count, (seconds, cpu, queries) in results.items():
        scaled = base_seconds * count / 100
        print(
            f"{count:>6} {seconds:>8.2f} {scaled:>10.2f} {seconds * 1000 / count:>7.2f} "
            f"{cpu:>8.2f} {queries:>7}"
        )
    counts = {queries for _seconds, _cpu, queries in results.values()}
    fast = results[5000][0] < TARGET_SECONDS
    print(
        f"5,000 rows in {results[5000][0]:.2f} s (target < {TARGET_SECONDS:.0f} s): "
        f"{'PASS' if fast else 'FAIL'}; queries {'constant' if len(counts) == 1 else 'VARY'}: "
        f"{'PASS' if len(counts) == 1 else 'FAIL'}"
    )
    return 0 if fast and len(counts) == 1 else 1


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
