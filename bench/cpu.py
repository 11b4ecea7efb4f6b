"""CPU time spent by the web server, the database and the load tool during a measured run.

Read from /proc (Linux): the gunicorn master and its workers, the PostgreSQL backends connected to
the benchmark database, and the finished wrk processes of this run (`RUSAGE_CHILDREN`). Divided
by the answers, it tells where a request's time goes on a machine where all three share the
cores; elsewhere (no /proc) every figure is None. The machine's own counters (/proc/stat) give
what every other process used meanwhile: work of others on a shared machine.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class CpuSample:
    server: dict[int, float]  # pid -> CPU seconds
    database: dict[int, float]
    load_tool: float
    machine_busy: float = 0.0  # CPU seconds of every process on the machine (/proc/stat)
    machine_all: float = 0.0  # the same, idle included


@dataclass(frozen=True)
class CpuUse:
    """CPU milliseconds per answer; `others_share`: the part of the machine's CPU that other
    processes used during the run (0 to 1)."""

    server_ms: float
    database_ms: float
    load_tool_ms: float
    others_share: float = 0.0

    @property
    def total_ms(self) -> float:
        return self.server_ms + self.database_ms + self.load_tool_ms


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, or None if it is gone."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks


def _tree(root: int) -> dict[int, float]:
    """CPU seconds of `root` and its children."""
    found = {}
    if not PROC.is_dir():
        return found
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat and (int(entry.name) == root or stat[0] == root):
            found[int(entry.name)] = stat[1]
    return found


def _backends(database_pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in database_pids:
        stat = _stat(pid)
        if stat:
            found[pid] = stat[1]
    return found


def _machine() -> tuple[float, float]:
    """(busy, all) CPU seconds of the machine since boot; (0, 0) without /proc/stat."""
    try:
        first = (PROC / "stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return 0.0, 0.0
    # user nice system idle iowait irq softirq steal (guest time is already in user)
    values = [int(value) for value in first[1:9]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


def sample(server_pid: int, database_pids: list[int]) -> CpuSample:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, everything = _machine()
    return CpuSample(
        server=_tree(server_pid),
        database=_backends(database_pids),
        load_tool=children.ru_utime + children.ru_stime,
        machine_busy=busy,
        machine_all=everything,
    )


def use(before: CpuSample, after: CpuSample, answers: int) -> CpuUse | None:
    if not answers or not PROC.is_dir() or not after.server:
        return None

    def spent(start: dict[int, float], end: dict[int, float]) -> float:
        return sum(seconds - start.get(pid, 0.0) for pid, seconds in end.items())

    server = spent(before.server, after.server)
    database = spent(before.database, after.database)
    load_tool = after.load_tool - before.load_tool
    elapsed = after.machine_all - before.machine_all
    others = after.machine_busy - before.machine_busy - server - database - load_tool
    return CpuUse(
        server_ms=server * 1000 / answers,
        database_ms=database * 1000 / answers,
        load_tool_ms=load_tool * 1000 / answers,
        others_share=min(1.0, max(0.0, others / elapsed)) if elapsed > 0 else 0.0,
    )
