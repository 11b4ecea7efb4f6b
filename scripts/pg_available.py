"""Exit 0 when PostgreSQL answers at the URL given (used by scripts/test.sh)."""

import sys

import psycopg

url = sys.argv[1].replace("postgres://", "postgresql://", 1)
try:
    psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
