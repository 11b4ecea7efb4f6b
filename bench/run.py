"""`make bench`: measure Ataa's endpoints under load and write docs/benchmarks.md.

1. Installs `wrk` (Debian package) when missing and running as root.
2. Recreates the benchmark database: PostgreSQL `ataa_bench` on 127.0.0.1:5432 when it answers,
   otherwise SQLite in var/bench/; migrates it, loads the demo data, bench/data.py's data and (on
   PostgreSQL) bench/volunteering_data.py's; or keeps it (below).
3. Prepares the callers (personal access tokens, browser sessions), the rotations of requests
   (bench/volunteering.py) and measures the floor of the scenarios that ask for it
   (bench/floor.py).
4. Starts gunicorn with production settings on a free loopback port, waits for /healthz, runs
   each scenario with wrk (a warm-up, then the measured run, with the CPU each side spent:
   bench/cpu.py), stops gunicorn.
5. Writes the report (bench/report.py).

The default scenarios are the foundation's and the volunteering issue's, on the national data set
of bench/volunteering_data.py (1,000,000 volunteers, 100,000 opportunities, 5,000,000
applications; `--scale 0.01` for a quick run) and the hours ledger of bench/hours_data.py
(10,000,000 hour entries), over which the volunteer totals are timed in-process (the hours
issue's target: ≤ 50 ms). Generating it takes minutes, so a PostgreSQL database that already
holds the same data set (bench/database.py's marker) is kept and only cleaned of what the
previous run added; one that holds the same data but not this hours ledger gets the ledger
written (again) (`--regenerate` forces new data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
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

from bench import cpu, database, loadgen  # noqa: E402
from bench.report import (  # noqa: E402
    RunInfo,
    ScenarioResult,
    TotalsResult,
    summary_rows,
    write_report,
)
from bench.scenarios import (  # noqa: E402
    FOUNDATION,
    VOLUNTEERING,
    VOLUNTEERING_PACED,
    Auth,
    Scenario,
)
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
    # One gthread worker per core, four threads each (as the Procfile): on the 2-core benchmark
    # machine it spent the least CPU per answer of 5 × 4, 3 × 4, 2 × 8 and 2 × 4 (more processes
    # than cores only add switching; the threads cover the waits on the database).
    parser.add_argument(
        "--workers", type=int, default=cores, help="gunicorn workers [one per core]"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker [4]")
    parser.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class [gthread, as in Procfile]"
    )
    parser.add_argument("--wrk-threads", type=int, default=cores, help="wrk threads [cores]")
    parser.add_argument(
        "--organizations", type=int, default=300, help="synthetic organizations [300]"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="volunteering data as a fraction of the issue's 1M volunteers / 100k opportunities "
        "/ 5M applications [1.0]; another scale replaces the data set of `ataa_bench` (the "
        "next full run generates it again)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic data [2026]")
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="generate the data again even if the database already holds this data set",
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


GENERATOR_SOURCES = ("bench/data.py", "bench/volunteering_data.py", "bench/bulk.py")
HOURS_SOURCES = ("bench/hours_data.py",)  # a part of its own: a kept data set gets it written
TOTALS_VOLUNTEERS = 2000  # volunteers whose totals are timed
TOTALS_TARGET_MS = 50.0


def _sources_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(BASE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dataset_fingerprint(args: argparse.Namespace, *, volunteering: bool) -> dict:
    """What makes a data set: generators (version and source, the demo seeders' too), seed and
    counts. A database whose marker says the same holds the same rows. The hours ledger is a
    part of its own ("hours"): a database that differs only there gets the ledger written."""
    from bench import data, hours_data, volunteering_data

    paths = [BASE_DIR / name for name in GENERATOR_SOURCES]
    paths += sorted((BASE_DIR / "ataa").glob("*/demo.py"))
    scale = volunteering_data.VolunteeringScale.fraction(args.scale) if volunteering else None
    hours = hours_data.HoursScale.fraction(args.scale) if volunteering else None
    return {
        "foundation": {"version": data.VERSION, "organizations": args.organizations},
        "volunteering": (
            {"version": volunteering_data.GENERATOR_VERSION, **scale.as_dict()} if scale else None
        ),
        "hours": (
            {
                "version": hours_data.GENERATOR_VERSION,
                **hours.as_dict(),
                "sources": _sources_digest([BASE_DIR / name for name in HOURS_SOURCES]),
            }
            if hours
            else None
        ),
        "seed": args.seed,
        "sources": _sources_digest(paths),
    }


def prepare_database(args: argparse.Namespace, *, volunteering: bool) -> dict:
    """Migrate, then load the demo data, bench/data.py's and (on PostgreSQL) the national
    volunteering data set; return what was made and how long each part took."""
    from django.core.management import call_command
    from django.db import connection

    from bench import data, volunteering_data

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    call_command("seed_demo", verbosity=0)
    created = data.generate(scale=data.Scale(organizations=args.organizations), seed=args.seed)
    details = {"foundation": created, "foundation_seconds": round(time.monotonic() - started, 1)}
    log(f"demo and synthetic data in {details['foundation_seconds']:.1f} s: {created}")
    if volunteering:
        scale = volunteering_data.VolunteeringScale.fraction(args.scale)
        log(
            f"volunteering data: {scale.volunteers:,} volunteers, {scale.opportunities:,} "
            f"opportunities, {scale.applications:,} applications"
        )
        result = volunteering_data.generate(
            scale=scale, seed=args.seed, log=lambda line: log(line.strip())
        )
        details["volunteering"] = result.counts
        details["volunteering_seconds"] = result.seconds
        log(f"volunteering data in {result.seconds['total']:.0f} s")
        generate_hours(args, details)
    details["max_ids"] = max_ids()
    details["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    details["vendor"] = connection.vendor
    return details


def generate_hours(args: argparse.Namespace, details: dict) -> None:
    """Write the hours ledger of bench/hours_data.py into `details`' data set (after removing the
    one an earlier generator wrote, if any)."""
    from bench import hours_data

    earlier = (details.get("hours") or {}).get("first id")
    if earlier:
        hours_data.remove(earlier, log=lambda line: log(line.strip()))
    scale = hours_data.HoursScale.fraction(args.scale)
    log(f"hours ledger: {scale.entries:,} hour entries")
    result = hours_data.generate(scale=scale, seed=args.seed, log=lambda line: log(line.strip()))
    details["hours"] = result.counts
    details["hours_seconds"] = result.seconds
    log(f"hours ledger in {result.seconds['total']:.0f} s")


# Rows a run adds (tokens, sessions, new applications, queued emails): removed before the next
# run on a kept database, so each run starts from the same data. Audit events stay (the audit
# log is append-only, by a trigger).
RUN_TABLES = {
    "application": ("ataa.opportunities.models", "Application"),
    "outbox": ("ataa.core.models", "OutboxMessage"),
    "token": ("ataa.accounts.models", "PersonalAccessToken"),
}


def _model(path: tuple[str, str]):
    import importlib

    return getattr(importlib.import_module(path[0]), path[1])


def max_ids() -> dict[str, int]:
    from django.db.models import Max

    return {
        name: _model(path).objects.aggregate(top=Max("pk"))["top"] or 0
        for name, path in RUN_TABLES.items()
    }


def clean_previous_run(details: dict) -> dict[str, int]:
    """Remove what earlier runs added to a kept database; return how many rows of each."""
    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    removed = {}
    for name, path in RUN_TABLES.items():
        limit = details.get("max_ids", {}).get(name)
        if limit is not None:
            removed[name] = _model(path).objects.filter(pk__gt=limit).delete()[0]
    removed["session"] = Session.objects.all().delete()[0]
    return removed


def table_sizes() -> dict[str, int]:
    from ataa.accounts.models import User
    from ataa.hours.models import HourEntry
    from ataa.opportunities.models import Application, Opportunity, Shift
    from ataa.organizations.models import Membership, Organization
    from ataa.volunteers.models import VolunteerProfile

    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "volunteer profiles": VolunteerProfile.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "shifts": Shift.objects.count(),
        "applications": Application.objects.count(),
        "hour entries": HourEntry.objects.count(),
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
        if auth.kind in ("anonymous", "per-request"):
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


class RotationPool:
    """The requests of one rotation; a one-time rotation hands each request out once."""

    def __init__(self, requests: list[loadgen.Request]):
        self.requests = requests
        self.next = 0

    def take(self, count: int | None = None) -> list[loadgen.Request]:
        if count is None:
            return self.requests
        taken = self.requests[self.next : self.next + count]
        self.next += len(taken)
        return taken

    @property
    def left(self) -> int:
        return len(self.requests) - self.next


ROTATION_SIZES = {"search-html": 4000, "search-api": 4000, "detail-html": 5000,
                  "detail-api": 5000}  # fmt: skip
# A one-time rotation gives each phase (warm-up, measured run) of each scenario this many
# requests per second of the phase: far more than the server answers, so none is sent twice.
ONE_TIME_RATE = 2000


def one_time_budget(seconds: float, connections: int) -> int:
    return int(seconds * ONE_TIME_RATE) + 2 * connections


def build_rotations(
    scenarios: list[Scenario], seed: int, *, seconds: float, connections: int
) -> dict[str, RotationPool]:
    from bench import volunteering

    pools = {}
    for name in dict.fromkeys(s.rotation for s in scenarios if s.rotation):
        started = time.monotonic()
        users = [s for s in scenarios if s.rotation == name]
        size = ROTATION_SIZES.get(name) or sum(
            1 + one_time_budget(seconds, s.connections or connections) for s in users
        )
        if name.startswith("search-"):
            requests = volunteering.search_requests(size, api=name.endswith("api"), seed=seed)
        elif name.startswith("detail-"):
            requests = volunteering.detail_requests(size, api=name.endswith("api"), seed=seed)
        elif name == "apply":
            requests = volunteering.apply_requests(size, seed=seed)
            problems = volunteering.check_apply_requests(requests)
            if problems:
                raise RuntimeError(f"planned applications the service would refuse: {problems}")
        else:
            raise ValueError(f"unknown rotation {name!r}")
        pools[name] = RotationPool(requests)
        log(f"rotation {name}: {len(requests):,} requests in {time.monotonic() - started:.1f} s")
    return pools


def describe_rotation(scenario: Scenario, pool: RotationPool) -> str:
    example = pool.requests[0]
    kind = (
        "prepared, each sent at most once in the whole run"
        if scenario.one_time
        else "different requests in turn"
    )
    return (
        f"`{scenario.method} {scenario.path}`: {len(pool.requests):,} {kind}, "
        f"for example `{example.method} {example.path}`"
        + (f" with `{example.body}`" if example.body else "")
    )


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
    scenarios = [
        s
        for s in scenarios or FOUNDATION + VOLUNTEERING + VOLUNTEERING_PACED
        if not args.only or s.name in args.only
    ]
    if not scenarios:
        log(f"no scenario named {args.only}")
        return 2
    run_started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC)

    ensure_wrk()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The national volunteering data set needs PostgreSQL (COPY); on SQLite its scenarios are
    # left out.
    on_postgres = not args.sqlite and database.postgres_answers()
    volunteering = on_postgres
    if not on_postgres:
        skipped = [s.name for s in scenarios if s.rotation]
        scenarios = [s for s in scenarios if not s.rotation]
        if skipped:
            log(f"PostgreSQL does not answer: left out {', '.join(skipped)}")
    fingerprint = dataset_fingerprint(args, volunteering=volunteering)
    db, kept, missing = database.prepare(
        var_dir=VAR_DIR,
        fingerprint=fingerprint,
        force_sqlite=args.sqlite,
        regenerate=args.regenerate,
        partial=("hours",),
    )
    log(
        f"database: {db.describe()}"
        + (" (kept: it holds this data set)" if kept and not missing else "")
        + (f" (kept: it holds this data set but for its {', '.join(missing)})" if missing else "")
    )
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
        # Persistent database connections for the whole run (production keeps them 60 s): the
        # same backends serve every scenario, so bench/cpu.py can follow their CPU time.
        "DATABASE_CONN_MAX_AGE": str(CONN_MAX_AGE),
    }
    collectstatic(server_env)
    setup_django({**common, "ATAA_ENV": "development"})
    if kept is not None:
        details = kept
        removed = clean_previous_run(details)
        log(f"removed what earlier runs added: {removed}")
        if "hours" in missing:
            generate_hours(args, details)
            details["hours_added_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            database.write_marker(fingerprint, details)
    else:
        details = prepare_database(args, volunteering=volunteering)
        if db.engine == "postgresql":
            database.write_marker(fingerprint, details)
    values = path_values()
    callers = prepare_callers(scenarios, args.connections)
    pools = build_rotations(
        scenarios, args.seed, seconds=args.warmup + args.duration, connections=args.connections
    )
    sizes = table_sizes()

    from bench.floor import capture_sql, time_sql_sets

    floors = {}
    for scenario in scenarios:
        key = (scenario.rotation or scenario.resolved_path(values), scenario.auth)
        if scenario.floor and key not in floors:
            headers = {**BASE_HEADERS, **callers[scenario.auth][0]}
            if scenario.rotation:
                paths = [item.path for item in pools[scenario.rotation].take()[:FLOOR_SAMPLE]]
            else:
                paths = [key[0]]
            floors[key] = time_sql_sets([capture_sql(path, headers) for path in paths])
            log(
                f"floor of {key[0]}: {len(floors[key].statements)} statements, "
                f"p50 {floors[key].p50_ms:.3f} ms"
                + (f" over {len(paths)} requests" if len(paths) > 1 else "")
            )

    if kept is None or missing:
        settle(os.cpu_count() or 1)  # the data generation's own load, not other work
    pg_settings = pg_cache = ""
    if db.engine == "postgresql":
        pg_settings, pg_cache = database.settings_and_prewarm()
        log(f"PostgreSQL {pg_settings}; page cache: {pg_cache}")
    totals = None
    if volunteering:
        from bench import hours_data

        timing = hours_data.time_volunteer_totals(count=TOTALS_VOLUNTEERS, seed=args.seed)
        totals = TotalsResult(
            timing=timing, target_ms=TOTALS_TARGET_MS, load_average=os.getloadavg()[0]
        )
        log(
            f"volunteer totals over {timing.volunteers:,} volunteers: p50 {timing.p(50):.2f} ms, "
            f"p95 {timing.p(95):.2f} ms, p99 {timing.p(99):.2f} ms (floor p50 "
            f"{timing.p(50, floor=True):.3f} ms): {totals.verdict}"
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
            result.floor = floors.get((scenario.rotation or path, scenario.auth))
            header_sets = [{**BASE_HEADERS, **headers} for headers in callers[scenario.auth]]
            pool = pools.get(scenario.rotation) if scenario.rotation else None
            connections_used = scenario.connections or args.connections
            try:
                if pool is not None:
                    result.requests_described = describe_rotation(scenario, pool)
                    first = pool.take(1)[0] if scenario.one_time else pool.requests[0]
                    url = server.base_url + first.path
                    result.preflight_status = http_status(
                        url,
                        {**header_sets[0], **first.headers},
                        method=first.method,
                        body=first.body,
                    )
                else:
                    url = server.base_url + path
                    result.preflight_status = http_status(url, header_sets[0])
                for phase, seconds in (("warm-up", args.warmup), ("measured", args.duration)):
                    requests = None
                    if pool is not None:
                        # A one-time rotation gives each phase its own requests.
                        requests = (
                            pool.take(one_time_budget(seconds, connections_used))
                            if scenario.one_time
                            else pool.take()
                        )
                        if not requests:
                            raise loadgen.LoadToolError(f"no {scenario.rotation} requests left")
                    before = cpu.sample(server.process.pid, database.backend_pids())
                    result.load = loadgen.run_wrk(
                        url,
                        connections=connections_used,
                        threads=args.wrk_threads,
                        duration_s=seconds,
                        header_sets=header_sets,
                        requests=requests,
                        delay_ms=scenario.delay_ms,
                    )
                    if phase == "measured":
                        after = cpu.sample(server.process.pid, database.backend_pids())
                        result.cpu = cpu.use(before, after, result.load.requests)
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
        (
            "Database",
            db.describe()
            + (
                f"; {pg_settings} (as this server is configured); before the scenarios the "
                f"database's files were read into the OS page cache ({pg_cache}, pg_prewarm)"
                if pg_settings
                else ""
            ),
        ),
        ("Django", __import__("django").get_version()),
        (
            "Web server",
            server.describe()
            + f", `ATAA_ENV=production`, DEBUG off, database connections kept {CONN_MAX_AGE} s",
        ),
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
            "demo data (`seed_demo`) + bench/data.py"
            + (" + bench/volunteering_data.py + bench/hours_data.py" if volunteering else "")
            + ": "
            + ", ".join(f"{n:,} {name}" for name, n in sizes.items())
            + f" in all ({details['foundation']['organizations']} synthetic organizations)",
        ),
        ("Data generation", describe_generation(details, kept=kept is not None, missing=missing)),
    ]
    cores = os.cpu_count() or 1
    shares = [r.cpu.others_share for r in results if r.cpu is not None]
    others = (
        f"; other processes used {100 * sum(shares) / len(shares):.0f} % of the CPU on average "
        f"during the measured runs (at most {100 * max(shares):.0f} %)"
        if shares
        else ""
    )
    facts.append(
        (
            "Other load",
            f"1-minute load average {load_before:.1f} on {cores} cores just before the "
            f"scenarios{others} (the machine is shared)",
        )
    )
    notes = [
        "wrk runs on the same cores as gunicorn and the database, so it takes CPU time from "
        "them: a dedicated load machine would see somewhat better figures.",
        "wrk is a closed loop: each client sends its next request when the previous answer "
        "arrives, so when the server slows down the offered load drops with it. With N "
        "clients and no pause between requests the mean latency is N / throughput (Little's "
        "law), and the p95 is above the mean: a p95 target of T ms at N clients cannot be met "
        "below N / T answers per second.",
        "The floor is timed from one client without load; the endpoint figures under 50 "
        "clients include the time a request waits for a free gunicorn thread.",
        *ceiling_notes(results, cores),
    ]
    busy = (sum(shares) / len(shares) > BUSY_SHARE) if shares else load_before > cores / 2
    if busy:
        notes.insert(
            0,
            "**The machine was busy with other work** (see Other load above): these figures "
            "are lower than the same code reaches on an idle machine. Run `make bench` again "
            "on a quiet machine.",
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
        cores=cores,
        totals=totals,
    )
    path = write_report(args.output, run, results)
    log(f"report written to {path}")
    for row in summary_rows(results):
        log(" | ".join(str(cell) for cell in row))
    if totals is not None:
        log(f"volunteer totals: p95 {totals.timing.p(95):.2f} ms: {totals.verdict}")
    log(f"whole run: {run.seconds:.0f} s")
    failed = any(result.load is None for result in results)
    return 1 if failed else 0


FLOOR_SAMPLE = 40  # requests of a rotation whose SQL the floor replays
CONN_MAX_AGE = 1800
BUSY_SHARE = 0.10  # other processes above this share of the CPU: the report says so


def settle(cores: int, *, limit_s: float = 120) -> None:
    """After writing millions of rows: let PostgreSQL write them out (CHECKPOINT) and the load
    average come down, so the first scenarios do not pay for the data generation."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    started = time.monotonic()
    while os.getloadavg()[0] > cores / 2 and time.monotonic() - started < limit_s:
        time.sleep(5)
    log(
        f"settled for {time.monotonic() - started:.0f} s after the data generation "
        f"(load average {os.getloadavg()[0]:.1f})"
    )


def ceiling_notes(results: list[ScenarioResult], cores: int) -> list[str]:
    """For each latency target missed: the throughput the target needs at that many clients
    (Little's law) against the most this machine gives for that request (CPU per answer)."""
    notes = []
    for result in results:
        target, load, use = result.scenario.target, result.load, result.cpu
        if not (target and target.p95_ms and load and use and use.total_ms > 0):
            continue
        if load.p(95) <= target.p95_ms:
            continue
        needed = load.connections / (target.p95_ms / 1000)
        ceiling = cores * 1000 / use.total_ms
        without_web = use.database_ms + use.load_tool_ms
        unreachable = (
            f"; even a web server that took no CPU at all would leave at most "
            f"{cores * 1000 / without_web:.0f} per second for the database's and the load "
            "tool's share"
            if without_web > 0 and cores * 1000 / without_web < needed
            else ""
        )
        notes.append(
            f"{result.scenario.name}: a p95 of {target.p95_ms:g} ms with {load.connections} "
            f"clients without pauses needs more than {needed:.0f} answers per second; one "
            f"answer takes {use.server_ms:.1f} ms of web server CPU, {use.database_ms:.1f} ms "
            f"of database CPU and {use.load_tool_ms:.2f} ms of load tool CPU here, so these "
            f"{cores} cores give at most {ceiling:.0f} per second (measured: {load.rps:.0f})"
            f"{unreachable}."
        )
    return notes


def describe_generation(details: dict, *, kept: bool, missing: list[str] = ()) -> str:
    seconds = details.get("volunteering_seconds") or {}
    order = [
        *("users", "email addresses", "volunteer profiles", "profile skills"),
        *("profile interests", "consent records", "opportunities", "shifts", "applications"),
    ]
    parts = [f"{name} {seconds[name]:.0f} s" for name in order if name in seconds]
    text = (
        f"volunteering data written in {seconds['total']:.0f} s with COPY "
        f"({', '.join(parts)}, each with its indexes built after the load; VACUUM ANALYZE "
        f"{seconds.get('vacuum analyze', 0):.0f} s)"
        if seconds
        else f"demo and synthetic data in {details.get('foundation_seconds', 0):.0f} s"
    )
    hours = details.get("hours_seconds") or {}
    if hours:
        entries = (details.get("hours") or {}).get("hour entries", 0)
        text += (
            f"; hours ledger (bench/hours_data.py): {entries:,} hour entries written in "
            f"{hours['total']:.0f} s with COPY (rows {hours.get('hour entries', 0):.0f} s, "
            f"indexes and constraints built and checked after the load, the exclusion "
            f"constraint too, {hours.get('hour entry indexes', 0):.0f} s; VACUUM ANALYZE "
            f"{hours.get('vacuum analyze', 0):.0f} s)"
        )
    if kept:
        text += (
            f"; generated on {details.get('generated_at', '?')} and kept for this run "
            "(same data set: generators, seed and counts), cleaned of earlier runs' rows"
        )
        if missing:
            text += f" ({', '.join(missing)} written into it by this run)"
    return text


if __name__ == "__main__":
    sys.exit(main())
