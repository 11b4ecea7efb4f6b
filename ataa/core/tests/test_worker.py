"""The embedded (db) backend with real worker processes: `manage.py run_worker`.

The tests commit their rows (transaction=True) so that the worker subprocesses, which open the
same test database, see them.
"""

import signal

import pytest
from django.db import transaction

from ataa.core.models import OutboxMessage
from ataa.core.tasks import enqueue
from ataa.core.tests.support import wait_until
from ataa.core.tests.task_fixtures import events

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutboxMessage.Status
FAST = ("--poll-interval", "0.05")


def test_a_rolled_back_task_never_runs_and_committed_ones_run_exactly_once(task_dir, processes):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("core_tests.record_run", key=1)
        raise RuntimeError("the change that asked for the task failed")
    with transaction.atomic():
        for key in range(2, 22):
            enqueue("core_tests.record_run", key=key)

    workers = [processes.worker("--once", *FAST) for _ in range(2)]
    for worker in workers:
        assert processes.wait(worker) == 0, processes.log(worker)

    assert events(1) == []
    assert not OutboxMessage.objects.filter(kwargs__key=1).exists()
    assert all(events(key) == ["ran"] for key in range(2, 22))
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(Status.DONE, 1)}
    log = processes.log(workers[0]) + processes.log(workers[1])
    assert "task core_tests.record_run #" in log


def test_a_task_whose_worker_is_killed_mid_task_runs_again_and_completes(task_dir, processes):
    message = enqueue("core_tests.block_first_run", key=7)
    first = processes.worker(*FAST, ATAA_TASK_LEASE_SECONDS=1)
    wait_until(lambda: events(7) == ["started"], what="the first run to start")
    first.kill()
    first.wait()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.RUNNING, 1)

    # A new worker takes the row once the dead worker's lease has run out.
    second = processes.worker("--max-tasks", "1", *FAST, ATAA_TASK_LEASE_SECONDS=1)
    assert processes.wait(second) == 0, processes.log(second)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.DONE, 2)
    assert events(7) == ["started", "finished"]


def test_a_task_longer_than_its_lease_is_not_taken_by_another_worker(task_dir, processes):
    """The worker renews the lease while the task runs, so a live task is never run twice."""
    message = enqueue("core_tests.slow", key=8, millis=2500)
    first = processes.worker("--max-tasks", "1", *FAST, ATAA_TASK_LEASE_SECONDS=1)
    wait_until(lambda: events(8) == ["started"], what="the task to start")
    second = processes.worker(*FAST, ATAA_TASK_LEASE_SECONDS=1)
    assert processes.wait(first) == 0, processes.log(first)
    second.send_signal(signal.SIGTERM)
    assert processes.wait(second) == 0, processes.log(second)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.DONE, 1)
    assert events(8) == ["started", "finished"]


def test_sigterm_stops_the_worker_after_its_current_task(task_dir, processes):
    current = enqueue("core_tests.slow", key=9, millis=800)
    waiting = enqueue("core_tests.record_run", key=10)
    worker = processes.worker(*FAST)
    wait_until(lambda: events(9) == ["started"], what="the first task to start")
    worker.send_signal(signal.SIGTERM)
    assert processes.wait(worker) == 0, processes.log(worker)

    current.refresh_from_db()
    waiting.refresh_from_db()
    assert (current.status, events(9)) == (Status.DONE, ["started", "finished"])
    assert (waiting.status, events(10)) == (Status.PENDING, [])
    assert "SIGTERM received" in processes.log(worker)
