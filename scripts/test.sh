#!/usr/bin/env bash
# The whole test suite: once on SQLite, with coverage and its floor, then again on PostgreSQL when
# a server answers. Each pass runs in parallel, one pytest-xdist worker per CPU
# (MOVILIM_TEST_WORKERS=2, or 0 for none); extra arguments go to both passes.
# Browser tests need Debian's chromium and chromium-driver; without them they are skipped, unless
# MOVILIM_REQUIRE_BROWSER=1 (set by .ci/run), which turns their absence into a failure. Likewise
# MOVILIM_REQUIRE_POSTGRES=1 makes an unreachable PostgreSQL a failure rather than a skipped pass.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/movilim}"
WORKERS="${MOVILIM_TEST_WORKERS:-auto}"
# Measured at 96% (statements, migrations left out); the floor leaves room for honest churn.
COVERAGE_FLOOR=94

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  echo "Browser tests: using $(chromium --version 2>/dev/null | head -1)."
elif [ "${MOVILIM_REQUIRE_BROWSER:-0}" = "1" ]; then
  echo "Browser tests are required here but chromium/chromedriver are missing." >&2
  exit 1
else
  echo "NOTE: chromium and chromium-driver are not installed: the browser tests will be SKIPPED."
  echo "      Install them (Debian: apt-get install chromium chromium-driver) to run them."
fi

run_pytest() {
  local status=0
  "$PY" -m pytest -n "$WORKERS" "$@" || status=$?
  # 5: no test was collected. A pass that ran nothing has proved nothing.
  if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: failing rather than passing an empty run." >&2
    return 1
  fi
  return "$status"
}

mkdir -p var
echo "== Tests on SQLite =="
DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3" run_pytest \
  --cov=movilim --cov-report=term:skip-covered --cov-fail-under="$COVERAGE_FLOOR" "$@"

if "$PY" - "$PG_URL" <<'PYEOF'
import sys
import psycopg
from urllib.parse import urlparse
url = urlparse(sys.argv[1])
try:
    psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                    password=url.password or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL at {url.hostname}:{url.port} does not answer ({exc}).")
    sys.exit(1)
PYEOF
then
  # The test databases are named after this checkout (movilim/settings_test.py), one per worker,
  # so two checkouts testing against one server never drop each other's.
  # The browser tests ran in the first pass: they drive the interface (pages, scripts,
  # accessibility), which does not depend on the database, and they are the slowest tests.
  echo "== Tests on PostgreSQL ($PG_URL), browser tests excepted =="
  DATABASE_URL="$PG_URL" run_pytest -m "not browser" "$@"
else
  if [ "${MOVILIM_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is required here but does not answer." >&2
    exit 1
  fi
  echo "NOTE: PostgreSQL is not reachable: the PostgreSQL pass was SKIPPED."
fi
