"""Demo data: a registry of seeders and logins that each app extends with its own `demo.py`.

Core knows no other app (import-linter: core ← accounts ← organizations ← …), so the
`seed_demo` and `demo_logins` commands find the seeders by importing a `demo` module from every
installed Ataa app. An app adds demo data like this::

    # ataa/volunteers/demo.py
    from django.utils.translation import gettext_lazy as _

    from ataa.core.demo import demo_email, demo_login, demo_seeder

    demo_login(order=60, role=_("Volunteer"), email=demo_email("volunteer"))

    @demo_seeder(order=30)
    def seed_volunteer_profiles() -> int:
        ...  # get_or_create on natural keys; return how many objects were created

Seeders run in `order` (accounts 10, organizations 20, then the apps above them), all in one
transaction. Each must be idempotent: running it again finds its objects by natural keys (emails,
registration numbers) and adds nothing twice. Writes go through the app's services where one
exists, so the audit log of the demo looks like real use.

The registries are filled once at import time and never changed afterwards (like the task
registry in ataa.core.tasks), so they hold no per-request state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule

# One documented password for every demo login (README.md). Never use the demo in production:
# `seed_demo` refuses to run there unless told otherwise.
DEMO_PASSWORD = "ataa-demo-2026"
# `.test` is reserved (RFC 2606): these addresses can never reach a real mailbox.
DEMO_EMAIL_DOMAIN = "demo.ataa.test"


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    order: int
    func: Callable[[], int | None]


@dataclass(frozen=True)
class DemoLogin:
    """One row of the `demo_logins` table. `role` and `note` are (lazy) translatable labels."""

    order: int
    role: Any
    email: str
    note: Any = ""


_SEEDERS: dict[str, DemoSeeder] = {}
_LOGINS: dict[str, DemoLogin] = {}


def demo_seeder(*, order: int):
    """Register an idempotent function that creates demo data and returns how much it created."""

    def decorator(func):
        name = f"{func.__module__}.{func.__qualname__}"
        _SEEDERS[name] = DemoSeeder(name=name, order=order, func=func)
        return func

    return decorator


def demo_login(*, order: int, role, email: str, note="") -> DemoLogin:
    """Declare a demo login (shown by `manage.py demo_logins`); a seeder creates the user.

    Declaring the same email again replaces the row, so a later app can give the volunteer or the
    donor a better note once their features exist.
    """
    login = DemoLogin(order=order, role=role, email=email, note=note)
    _LOGINS[email] = login
    return login


def discover() -> None:
    """Import the `demo` module of every installed Ataa app (autodiscover_modules, scoped)."""
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("ataa.") and module_has_submodule(app_config.module, "demo"):
            import_module(f"{app_config.name}.demo")


def seeders() -> list[DemoSeeder]:
    discover()
    return sorted(_SEEDERS.values(), key=lambda seeder: (seeder.order, seeder.name))


def logins() -> list[DemoLogin]:
    discover()
    return sorted(_LOGINS.values(), key=lambda login: (login.order, login.email))


@dataclass(frozen=True)
class SeedResult:
    name: str
    created: int
    seconds: float


def seed_all() -> list[SeedResult]:
    """Run every seeder in order, in one transaction: all the demo data, or none of it."""
    results = []
    with transaction.atomic():
        for seeder in seeders():
            started = time.monotonic()
            created = seeder.func() or 0
            results.append(SeedResult(seeder.name, created, time.monotonic() - started))
    return results
