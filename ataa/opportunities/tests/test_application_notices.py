"""The volunteer is told about their application (received, accepted, promoted, rejected,
cancelled) by the channels they chose, once per application and kind, in their language."""

from __future__ import annotations

import pytest
from django.core import mail

from ataa.core.dates import hijri_text
from ataa.core.tasks import enqueue, run_pending
from ataa.notifications.models import Delivery, NotificationPreference
from ataa.opportunities import services

pytestmark = pytest.mark.django_db


def apply(volunteer, opportunity, shift=None):
    return services.application_submit(
        volunteer=volunteer, opportunity=opportunity, shift=shift, answers={}
    )


def speaks(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


def test_emails_in_english_keep_their_subjects(soon, volunteer, coordinator, make_volunteer):
    speaks(volunteer, "en")
    application = apply(volunteer, soon)
    services.application_accept(application=application, decided_by=coordinator)
    other = apply(speaks(make_volunteer("other"), "en"), soon)
    services.application_reject(application=other, decided_by=coordinator)
    run_pending()
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (volunteer.email, "Your application to Ramadan food basket distribution is received"),
            (volunteer.email, "You are accepted for Ramadan food basket distribution"),
            (
                other.volunteer.email,
                "Your application to Ramadan food basket distribution is received",
            ),
            (
                other.volunteer.email,
                "Your application to Ramadan food basket distribution was not accepted",
            ),
        ]
    )


def test_emails_in_arabic_name_the_opportunity_in_arabic(
    published, make_shift, volunteer, coordinator
):
    shift = make_shift(published)
    application = apply(volunteer, published, shift)
    services.application_accept(application=application, decided_by=coordinator)
    run_pending()
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        assert "توزيع السلال الغذائية في رمضان" in email.subject
        assert "Ramadan" not in email.subject
    # The shift's day as plain text: Gregorian and Hijri, no markup.
    body = mail.outbox[1].body
    assert hijri_text(shift.starts_at, "ar") in body and "<time" not in body


def test_a_short_text_message_for_those_who_chose_it(
    published, make_shift, volunteer, coordinator, settings, capsys
):
    settings.ATAA_SMS_BACKEND = "console"
    speaks(volunteer, "en")
    volunteer.phone = "+966550001122"
    volunteer.save(update_fields=["phone"])
    NotificationPreference.objects.create(user=volunteer, email=False, sms=True)
    application = apply(volunteer, published, make_shift(published))
    services.application_accept(application=application, decided_by=coordinator)
    capsys.readouterr()
    run_pending()
    printed = capsys.readouterr().out
    assert "Ataa: Al-Birr Society Jeddah accepted you for “Ramadan food basket distribution”." in (
        printed
    )
    assert "received your application" in printed
    assert mail.outbox == []
    texts = [block for block in printed.split("--- SMS to") if block.strip()]
    assert all(len(text) < 300 for text in texts)


def test_each_application_and_kind_is_told_once(soon, volunteer, coordinator):
    application = apply(volunteer, soon)
    services.application_accept(application=application, decided_by=coordinator)
    # A row queued by the former email task (before the move to notifications) adds nothing.
    enqueue("opportunities.send_application_email", application_id=application.pk, kind="accepted")
    run_pending()
    assert len(mail.outbox) == 2
    assert sorted(Delivery.objects.values_list("kind", flat=True)) == [
        "application.accepted",
        "application.received",
    ]


def test_a_volunteer_promoted_from_the_waitlist_is_told(soon, make_volunteer, coordinator):
    first, second, waiting = (apply(make_volunteer(n), soon) for n in ("a", "b", "w"))
    for application in (first, second):
        services.application_accept(application=application, decided_by=coordinator)
    services.application_waitlist(application=waiting, decided_by=coordinator)
    services.application_withdraw(application=first, volunteer=first.volunteer)
    services.application_reject(application=second, decided_by=coordinator)
    kinds = dict(
        Delivery.objects.filter(recipient=waiting.volunteer).values_list("kind", "object_id")
    )
    assert kinds == {"application.received": waiting.pk, "application.promoted": waiting.pk}
    run_pending()
    subjects = [m.subject for m in mail.outbox if m.to == [waiting.volunteer.email]]
    assert any("توزيع السلال الغذائية في رمضان" in subject for subject in subjects)
    assert len(subjects) == 2
