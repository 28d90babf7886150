"""Export benchmark: a cohort of 20,000 members downloaded as CSV and XLSX, streamed and not.

Run with ``.venv/bin/python bench/exports.py`` (``--rows``, ``--repeats`` to change the size).
One run:

1. creates the scratch PostgreSQL database ``movilim_bench_exports`` on 127.0.0.1:5432 (dropping
   any left over), migrates it and fills one cohort with ``--rows`` members (deterministic
   names and fields from ``bench/data.py``), managed by one coordinator;
2. times each format ``--repeats`` times through the real view (Django's test client, signed in
   as the coordinator, so the sensitive columns are included and the access is logged), reading
   the whole body, and once more under ``tracemalloc`` for the peak of Python memory;
3. does the same with the export as it was before streaming (model instances, the whole file
   built in memory, openpyxl's normal mode), kept below as the baseline;
4. drops the database.

Targets for 20,000 rows: CSV under 1 s, XLSX under 3 s (median). The exit status is 1 when one
is missed. Production settings (no DEBUG, so no query log grows with the rows); nothing leaves
the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import scratch

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "movilim_bench_exports"
TARGETS = {"csv": 1.0, "xlsx": 3.0}  # seconds, for 20,000 rows


def _setup_django() -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="movilim.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=scratch.url(DB_NAME),
    )
    os.environ.pop("MOVILIM_DEBUG", None)
    # Static files are not collected here and no page needs them.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()


def _fill(rows: int) -> tuple[object, object]:
    """One cohort of ``rows`` members; returns (cohort, coordinator). Deterministic."""
    import data
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from movilim.core.models import User
    from movilim.people.models import Organization, OrganizationKind, Person
    from movilim.programs.models import Cohort, Enrollment, Program, ProgramRole

    rng = random.Random(data.SEED)
    with transaction.atomic():
        coordinator = User.objects.create_user(email="exports@bench.example.org", password=None)
        program = Program.objects.create(slug="exports", kind="network", name_he="רשת")
        ProgramRole.objects.create(user=coordinator, program=program, role="coordinator")
        cohort = Cohort.objects.create(
            program=program,
            name_he="כל הרשת",
            start_date=data.ANCHOR.replace(month=1, day=1),
            end_date=data.ANCHOR.replace(month=12, day=31),
            target_size=rows,
        )
        kinds = list(OrganizationKind.values)
        organizations = Organization.objects.bulk_create(
            Organization(name_he=f"ארגון {i}", name_en=f"Organization {i}", kind=kinds[i % 5])
            for i in range(300)
        )
        unusable = make_password(None)
        users = User.objects.bulk_create(
            (
                User(
                    email=f"member{i}@bench.example.org",
                    first_name=rng.choice(data.FIRST_NAMES),
                    last_name=rng.choice(data.LAST_NAMES),
                    password=unusable,
                )
                for i in range(rows)
            ),
            batch_size=data.BATCH,
        )
        people = Person.objects.bulk_create(
            (
                Person(
                    user=user, organization=rng.choice(organizations), **data._person_fields(rng)
                )
                for user in users
            ),
            batch_size=data.BATCH,
        )
        Enrollment.objects.bulk_create(
            (Enrollment(cohort=cohort, person=person, status="active") for person in people),
            batch_size=data.BATCH,
        )
    return cohort, coordinator


# --- the export before streaming, as the baseline ----------------------------------------------


def baseline_response(cohort: object, fmt: str) -> object:
    """The cohort export as it was: model instances, display methods, the file built whole."""
    import csv

    from django.http import HttpResponse
    from django.utils import translation
    from django.utils.translation import gettext as _
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from movilim.programs import queries

    headers = [
        _("First name"),
        _("Last name"),
        _("Organization"),
        _("Organization kind"),
        _("Job title"),
        _("Profile"),
        _("Status"),
        _("E-mail"),
        _("Phone"),
        _("Gender"),
        _("Minority population"),
    ]
    minority_text = {True: _("Yes"), False: _("No"), None: ""}
    rows = []
    for enrollment in queries.cohort_enrollments(cohort, members_only=False):  # type: ignore[arg-type]
        person = enrollment.person
        organization = person.organization
        rows.append(
            [
                person.user.first_name,
                person.user.last_name,
                organization.name if organization else "",
                organization.get_kind_display() if organization else "",
                person.job_title,
                person.get_profile_type_display(),
                enrollment.get_status_display(),
                person.email,
                person.phone,
                person.get_gender_display(),
                minority_text[person.minority],
            ]
        )
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.sheet_view.rightToLeft = translation.get_language_bidi()
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(buffer.getvalue())


# --- measuring ---------------------------------------------------------------------------------


def _measure(run: Callable[[], bytes], repeats: int) -> tuple[float, float, float, int]:
    """(median wall seconds, median CPU seconds of this process, peak MiB under tracemalloc,
    body size) of ``run``. CPU time leaves out the database server and other processes, so it
    moves less than wall time on a busy machine."""
    times, cpu_times = [], []
    size = 0
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        size = len(run())
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu)
    tracemalloc.start()
    try:
        run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return statistics.median(times), statistics.median(cpu_times), peak / 2**20, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per case (median)")
    args = parser.parse_args()
    if not 1 <= args.rows <= 50_000 or not 1 <= args.repeats <= 10:
        parser.error("--rows must be 1 to 50,000 and --repeats 1 to 10")

    print(f"Database {DB_NAME}: creating, migrating, filling {args.rows:,} members…", flush=True)
    scratch.create(DB_NAME)
    try:
        _setup_django()
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from django.urls import reverse
        from django.utils import translation

        call_command("migrate", "--no-input", verbosity=0)
        started = time.perf_counter()
        cohort, coordinator = _fill(args.rows)
        with connections["default"].cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # statistics, as a long-lived database has them
        print(f"  filled in {time.perf_counter() - started:.1f} s", flush=True)
        client = Client()
        client.force_login(coordinator)  # type: ignore[arg-type]

        def streamed(fmt: str) -> Callable[[], bytes]:
            url = reverse("programs:cohort_export", args=[cohort.pk, fmt])  # type: ignore[attr-defined]

            def run() -> bytes:
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                return response.getvalue()

            return run

        def baseline(fmt: str) -> Callable[[], bytes]:
            def run() -> bytes:
                with translation.override("he"):
                    return baseline_response(cohort, fmt).content  # type: ignore[attr-defined]

            return run

        print(
            f"\n{args.rows:,} rows, median of {args.repeats}; peak = Python memory "
            f"(tracemalloc); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
        )
        print(f"{'export':<22}{'seconds':>9}{'cpu s':>8}{'peak MiB':>10}{'size KiB':>10}  target")
        failed = False
        for fmt in ("csv", "xlsx"):
            for label, make in (("before (baseline)", baseline), ("streamed", streamed)):
                seconds, cpu, peak, size = _measure(make(fmt), args.repeats)
                verdict = ""
                if label == "streamed":
                    limit = TARGETS[fmt] * args.rows / 20_000
                    ok = seconds < limit
                    failed |= not ok
                    verdict = f"< {limit:.2g} s {'PASS' if ok else 'FAIL'}"
                print(
                    f"{fmt.upper() + ' ' + label:<22}{seconds:>9.2f}{cpu:>8.2f}{peak:>10.1f}"
                    f"{size / 1024:>10.0f}  {verdict}",
                    flush=True,
                )
        connections.close_all()
    finally:
        scratch.drop(DB_NAME)
        print(f"\nDatabase {DB_NAME} dropped.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
