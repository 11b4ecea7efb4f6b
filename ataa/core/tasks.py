"""Background tasks through a transactional outbox (ADR 0003).

A service calls `enqueue("app.task_name", some_id=1)` inside its transaction: the task becomes an
OutboxMessage row that commits, or rolls back, with the change that asked for it. Arguments are
ids and codes only, never personal data. After commit the row is handed to the task backend:

- "db" (embedded default): `manage.py run_worker` claims rows from the table itself;
- "celery" (production): the relay publishes the row's id to Celery; a Celery worker runs it.

In both, the row is marked done only after the task function returned, and a claimed row carries
a lease that its worker renews while the task runs: a worker killed mid-task leaves a row whose
lease runs out, and the row is claimed again (db) or published again by the relay (celery).
Delivery is therefore at least once: tasks must be idempotent (safe to run twice).

Row life: pending -> [dispatched ->] running -> done | pending (retry after a back-off) | failed.
`attempts` counts claims and is the fencing token: a worker whose lease ran out and whose row was
claimed again cannot overwrite the newer attempt's outcome.

Periodic tasks: `@periodic("app.name", every=timedelta(minutes=5))` registers a task (taking no
arguments) that is due every `every`. `manage.py run_worker` calls `run_due_periodic()` in both
backends (the db worker's loop, the celery relay's loop; `--once` too): each due slot is claimed
by a conditional UPDATE of its PeriodicSchedule row (compare-and-set on `next_run_at`) in the
transaction that enqueues the task, so with several workers one of them enqueues it and the task
then runs through the outbox like any other. The next slot is `every` after the claim.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from ataa.core.models import OutboxMessage, PeriodicSchedule

logger = logging.getLogger(__name__)

RUN_OUTBOX_MESSAGE = "ataa.core.run_outbox_message"
WORKER_LOST = "The worker running this task stopped before the task finished."

_REGISTRY: dict[str, Callable[..., object]] = {}
_PERIODIC: dict[str, dt.timedelta] = {}
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


def periodic(name: str, *, every: dt.timedelta):
    """Register a task without arguments that the workers enqueue every `every` (see above)."""
    if every <= dt.timedelta():
        raise ValueError("A periodic task needs a positive interval.")

    def decorator(func):
        task(name)(func)
        _PERIODIC[name] = every
        return func

    return decorator


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
        # A delayed task is published by the relay once it is due.
        transaction.on_commit(partial(dispatch, message.pk))
    return message


# --- Periodic tasks -------------------------------------------------------------------------------


def claim_periodic(name: str, *, seen: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Claim the slot of `name` that was due at `seen` and enqueue its task; False when another
    worker claimed it first (its `next_run_at` is no longer `seen`)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = PeriodicSchedule.objects.filter(
            name=name, next_run_at=seen, next_run_at__lte=now
        ).update(next_run_at=now + _PERIODIC[name], last_run_at=now)
        if not claimed:
            return False
        enqueue(name)
    logger.info("periodic task %s enqueued", name)
    return True


def run_due_periodic(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every registered periodic task whose slot is due; return their names.

    A task seen for the first time is due at once. Safe to call from several workers at the
    same moment: each slot is enqueued once.
    """
    now = now or timezone.now()
    names = sorted(_PERIODIC)
    if not names:
        return []
    known = set(PeriodicSchedule.objects.filter(name__in=names).values_list("name", flat=True))
    missing = [name for name in names if name not in known]
    if missing:
        PeriodicSchedule.objects.bulk_create(
            [PeriodicSchedule(name=name, next_run_at=now) for name in missing],
            ignore_conflicts=True,
        )
    due = PeriodicSchedule.objects.filter(name__in=names, next_run_at__lte=now).order_by("name")
    return [
        name
        for name, seen in due.values_list("name", "next_run_at")
        if claim_periodic(name, seen=seen, now=now)
    ]


# --- Which rows are runnable --------------------------------------------------------------------


def _runnable(now: dt.datetime) -> Q:
    """Rows a worker may claim: due and waiting, or running under a lease that ran out."""
    S = OutboxMessage.Status
    return Q(status__in=[S.PENDING, S.DISPATCHED], available_at__lte=now) | Q(
        status=S.RUNNING, lease_until__lt=now
    )


def _relay_due(now: dt.datetime) -> Q:
    """Rows the relay publishes: due and never handed over, handed over but not started for
    ATAA_TASK_REDISPATCH_SECONDS, or running under a lease that ran out (the worker died)."""
    S = OutboxMessage.Status
    return (
        Q(status=S.PENDING, available_at__lte=now)
        | Q(status=S.DISPATCHED, lease_until__lt=now)
        | Q(status=S.DISPATCHED, lease_until__isnull=True)
        | Q(status=S.RUNNING, lease_until__lt=now, attempts__lt=settings.ATAA_TASK_MAX_ATTEMPTS)
    )


def fail_abandoned() -> int:
    """Mark failed the rows whose worker died during their last allowed attempt."""
    now = timezone.now()
    abandoned = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.RUNNING,
        lease_until__lt=now,
        attempts__gte=settings.ATAA_TASK_MAX_ATTEMPTS,
    )
    count = 0
    for pk, name, attempts in abandoned.values_list("id", "task_name", "attempts"):
        if abandoned.filter(pk=pk, attempts=attempts).update(
            status=OutboxMessage.Status.FAILED,
            lease_until=None,
            finished_at=now,
            last_error=WORKER_LOST,
        ):
            logger.warning("task %s #%s failed: worker lost on attempt %s", name, pk, attempts)
            count += 1
    return count


# --- Celery backend: hand row ids to the broker ---------------------------------------------------


def _publish(message_id: int) -> bool:
    """Mark one due row dispatched, then publish its id. False when the row is not due (someone
    else took it); raises, with the row back to pending, when the broker does not take it."""
    from config.celery import app

    now = timezone.now()
    hold = now + dt.timedelta(seconds=settings.ATAA_TASK_REDISPATCH_SECONDS)
    # Mark first (compare-and-set on the due state), publish second: of two relays, or a relay
    # and an after-commit dispatch, only one publishes; a crash in between leaves a dispatched
    # row that the relay publishes again once `hold` has passed.
    if not OutboxMessage.objects.filter(_relay_due(now), pk=message_id).update(
        status=OutboxMessage.Status.DISPATCHED, lease_until=hold
    ):
        return False
    try:
        app.send_task(RUN_OUTBOX_MESSAGE, args=[message_id], retry=False)
    except Exception:
        OutboxMessage.objects.filter(
            pk=message_id, status=OutboxMessage.Status.DISPATCHED, lease_until=hold
        ).update(status=OutboxMessage.Status.PENDING, lease_until=None)
        raise
    return True


def dispatch(message_id: int) -> bool:
    """Hand one row to Celery. A broker that is down leaves it pending for the relay."""
    try:
        return _publish(message_id)
    except Exception as exc:  # broker down: the periodic relay will try again
        logger.warning("outbox #%s not dispatched: %s", message_id, type(exc).__name__)
        return False


def outbox_relay(limit: int = 500) -> int:
    """One relay pass (celery backend): publish every due row; return how many were published.

    Stops at the first broker error; the rows stay pending for the next pass.
    """
    fail_abandoned()
    due = OutboxMessage.objects.filter(_relay_due(timezone.now())).order_by("id")
    published = 0
    for message_id in list(due.values_list("id", flat=True)[:limit]):
        try:
            published += _publish(message_id)
        except Exception as exc:
            logger.warning("outbox relay: broker unavailable (%s)", type(exc).__name__)
            break
    if published:
        logger.info("outbox relay: published %s task(s)", published)
    return published


# --- Running tasks (both backends) ----------------------------------------------------------------


def claim(message_id: int | None = None) -> OutboxMessage | None:
    """Take one runnable row (a given one, or the oldest) and lease it to this worker.

    A row whose worker died during its last allowed attempt is marked failed, not claimed.
    """
    lease = dt.timedelta(seconds=settings.ATAA_TASK_LEASE_SECONDS)
    for _ in range(20):
        now = timezone.now()
        runnable = OutboxMessage.objects.filter(_runnable(now))
        if message_id is not None:
            runnable = runnable.filter(pk=message_id)
        candidate = runnable.order_by("id").values_list("id", "attempts", "status").first()
        if candidate is None:
            return None
        pk, attempts, status = candidate
        if status == OutboxMessage.Status.RUNNING and attempts >= settings.ATAA_TASK_MAX_ATTEMPTS:
            fail_abandoned()
            continue
        # Compare-and-set on the attempt count (and the row still runnable): of two workers
        # racing for a row, one wins; the loser looks again.
        if runnable.filter(pk=pk, attempts=attempts).update(
            status=OutboxMessage.Status.RUNNING, lease_until=now + lease, attempts=attempts + 1
        ):
            return OutboxMessage.objects.get(pk=pk)
    return None


class _LeaseKeeper(threading.Thread):
    """Renews a running row's lease every third of the lease while its task runs, so a long task
    is not taken by another worker, and a dead worker's task is taken after one lease."""

    def __init__(self, message: OutboxMessage):
        super().__init__(name=f"outbox-lease-{message.pk}", daemon=True)
        self._message_id = message.pk
        self._attempt = message.attempts
        self._finished = threading.Event()

    def run(self):
        lease = settings.ATAA_TASK_LEASE_SECONDS
        try:
            while not self._finished.wait(max(lease / 3, 0.1)):
                try:
                    OutboxMessage.objects.filter(
                        pk=self._message_id,
                        attempts=self._attempt,
                        status=OutboxMessage.Status.RUNNING,
                    ).update(lease_until=timezone.now() + dt.timedelta(seconds=lease))
                except Exception as exc:  # the next beat tries again
                    logger.warning(
                        "outbox #%s lease not renewed: %s", self._message_id, type(exc).__name__
                    )
        finally:
            connections.close_all()  # this thread's own connections

    def finish(self):
        self._finished.set()
        self.join()


def run_claimed(message: OutboxMessage, *, renew_lease: bool = False) -> bool:
    """Run a claimed row's task; mark it done, or back off and retry, or give up at the limit.

    Worker processes pass `renew_lease=True`; in-process callers (tests, run_pending) need not.
    The outcome is written only if the row is still this attempt's (fencing on `attempts`).
    """
    func = _REGISTRY.get(message.task_name)
    this_attempt = OutboxMessage.objects.filter(pk=message.pk, attempts=message.attempts)
    keeper = _LeaseKeeper(message) if renew_lease else None
    started = time.monotonic()
    try:
        if keeper is not None:
            keeper.start()
        try:
            if func is None:
                raise LookupError(f"Unknown task {message.task_name!r}.")
            func(**message.kwargs)
        finally:
            if keeper is not None:
                keeper.finish()
    except Exception as exc:
        # The traceback goes to the row (visible to platform admins), not to the logs.
        error = traceback.format_exc(limit=8)[-4000:]
        now = timezone.now()
        if message.attempts >= settings.ATAA_TASK_MAX_ATTEMPTS:
            changes = {"status": OutboxMessage.Status.FAILED, "finished_at": now}
        else:
            backoff = min(settings.ATAA_TASK_BACKOFF_SECONDS * 2 ** (message.attempts - 1), 3600)
            changes = {
                "status": OutboxMessage.Status.PENDING,
                "available_at": now + dt.timedelta(seconds=backoff),
            }
        this_attempt.update(lease_until=None, last_error=error, **changes)
        logger.warning(
            "task %s #%s attempt %s/%s failed (%s): %s",
            message.task_name,
            message.pk,
            message.attempts,
            settings.ATAA_TASK_MAX_ATTEMPTS,
            type(exc).__name__,
            changes["status"],
        )
        return False
    this_attempt.update(
        status=OutboxMessage.Status.DONE,
        lease_until=None,
        finished_at=timezone.now(),
        last_error="",
    )
    logger.info(
        "task %s #%s done (attempt %s, %.0f ms)",
        message.task_name,
        message.pk,
        message.attempts,
        (time.monotonic() - started) * 1000,
    )
    return True


def run_next(*, renew_lease: bool = False) -> bool | None:
    """Claim and run the oldest runnable task: None when there was nothing to run."""
    message = claim()
    if message is None:
        return None
    return run_claimed(message, renew_lease=renew_lease)


def run_pending(limit: int = 1000) -> int:
    """Run runnable tasks in this process until none is left (tests, `make run` warm-up)."""
    count = 0
    while count < limit and run_next() is not None:
        count += 1
    return count


@shared_task(
    name=RUN_OUTBOX_MESSAGE, acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def run_outbox_message(message_id: int) -> bool | None:
    """Celery entry point: claim this row and run it. A row that is done, not due yet, or leased
    to another worker is left alone (a duplicate delivery is a no-op)."""
    message = claim(message_id)
    if message is None:
        logger.info("outbox #%s: nothing to run", message_id)
        return None
    return run_claimed(message, renew_lease=True)
