"""Background tasks through a transactional outbox (ADR 0003).

A service calls `enqueue("app.task_name", some_id=1)` inside its transaction: the task becomes an
OutboxMessage row that commits, or rolls back, with the change that asked for it. Arguments are
ids and codes only, never personal data. After commit the row is handed to the task backend:

- "db" (embedded default): `manage.py run_worker` claims rows from the table itself;
- "celery" (production): the relay publishes the row's id to Celery; a Celery worker runs it.

In both, the row is marked done only after the task function returned, and a claimed row carries
a lease: a worker killed mid-task leaves a row whose lease runs out and is claimed again.
Tasks must therefore be idempotent (safe to run twice).
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ataa.core.models import OutboxMessage

logger = logging.getLogger(__name__)

_REGISTRY: dict[str, Callable[..., object]] = {}
_ALLOWED_ARG_TYPES = (int, bool, float, type(None))


def task(name: str):
    """Register a function as a task under a stable name (the name is stored in the outbox)."""

    def decorator(func):
        if name in _REGISTRY and _REGISTRY[name] is not func:
            raise ValueError(f"Task {name!r} is registered twice.")
        _REGISTRY[name] = func
        func.task_name = name
        return func

    return decorator


def registered_tasks() -> dict[str, Callable[..., object]]:
    return dict(_REGISTRY)


def _check_kwargs(kwargs: dict) -> None:
    for key, value in kwargs.items():
        if isinstance(value, str):
            if len(value) > 64 or not value.isascii() or " " in value:
                raise ValueError(f"Task argument {key!r} must be an id or a short code.")
        elif not isinstance(value, _ALLOWED_ARG_TYPES):
            raise ValueError(f"Task argument {key!r} must be an id or a short code.")


def enqueue(task_name: str, *, delay: dt.timedelta | None = None, **kwargs) -> OutboxMessage:
    """Queue a task with the current transaction. Its arguments are ids and codes only."""
    if task_name not in _REGISTRY:
        raise KeyError(f"Unknown task {task_name!r}.")
    _check_kwargs(kwargs)
    message = OutboxMessage.objects.create(
        task_name=task_name,
        kwargs=kwargs,
        available_at=timezone.now() + (delay or dt.timedelta()),
    )
    if settings.ATAA_TASK_BACKEND == "celery" and not delay:
        transaction.on_commit(lambda: dispatch(message.pk))
    return message


def dispatch(message_id: int) -> bool:
    """Hand one pending row to Celery. A broker that is down leaves it pending for the relay."""
    from config.celery import app

    try:
        app.send_task("ataa.core.run_outbox_message", args=[message_id], retry=False)
    except Exception as exc:  # broker down: the periodic relay will try again
        logger.warning("outbox %s not dispatched: %s", message_id, type(exc).__name__)
        return False
    OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.DISPATCHED
    )
    return True


def claim(message_id: int | None = None) -> OutboxMessage | None:
    """Take one runnable row (a given one, or the oldest) and lease it to this worker."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.ATAA_TASK_LEASE_SECONDS)
    runnable = OutboxMessage.objects.filter(available_at__lte=now).filter(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.DISPATCHED]
    ) | OutboxMessage.objects.filter(status=OutboxMessage.Status.RUNNING, lease_until__lt=now)
    if message_id is not None:
        runnable = runnable.filter(pk=message_id)
    with transaction.atomic():
        candidate = runnable.order_by("id").values_list("id", "attempts").first()
        if candidate is None:
            return None
        pk, attempts = candidate
        # Compare-and-set on the attempt count: of two workers racing for a row, one wins.
        won = OutboxMessage.objects.filter(pk=pk, attempts=attempts).update(
            status=OutboxMessage.Status.RUNNING, lease_until=now + lease, attempts=attempts + 1
        )
        if not won:
            return None
        return OutboxMessage.objects.get(pk=pk)


def run_claimed(message: OutboxMessage) -> bool:
    """Run a claimed row's task; mark it done, or back off and retry, or give up at the limit."""
    func = _REGISTRY.get(message.task_name)
    try:
        if func is None:
            raise KeyError(f"Unknown task {message.task_name!r}.")
        func(**message.kwargs)
    except Exception:
        error = traceback.format_exc(limit=5)
        logger.exception("task %s #%s failed", message.task_name, message.pk)
        if message.attempts >= settings.ATAA_TASK_MAX_ATTEMPTS:
            status, available_at = OutboxMessage.Status.FAILED, message.available_at
        else:
            status = OutboxMessage.Status.PENDING
            available_at = timezone.now() + dt.timedelta(seconds=min(2**message.attempts, 600))
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status, available_at=available_at, lease_until=None, last_error=error[-4000:]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.DONE,
        lease_until=None,
        finished_at=timezone.now(),
        last_error="",
    )
    return True


def run_next() -> bool | None:
    """Claim and run the oldest runnable task: None when there was nothing to run."""
    message = claim()
    if message is None:
        return None
    return run_claimed(message)


def run_pending(limit: int = 1000) -> int:
    """Run runnable tasks in this process until none is left (tests, `make run` warm-up)."""
    count = 0
    while count < limit and run_next() is not None:
        count += 1
    return count
