#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL when it answers on 127.0.0.1:5432.
# The browser tests run once: on PostgreSQL when it is there, otherwise on SQLite.
# ATAA_REQUIRE_POSTGRES=1 turns a missing PostgreSQL into a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${ATAA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/ataa}

if $PY scripts/pg_available.py "$PG_URL"; then
  have_pg=1
else
  have_pg=0
  if [ "${ATAA_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "ATAA_REQUIRE_POSTGRES=1 but PostgreSQL does not answer at $PG_URL" >&2
    exit 1
  fi
  echo "PostgreSQL does not answer at $PG_URL: running on SQLite only."
fi

status=0
echo "=== Test suite on SQLite"
if [ $have_pg = 1 ]; then
  env -u DATABASE_URL $PY -m pytest -m "not browser" "$@" || status=1
  echo "=== Test suite on PostgreSQL (with the browser tests)"
  DATABASE_URL="$PG_URL" $PY -m pytest "$@" || status=1
else
  env -u DATABASE_URL $PY -m pytest "$@" || status=1
fi
exit $status
