"""Periodic tasks: a due slot is enqueued into the outbox once, whoever claims it; the worker
(`run_worker`, `--once` too) enqueues the due ones in both backends."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from ataa.core import tasks
from ataa.core.models import OutboxMessage, PeriodicSchedule
from ataa.core.tasks import claim_periodic, periodic, run_due_periodic, run_pending
from ataa.core.tests.periodic_fixtures import TICK, TICK_KEY
from ataa.core.tests.task_fixtures import events

pytestmark = pytest.mark.django_db

NAME = "core_tests.hourly"
# Worker processes with the test's periodic task, and periodic tasks on (support.py turns them
# off for the other worker tests).
PERIODIC_ON = {
    "ATAA_TASK_EXTRA_MODULES": "ataa.core.tests.task_fixtures,ataa.core.tests.periodic_fixtures",
    "ATAA_PERIODIC_TASKS": "true",
}
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def hourly(monkeypatch):
    """A periodic task registered for this test only; returns the list of its runs."""
    runs: list[int] = []
    monkeypatch.setattr(tasks, "_PERIODIC", dict(tasks._PERIODIC))
    monkeypatch.setattr(tasks, "_REGISTRY", dict(tasks._REGISTRY))
    periodic(NAME, every=HOUR)(lambda: runs.append(1))
    return runs


def queued(name=NAME) -> int:
    return OutboxMessage.objects.filter(task_name=name).count()


def test_a_periodic_task_is_due_at_once_then_every_interval(hourly):
    now = timezone.now()
    assert NAME in run_due_periodic(now)
    schedule = PeriodicSchedule.objects.get(name=NAME)
    assert (schedule.next_run_at, schedule.last_run_at) == (now + HOUR, now)
    assert queued() == 1
    assert run_pending() >= 1 and hourly == [1]

    # Not due yet: nothing is enqueued, a minute or 59 minutes later.
    for later in (dt.timedelta(minutes=1), dt.timedelta(minutes=59)):
        assert NAME not in run_due_periodic(now + later)
    assert queued() == 1

    # Due again after the interval: enqueued once more, and the next slot moves on.
    assert NAME in run_due_periodic(now + HOUR)
    assert queued() == 2
    assert PeriodicSchedule.objects.get(name=NAME).next_run_at == now + 2 * HOUR


def test_of_two_claimers_of_the_same_slot_one_enqueues(hourly):
    now = timezone.now()
    PeriodicSchedule.objects.create(name=NAME, next_run_at=now - dt.timedelta(seconds=5))
    seen = PeriodicSchedule.objects.get(name=NAME).next_run_at
    # Both read the same due slot; the compare-and-set lets only the first one through.
    assert claim_periodic(NAME, seen=seen, now=now) is True
    assert claim_periodic(NAME, seen=seen, now=now) is False
    assert queued() == 1


def test_a_slot_that_is_not_due_cannot_be_claimed(hourly):
    now = timezone.now()
    later = now + dt.timedelta(minutes=10)
    PeriodicSchedule.objects.create(name=NAME, next_run_at=later)
    assert claim_periodic(NAME, seen=later, now=now) is False
    assert queued() == 0


def test_a_periodic_task_needs_a_positive_interval():
    with pytest.raises(ValueError):
        periodic("core_tests.never", every=dt.timedelta())


def _claim_in_thread(barrier, outcomes):
    try:
        barrier.wait(timeout=30)
        outcomes.append(run_due_periodic())
    except Exception as error:  # pragma: no cover - shown in the assertion message
        outcomes.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_enqueue_a_due_slot_once(hourly):
    """Two threads, each with its own connection and transaction, released together."""
    for round_ in range(5):
        PeriodicSchedule.objects.update_or_create(
            name=NAME, defaults={"next_run_at": timezone.now() - dt.timedelta(seconds=1)}
        )
        before = queued()
        outcomes: list = []
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=_claim_in_thread, args=(barrier, outcomes)) for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert all(isinstance(outcome, list) for outcome in outcomes), outcomes
        assert sum(NAME in outcome for outcome in outcomes) == 1, (round_, outcomes)
        assert queued() == before + 1


@pytest.mark.django_db(transaction=True)
def test_run_worker_once_runs_the_due_periodic_tasks(task_dir, processes):
    """Real `manage.py run_worker --once` processes (db backend): the first runs the due
    periodic task; a second, right after, finds it not due; two at once run it once."""
    first = processes.worker("--once", "--poll-interval", "0.05", **PERIODIC_ON)
    assert processes.wait(first) == 0, processes.log(first)
    assert events(TICK_KEY) == ["ran"]
    assert OutboxMessage.objects.get(task_name=TICK).status == OutboxMessage.Status.DONE
    assert "periodic task core_tests.periodic_tick enqueued" in processes.log(first)

    again = processes.worker("--once", "--poll-interval", "0.05", **PERIODIC_ON)
    assert processes.wait(again) == 0, processes.log(again)
    assert events(TICK_KEY) == ["ran"]

    PeriodicSchedule.objects.filter(name=TICK).update(next_run_at=timezone.now())
    workers = [
        processes.worker("--once", "--poll-interval", "0.05", **PERIODIC_ON) for _ in range(2)
    ]
    for worker in workers:
        assert processes.wait(worker) == 0, processes.log(worker)
    assert events(TICK_KEY) == ["ran", "ran"]
    assert OutboxMessage.objects.filter(task_name=TICK).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_celery_relay_enqueues_the_due_periodic_tasks_too(task_dir, processes):
    """`run_worker --once` with the celery backend: the periodic task is enqueued into the outbox
    even while the broker is down (the relay publishes it once the broker answers)."""
    from ataa.core.tests.support import closed_port_url

    relay = processes.worker(
        "--once",
        **PERIODIC_ON,
        ATAA_TASK_BACKEND="celery",
        CELERY_BROKER_URL=closed_port_url(),
    )
    assert processes.wait(relay) == 0, processes.log(relay)
    message = OutboxMessage.objects.get(task_name=TICK)
    assert message.status == OutboxMessage.Status.PENDING
    assert events(TICK_KEY) == []
    assert PeriodicSchedule.objects.get(name=TICK).next_run_at > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_a_worker_with_periodic_tasks_turned_off_enqueues_none(task_dir, processes):
    worker = processes.worker("--once", **{**PERIODIC_ON, "ATAA_PERIODIC_TASKS": "false"})
    assert processes.wait(worker) == 0, processes.log(worker)
    assert not OutboxMessage.objects.filter(task_name=TICK).exists()
    assert not PeriodicSchedule.objects.exists()
