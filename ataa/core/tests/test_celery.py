"""The production backend with real processes: Redis, Celery workers and the outbox relay.

Each test has a Redis queue of its own (support.Broker); skipped when Redis does not answer,
unless ATAA_REQUIRE_REDIS=1.
"""

import textwrap

import pytest
from django.contrib.auth import get_user_model

from ataa.core.models import OutboxMessage
from ataa.core.tasks import enqueue
from ataa.core.tests.support import closed_port_url, wait_until
from ataa.core.tests.task_fixtures import events

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutboxMessage.Status

# A request's service in another process: a business write and a task in one transaction.
CALLER = textwrap.dedent(
    """
    import os, time
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from ataa.core.tasks import enqueue

    started = time.monotonic()
    with transaction.atomic():
        get_user_model().objects.create_user(
            email=os.environ["CALLER_EMAIL"], password=None, full_name="Caller"
        )
        enqueue("core_tests.record_run", key=int(os.environ["CALLER_KEY"]))
    print(f"committed in {time.monotonic() - started:.3f} s")
    """
)


def status_of(key: int) -> str:
    return OutboxMessage.objects.get(kwargs__key=key).status


def test_a_task_committed_while_the_broker_is_down_is_relayed_and_run_later(
    task_dir, processes, broker
):
    down = {**broker.env(), "CELERY_BROKER_URL": closed_port_url()}
    caller = processes.python(
        "caller", CALLER, **down, CALLER_EMAIL="down@example.com", CALLER_KEY=11
    )
    assert processes.wait(caller) == 0, processes.log(caller)  # no exception to the caller
    assert "not dispatched: OperationalError" in processes.log(caller)
    seconds = float(processes.log(caller).split("committed in ")[1].split()[0])
    assert seconds < 3, "a broker that is down must not hold the request"
    assert get_user_model().objects.filter(email="down@example.com").exists()
    assert status_of(11) == Status.PENDING

    # A relay pass while the broker is still down leaves the row pending.
    relay = processes.worker("--once", **down)
    assert processes.wait(relay) == 0, processes.log(relay)
    assert status_of(11) == Status.PENDING

    # The broker is back: the relay publishes the row and a Celery worker runs it.
    worker = processes.celery_worker(broker)
    relay = processes.worker("--once", **broker.env())
    assert processes.wait(relay) == 0, processes.log(relay)
    assert status_of(11) in (Status.DISPATCHED, Status.RUNNING, Status.DONE)
    wait_until(lambda: status_of(11) == Status.DONE, what="the Celery worker to run the task")
    assert events(11) == ["ran"]
    assert worker.poll() is None


def test_a_task_committed_while_the_broker_is_up_is_published_at_commit(
    task_dir, processes, broker
):
    processes.celery_worker(broker)
    caller = processes.python(
        "caller", CALLER, **broker.env(), CALLER_EMAIL="up@example.com", CALLER_KEY=12
    )
    assert processes.wait(caller) == 0, processes.log(caller)
    # No relay runs in this test: only the after-commit dispatch can have published it.
    wait_until(lambda: status_of(12) == Status.DONE, what="the Celery worker to run the task")
    message = OutboxMessage.objects.get(kwargs__key=12)
    assert (message.attempts, events(12)) == (1, ["ran"])


def test_a_task_whose_celery_worker_is_killed_is_relayed_again_and_completes(
    task_dir, processes, broker
):
    lease = {"ATAA_TASK_LEASE_SECONDS": 1}
    processes.worker("--poll-interval", "0.1", **broker.env(), **lease)  # the relay
    message = enqueue("core_tests.block_first_run", key=13)
    first = processes.celery_worker(broker, name="first", **lease)
    wait_until(lambda: events(13) == ["started"], timeout=30, what="the first run to start")
    first.kill()  # SIGKILL: no acknowledgement, no clean-up
    first.wait()

    # The message waits unacknowledged in Redis until the visibility timeout (an hour); the relay
    # sees the row's lease run out and publishes it again at once, for a new worker.
    processes.celery_worker(broker, name="second", **lease)
    wait_until(lambda: status_of(13) == Status.DONE, timeout=30, what="the second run")
    message.refresh_from_db()
    assert (message.attempts, events(13)) == (2, ["started", "finished"])
