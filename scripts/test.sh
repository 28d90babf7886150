#!/usr/bin/env bash
# The whole test suite: once on SQLite, then again on PostgreSQL when a server answers.
# Browser tests need Debian's chromium and chromium-driver; without them they are skipped, unless
# MOVILIM_REQUIRE_BROWSER=1 (set by .ci/run), which turns their absence into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/movilim}"

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  echo "Browser tests: using $(chromium --version 2>/dev/null | head -1)."
elif [ "${MOVILIM_REQUIRE_BROWSER:-0}" = "1" ]; then
  echo "Browser tests are required here but chromium/chromedriver are missing." >&2
  exit 1
else
  echo "NOTE: chromium and chromium-driver are not installed: the browser tests will be SKIPPED."
  echo "      Install them (Debian: apt-get install chromium chromium-driver) to run them."
fi

echo "== Tests on SQLite =="
DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3" "$PY" -m pytest "$@"

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
  echo "== Tests on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" "$PY" -m pytest "$@"
else
  if [ "${MOVILIM_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is required here but does not answer." >&2
    exit 1
  fi
  echo "NOTE: PostgreSQL is not reachable: the PostgreSQL pass was SKIPPED."
fi
