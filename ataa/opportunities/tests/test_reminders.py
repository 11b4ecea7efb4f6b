"""The reminder a day before each shift: a periodic task that reminds each accepted volunteer
once, in their language, with the time, the opportunity, the organization and the address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from ataa.core.dates import hijri_text
from ataa.core.models import OutboxMessage, PeriodicSchedule
from ataa.core.tasks import run_due_periodic, run_pending
from ataa.notifications.models import Delivery, NotificationPreference
from ataa.opportunities import services
from ataa.opportunities.reminders import TASK, reminders_due, send_shift_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(make_opportunity):
    """A published opportunity that runs from yesterday for a week (shifts fit in it)."""
    today = timezone.localdate()
    return make_opportunity(
        capacity=5, starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=6)
    )


@pytest.fixture
def shift_in(running, coordinator):
    """shift_in(hours) -> a shift of `running` that starts that many hours from now."""

    def make(hours: float, *, opportunity=None, capacity: int = 5):
        starts_at = (timezone.now() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)
        return services.shift_create(
            opportunity=opportunity or running,
            created_by=coordinator,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=3),
            capacity=capacity,
        )

    return make


@pytest.fixture
def accept(coordinator):
    """accept(volunteer, shift) -> the volunteer's accepted application; the emails about
    applying and being accepted are sent and cleared, so tests see only what follows."""

    def accept_(volunteer, shift, *, decide=True):
        application = services.application_submit(
            volunteer=volunteer, opportunity=shift.opportunity, shift=shift, answers={}
        )
        if decide:
            application = services.application_accept(
                application=application, decided_by=coordinator
            )
        run_pending()
        mail.outbox.clear()
        return application

    return accept_


def reminders() -> list:
    return [m for m in mail.outbox if m.subject.startswith(("Reminder", "تذكير"))]


def english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_running_the_reminder_task_twice_sends_one_email(volunteer, shift_in, accept):
    application = accept(volunteer, shift_in(10))
    assert send_shift_reminders() == 1
    assert send_shift_reminders() == 0
    run_pending()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [volunteer.email]
    delivery = Delivery.objects.get(kind="shift.reminder")
    assert (delivery.object_id, delivery.status) == (application.pk, "sent")
    # Its task carries the delivery's id only.
    assert OutboxMessage.objects.filter(kwargs={"delivery_id": delivery.pk}).count() == 1
    send_shift_reminders()
    run_pending()
    assert len(mail.outbox) == 1
    # Later runs do not even find it again.
    assert not reminders_due(now=timezone.now()).exists()


def test_the_workers_enqueue_the_reminders_every_few_minutes(volunteer, shift_in, accept):
    accept(volunteer, shift_in(10))
    now = timezone.now()
    assert TASK in run_due_periodic(now)
    assert TASK not in run_due_periodic(now + dt.timedelta(minutes=1))
    run_pending()
    assert len(reminders()) == 1
    # The next slot runs the task again: the volunteer is not reminded twice.
    PeriodicSchedule.objects.filter(name=TASK).update(next_run_at=now)
    assert TASK in run_due_periodic(now + dt.timedelta(minutes=5))
    run_pending()
    assert len(reminders()) == 1


def test_the_reminder_in_english(volunteer, shift_in, accept, organization):
    shift = shift_in(10)
    accept(english(volunteer), shift)
    send_shift_reminders()
    run_pending()
    [email] = mail.outbox
    start = timezone.localtime(shift.starts_at)
    assert email.subject.startswith("Reminder: your shift for Ramadan food basket distribution")
    assert start.strftime("%H:%M") in email.subject
    assert organization.name_en in email.body
    assert "SECRET-ADDRESS 12 شارع الأمير سلطان" in email.body  # accepted: the exact address
    assert start.strftime("%H:%M") in email.body
    assert (start + dt.timedelta(hours=3)).strftime("%H:%M") in email.body
    assert hijri_text(start, "en") in email.body and "<time" not in email.body
    assert "/volunteer/applications/" in email.body


def test_the_reminder_in_arabic(volunteer, shift_in, accept, organization):
    shift = shift_in(10)
    accept(volunteer, shift)
    send_shift_reminders()
    run_pending()
    [email] = mail.outbox
    assert "توزيع السلال الغذائية في رمضان" in email.subject
    assert organization.name_ar in email.body
    assert hijri_text(timezone.localtime(shift.starts_at), "ar") in email.body
    assert "SECRET-ADDRESS" in email.body


def test_without_an_exact_address_the_district_and_city(
    volunteer, make_opportunity, shift_in, accept
):
    today = timezone.localdate()
    plain = make_opportunity(
        exact_address="", starts_on=today, ends_on=today + dt.timedelta(days=3)
    )
    accept(english(volunteer), shift_in(5, opportunity=plain))
    send_shift_reminders()
    run_pending()
    assert "Al-Rawdah, Jeddah" in mail.outbox[0].body


def test_by_text_message_for_those_who_chose_it(volunteer, shift_in, accept, settings, capsys):
    settings.ATAA_SMS_BACKEND = "console"
    volunteer.phone = "+966550001122"
    volunteer.save(update_fields=["phone"])
    NotificationPreference.objects.create(user=volunteer, email=False, sms=True)
    accept(volunteer, shift_in(10))
    capsys.readouterr()
    send_shift_reminders()
    run_pending()
    printed = capsys.readouterr().out
    assert "توزيع السلال الغذائية في رمضان" in printed and "SECRET-ADDRESS" in printed
    assert "+966550001122" not in printed
    assert mail.outbox == []


def test_who_is_not_reminded(make_volunteer, shift_in, accept, soon, coordinator):
    later = shift_in(30)  # more than a day ahead
    started = shift_in(-1)  # began an hour ago
    soon_shift = shift_in(8)
    accept(make_volunteer("later"), later)
    accept(make_volunteer("started"), started)
    withdrawn = accept(make_volunteer("withdrawn"), soon_shift)
    services.application_withdraw(application=withdrawn, volunteer=withdrawn.volunteer)
    accept(make_volunteer("pending"), soon_shift, decide=False)
    waitlisted = accept(make_volunteer("waitlisted"), soon_shift, decide=False)
    services.application_waitlist(application=waitlisted, decided_by=coordinator)
    # An application to an opportunity without shifts has no shift to be reminded of.
    whole = services.application_submit(
        volunteer=make_volunteer("whole"), opportunity=soon, answers={}
    )
    services.application_accept(application=whole, decided_by=coordinator)
    run_pending()
    mail.outbox.clear()
    assert send_shift_reminders() == 0
    assert not Delivery.objects.filter(kind="shift.reminder").exists()


def test_a_volunteer_who_withdraws_before_the_reminder_goes_out_is_not_reminded(
    volunteer, shift_in, accept
):
    application = accept(volunteer, shift_in(10))
    send_shift_reminders()
    services.application_withdraw(application=application, volunteer=volunteer)
    run_pending()
    assert reminders() == []
    delivery = Delivery.objects.get(kind="shift.reminder")
    assert (delivery.status, delivery.detail) == ("skipped", "no_longer_applies")


def test_each_shift_of_a_volunteer_has_its_reminder(volunteer, shift_in, accept):
    accept(volunteer, shift_in(4))
    accept(volunteer, shift_in(20))
    assert send_shift_reminders() == 2
    run_pending()
    assert len(reminders()) == 2
