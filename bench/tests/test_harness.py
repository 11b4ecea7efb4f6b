"""The benchmark harness's pieces, without load, servers or database (well under a second)."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.loadgen import (
    LUA_SCRIPT,
    LoadResult,
    LoadToolError,
    format_header_sets,
    parse_wrk_output,
    run_wrk,
)
from bench.report import FloorResult, RunInfo, ScenarioResult, render_report, write_report
from bench.scenarios import FOUNDATION, Scenario, Target, token, verdict

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40123/api/v1/organizations
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    45.10ms   12.00ms 310.00ms   80.00%
  3000 requests in 10.00s, 1.00MB read
Requests/sec:    300.00
BENCH_JSON {"duration_us": 10000000, "requests": 3000, "bytes": 1048576, \
"errors": {"connect": 0, "read": 2, "write": 0, "status": 5, "timeout": 1}, \
"latency_us": {"min": 1200, "mean": 45100.0, "max": 310000, "stdev": 12000.0, \
"p50": 40000, "p90": 80000, "p95": 95500, "p99": 150000}, \
"statuses": {"200": 2990, "302": 5, "500": 5}}
"""


def load(**overrides) -> LoadResult:
    values = dict(
        duration_s=10.0,
        requests=2000,
        latency_ms={"p50": 20.0, "p90": 40.0, "p95": 50.0, "p99": 90.0, "mean": 25.0, "max": 99},
        statuses={200: 2000},
        socket_errors={"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
        connections=50,
    )
    values.update(overrides)
    return LoadResult(**values)


def test_wrk_output_gives_percentiles_rate_and_every_non_2xx_as_an_error():
    result = parse_wrk_output(WRK_OUTPUT, connections=50)

    assert result.requests == 3000
    assert result.rps == pytest.approx(300.0)
    assert (result.p(50), result.p(95), result.p(99)) == (40.0, 95.5, 150.0)
    assert result.statuses == {200: 2990, 302: 5, 500: 5}
    # The redirect counts too (wrk's own status error counts only >= 400), and so do the read
    # error and the timeout.
    assert result.non_2xx == 10
    assert result.errors == 13


def test_wrk_output_without_the_report_line_is_refused():
    with pytest.raises(LoadToolError, match="BENCH_JSON"):
        parse_wrk_output("Running 10s test @ http://127.0.0.1:1/\nunable to connect\n")


def test_header_sets_are_written_one_per_block_and_never_across_lines():
    text = format_header_sets(
        [{"Authorization": "Bearer ataa_x", "Accept-Language": "ar"}, {"Cookie": "sessionid=1"}]
    )
    assert text == "Authorization: Bearer ataa_x\nAccept-Language: ar\n\nCookie: sessionid=1\n"
    with pytest.raises(ValueError):
        format_header_sets([{"Cookie": "a\nInjected: yes"}])
    assert LUA_SCRIPT.is_file()


def test_the_load_tool_is_only_pointed_at_the_loopback_interface():
    with pytest.raises(ValueError, match="loopback"):
        run_wrk("http://example.org/", connections=1, threads=1, duration_s=1)


def test_targets_pass_and_fail_on_p95_rate_and_errors():
    scenario = Scenario("search", "GET /search", "/search", target=Target(p95_ms=150, min_rps=150))

    assert verdict(scenario, load()) == "PASS"
    assert verdict(scenario, load(latency_ms={**load().latency_ms, "p95": 151.0})).startswith(
        "FAIL (p95 151.0 ms > 150 ms"
    )
    slow = verdict(scenario, load(requests=1000))
    assert slow == "FAIL (100 req/s < 150 req/s)"
    assert "1 errors > 0" in verdict(scenario, load(statuses={200: 1999, 302: 1}))
    assert verdict(Scenario("x", "x", "/"), load()) == "—"  # no target today


def test_today_scenarios_have_no_targets_and_unique_names():
    names = [scenario.name for scenario in FOUNDATION]
    assert len(names) == len(set(names))
    assert all(scenario.target is None for scenario in FOUNDATION)


def test_report_has_setup_results_floor_ratio_and_hides_token_hashes(tmp_path):
    listed = Scenario("api", "GET /api", "/api", auth=token("a@b.test"), floor=True)
    gated = Scenario("gated", "GET /gated", "/gated", target=Target(p95_ms=10))
    floor = FloorResult(
        statements=["SELECT 1 FROM t WHERE token_hash = '" + "ab" * 32 + "'"],
        skipped=[],
        iterations=1000,
        p50_ms=0.5,
        p95_ms=0.7,
    )
    results = [
        ScenarioResult(listed, "/api", load=load(), preflight_status=200, floor=floor),
        ScenarioResult(gated, "/gated", load=load(statuses={200: 1990, 302: 10})),
        ScenarioResult(Scenario("down", "GET /down", "/down"), "/down", error="wrk failed"),
    ]
    run = RunInfo(
        started_at=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
        commit="abc1234",
        connections=50,
        duration_s=10,
        warmup_s=3,
        facts=[("Database", "PostgreSQL 15")],
        notes=["A note."],
        seconds=95,
    )

    text = render_report(run, results)

    assert "2026-01-02 03:04 UTC" in text and "`abc1234`" in text
    assert "| Database | PostgreSQL 15 |" in text
    assert "| api | 50 | 20.0 | 50.0 | 90.0 | 200 | 0 | — |" in text
    assert "| gated | 50 | 20.0 | 50.0 | 90.0 | 200 | **10** | FAIL (p95 50.0 ms > 10 ms; " in text
    assert "not run: wrk failed" in text
    assert "| api | 50 | 20.0 | 0.500 | 0.700 | 40.0× | 1 (1000 runs) |" in text
    assert "ab" * 32 not in text and "'<hex>'" in text
    assert "- A note." in text and "make bench" in text

    path = write_report(tmp_path / "docs" / "benchmarks.md", run, results)
    assert path.read_text(encoding="utf-8") == text
