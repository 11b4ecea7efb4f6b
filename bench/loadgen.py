"""The load generator: Debian's `wrk` with bench/wrk_report.lua, and its results.

wrk keeps `connections` connections open and sends the next request on a connection as soon as
the previous answer arrives (a closed loop, as 50 busy clients would). Latency is measured per
request from send to the end of the answer. Every status code is counted, so any answer that is
not 2xx (a redirect to the login page included) is an error in the results, as are socket errors
and timeouts (wrk leaves timed-out requests out of the latency percentiles: they show up only as
errors).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
JSON_MARKER = "BENCH_JSON "


class LoadToolError(RuntimeError):
    pass


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured. Latencies in milliseconds."""

    duration_s: float
    requests: int
    latency_ms: dict[str, float]
    statuses: dict[int, int] = field(default_factory=dict)
    socket_errors: dict[str, int] = field(default_factory=dict)
    connections: int = 0

    @property
    def rps(self) -> float:
        """Answers per second, all status codes together."""
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def ok(self) -> int:
        return sum(n for code, n in self.statuses.items() if 200 <= code < 300)

    @property
    def non_2xx(self) -> int:
        return sum(n for code, n in self.statuses.items() if not 200 <= code < 300)

    @property
    def errors(self) -> int:
        """Answers that are not 2xx plus connect/read/write errors and timeouts."""
        return self.non_2xx + sum(
            self.socket_errors.get(kind, 0) for kind in ("connect", "read", "write", "timeout")
        )

    def p(self, percentile: int) -> float:
        return self.latency_ms[f"p{percentile}"]


def parse_wrk_output(stdout: str, *, connections: int = 0) -> LoadResult:
    """The LoadResult in wrk's output (the BENCH_JSON line that wrk_report.lua writes)."""
    lines = [line for line in stdout.splitlines() if line.startswith(JSON_MARKER)]
    if not lines:
        raise LoadToolError(f"wrk printed no {JSON_MARKER.strip()} line:\n{stdout[-2000:]}")
    data = json.loads(lines[-1][len(JSON_MARKER) :])
    return LoadResult(
        duration_s=data["duration_us"] / 1e6,
        requests=int(data["requests"]),
        latency_ms={name: value / 1000 for name, value in data["latency_us"].items()},
        statuses={int(code): int(n) for code, n in data["statuses"].items()},
        socket_errors={kind: int(n) for kind, n in data["errors"].items()},
        connections=connections,
    )


@dataclass(frozen=True)
class Request:
    """One request of a rotation; headers here come on top of the run's header set."""

    method: str
    path: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def format_requests(requests: list[Request]) -> str:
    """The BENCH_REQUESTS_FILE format of wrk_report.lua: one request per line, tab-separated."""
    lines = []
    for item in requests:
        parts = [item.method, item.path, item.body]
        parts += [f"{name}: {value}" for name, value in item.headers.items()]
        if any("\t" in part or "\n" in part or "\r" in part for part in parts):
            raise ValueError(f"request {item.method} {item.path} cannot be written on one line")
        if not item.path.startswith("/"):
            raise ValueError(f"the path {item.path!r} must start with /")
        lines.append("\t".join(parts))
    return "\n".join(lines) + "\n"


def format_header_sets(header_sets: list[dict[str, str]]) -> str:
    """The BENCH_HEADERS_FILE format of wrk_report.lua: header lines, a blank line between sets."""
    blocks = []
    for headers in header_sets:
        for name, value in headers.items():
            if "\n" in name or "\n" in value or ":" in name:
                raise ValueError(f"header {name!r} cannot be written on one line")
        blocks.append("".join(f"{name}: {value}\n" for name, value in headers.items()))
    return "\n".join(blocks)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise LoadToolError("wrk is not installed: run `bash scripts/os_deps.sh wrk` as root")
    return path


def wrk_version() -> str:
    completed = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True, check=False)
    first = (completed.stdout or completed.stderr).strip().splitlines()
    return first[0].split("[")[0].strip() if first else "wrk"


def wrk_command(
    url: str, *, connections: int, threads: int, duration_s: float, timeout_s: float
) -> list[str]:
    threads = max(1, min(threads, connections))
    return [
        wrk_path(),
        f"--connections={connections}",
        f"--threads={threads}",
        f"--duration={max(1, round(duration_s))}s",
        f"--timeout={max(1, round(timeout_s))}s",
        f"--script={LUA_SCRIPT}",
        url,
    ]


def run_wrk(
    url: str,
    *,
    connections: int,
    threads: int,
    duration_s: float,
    header_sets: list[dict[str, str]] | None = None,
    requests: list[Request] | None = None,
    delay_ms: float = 0,
    timeout_s: float = 10.0,
) -> LoadResult:
    """Load `url` with wrk; header sets go through a private file, not the command line.

    `requests`: rotate through these (each thread through its own contiguous part) instead of
    requesting `url`'s path; `delay_ms`: a random pause of 0 to 2 × delay_ms before each request.
    """
    if not url.startswith(("http://127.0.0.1:", "http://[::1]:")):
        raise ValueError("the benchmarks send traffic to the loopback interface only")
    command = wrk_command(
        url, connections=connections, threads=threads, duration_s=duration_s, timeout_s=timeout_s
    )
    threads_used = int(command[2].split("=")[1])
    with tempfile.TemporaryDirectory(prefix="ataa-bench-") as tmp:
        headers_file = Path(tmp) / "headers"
        headers_file.write_text(format_header_sets(header_sets or []), encoding="utf-8")
        headers_file.chmod(0o600)
        env = dict(
            os.environ,
            BENCH_HEADERS_FILE=str(headers_file),
            BENCH_SET_OFFSET=str(max(1, connections // threads_used)),
            BENCH_THREADS=str(threads_used),
            BENCH_DELAY_MS=f"{delay_ms:g}",
        )
        if requests:
            requests_file = Path(tmp) / "requests"
            requests_file.write_text(format_requests(requests), encoding="utf-8")
            requests_file.chmod(0o600)
            env["BENCH_REQUESTS_FILE"] = str(requests_file)
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env,
            timeout=duration_s + timeout_s + 30,
            check=False,
        )
    if completed.returncode != 0:
        raise LoadToolError(f"wrk failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return parse_wrk_output(completed.stdout, connections=connections)
