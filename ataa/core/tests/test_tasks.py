"""The outbox in one process: arguments, retries with back-off, fencing, the real email tasks.

The worker processes (db worker, relay, Celery) are tested in test_worker.py and test_celery.py.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from ataa.core.models import OutboxMessage
from ataa.core.tasks import (
    WORKER_LOST,
    claim,
    enqueue,
    run_claimed,
    run_next,
    run_outbox_message,
    run_pending,
)
from ataa.core.tests.task_fixtures import events

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


@pytest.mark.parametrize(
    "value", ["Sara Al-Otaibi", "سارة", "0501234567 ", "x" * 65, {"id": 1}, [1, 2], b"1"]
)
def test_task_arguments_are_ids_and_codes_never_personal_data(value):
    with pytest.raises(ValueError):
        enqueue("core_tests.record_run", key=value)
    with pytest.raises(KeyError):
        enqueue("core_tests.no_such_task", key=1)
    assert not OutboxMessage.objects.exists()


def test_a_failing_task_backs_off_and_stops_at_the_attempt_limit(task_dir, settings):
    settings.ATAA_TASK_MAX_ATTEMPTS = 3
    settings.ATAA_TASK_BACKOFF_SECONDS = 30
    message = enqueue("core_tests.always_fail", key=1)
    for attempt, backoff in [(1, 30), (2, 60)]:
        before = timezone.now()
        assert run_next() is False
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.PENDING, attempt)
        assert "RuntimeError: this task always fails" in message.last_error
        expected = before + dt.timedelta(seconds=backoff)
        assert expected <= message.available_at <= expected + dt.timedelta(seconds=5)
        assert run_next() is None, "not run again before its back-off has passed"
        # Let the back-off pass.
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    assert run_next() is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert "RuntimeError" in message.last_error
    assert message.finished_at is not None and message.lease_until is None
    assert run_next() is None, "a failed task is not run again"
    assert events(1) == ["failed", "failed", "failed"]


def test_running_a_task_twice_is_safe(task_dir):
    message = enqueue("core_tests.record_run", key=2)
    assert run_pending() == 1
    # A second delivery of the same row (Celery redelivery, the relay, a second worker) is a no-op.
    assert run_outbox_message(message.pk) is None
    assert claim(message.pk) is None
    message.refresh_from_db()
    assert (message.status, message.attempts, events(2)) == (Status.DONE, 1, ["ran"])


def test_a_worker_whose_lease_ran_out_cannot_overwrite_the_newer_attempt(task_dir):
    message = enqueue("core_tests.always_fail", key=3)
    stale = claim()
    # Its worker stalls past the lease; another worker claims the row again.
    OutboxMessage.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    fresh = claim()
    assert (stale.attempts, fresh.attempts) == (1, 2)
    OutboxMessage.objects.filter(pk=message.pk).update(task_name="core_tests.record_run")
    fresh.task_name = "core_tests.record_run"
    assert run_claimed(fresh) is True
    # The stale worker ends late, with a failure: the newer attempt's outcome stands.
    assert run_claimed(stale) is False
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.DONE, 2, "")


def test_a_task_whose_worker_died_on_its_last_attempt_is_marked_failed(task_dir, settings):
    settings.ATAA_TASK_MAX_ATTEMPTS = 2
    message = enqueue("core_tests.record_run", key=4)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.RUNNING, attempts=2, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert run_next() is None
    message.refresh_from_db()
    assert (message.status, message.last_error) == (Status.FAILED, WORKER_LOST)
    assert events(4) == []


def test_a_delayed_task_waits_until_it_is_due(task_dir):
    message = enqueue("core_tests.record_run", key=5, delay=dt.timedelta(minutes=5))
    assert run_pending() == 0
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    assert run_pending() == 1
    assert events(5) == ["ran"]


def test_the_organization_emails_are_sent_by_their_tasks(organization, org_admin, settings):
    organization.created_by = org_admin
    organization.save(update_fields=["created_by"])
    open_invitation = organization.invitations.create(
        email="new.member@example.com",
        role="coordinator",
        invited_by=org_admin,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    revoked = organization.invitations.create(
        email="revoked@example.com",
        role="coordinator",
        invited_by=org_admin,
        expires_at=timezone.now() + dt.timedelta(days=7),
        revoked_at=timezone.now(),
    )
    enqueue("organizations.send_decision_email", organization_id=organization.pk)
    enqueue("organizations.send_invitation_email", invitation_id=open_invitation.pk)
    enqueue("organizations.send_invitation_email", invitation_id=revoked.pk)
    enqueue("organizations.send_invitation_email", invitation_id=999_999)

    assert run_pending() == 4
    assert sorted(message.to[0] for message in mail.outbox) == [
        org_admin.email,
        "new.member@example.com",
    ]
    invitation_mail = next(m for m in mail.outbox if m.to == ["new.member@example.com"])
    assert settings.ATAA_BASE_URL in invitation_mail.body  # the link to accept
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DONE}
