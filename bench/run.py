"""`make bench`: measure Ataa's endpoints under load and write docs/benchmarks.md.

1. Installs `wrk` (Debian package) when missing and running as root.
2. Recreates the benchmark database: PostgreSQL `ataa_bench` on 127.0.0.1:5432 when it answers,
   otherwise SQLite in var/bench/; migrates it, loads the demo data and bench/data.py's data.
3. Prepares the callers (personal access tokens, browser sessions) and measures the floor of the
   scenarios that ask for it (bench/floor.py).
4. Starts gunicorn with production settings on a free loopback port, waits for /healthz, runs
   each scenario with wrk (a warm-up, then the measured run), stops gunicorn.
5. Writes the report (bench/report.py).

Later issues pass their own scenarios: `main(scenarios=FOUNDATION + VOLUNTEERING)`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench import database, loadgen  # noqa: E402
from bench.report import RunInfo, ScenarioResult, summary_rows, write_report  # noqa: E402
from bench.scenarios import FOUNDATION, Auth, Scenario  # noqa: E402
from bench.server import Gunicorn, http_status  # noqa: E402

VAR_DIR = BASE_DIR / "var" / "bench"
REDIS_URL = "redis://127.0.0.1:6379/13"  # the test suite uses /15
BASE_HEADERS = {
    "User-Agent": "ataa-bench (wrk)",
    "Accept-Language": "ar",
    # As the TLS-terminating proxy of production would send (SECURE_PROXY_SSL_HEADER).
    "X-Forwarded-Proto": "https",
}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per scenario [10]")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds [3]")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients [50]")
    parser.add_argument(
        "--workers", type=int, default=2 * cores + 1, help="gunicorn workers [2 × cores + 1]"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker [4]")
    parser.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class [gthread, as in Procfile]"
    )
    parser.add_argument("--wrk-threads", type=int, default=cores, help="wrk threads [cores]")
    parser.add_argument(
        "--organizations", type=int, default=300, help="synthetic organizations [300]"
    )
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even if PostgreSQL is up")
    parser.add_argument("--only", action="append", default=[], help="run only this scenario")
    parser.add_argument(
        "--output", type=Path, default=BASE_DIR / "docs" / "benchmarks.md", help="report file"
    )
    return parser.parse_args(argv)


# --- Environment ------------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    subprocess.run(["bash", str(BASE_DIR / "scripts" / "os_deps.sh"), "wrk"], check=False)
    loadgen.wrk_path()  # raises with the instructions if it is still missing


def redis_answers() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def git_commit() -> str:
    def git(*args: str) -> str:
        completed = subprocess.run(
            ["git", *args], cwd=BASE_DIR, capture_output=True, text=True, check=False
        )
        return completed.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changes = [line for line in git("status", "--porcelain").splitlines() if line.strip()]
    changes = [line for line in changes if not line.endswith("docs/benchmarks.md")]
    return f"{commit} + uncommitted changes" if changes else commit


def machine_facts() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    system = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return [
        ("Machine", f"{os.cpu_count()} cores ({cpu}), {memory} memory"),
        ("OS", system),
        ("Python", platform.python_version()),
    ]


# --- Setup inside this process (development settings: seed_demo refuses production) -----------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def prepare_database(organizations: int) -> dict[str, int]:
    from django.core.management import call_command

    from bench import data

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    call_command("seed_demo", verbosity=0)
    created = data.generate(scale=data.Scale(organizations=organizations))
    log(f"demo and synthetic data in {time.monotonic() - started:.1f} s: {created}")
    return created


def table_sizes() -> dict[str, int]:
    from ataa.accounts.models import User
    from ataa.organizations.models import Membership, Organization

    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def prepare_callers(scenarios: list[Scenario], connections: int) -> dict[Auth, list[dict]]:
    """Header sets per caller: a personal access token, or one browser session per client."""
    from django.conf import settings
    from django.test import Client

    from ataa.accounts.models import User
    from ataa.accounts.services import token_create

    callers: dict[Auth, list[dict]] = {}
    for scenario in scenarios:
        auth = scenario.auth
        if auth in callers:
            continue
        if auth.kind == "anonymous":
            callers[auth] = [{}]
        elif auth.kind == "token":
            user = User.objects.get(email=auth.email)
            _token, raw = token_create(user=user, name="benchmark", expires_in_days=1)
            callers[auth] = [{"Authorization": f"Bearer {raw}"}]
        elif auth.kind == "session":
            user = User.objects.get(email=auth.email)
            sessions = []
            for _ in range(max(connections, scenario.connections or 0)):
                client = Client()
                client.force_login(user)
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                sessions.append({"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
            callers[auth] = sessions
        else:
            raise ValueError(f"unknown caller kind {auth.kind!r}")
    return callers


def path_values() -> dict[str, object]:
    from ataa.organizations.models import Organization

    return {"jeddah_id": Organization.objects.get(registration_number="NCNP-1187").pk}


def collectstatic(env: dict[str, str]) -> None:
    """Production serves hashed, compressed files through WhiteNoise: collect them for the run."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--clear", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


# --- The run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None, scenarios: list[Scenario] | None = None) -> int:
    args = parse_args(argv)
    scenarios = [s for s in scenarios or FOUNDATION if not args.only or s.name in args.only]
    if not scenarios:
        log(f"no scenario named {args.only}")
        return 2
    run_started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC)

    ensure_wrk()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    db = database.recreate(var_dir=VAR_DIR, force_sqlite=args.sqlite)
    log(f"database: {db.describe()}")
    redis_up = redis_answers()
    common = {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": db.url,
        "ATAA_VAR_DIR": str(VAR_DIR),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # sessions are signed with it
        "DJANGO_DEBUG": "false",
        "CACHE_URL": REDIS_URL if redis_up else "locmemcache://",
        "ATAA_LOG_LEVEL": "WARNING",
    }
    if redis_up:
        common["CELERY_BROKER_URL"] = REDIS_URL
    else:
        common["ATAA_TASK_BACKEND"] = "db"
    server_env = {
        **os.environ,
        **common,
        "ATAA_ENV": "production",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    collectstatic(server_env)
    setup_django({**common, "ATAA_ENV": "development"})
    created = prepare_database(args.organizations)
    values = path_values()
    callers = prepare_callers(scenarios, args.connections)
    sizes = table_sizes()

    from bench.floor import capture_sql, time_sql

    floors = {}
    for scenario in scenarios:
        key = (scenario.resolved_path(values), scenario.auth)
        if scenario.floor and key not in floors:
            headers = {**BASE_HEADERS, **callers[scenario.auth][0]}
            statements = capture_sql(key[0], headers)
            floors[key] = time_sql(statements)
            log(
                f"floor of {key[0]}: {len(floors[key].statements)} statements, "
                f"p50 {floors[key].p50_ms:.3f} ms"
            )

    from django.db import connections

    connections.close_all()

    server = Gunicorn(
        env=server_env,
        workers=args.workers,
        threads=args.threads,
        worker_class=args.worker_class,
        log_path=VAR_DIR / "gunicorn.log",
    )
    results: list[ScenarioResult] = []
    load_before = os.getloadavg()[0]
    with server:
        log(f"gunicorn answered /healthz after {server.started_in_s:.1f} s on {server.base_url}")
        for scenario in scenarios:
            path = scenario.resolved_path(values)
            result = ScenarioResult(scenario=scenario, path=path)
            result.floor = floors.get((path, scenario.auth))
            header_sets = [{**BASE_HEADERS, **headers} for headers in callers[scenario.auth]]
            url = server.base_url + path
            connections_used = scenario.connections or args.connections
            try:
                result.preflight_status = http_status(url, header_sets[0])
                for seconds in (args.warmup, args.duration):
                    result.load = loadgen.run_wrk(
                        url,
                        connections=connections_used,
                        threads=args.wrk_threads,
                        duration_s=seconds,
                        header_sets=header_sets,
                    )
            except (loadgen.LoadToolError, OSError) as error:
                result.load, result.error = None, str(error)
            results.append(result)
            load = result.load
            log(
                f"{scenario.name}: "
                + (
                    f"p50 {load.p(50):.1f} ms, p95 {load.p(95):.1f} ms, p99 {load.p(99):.1f} ms, "
                    f"{load.rps:.0f} req/s, {load.errors} errors"
                    if load
                    else f"not run: {result.error}"
                )
            )
        server_log = server.log_tail()

    facts = [
        *machine_facts(),
        ("Database", db.describe()),
        ("Django", __import__("django").get_version()),
        ("Web server", server.describe() + ", `ATAA_ENV=production`, DEBUG off"),
        (
            "Cache and broker",
            f"Redis 127.0.0.1:6379 db 13 (`{REDIS_URL}`)"
            if redis_up
            else "local-memory cache; database task backend (Redis did not answer)",
        ),
        (
            "Load tool",
            f"{loadgen.wrk_version()}, {args.wrk_threads} threads, on the same machine as the "
            "server, keep-alive connections",
        ),
        (
            "Data",
            "demo data (`seed_demo`) + bench/data.py: "
            + ", ".join(f"{n} {name}" for name, n in sizes.items())
            + f" in all ({created['organizations']} synthetic organizations)",
        ),
    ]
    cores = os.cpu_count() or 1
    facts.append(
        (
            "Other load",
            f"1-minute load average {load_before:.1f} on {cores} cores just before the "
            "scenarios (other work on the machine; the machine is shared)",
        )
    )
    notes = [
        "wrk runs on the same cores as gunicorn and the database, so it takes CPU time from "
        "them: a dedicated load machine would see somewhat better figures.",
        "wrk is a closed loop: each client sends its next request when the previous answer "
        "arrives, so when the server slows down the offered load drops with it.",
        "The floor is timed from one client without load; the endpoint figures under 50 "
        "clients include the time a request waits for a free gunicorn thread.",
    ]
    if load_before > cores / 2:
        notes.insert(
            0,
            f"**The machine was busy with other work** (load average {load_before:.1f} on "
            f"{cores} cores before the scenarios started): these figures are lower than the "
            "same code reaches on an idle machine. Run `make bench` again on a quiet machine.",
        )
    if server_log.strip():
        notes.append(
            "gunicorn logged warnings or errors during the run (var/bench/gunicorn.log): "
            + server_log.splitlines()[-1][:300]
        )
    run = RunInfo(
        started_at=started_at,
        commit=git_commit(),
        connections=args.connections,
        duration_s=args.duration,
        warmup_s=args.warmup,
        facts=facts,
        notes=notes,
        seconds=time.monotonic() - run_started,
    )
    path = write_report(args.output, run, results)
    log(f"report written to {path}")
    for row in summary_rows(results):
        log(" | ".join(str(cell) for cell in row))
    log(f"whole run: {run.seconds:.0f} s")
    failed = any(result.load is None for result in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
