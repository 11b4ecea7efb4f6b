"""The benchmark database: PostgreSQL `ataa_bench` when it answers on 127.0.0.1:5432, else SQLite.

Each run drops and recreates it, so every run measures the same data.
"""

from __future__ import annotations

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
