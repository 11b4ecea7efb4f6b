"""The background process of the task outbox (ADR 0003).

- ATAA_TASK_BACKEND=db (embedded default, `make run`): claims tasks from the outbox table and
  runs them, one at a time. Run several for more throughput.
- ATAA_TASK_BACKEND=celery (production): runs the outbox relay, which publishes to the broker the
  rows that are due (the broker was down at commit, a retry's back-off has passed, a delayed task
  is due, a worker died). The tasks themselves run in Celery workers: `celery -A config worker`.

In both, it also enqueues the periodic tasks that are due (`ataa.core.tasks.run_due_periodic`):
when it starts, then every PERIODIC_CHECK_SECONDS at most. Several processes may run: each due
slot is enqueued once. `--once` enqueues the due periodic tasks first, so (db) it runs them too.
ATAA_PERIODIC_TASKS=false turns this off for the process.

SIGTERM or SIGINT stops it after the current task (or relay pass); a second signal stops it at once
(the running task's lease then runs out and another worker takes it).
Logs carry task names and ids only.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from ataa.core.tasks import claim, outbox_relay, run_claimed, run_due_periodic

logger = logging.getLogger("ataa.core.worker")

# How often the loops look for due periodic tasks (the shortest interval in use is minutes).
PERIODIC_CHECK_SECONDS = 10.0


class Command(BaseCommand):
    help = (
        "Run background tasks from the outbox (db backend), or the outbox relay that hands them "
        "to Celery workers (celery backend)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--poll-interval",
            type=float,
            default=None,
            help="Seconds between looks for work (default: ATAA_TASK_POLL_SECONDS).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help=(
                "Enqueue the due periodic tasks, then db: run the runnable tasks and exit; "
                "celery: one relay pass and exit."
            ),
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=0,
            help="db: exit after running this many tasks (0: no limit).",
        )

    def handle(self, *args, poll_interval, once, max_tasks, **options):
        poll = settings.ATAA_TASK_POLL_SECONDS if poll_interval is None else poll_interval
        stop = threading.Event()
        self._install_signal_handlers(stop)
        backend = settings.ATAA_TASK_BACKEND
        if backend == "db":
            logger.info("task worker started (backend db, pid %s)", os.getpid())
            count = self._work(stop, poll=poll, once=once, max_tasks=max_tasks)
            logger.info("task worker stopped after %s task(s)", count)
        elif backend == "celery":
            logger.info(
                "outbox relay started (backend celery, pid %s); tasks run in Celery workers",
                os.getpid(),
            )
            self._relay(stop, poll=poll, once=once)
            logger.info("outbox relay stopped")
        else:
            raise CommandError(f"Unknown ATAA_TASK_BACKEND {backend!r} (db or celery).")

    def _install_signal_handlers(self, stop: threading.Event) -> None:
        def request_stop(signum, frame):
            logger.info("%s received: stopping after the current task", signal.Signals(signum).name)
            stop.set()
            # A second signal stops the process at once.
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)

    def _periodic(self, next_check: float) -> float:
        """Enqueue the due periodic tasks if it is time to look; return when to look next."""
        if not settings.ATAA_PERIODIC_TASKS:
            return float("inf")
        if time.monotonic() < next_check:
            return next_check
        try:
            run_due_periodic()
        except DatabaseError as exc:  # the database is away: look again at the next check
            logger.warning("periodic tasks: cannot enqueue (%s)", type(exc).__name__)
        return time.monotonic() + PERIODIC_CHECK_SECONDS

    def _work(self, stop: threading.Event, *, poll: float, once: bool, max_tasks: int) -> int:
        count = 0
        next_check = 0.0
        while not stop.is_set():
            close_old_connections()
            next_check = self._periodic(next_check)
            try:
                message = claim()
            except DatabaseError as exc:  # the database is away: try again later
                logger.warning("task worker: cannot claim (%s)", type(exc).__name__)
                message = None
            if message is None:
                if once:
                    break
                stop.wait(poll)
                continue
            try:
                run_claimed(message, renew_lease=True)
            except DatabaseError as exc:  # outcome not written: the lease runs out, it runs again
                logger.warning(
                    "task %s #%s: outcome not saved (%s)",
                    message.task_name,
                    message.pk,
                    type(exc).__name__,
                )
            count += 1
            if max_tasks and count >= max_tasks:
                break
        return count

    def _relay(self, stop: threading.Event, *, poll: float, once: bool) -> None:
        next_check = 0.0
        while not stop.is_set():
            close_old_connections()
            next_check = self._periodic(next_check)
            try:
                outbox_relay()
            except DatabaseError as exc:
                logger.warning("outbox relay: database unavailable (%s)", type(exc).__name__)
            if once:
                break
            stop.wait(poll)
