"""Reference data held in memory: the small seeded lists (cities, fields of volunteering,
skills) that every search form shows and every filter looks up by code.

Reading them from the database on each request cost the public search more than the search
itself (several queries and some hundred model instances per page). A `ReferenceList` loads its
rows once per process and keeps them for `max_age` seconds. A save or delete of the model in
this process empties it at once (and again when the transaction commits, so a reader that
reloaded in between does not keep the old rows); other processes see the change when their copy
ages out, within `max_age` (these lists are edited by platform admins, rarely).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from ataa.core.models import City

M = TypeVar("M", bound=Model)

DEFAULT_MAX_AGE = 60.0

_registry: list[ReferenceList] = []


class ReferenceList(Generic[M]):
    """The rows of `load()`, in its order, and a lookup by `code`."""

    def __init__(
        self,
        model: type[M],
        load: Callable[[], list[M]] | None = None,
        *,
        max_age: float = DEFAULT_MAX_AGE,
    ):
        self.model = model
        self._load = load or (lambda: list(model.objects.all()))
        self.max_age = max_age
        # One immutable snapshot, replaced whole: readers in other threads never see half of it.
        self._snapshot: _Snapshot[M] | None = None
        post_save.connect(self._changed, sender=model, weak=False)
        post_delete.connect(self._changed, sender=model, weak=False)
        _registry.append(self)

    def _changed(self, **kwargs) -> None:
        self.clear()
        transaction.on_commit(self.clear, robust=True)

    def clear(self) -> None:
        self._snapshot = None

    def _current(self) -> _Snapshot[M]:
        snapshot = self._snapshot
        if snapshot is None or time.monotonic() - snapshot.loaded_at >= self.max_age:
            rows = tuple(self._load())
            snapshot = _Snapshot(rows, {row.code: row for row in rows}, time.monotonic())
            self._snapshot = snapshot
        return snapshot

    def all(self) -> tuple[M, ...]:
        return self._current().rows

    def choices(self) -> tuple[tuple[str, str], ...]:
        """(code, name in the active language) of every row, for a select."""
        snapshot = self._current()
        language = get_language() or ""
        choices = snapshot.choices.get(language)
        if choices is None:
            choices = tuple((row.code, row.name) for row in snapshot.rows)
            snapshot.choices[language] = choices
        return choices

    def get(self, code: str | None) -> M | None:
        """The row with this code, or None."""
        if not code:
            return None
        return self._current().by_code.get(code)


@dataclass(frozen=True)
class _Snapshot(Generic[M]):
    rows: tuple[M, ...]
    by_code: dict[str, M]
    loaded_at: float
    choices: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def clear_all() -> None:
    """Empty every list (the tests do before each test: a rolled-back row must not stay)."""
    for reference in _registry:
        reference.clear()


CITIES: ReferenceList[City] = ReferenceList(City)
