#!/usr/bin/env bash
# The whole test suite: installs what it needs (system packages, .venv with the dev tools), starts a
# private PostgreSQL, then runs unit, integration (SQLite and PostgreSQL) and GUI (offscreen) tests.
# Usage: scripts/test.sh [--slow] [pytest args...]     (--slow adds the installer-bundle build)
set -euo pipefail
cd "$(dirname "$0")/.."

slow=0
if [ "${1:-}" = "--slow" ]; then slow=1; shift; fi

scripts/setup.sh --dev

export QT_QPA_PLATFORM=offscreen
export QT_LOGGING_RULES="qt.multimedia.*=false"
export PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring
export PYTHONDONTWRITEBYTECODE=1

work=$(mktemp -d /tmp/gjj-test.XXXXXX)
chmod 755 "$work"
pg_url=""
cleanup() {
  if [ -n "$pg_url" ]; then .venv/bin/python -m tests.support.pg stop "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

pg_url=$(.venv/bin/python -m tests.support.pg start "$work/pg")
echo "PostgreSQL for the tests: $pg_url"

markers="not slow"
[ $slow = 1 ] && markers=""

# One run: every test on SQLite; the server and integration tests again on PostgreSQL
# (the database fixtures take GJJ_TEST_PG_URL).
# Exit status 5 is "no tests collected": an argument such as -k may select none in one of the passes.
run() { .venv/bin/python -m pytest "$@" || { rc=$?; [ $rc = 5 ] || exit $rc; }; }
run -q -m "$markers" "$@"
GJJ_TEST_PG_URL="$pg_url" run -q -m "postgres" -p no:cacheprovider "$@"
