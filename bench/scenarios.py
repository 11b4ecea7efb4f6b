"""The benchmark scenarios, as data: what to request, as whom, and the target if there is one.

A later issue adds its endpoints here (or in its own list passed to bench/run.py's `main`) and
gives them a `Target`; the report then prints PASS or FAIL against it. Paths may name values the
run fills in (`{jeddah_id}`: the demo Jeddah charity's id).
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

    kind: str  # "anonymous" | "token" | "session"
    email: str = ""

    def describe(self) -> str:
        if self.kind == "anonymous":
            return "anonymous"
        return f"{self.kind} of {self.email}"


ANONYMOUS = Auth("anonymous")


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

    def resolved_path(self, values: dict[str, object]) -> str:
        return self.path.format(**values)


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
