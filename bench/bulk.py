"""Bulk writing for the synthetic data: PostgreSQL COPY (psycopg 3), or executemany on SQLite.

`TableWriter` writes rows of a Django model's table: the generator names the columns it fills,
every other column gets the model field's default (so a column added later by a migration, with
a default, does not break the generator). Ids are given explicitly (the generator needs them for
the foreign keys of the next tables); `set_sequence` moves the table's id sequence past them.

`deferred_indexes` is what pg_restore does for a big load: before it, the table's secondary
indexes, unique constraints and foreign keys are dropped; after it, they are created again from
their own definitions (`pg_get_indexdef`, `pg_get_constraintdef`), so each is built once over all
rows and every row is checked against every constraint, as an insert would have been. Exclusion
constraints (the hours ledger's no-overlap rule) are dropped and made again the same way. Primary
keys and check constraints stay in place during the load; so do triggers (COPY fires only INSERT
triggers).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import NOT_PROVIDED

Log = Callable[[str], None]
BATCH = 5000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _default(model_field):
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    if model_field.db_default is not NOT_PROVIDED:
        raise ValueError(f"{model_field} has a database default: fill it explicitly")
    if model_field.empty_strings_allowed and model_field.blank:
        return ""
    raise ValueError(f"{model_field.model.__name__}.{model_field.name} needs a value")


def _db_value(model_field, value):
    """What the driver gets for a default value (JSON fields get their JSON text)."""
    if model_field.get_internal_type() == "JSONField":
        import json

        return json.dumps(value)
    return value


@dataclass
class TableWriter:
    """`with TableWriter(Model, ["id", "name", ...]) as table: table.write((1, "x", ...))`."""

    model: type
    columns: list[str]
    table: str = ""
    rows: int = 0
    _extra: tuple = ()
    _all_columns: list[str] = field(default_factory=list)
    _copy = None
    _copy_context = None
    _cursor = None
    _batch: list = field(default_factory=list)

    def __post_init__(self):
        meta = self.model._meta
        self.table = meta.db_table
        by_column = {f.column: f for f in meta.concrete_fields}
        unknown = [name for name in self.columns if name not in by_column]
        if unknown:
            raise ValueError(f"{self.table} has no column {unknown}")
        missing = [f for column, f in by_column.items() if column not in self.columns]
        self._extra = tuple(_db_value(f, _default(f)) for f in missing)
        self._all_columns = [*self.columns, *(f.column for f in missing)]

    def __enter__(self) -> TableWriter:
        self._cursor = connection.cursor()
        names = ", ".join(f'"{name}"' for name in self._all_columns)
        if is_postgres():
            raw = self._cursor.cursor  # psycopg 3's own cursor under Django's wrapper
            self._copy_context = raw.copy(f'COPY "{self.table}" ({names}) FROM STDIN')
            self._copy = self._copy_context.__enter__()
        else:
            marks = ", ".join("%s" for _ in self._all_columns)
            self._insert = f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})'
        return self

    def write(self, row: tuple) -> None:
        self.rows += 1
        if self._copy is not None:
            self._copy.write_row(row + self._extra if self._extra else row)
            return
        self._batch.append(row + self._extra)
        if len(self._batch) >= BATCH:
            self._flush()

    def write_many(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            self.write(row)

    def _flush(self) -> None:
        if self._batch:
            self._cursor.executemany(self._insert, self._batch)
            self._batch = []

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self._copy_context is not None:
                self._copy_context.__exit__(exc_type, exc, tb)
            elif exc_type is None:
                self._flush()
        finally:
            self._cursor.close()


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def set_sequence(model) -> None:
    """Move the id sequence past the ids the generator wrote (PostgreSQL; SQLite needs none)."""
    if not is_postgres():
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )


@dataclass(frozen=True)
class Deferred:
    table: str
    indexes: list[tuple[str, str]]  # (name, CREATE INDEX …)
    constraints: list[tuple[str, str, str]]  # (name, kind 'x'|'u'|'f', definition)


def _deferrable(cursor, table: str) -> Deferred:
    cursor.execute(
        """
        SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'f', 'x')
          AND NOT EXISTS (  -- a unique constraint another table's foreign key relies on stays
            SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid
              AND c.contype = 'u')
        ORDER BY c.contype DESC, c.conname
        """,
        [f'"{table}"'],
    )
    constraints = [(name, kind, definition) for name, kind, definition in cursor.fetchall()]
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                          AND c.contype IN ('p', 'u', 'x'))
        ORDER BY 1
        """,
        [f'"{table}"'],
    )
    return Deferred(table, list(cursor.fetchall()), constraints)


def index_definitions(tables: Iterable[str]) -> dict[str, list[str]]:
    """Every index and constraint definition of the tables (for checks and tests)."""
    result = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass",
                [f'"{table}"'],
            )
            definitions = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass",
                [f'"{table}"'],
            )
            definitions += [row[0] for row in cursor.fetchall()]
            result[table] = sorted(definitions)
    return result


@contextmanager
def deferred_indexes(models: Iterable, log: Log, *, enabled: bool = True):
    """Drop the secondary indexes, unique and exclusion constraints and foreign keys of the
    models' tables for the body of the `with`, then create them again (each is then checked over
    every row)."""
    if not enabled or not is_postgres():
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # Pending deferred foreign-key checks of this transaction would forbid ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        deferred = [_deferrable(cursor, table) for table in tables]
        for item in deferred:
            for name, _kind, _definition in item.constraints:
                cursor.execute(f'ALTER TABLE "{item.table}" DROP CONSTRAINT "{name}"')
            for name, _definition in item.indexes:
                cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for item in deferred:
            for _name, definition in item.indexes:
                cursor.execute(definition)
            for name, _kind, definition in item.constraints:
                cursor.execute(f'ALTER TABLE "{item.table}" ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    count = sum(len(item.indexes) + len(item.constraints) for item in deferred)
    log(
        f"  {', '.join(tables)}: {count} indexes and constraints built and checked in "
        f"{time.monotonic() - started:.1f} s"
    )
