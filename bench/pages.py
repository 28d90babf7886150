"""Page benchmark: the heaviest staff pages against the one-query health view, on 20,000 people.

Run with ``make bench`` (or ``.venv/bin/python bench/pages.py``). One run:

1. creates the PostgreSQL database ``movilim_bench`` on 127.0.0.1:5432 if needed, migrates it and
   fills it with deterministic data (``bench/data.py``), unless it already holds that data;
2. collects static files if they are missing or stale, then starts gunicorn (one sync worker,
   production settings) on a free local port;
3. signs in as a coordinator and requests each page in turn, reading the ``Server-Timing``
   header the application adds and the ``X-Query-Count`` header that the benchmark's own
   settings add (``bench_settings.py``), and prints medians, 95th percentiles and query counts;
4. stops gunicorn, keeping the database for the next run.

No page is cached anywhere: each request does all of its work. The target: each checked page's
median server time within 10x of ``/health/``, which runs one query, and the same number of
queries on a small and a large instance of the page. The exit status is 1 when a page misses
either, so the run can gate a release.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from types import FrameType
from urllib.parse import quote, urlencode

import apps as bench_apps
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
#: ``MOVILIM_BENCH_DB`` names another database, so that two checkouts can measure side by side.
DB_NAME = os.environ.get("MOVILIM_BENCH_DB", "movilim_bench")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
HOST = "127.0.0.1"
TARGET_RATIO = 10.0
#: Table of facts about the generated data, written in the same transaction as the data itself.
META_TABLE = "bench_meta"

SERVER_TIMING = re.compile(r"(?P<name>app|cpu);dur=(?P<ms>[0-9.]+)")
QUERY_COUNT = "X-Query-Count"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="(?P<token>[^"]+)"')


class BenchError(RuntimeError):
    """A step of the benchmark could not be completed; the message says which and why."""


# --- environment -------------------------------------------------------------------------------


def production_env() -> dict[str, str]:
    """Environment for every Django process here: production settings, plain http on loopback.

    Production mode is the default in settings, so the benchmark measures what is deployed:
    template caching, manifest static files, secure cookies. Only the TLS redirect is turned off,
    because nothing here speaks https.
    """
    env = dict(os.environ)
    for name in ("MOVILIM_DEBUG", "CONN_MAX_AGE", "SECURE_PROXY_SSL_HEADER_NAME"):
        env.pop(name, None)
    env.update(
        # Production settings plus the query-counting middleware (bench/bench_settings.py).
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "bench"), env.get("PYTHONPATH")])),
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        MOVILIM_SERVER_TIMING="1",
        DATABASE_URL=DATABASE_URL,
        PYTHONUNBUFFERED="1",
    )
    return env


def run_manage(env: dict[str, str], *args: str) -> None:
    """Run a management command in its own process, as an operator would."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


# --- database ----------------------------------------------------------------------------------


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(
        host=PG_HOST,
        port=PG_PORT,
        user=PG_USER,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def database_state(data_version: str) -> str:
    """``"missing"``, ``"ready"`` (holds this version of the data) or ``"stale"``.

    Read with psycopg directly so that nothing Django keeps open stands in the way of a rebuild.
    """
    with _admin_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
    if not exists:
        return "missing"
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=DB_NAME, connect_timeout=5
    ) as conn:
        if conn.execute("SELECT to_regclass(%s)", [META_TABLE]).fetchone() == (None,):
            return "stale"
        row = conn.execute(
            sql.SQL("SELECT value FROM {} WHERE key = 'version'").format(sql.Identifier(META_TABLE))
        ).fetchone()
    return "ready" if row and row[0] == str(data_version) else "stale"


def recreate_database() -> None:
    """Drop and create the benchmark database; never touches any other database."""
    with _admin_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))


def read_meta() -> dict[str, str]:
    """What the generating run recorded: data version, seed, summary and how long it took."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, value FROM {META_TABLE}")  # noqa: S608 - constant name
        return dict(cursor.fetchall())


def fill_database() -> dict[str, str]:
    """Generate the data and record completion in the same transaction."""
    import data
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        summary = "; ".join([str(data.generate()), *bench_apps.generate()])
        seconds = time.perf_counter() - started
        meta = {
            "version": bench_apps.data_version(data.DATA_VERSION),
            "seed": str(data.SEED),
            "summary": str(summary),
            "generation_seconds": f"{seconds:.1f}",
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
            for key, value in meta.items():
                cursor.execute(f"INSERT INTO {META_TABLE} VALUES (%s, %s)", [key, value])  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics, as a long-lived database would have
    return meta


def prepare_database(env: dict[str, str], *, rebuild: bool) -> dict[str, str]:
    """Create, migrate and fill the database unless it already holds the current data."""
    import data

    state = database_state(bench_apps.data_version(data.DATA_VERSION))
    if rebuild or state != "ready":
        reason = {"missing": "it does not exist", "stale": "it holds other or partial data"}
        why = "--rebuild was given" if rebuild else reason[state]
        print(f"Database {DB_NAME}: generating data ({why}).", flush=True)
        recreate_database()
        run_manage(env, "migrate", "--no-input", "-v0")
        meta = fill_database()
        print(f"  generated in {meta['generation_seconds']} s: {meta['summary']}", flush=True)
    else:
        run_manage(env, "migrate", "--no-input", "-v0")  # picks up migrations added since
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # statistics for expression indexes a migration added
        meta = read_meta()
        print(
            f"Database {DB_NAME}: reusing existing data (generated {meta['generated_at']} in "
            f"{meta['generation_seconds']} s; --rebuild regenerates): {meta['summary']}",
            flush=True,
        )
    return meta


# --- static files ------------------------------------------------------------------------------


def collectstatic_if_needed(env: dict[str, str]) -> None:
    """Collect static files when the manifest is missing or older than any source file.

    Production pages resolve ``{% static %}`` through the manifest, so they fail without it.
    """
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        built = manifest.stat().st_mtime
        newest = max(
            Path(storage.path(path)).stat().st_mtime
            for finder in get_finders()
            for path, storage in finder.list(["CVS", ".*", "*~"])
        )
        if newest <= built:
            print("Static files: up to date.", flush=True)
            return
    print("Static files: collecting.", flush=True)
    run_manage(env, "collectstatic", "--no-input", "-v0")


# --- the pages ---------------------------------------------------------------------------------


@dataclass
class Target:
    """One address to measure, and whether the request is signed in.

    ``small`` is the same page over much less data (a small cohort, one cohort's sessions, a
    rare name): its query count must equal this one's, or the page runs queries per row.
    """

    label: str
    path: str
    signed_in: bool = True
    baseline: bool = False
    checked: bool = True  # takes part in the ratio check
    status: int = 200
    small: str | None = None
    queries: set[int] = field(default_factory=set)
    small_queries: set[int] = field(default_factory=set)


def choose_targets() -> tuple[list[Target], list[str]]:
    """The pages to measure, chosen from the data so that they hold typical amounts of it.

    The cohort is the most recently started one that is running at the data's anchor date in the
    government track: about a hundred people, most of them active, with attendance recorded. The
    network's cohort of everyone (20,000 members) is measured beside it.
    """
    import data
    from django.db.models import Count

    from movilim.people.models import Person
    from movilim.programs.models import Cohort, ProgramKind
    from movilim.programs.queries import PEOPLE_ORDER

    cohort = (
        Cohort.objects.filter(
            program__kind=ProgramKind.GOVERNMENT,
            start_date__lte=data.ANCHOR,
            end_date__gte=data.ANCHOR,
        )
        .order_by("-start_date")
        .first()
    )
    if cohort is None:
        raise BenchError("No running cohort in the benchmark data.")
    network = Cohort.objects.filter(name_he=data.NETWORK_COHORT_HE).first()
    if network is None:
        raise BenchError("The network's cohort of everyone is missing from the benchmark data.")
    smallest = Cohort.objects.annotate(n=Count("enrollments")).order_by("n", "pk").first()
    assert smallest is not None
    # Half-way down the participant list: the page that ?page=200 used to reach by OFFSET.
    middle = Person.objects.order_by(*PEOPLE_ORDER.order).values_list(*PEOPLE_ORDER.names)[10_000]
    deep = f"/people/?after={PEOPLE_ORDER.encode(middle)}"
    few = f"/people/?cohort={smallest.pk}"
    targets = [
        Target("/health/ (one query)", "/health/", signed_in=False, baseline=True, checked=False),
        Target("/health/ signed in", "/health/", checked=False),
        # A signed-in page with nothing but the layout (menu, language switch): the floor under
        # every page, whatever its content.
        Target("layout only (404)", "/no-such-page/", checked=False, status=404),
        Target("cohort page", f"/cohorts/{cohort.pk}/", small=f"/cohorts/{smallest.pk}/"),
        Target(
            "cohort of 20,000",
            f"/cohorts/{network.pk}/",
            checked=False,
            small=f"/cohorts/{smallest.pk}/",
        ),
        Target(
            "attendance of 20,000",
            f"/cohorts/{network.pk}/attendance/",
            checked=False,
            small=f"/cohorts/{smallest.pk}/attendance/",
        ),
        Target("participants p.1", "/people/", small=few),
        Target("participants deep", deep, small=few),
        Target(
            "search, common name",
            f"/people/?q={quote(data.SEARCH_TERM)}",
            small=f"{few}&q={quote(data.SEARCH_TERM)}",
        ),
        Target(
            "search, with points",
            f"/people/?q={quote(data.POINTED_SEARCH_TERM)}",
            small=f"{few}&q={quote(data.POINTED_SEARCH_TERM)}",
        ),
        Target(
            "schedule, all",
            "/schedule/?period=all",
            small=f"/schedule/?period=all&cohort={smallest.pk}",
        ),
        Target("/programs/", "/programs/"),
        Target(
            "cohort roster sorted by job title",
            f"/cohorts/{cohort.pk}/?sort=-job",
            small=f"/cohorts/{smallest.pk}/?sort=-job",
        ),
        Target(
            "cohort dashboard",
            f"/cohorts/{cohort.pk}/dashboard/",
            small=f"/cohorts/{smallest.pk}/dashboard/",
        ),
        # Every program of the data has as many cohorts, so there is no small instance to
        # compare with (the smallest cohort's program may be this very one); the tests check
        # its fixed number of queries (tests/programs/test_dashboards.py).
        Target("steering aggregates", f"/programs/{cohort.program.slug}/steering/"),
        Target(
            "schedule, month",
            f"/schedule/month/?month={data.ANCHOR:%Y-%m}",
            small=f"/schedule/month/?month={data.ANCHOR.year - 20}-01",
        ),
        Target("notices", "/notices/"),
        *(Target(**target) for target in bench_apps.targets()),
    ]
    notes = [
        f"cohort page: cohort {cohort.pk} ({cohort}, {cohort.enrollments.count()} enrollments); "
        f"small instances use cohort {smallest.pk} ({smallest.n} enrollments).",
        f"cohort of 20,000: cohort {network.pk} ({network}, "
        f"{network.enrollments.count()} enrollments), its roster paged.",
        f"participants deep: the page after person {middle[-1]}, half-way through the list.",
    ]
    return targets, notes


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    """A port nobody listens on now; gunicorn binds it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Run one sync gunicorn worker for the duration of the block, whatever ends it.

    One sync worker serves one request at a time, so each figure is one request's own cost. It runs
    in its own session so that Ctrl-C reaches only this script, which then stops it in order.
    """
    command = [
        sys.executable, "-m", "gunicorn", "movilim.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", "1", "--worker-class", "sync",
        "--timeout", "60", "--log-level", "warning", "--error-logfile", "-",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        except Exception:
            log.seek(0)
            lines = log.read().decode(errors="replace").splitlines()
            tail = "\n".join(line for line in lines if not line.startswith("Not Found:"))[-3000:]
            if tail.strip():
                print(f"--- gunicorn log (end) ---\n{tail}", file=sys.stderr)
            raise
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
            print(f"gunicorn (pid {process.pid}) stopped.", flush=True)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float


class Browser:
    """A minimal client: one connection, cookies kept by hand.

    Production cookies are marked Secure, which cookie jars refuse to send over http; the server
    sets them all the same, so keeping them here and sending them in a Cookie header is enough.
    Gunicorn's sync worker closes each connection after answering; ``http.client`` reopens it.
    """

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, body: str | None = None, signed_in: bool = True
    ) -> Reply:
        headers = {"Host": HOST, "Accept": "text/html,application/json"}
        if signed_in and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        seconds = time.perf_counter() - started
        if signed_in:
            for header in response.headers.get_all("Set-Cookie") or []:
                parsed = SimpleCookie()
                parsed.load(header)
                for name, morsel in parsed.items():
                    self.cookies[name] = morsel.value
        return Reply(response.status, response.headers, content, seconds)

    def close(self) -> None:
        self.connection.close()

    def log_in(self, email: str, password: str) -> None:
        """Post the login form as a person would: CSRF cookie plus the form's hidden token."""
        form = self.request("GET", "/accounts/login/")
        match = CSRF_FIELD.search(form.body.decode())
        if form.status != 200 or match is None:
            raise BenchError(f"The login page answered {form.status} without a CSRF token.")
        fields = {
            "csrfmiddlewaretoken": match["token"],
            "username": email,
            "password": password,
            "next": "",
        }
        reply = self.request("POST", "/accounts/login/", body=urlencode(fields))
        if reply.status != 302:
            raise BenchError(f"Logging in failed: the login form answered {reply.status}.")
        check = self.request("GET", "/people/")
        if check.status != 200:
            raise BenchError(f"Signed in, but /people/ answered {check.status}.")

    def wait_for_health(self, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
        """Poll /health/ until the server answers, failing fast if it exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchError(f"gunicorn exited with status {process.returncode}.")
            try:
                if self.request("GET", "/health/", signed_in=False).status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise BenchError(f"/health/ did not answer within {timeout:.0f} s.")


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Samples:
    app_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)


def timed(browser: Browser, target: Target, path: str | None = None) -> tuple[float, float, float]:
    """One request: server wall time, server CPU time, client latency (all milliseconds).

    The request's own query count is kept on the target (``small`` when ``path`` is its small
    instance).
    """
    path = path or target.path
    reply = browser.request("GET", path, signed_in=target.signed_in)
    if reply.status != target.status:
        raise BenchError(f"{path} answered {reply.status}; expected {target.status}.")
    timing = {
        m["name"]: float(m["ms"])
        for m in SERVER_TIMING.finditer(reply.headers.get("Server-Timing", ""))
    }
    if set(timing) != {"app", "cpu"}:
        raise BenchError(f"{path} has no Server-Timing header: is MOVILIM_SERVER_TIMING on?")
    count = reply.headers.get(QUERY_COUNT)
    if count is None:
        raise BenchError(f"{path} has no {QUERY_COUNT} header: are bench_settings in use?")
    (target.queries if path == target.path else target.small_queries).add(int(count))
    return timing["app"], timing["cpu"], reply.seconds * 1000


def measure(
    browser: Browser, targets: list[Target], *, rounds: int, warmup: int, time_limit: float
) -> dict[str, Samples]:
    """Warm up, then request the targets in turn, round after round, within the time limit.

    Interleaving the pages spreads any drift of the machine (other load, frequency changes) over
    all of them instead of penalizing whichever page happens to run during it. Warming up may take
    a quarter of the time limit at most; at least one round is always measured.
    """
    started = time.monotonic()
    for _ in range(warmup):
        if time.monotonic() - started > time_limit / 4:
            break
        for target in targets:
            timed(browser, target)
    for target in targets:  # the small instances: their query counts, not their times
        if target.small:
            timed(browser, target, target.small)
    samples = {t.label: Samples() for t in targets}
    for done in range(rounds):
        if done and time.monotonic() - started > time_limit:
            print(f"  time limit reached after {done} rounds.", flush=True)
            break
        for target in targets:
            app, cpu, client = timed(browser, target)
            bucket = samples[target.label]
            bucket.app_ms.append(app)
            bucket.cpu_ms.append(cpu)
            bucket.client_ms.append(client)
    return samples


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile: a value that was actually observed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Row:
    label: str
    path: str
    requests: int
    queries: str  # what the timed requests ran; several values if it varied between them
    small_queries: str  # the same page on little data; "" when it has no small instance
    app_median: float
    app_p95: float
    cpu_median: float
    cpu_p95: float
    client_median: float
    ratio_app: float
    ratio_client: float
    verdict: str  # PASS, FAIL, or "baseline" / "info" (FAIL also when the queries vary)


def _counts(values: set[int]) -> str:
    return "/".join(str(v) for v in sorted(values))


def summarize(targets: list[Target], samples: dict[str, Samples]) -> list[Row]:
    """Medians, 95th percentiles and ratios to the baseline; PASS/FAIL for the checked pages.

    A page whose query count differs between its requests, or between its large and small
    instances, fails whatever its time: that is a cost growing with the data.
    """
    base = next(t for t in targets if t.baseline)
    base_app = statistics.median(samples[base.label].app_ms)
    base_client = statistics.median(samples[base.label].client_ms)
    rows = []
    for target in targets:
        s = samples[target.label]
        ratio_app = statistics.median(s.app_ms) / base_app
        constant = len(target.queries) == 1 and (
            not target.small or target.small_queries == target.queries
        )
        if target.baseline:
            verdict = "baseline"
        elif not constant:
            verdict = "FAIL (queries vary)"
        elif not target.checked:
            verdict = "info"
        else:
            verdict = "PASS" if ratio_app <= TARGET_RATIO else "FAIL"
        rows.append(
            Row(
                label=target.label,
                path=target.path,
                requests=len(s.app_ms),
                queries=_counts(target.queries),
                small_queries=_counts(target.small_queries),
                app_median=statistics.median(s.app_ms),
                app_p95=p95(s.app_ms),
                cpu_median=statistics.median(s.cpu_ms),
                cpu_p95=p95(s.cpu_ms),
                client_median=statistics.median(s.client_ms),
                ratio_app=ratio_app,
                ratio_client=statistics.median(s.client_ms) / base_client,
                verdict=verdict,
            )
        )
    return rows


def print_table(rows: list[Row]) -> None:
    """A fixed-width table; times in milliseconds, ratios against the one-query baseline."""
    header = (
        f"{'page':<22} {'n':>4} {'SQL':>4} {'small':>5} {'app med':>8} {'app p95':>8} "
        f"{'cpu med':>8} {'cpu p95':>8} {'client med':>10} {'x app':>6} {'x p95':>6}  check"
    )
    base = next(r for r in rows if r.verdict == "baseline")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.label:<22} {r.requests:>4} {r.queries:>4} {r.small_queries or '-':>5} "
            f"{r.app_median:>8.2f} {r.app_p95:>8.2f} {r.cpu_median:>8.2f} {r.cpu_p95:>8.2f} "
            f"{r.client_median:>10.2f} {r.ratio_app:>6.1f} {r.app_p95 / base.app_p95:>6.1f}  "
            f"{r.verdict}"
        )


# --- main --------------------------------------------------------------------------------------


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the benchmark data")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first")
    parser.add_argument(
        "--time-limit", type=float, default=180.0, help="seconds for warm-up and measuring at most"
    )
    parser.add_argument(
        "--only",
        type=re.compile,
        metavar="REGEX",
        help="measure only the pages whose label matches (the baseline always runs)",
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0 or args.time_limit <= 0:
        parser.error("--requests must be at least 1, --warmup and --time-limit not negative")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the whole benchmark; 0 when every page meets the target, 1 when one misses it."""
    args = parse_args(argv)
    # Ctrl-C and SIGTERM both unwind through the clean-up, even when started in the background
    # (where SIGINT may be inherited as ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # progress shows up at once, even when piped
    env = production_env()
    # The in-process Django (data, query counts) uses the same settings as the server. Setting
    # it up opens no connection, so the database can still be dropped and created afterwards.
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
    import django

    django.setup()

    meta = prepare_database(env, rebuild=args.rebuild)
    collectstatic_if_needed(env)
    targets, notes = choose_targets()
    if args.only:
        # The baseline stays: every ratio is taken against it in the same run.
        targets = [t for t in targets if t.baseline or args.only.search(t.label)]
    from django.db import connection

    connection.close()  # the server has the database to itself while measuring

    port = free_port()
    print(f"Starting gunicorn on http://{HOST}:{port}/ (1 sync worker, production settings).")
    with gunicorn(env, port) as process:
        browser = Browser(port)
        try:
            browser.wait_for_health(process)
            import data

            browser.log_in(data.COORDINATOR_EMAIL, data.COORDINATOR_PASSWORD)
            print(
                f"Measuring: {args.warmup} warm-up + up to {args.requests} requests per page, "
                f"at most {args.time_limit:.0f} s.",
                flush=True,
            )
            load_before = os.getloadavg()[0]
            samples = measure(
                browser,
                targets,
                rounds=args.requests,
                warmup=args.warmup,
                time_limit=args.time_limit,
            )
            load_after = os.getloadavg()[0]
        finally:
            browser.close()
    cpus = os.cpu_count() or 1
    notes.append(
        f"Load average (1 min) before/after measuring: {load_before:.1f} / {load_after:.1f} "
        f"on {cpus} CPUs."
    )
    if max(load_before, load_after) > cpus:
        notes.append(
            "WARNING: other processes competed for the CPUs: wall times (app, client) are "
            "inflated; CPU times much less so. Re-run on a quiet machine for release figures."
        )

    rows = summarize(targets, samples)
    print()
    print("Times in ms. app, cpu: server wall and CPU time (Server-Timing); client: round trip.")
    print("SQL: queries of the timed requests; small: of the same page on little data.")
    print(
        f"x app: median over the median of {rows[0].label}; x p95: the same for the 95th "
        f"percentiles. Target: x app <= {TARGET_RATIO:g} and SQL constant."
    )
    print()
    print_table(rows)
    print()
    for note in notes:
        print(note)
    failed = [r.label for r in rows if r.verdict.startswith("FAIL")]
    verdict = (
        f"FAIL ({', '.join(failed)})" if failed else f"PASS (every page within {TARGET_RATIO:g}x)"
    )
    print("RESULT:", verdict)

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {"data": meta, "notes": notes, "rows": [asdict(r) for r in rows]}
    (RESULTS / f"pages-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("bench: interrupted.", file=sys.stderr)
        sys.exit(130)
