"""Queuing and sending notifications: by the channels each person chose, at most once per
dedup key, in the person's language, retried by the outbox when a channel fails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from ataa.core.models import OutboxMessage
from ataa.core.tasks import run_pending
from ataa.notifications import services
from ataa.notifications.kinds import Content, renderer
from ataa.notifications.models import Delivery, NotificationPreference
from ataa.notifications.services import Notice, notify
from ataa.notifications.tests.test_sms import Gateway
from conftest import table_state

pytestmark = pytest.mark.django_db

KIND = "notifications_tests.greeting"
GONE = 0  # an object id for which the test renderer says "no longer applies"


@renderer(KIND)
def render_greeting(delivery) -> Content | None:
    if delivery.object_id == GONE:
        return None
    language = get_language()
    return Content(
        subject=f"greeting {delivery.object_id} in {language}",
        body=f"body in {language}",
        sms=f"sms {delivery.object_id} in {language}",
    )


def greet(user, object_id=1) -> list[Delivery]:
    return notify([Notice(recipient_id=user.pk, kind=KIND, object_id=object_id)])


def choose(user, *, email=True, sms=False, phone=None):
    if phone is not None:
        user.phone = phone
        user.save(update_fields=["phone"])
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms}
    )


@pytest.fixture(autouse=True)
def _console_sms(settings):
    settings.ATAA_SMS_BACKEND = "console"


def test_by_default_a_person_is_told_by_email_only(volunteer):
    [delivery] = greet(volunteer)
    assert (delivery.channel, delivery.status, delivery.recipient_id) == (
        "email",
        "pending",
        volunteer.pk,
    )
    task = OutboxMessage.objects.get()
    assert (task.task_name, task.kwargs) == (
        "notifications.send_delivery",
        {"delivery_id": delivery.pk},
    )
    assert run_pending() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [([volunteer.email], "greeting 1 in ar")]
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.sent_at is not None and delivery.attempts == 1


def test_the_same_notification_is_queued_once(volunteer):
    assert len(greet(volunteer)) == 1
    assert greet(volunteer) == []
    assert len(greet(volunteer, object_id=2)) == 1  # another object is another notification
    run_pending()
    assert sorted(m.subject for m in mail.outbox) == ["greeting 1 in ar", "greeting 2 in ar"]


def test_sending_a_delivery_twice_sends_it_once(volunteer):
    [delivery] = greet(volunteer)
    services.delivery_send(delivery=delivery)
    services.delivery_send(delivery=Delivery.objects.get(pk=delivery.pk))
    assert len(mail.outbox) == 1


def test_the_recipients_language_is_used(volunteer, other_volunteer):
    other_volunteer.preferred_language = "en"
    other_volunteer.save(update_fields=["preferred_language"])
    greet(volunteer)
    greet(other_volunteer)
    run_pending()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        volunteer.email: "greeting 1 in ar",
        other_volunteer.email: "greeting 1 in en",
    }


def test_sms_and_email_when_both_are_chosen(volunteer, capsys):
    choose(volunteer, email=True, sms=True, phone="+966550001122")
    deliveries = greet(volunteer)
    assert sorted(d.channel for d in deliveries) == ["email", "sms"]
    assert run_pending() == 2
    printed = capsys.readouterr().out
    assert "sms 1 in ar" in printed and "***22" in printed and "+966550001122" not in printed
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_sms_only(volunteer, capsys):
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    choose(volunteer, email=False, sms=True, phone="0501234567")
    [delivery] = greet(volunteer)
    assert delivery.channel == "sms"
    run_pending()
    assert "sms 1 in en" in capsys.readouterr().out
    assert mail.outbox == []


def test_nothing_is_queued_for_a_person_who_turned_everything_off(volunteer):
    choose(volunteer, email=False, sms=False)
    assert greet(volunteer) == []
    assert not Delivery.objects.exists() and not OutboxMessage.objects.exists()


def test_sms_without_a_phone_on_the_account_is_not_queued(volunteer):
    choose(volunteer, email=True, sms=True)  # chosen earlier; the phone was removed since
    assert [d.channel for d in greet(volunteer)] == ["email"]


def test_an_inactive_account_is_not_told(volunteer):
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    assert greet(volunteer) == []


def test_a_channel_turned_off_before_sending_is_skipped(volunteer):
    [delivery] = greet(volunteer)
    choose(volunteer, email=False, sms=False)
    run_pending()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.detail, delivery.sent_at) == (
        "skipped",
        "channel_not_chosen",
        None,
    )
    assert mail.outbox == []


def test_a_notification_that_no_longer_applies_is_skipped(volunteer):
    [delivery] = greet(volunteer, object_id=GONE)
    run_pending()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.detail) == ("skipped", "no_longer_applies")
    assert mail.outbox == []


def test_deliveries_roll_back_with_the_change_that_asked_for_them(volunteer):
    before = table_state(Delivery, OutboxMessage)
    with pytest.raises(RuntimeError), transaction.atomic():
        greet(volunteer)
        raise RuntimeError("the change failed")
    assert table_state(Delivery, OutboxMessage) == before


def test_an_unknown_kind_is_a_programming_error(volunteer):
    with pytest.raises(LookupError):
        notify([Notice(recipient_id=volunteer.pk, kind="nobody.renders_this", object_id=1)])
    assert not Delivery.objects.exists()


def test_a_failing_sms_gateway_is_retried_by_the_outbox(volunteer, settings):
    """The real HTTP adapter, a real local gateway: 503 first (the task fails and backs off,
    the email is not sent again), then 202 (sent)."""
    choose(volunteer, email=True, sms=True, phone="+966550001122")
    with Gateway() as gateway:
        settings.ATAA_SMS_BACKEND = "http"
        settings.ATAA_SMS_GATEWAY_URL = gateway.url
        settings.ATAA_SMS_GATEWAY_KEY = "k"
        gateway.status = 503
        greet(volunteer)
        run_pending()
        sms = Delivery.objects.get(channel="sms")
        assert (sms.status, sms.attempts, sms.detail) == ("pending", 1, "gateway_status_503")
        task = OutboxMessage.objects.get(kwargs={"delivery_id": sms.pk})
        assert task.status == "pending" and task.available_at > timezone.now()
        assert "+966550001122" not in task.last_error
        assert Delivery.objects.get(channel="email").status == "sent"

        gateway.status = 202
        OutboxMessage.objects.filter(pk=task.pk).update(available_at=timezone.now())
        assert run_pending() == 1
        sms.refresh_from_db()
        assert (sms.status, sms.attempts, sms.detail) == ("sent", 2, "")
        assert len(gateway.requests) == 2
        assert len(mail.outbox) == 1
