"""A periodic task that exists only for the tests of the worker processes (imported by them
through ATAA_TASK_EXTRA_MODULES, never by the test process itself)."""

from __future__ import annotations

import datetime as dt

from ataa.core.tasks import periodic
from ataa.core.tests.task_fixtures import record

TICK = "core_tests.periodic_tick"
TICK_KEY = 4242


@periodic(TICK, every=dt.timedelta(hours=1))
def tick() -> None:
    record(TICK_KEY, "ran")
