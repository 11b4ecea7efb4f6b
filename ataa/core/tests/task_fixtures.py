"""Tasks that exist only for the tests.

The test process imports this module; worker subprocesses import it through
ATAA_TASK_EXTRA_MODULES. Each task appends what happened to `<ATAA_TEST_TASK_DIR>/<key>.log`, a
file outside the database, so a run is recorded even when its worker is killed or its row rolls
back.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ataa.core.tasks import task


def _log(key: int) -> Path:
    return Path(os.environ["ATAA_TEST_TASK_DIR"]) / f"{key}.log"


def record(key: int, event: str) -> None:
    with _log(key).open("a") as log:
        log.write(f"{event} {os.getpid()}\n")


def events(key: int) -> list[str]:
    """What happened to the task with this key, in order: ["ran"], ["started", "finished"], …"""
    path = _log(key)
    if not path.exists():
        return []
    return [line.split()[0] for line in path.read_text().splitlines() if line.strip()]


@task("core_tests.record_run")
def record_run(*, key: int) -> None:
    record(key, "ran")


@task("core_tests.block_first_run")
def block_first_run(*, key: int) -> None:
    """The first run blocks until its worker is killed; a later run finishes."""
    if "started" in events(key):
        record(key, "finished")
        return
    record(key, "started")
    while True:
        time.sleep(0.05)


@task("core_tests.slow")
def slow(*, key: int, millis: int) -> None:
    record(key, "started")
    time.sleep(millis / 1000)
    record(key, "finished")


@task("core_tests.always_fail")
def always_fail(*, key: int) -> None:
    record(key, "failed")
    raise RuntimeError("this task always fails")
