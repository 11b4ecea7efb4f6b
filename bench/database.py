"""The benchmark database: PostgreSQL `ataa_bench` when it answers on 127.0.0.1:5432, else SQLite.

A run drops and recreates it, so every run measures the same data; except that on PostgreSQL a
database that already holds the very data set the run asks for (its marker, the `bench_dataset`
table, records the fingerprint: generators' versions and sources, seed, counts) is kept, so a
second run does not spend minutes generating the same millions of rows again; one that differs
only in a part the run can write into it (the hours ledger) is kept and completed. `--regenerate`
forces a new one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"
PG_NAME = "ataa_bench"


@dataclass(frozen=True)
class BenchDatabase:
    engine: str  # "postgresql" | "sqlite"
    url: str
    version: str

    def describe(self) -> str:
        if self.engine == "postgresql":
            return f"PostgreSQL {self.version} (`{PG_NAME}` on {PG_HOST}:{PG_PORT})"
        return f"SQLite {self.version} (WAL, `{self.url.removeprefix('sqlite:///')}`)"


def _pg_connect(dbname: str):
    import psycopg

    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, connect_timeout=3, autocommit=True
    )


def postgres_answers() -> bool:
    try:
        with _pg_connect("postgres"):
            return True
    except Exception:
        return False


def recreate_postgres() -> BenchDatabase:
    with _pg_connect("postgres") as conn:
        # FORCE ends connections a killed earlier run may have left behind (PostgreSQL 13+).
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_NAME}"')
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    return BenchDatabase(
        "postgresql", f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_NAME}", version
    )


def recreate_sqlite(directory: Path) -> BenchDatabase:
    import sqlite3

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "ataa_bench.sqlite3"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return BenchDatabase("sqlite", f"sqlite:///{path}", sqlite3.sqlite_version)


def recreate(*, var_dir: Path, force_sqlite: bool = False) -> BenchDatabase:
    if not force_sqlite and postgres_answers():
        return recreate_postgres()
    return recreate_sqlite(var_dir)


# --- The data set's marker ------------------------------------------------------------------

MARKER_TABLE = "bench_dataset"


def read_marker() -> dict | None:
    """{"fingerprint": …, "details": …} of the data set in `ataa_bench`, or None (no database,
    no marker, or a generation that did not finish: the marker is written last)."""
    try:
        with _pg_connect(PG_NAME) as conn:
            row = conn.execute(
                f"SELECT fingerprint, details FROM {MARKER_TABLE} WHERE id = 1"
            ).fetchone()
    except Exception:
        return None
    return {"fingerprint": row[0], "details": row[1]} if row else None


def write_marker(fingerprint: dict, details: dict) -> None:
    with _pg_connect(PG_NAME) as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (id integer PRIMARY KEY, "
            "fingerprint jsonb NOT NULL, details jsonb NOT NULL, "
            "written_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(
            f"INSERT INTO {MARKER_TABLE} (id, fingerprint, details) VALUES (1, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
            "details = EXCLUDED.details, written_at = now()",
            [json.dumps(fingerprint, sort_keys=True), json.dumps(details, sort_keys=True)],
        )


def existing_postgres() -> BenchDatabase:
    with _pg_connect(PG_NAME) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    return BenchDatabase(
        "postgresql", f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_NAME}", version
    )


def prepare(
    *,
    var_dir: Path,
    fingerprint: dict,
    force_sqlite: bool = False,
    regenerate: bool = False,
    partial: tuple[str, ...] = (),
) -> tuple[BenchDatabase, dict | None, list[str]]:
    """The database to run on, the marker's details if it already holds the data set asked for
    (None: it was recreated empty and needs its data), and which of the `partial` parts of the
    fingerprint it lacks or holds otherwise (the run writes those into the kept database; every
    other difference recreates it)."""
    if not force_sqlite and postgres_answers():
        marker = None if regenerate else read_marker()
        wanted = json.loads(json.dumps(fingerprint, sort_keys=True))
        if marker is not None:
            held = marker["fingerprint"]
            missing = [key for key in partial if held.get(key) != wanted.get(key)]
            rest_held = {key: value for key, value in held.items() if key not in partial}
            rest_wanted = {key: value for key, value in wanted.items() if key not in partial}
            if rest_held == rest_wanted:
                return existing_postgres(), marker["details"], missing
        return recreate_postgres(), None, []
    return recreate_sqlite(var_dir), None, []


def backend_pids() -> list[int]:
    """The PostgreSQL backends connected to the benchmark database (the web server's)."""
    try:
        with _pg_connect(PG_NAME) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [PG_NAME],
            ).fetchall()
    except Exception:
        return []
    return [row[0] for row in rows]


def settings_and_prewarm() -> tuple[str, str]:
    """PostgreSQL's memory settings, and read every relation of the benchmark database into the
    operating system's page cache (pg_prewarm, 'prefetch'): the scenarios then measure a warm
    database, as a production server with enough memory has, not pages a virtual machine's
    memory manager evicted between runs. Returns (settings, what was prefetched)."""
    with _pg_connect(PG_NAME) as conn:
        names = ("shared_buffers", "effective_cache_size", "work_mem", "max_connections")
        shown = ", ".join(f"{name} {conn.execute(f'SHOW {name}').fetchone()[0]}" for name in names)
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            blocks = conn.execute(
                "SELECT COALESCE(SUM(pg_prewarm(c.oid::regclass, 'prefetch')), 0) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't', 'm')"
            ).fetchone()[0]
        except Exception as error:  # no contrib package: measure as it is
            return shown, f"not prefetched ({type(error).__name__})"
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return shown, f"{blocks * 8 / 1024:,.0f} MB of {size.fetchone()[0]} prefetched"
