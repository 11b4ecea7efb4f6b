"""The benchmark scenarios, as data: what to request, as whom, and the target if there is one.

A later issue adds its endpoints here (or in its own list passed to bench/run.py's `main`) and
gives them a `Target`; the report then prints PASS or FAIL against it. Paths may name values the
run fills in (`{jeddah_id}`: the demo Jeddah charity's id).

A scenario with a `rotation` sends many different requests instead of one path: the run builds
them from the benchmark data (bench/volunteering.py) and `path` only describes their shape. A
`one_time` rotation (applying) never sends a request twice: the warm-up and the measured run get
different requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.loadgen import LoadResult


@dataclass(frozen=True)
class Target:
    """What a scenario must reach; None means no demand on that figure."""

    p95_ms: float | None = None
    min_rps: float | None = None
    max_errors: int = 0

    def describe(self) -> str:
        parts = []
        if self.p95_ms is not None:
            parts.append(f"p95 ≤ {self.p95_ms:g} ms")
        if self.min_rps is not None:
            parts.append(f"≥ {self.min_rps:g} req/s")
        parts.append(f"errors ≤ {self.max_errors}")
        return ", ".join(parts)

    def failures(self, result: LoadResult) -> list[str]:
        """Why `result` misses this target (empty: it passes)."""
        missed = []
        if self.p95_ms is not None and result.p(95) > self.p95_ms:
            missed.append(f"p95 {result.p(95):.1f} ms > {self.p95_ms:g} ms")
        if self.min_rps is not None and result.rps < self.min_rps:
            missed.append(f"{result.rps:.0f} req/s < {self.min_rps:g} req/s")
        if result.errors > self.max_errors:
            missed.append(f"{result.errors} errors > {self.max_errors}")
        return missed


@dataclass(frozen=True)
class Auth:
    """Who calls: nobody, a personal access token of `email`, or browser sessions of `email`."""

    kind: str  # "anonymous" | "token" | "session" | "per-request"
    email: str = ""

    def describe(self) -> str:
        if self.kind == "anonymous":
            return "anonymous"
        if self.kind == "per-request":
            return "each request with its own volunteer's personal access token"
        return f"{self.kind} of {self.email}"


ANONYMOUS = Auth("anonymous")
# The credentials travel with each request of the rotation (bench/volunteering.py).
PER_REQUEST = Auth("per-request")


def token(email: str) -> Auth:
    return Auth("token", email)


def session(email: str) -> Auth:
    return Auth("session", email)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    path: str
    auth: Auth = ANONYMOUS
    # Clients for this scenario; None: the run's --connections (50).
    connections: int | None = None
    # Also time the bare SQL the endpoint runs (its floor) and report endpoint p50 / floor.
    floor: bool = False
    target: Target | None = None
    note: str = ""
    method: str = "GET"
    # The name of a set of requests to rotate through (see ROTATIONS), instead of `path`.
    rotation: str | None = None
    # Each request of the rotation is sent at most once in the whole run (new applications).
    one_time: bool = False
    # Think time: a random pause of 0 to 2 × delay_ms before each request on a connection.
    delay_ms: float = 0

    def resolved_path(self, values: dict[str, object]) -> str:
        return self.path if self.rotation else self.path.format(**values)


def verdict(scenario: Scenario, result: LoadResult | None) -> str:
    """'PASS', 'FAIL (…)', or '—' when the scenario has no target or did not run."""
    if scenario.target is None or result is None:
        return "—"
    missed = scenario.target.failures(result)
    return "PASS" if not missed else "FAIL (" + "; ".join(missed) + ")"


ORG_ADMIN = "org-admin@demo.ataa.test"
COORDINATOR = "coordinator@demo.ataa.test"

# Today's endpoints (foundation issue): no numeric targets yet.
FOUNDATION = [
    Scenario("healthz", "GET /healthz", "/healthz", note="Database and broker checks."),
    Scenario("home", "GET / (anonymous, Arabic home page)", "/"),
    Scenario(
        "api-organizations",
        "GET /api/v1/organizations (token)",
        "/api/v1/organizations",
        auth=token(COORDINATOR),
        floor=True,
        note="The coordinator's organizations: one page of the paginated list.",
    ),
    Scenario(
        "api-organizations-1",
        "GET /api/v1/organizations (token, 1 client)",
        "/api/v1/organizations",
        auth=token(COORDINATOR),
        connections=1,
        floor=True,
        note="The same request without concurrency: the endpoint's own time against its floor.",
    ),
    Scenario(
        "api-members",
        "GET /api/v1/organizations/{jeddah_id}/members (token)",
        "/api/v1/organizations/{jeddah_id}/members",
        auth=token(ORG_ADMIN),
        note="First page (50) of the Jeddah charity's members, as its admin.",
    ),
    Scenario(
        "dashboard",
        "GET /orgs/{jeddah_id}/ (dashboard, session)",
        "/orgs/{jeddah_id}/",
        auth=session(ORG_ADMIN),
        note="One session per client; each request also saves its session (idle timeout).",
    ),
]


# The rotations bench/run.py builds (bench/volunteering.py): name -> what it holds.
ROTATIONS = {
    "search-html": "public search page, city + field + an Arabic word spelt differently",
    "search-api": "public search API, city + field + an Arabic word spelt differently",
    "detail-html": "public opportunity pages",
    "detail-api": "public opportunity API",
    "apply": "new applications, each by a volunteer with their own token",
}

SEARCH_NOTE = (
    "Two filters (city and field of volunteering) and one Arabic word taken from a real "
    "opportunity's title, spelt another way (hamza dropped, ه for ة, ى/ي, tatweel): the search "
    "must fold spellings to find it. Rotates through thousands of different queries drawn where "
    "the opportunities are, so a cache of a few answers cannot explain the figures; first page "
    "(20 on the page, 50 in the API) with the total count."
)

# The volunteering issue: the public search, the opportunity page and applying, on the national
# data set (1,000,000 volunteers, 100,000 opportunities, 5,000,000 applications).
VOLUNTEERING = [
    Scenario(
        "opportunity-search",
        "GET /opportunities/?city=…&field=…&q=… (public search page)",
        "/opportunities/?city={city}&field={field}&q={arabic word}",
        rotation="search-html",
        floor=True,
        target=Target(p95_ms=150, min_rps=150),
        note=SEARCH_NOTE,
    ),
    Scenario(
        "api-opportunity-search",
        "GET /api/v1/opportunities?city=…&field=…&q=… (public search API)",
        "/api/v1/opportunities?city={city}&field={field}&q={arabic word}",
        rotation="search-api",
        floor=True,
        target=Target(p95_ms=150, min_rps=150),
        note=SEARCH_NOTE,
    ),
    Scenario(
        "opportunity-search-1",
        "GET /opportunities/?city=…&field=…&q=… (1 client)",
        "/opportunities/?city={city}&field={field}&q={arabic word}",
        rotation="search-html",
        connections=1,
        floor=True,
        note="The same searches without concurrency: the page's own time against its floor.",
    ),
    Scenario(
        "api-opportunity-search-1",
        "GET /api/v1/opportunities?city=…&field=…&q=… (1 client)",
        "/api/v1/opportunities?city={city}&field={field}&q={arabic word}",
        rotation="search-api",
        connections=1,
        floor=True,
        note="The same searches without concurrency: the endpoint's own time against its floor.",
    ),
    Scenario(
        "opportunity-detail",
        "GET /opportunities/{id}/ (public opportunity page)",
        "/opportunities/{id}/",
        rotation="detail-html",
        target=Target(p95_ms=50),
        note="Rotates through thousands of published opportunities (anonymous visitor).",
    ),
    Scenario(
        "api-opportunity-detail",
        "GET /api/v1/opportunities/{id} (public opportunity API)",
        "/api/v1/opportunities/{id}",
        rotation="detail-api",
        target=Target(p95_ms=50),
        note="Rotates through thousands of published opportunities.",
    ),
    Scenario(
        "apply",
        "POST /api/v1/opportunities/{id}/applications (token)",
        "/api/v1/opportunities/{id}/applications",
        auth=PER_REQUEST,
        method="POST",
        rotation="apply",
        one_time=True,
        target=Target(p95_ms=100),
        note=(
            "Every request is a new application (201) of one of 1,000 volunteers, each with "
            "their own token, to one of thousands of open opportunities they fit and have not "
            "applied to (to a coming shift where it has shifts): the service's checks, the "
            "insert, the audit event and the queued email, all in one transaction. A refusal "
            "would count as an error."
        ),
    ),
]

# A second, clearly separate measurement: the same requests from 50 clients that each pause
# between requests (a random 0–600 ms, 300 ms on average, as people read a page before the next
# click), so the offered load stays near 150 requests per second instead of whatever the
# server's maximum is. No target: the figures are the closed-loop ones above.
PACED_DELAY_MS = 300
PACED_NOTE = (
    "Not the issue's measurement (that is the scenario without -paced, 50 clients without "
    "pauses). Here each of the 50 clients pauses a random 0–600 ms (300 ms on average) before "
    "each request, which offers at most about 150 requests per second: the latency a visitor "
    "sees at that rate, not at saturation."
)
VOLUNTEERING_PACED = [
    Scenario(
        f"{scenario.name}-paced",
        f"{scenario.title}, 50 clients pausing 0–600 ms",
        scenario.path,
        auth=scenario.auth,
        method=scenario.method,
        rotation=scenario.rotation,
        one_time=scenario.one_time,
        delay_ms=PACED_DELAY_MS,
        note=PACED_NOTE,
    )
    for scenario in VOLUNTEERING
    if scenario.name in ("opportunity-search", "api-opportunity-search", "opportunity-detail",
                         "apply")
]  # fmt: skip
