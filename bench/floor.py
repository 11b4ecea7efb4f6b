"""The floor of an endpoint: the bare SQL it runs, timed without Django.

`capture_sql` calls the endpoint in-process with Django's test client (against the benchmark
database, after one warm-up call) and keeps the SQL it sent; `time_sql` executes those statements
directly on the database driver's own cursor, one request's worth at a time, many times.
Needs a configured Django (bench/run.py sets it up).
"""

from __future__ import annotations

import re
import time

from bench.report import FloorResult

READS = ("SELECT", "WITH")
# Django reads a model choice field's options through a server-side cursor on PostgreSQL:
# DECLARE "…" NO SCROLL CURSOR WITH HOLD FOR SELECT …; the floor replays the SELECT itself.
_CURSOR = re.compile(r'^\s*DECLARE\s+"[^"]+"\s+NO SCROLL CURSOR WITH HOLD FOR\s+', re.I)


def _meta(headers: dict[str, str]) -> dict[str, str]:
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}


def capture_sql(path: str, headers: dict[str, str]) -> list[str]:
    """The SQL statements one GET of `path` runs (the second call: caches and throttles warm)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    extra = _meta(headers)
    client.get(path, **extra)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, **extra)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code} in-process")
    return [query["sql"] for query in context.captured_queries]


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))]


def time_sql(
    statements: list[str], *, min_seconds: float = 2.0, max_iterations: int = 20000
) -> FloorResult:
    """Execute the read statements of one request again and again; writes are not replayed."""
    return time_sql_sets([statements], min_seconds=min_seconds, max_iterations=max_iterations)


def time_sql_sets(
    statement_sets: list[list[str]], *, min_seconds: float = 2.0, max_iterations: int = 20000
) -> FloorResult:
    """Like `time_sql` for a rotation: each timed iteration runs the statements of the next
    request (in turn), so the percentiles are over the different requests together."""
    from django.db import connection

    statement_sets = [[_CURSOR.sub("", sql) for sql in statements] for statements in statement_sets]
    reads = [
        [sql for sql in statements if sql.lstrip().upper().startswith(READS)]
        for statements in statement_sets
    ]
    skipped = [sql for sql in statement_sets[0] if sql not in reads[0]]
    if not all(reads):
        raise ValueError("no read statement to time")
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # the driver's cursor, not Django's wrapper

    def once(index: int) -> None:
        for sql in reads[index % len(reads)]:
            cursor.execute(sql)
            cursor.fetchall()

    for index in range(max(50, len(reads))):
        once(index)
    durations = []
    deadline = time.perf_counter() + min_seconds
    while len(durations) < max_iterations and time.perf_counter() < deadline:
        started = time.perf_counter()
        once(len(durations))
        durations.append(time.perf_counter() - started)
    cursor.close()
    durations.sort()
    return FloorResult(
        statements=reads[0],
        skipped=skipped,
        iterations=len(durations),
        p50_ms=_percentile(durations, 0.50) * 1000,
        p95_ms=_percentile(durations, 0.95) * 1000,
        requests=len(reads),
    )
