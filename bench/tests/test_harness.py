"""The benchmark harness's pieces, without load, servers or database (well under a second)."""

from __future__ import annotations

import datetime as dt
import shutil

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


# --- Rotations (the volunteering scenarios) --------------------------------------------------


def test_volunteering_scenarios_carry_the_issue_targets():
    from bench.scenarios import ROTATIONS, VOLUNTEERING

    by_name = {scenario.name: scenario for scenario in VOLUNTEERING}
    assert len(by_name) == len(VOLUNTEERING)
    assert not set(by_name) & {scenario.name for scenario in FOUNDATION}
    for name in ("opportunity-search", "api-opportunity-search"):
        assert by_name[name].target == Target(p95_ms=150, min_rps=150)
        assert by_name[name].floor and by_name[name].connections is None  # 50 clients
    assert by_name["opportunity-detail"].target == Target(p95_ms=50)
    assert by_name["apply"].target == Target(p95_ms=100)
    assert by_name["apply"].method == "POST" and by_name["apply"].one_time
    assert all(scenario.rotation in ROTATIONS for scenario in VOLUNTEERING)


def test_requests_are_written_one_per_line_and_never_across_lines():
    from bench.loadgen import Request, format_requests

    text = format_requests(
        [
            Request("GET", "/opportunities/?q=%D8%B1"),
            Request("POST", "/api/v1/x", body='{"a":1}', headers={"Authorization": "Bearer t"}),
        ]
    )
    assert text == (
        'GET\t/opportunities/?q=%D8%B1\t\nPOST\t/api/v1/x\t{"a":1}\tAuthorization: Bearer t\n'
    )
    with pytest.raises(ValueError):
        format_requests([Request("POST", "/x", body="a\tb")])
    with pytest.raises(ValueError):
        format_requests([Request("GET", "/x", headers={"Cookie": "a\nInjected: yes"})])
    with pytest.raises(ValueError):
        format_requests([Request("GET", "http://example.org/")])


def test_a_one_time_rotation_hands_each_request_out_once():
    from bench.loadgen import Request
    from bench.run import RotationPool

    pool = RotationPool([Request("POST", f"/{number}") for number in range(10)])
    first, second = pool.take(1), pool.take(pool.left // 3)
    rest = pool.take(pool.left)
    paths = [item.path for item in first + second + rest]
    assert paths == [f"/{number}" for number in range(10)] and pool.left == 0
    assert len(pool.take()) == 10  # a repeating rotation always gets them all


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_sends_each_line_of_a_rotation_once_with_its_method_body_and_headers():
    """Two wrk threads share 100,000 one-time requests: each thread sends its own part, so no
    request is sent twice while the list lasts."""
    import http.server
    import threading

    from bench.loadgen import Request

    seen: list[tuple[str, str, str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            seen.append((self.command, self.path, body, self.headers.get("Authorization", "")))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handle_error = lambda *args: None  # wrk resets its connections when it stops
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        requests = [
            Request("POST", f"/apply/{n}", body=f'{{"n":{n}}}', headers={"Authorization": f"T{n}"})
            for n in range(100_000)
        ]
        result = run_wrk(
            f"http://127.0.0.1:{server.server_address[1]}/",
            connections=4,
            threads=2,
            duration_s=1,
            requests=requests,
        )
    finally:
        server.shutdown()
    assert result.statuses.get(201, 0) > 0 and result.errors == 0
    assert len(seen) < 100_000  # the list outlasted the run: no line came round twice
    assert len({path for _method, path, _body, _auth in seen}) == len(seen)
    for method, path, body, auth in seen:
        number = int(path.rsplit("/", 1)[1])
        assert (method, body, auth) == ("POST", f'{{"n":{number}}}', f"T{number}")


def test_cpu_per_answer_and_the_ceiling_it_sets():
    from bench.cpu import CpuSample, CpuUse, use
    from bench.run import ceiling_notes

    before = CpuSample(
        server={10: 1.0, 11: 2.0},
        database={20: 0.5},
        load_tool=0.1,
        machine_busy=10,
        machine_all=100,
    )
    after = CpuSample(
        server={10: 1.5, 11: 3.5, 12: 1.0},
        database={20: 1.5, 21: 0.5},
        load_tool=0.2,
        machine_busy=16.6,  # ours: 3.0 + 1.5 + 0.1 s; others: 2 s of the 20 s the run had
        machine_all=120,
    )  # pid 12 and 21 started during the run: all their CPU counts
    measured = use(before, after, answers=100)
    assert (measured.server_ms, measured.database_ms, measured.load_tool_ms) == pytest.approx(
        (30.0, 15.0, 1.0)
    )
    assert measured.others_share == pytest.approx(0.10)
    assert use(before, after, answers=0) is None

    search = Scenario("search", "GET /s", "/s", target=Target(p95_ms=150, min_rps=150))
    slow = ScenarioResult(search, "/s", load=load(latency_ms={**load().latency_ms, "p95": 900}))
    slow.cpu = CpuUse(server_ms=15.0, database_ms=5.0, load_tool_ms=0.0)
    fast = ScenarioResult(search, "/s", load=load())  # p95 50 ms: met, no note
    fast.cpu = slow.cpu
    notes = ceiling_notes([slow, fast], cores=2)
    assert len(notes) == 1
    assert "needs more than 333 answers per second" in notes[0]
    assert "give at most 100 per second (measured: 200)" in notes[0]
    assert "no CPU at all" not in notes[0]  # the database's share alone would allow 400/s

    heavy = ScenarioResult(search, "/s", load=slow.load)
    heavy.cpu = CpuUse(server_ms=15.0, database_ms=7.5, load_tool_ms=0.5)
    (note,) = ceiling_notes([heavy], cores=2)
    assert "a web server that took no CPU at all would leave at most 250 per second" in note

    run = RunInfo(
        started_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        commit="abc",
        connections=50,
        duration_s=10,
        warmup_s=3,
        cores=2,
    )
    text = render_report(run, [slow])
    assert "| search | 15.0 | 5.0 | 0.00 | 20.0 | 100 | 200 |" in text
