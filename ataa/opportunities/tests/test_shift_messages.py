"""A message to all accepted volunteers of a shift: the service, the coordinators' page, and
every refusal, each of which changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from ataa.core.errors import PermissionRefused, ServiceError
from ataa.core.models import AuditEvent, OutboxMessage
from ataa.core.tasks import run_pending
from ataa.notifications.models import Delivery, Message, NotificationPreference
from ataa.opportunities import services
from ataa.opportunities.messages import shift_message_send
from ataa.opportunities.models import Application
from conftest import NASTY_VALUES, table_state

pytestmark = pytest.mark.django_db

SUBJECT = "تغيير مكان التجمع"
BODY = "نلتقي عند البوابة الشمالية بدلًا من الجنوبية. أحضروا بطاقة الهوية."


def state():
    return table_state(Message, Delivery, OutboxMessage, AuditEvent)


@pytest.fixture
def shift(published, make_shift):
    return make_shift(published, capacity=2)


@pytest.fixture
def crew(shift, make_volunteer, coordinator):
    """Two accepted volunteers of the shift (one reads Arabic, one English), one pending, one
    waitlisted; the application emails are sent and cleared."""

    def applied(name, language="ar"):
        user = make_volunteer(name)
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        return services.application_submit(
            volunteer=user, opportunity=shift.opportunity, shift=shift, answers={}
        )

    accepted = [applied("arabic"), applied("english", "en")]
    for application in accepted:
        services.application_accept(application=application, decided_by=coordinator)
    pending = applied("pending")
    waitlisted = applied("waitlisted")
    services.application_waitlist(application=waitlisted, decided_by=coordinator)
    run_pending()
    mail.outbox.clear()
    return {
        "accepted": [application.volunteer for application in accepted],
        "others": [pending.volunteer, waitlisted.volunteer],
    }


def url(organization, shift) -> str:
    return (
        f"/orgs/{organization.pk}/opportunities/{shift.opportunity_id}/shifts/{shift.pk}/message/"
    )


# --- The service ------------------------------------------------------------------------------


def test_every_accepted_volunteer_gets_the_message_in_their_language(
    shift, crew, coordinator, organization
):
    message = shift_message_send(shift=shift, actor=coordinator, subject=SUBJECT, body=BODY)
    assert (message.subject, message.body, message.recipient_count) == (SUBJECT, BODY, 2)
    deliveries = Delivery.objects.filter(kind="shift.message")
    assert sorted(d.recipient_id for d in deliveries) == sorted(u.pk for u in crew["accepted"])
    assert {(d.message_id, d.object_id, d.channel) for d in deliveries} == {
        (message.pk, shift.pk, "email")
    }
    # Tasks carry the delivery's id only: the text is in the Message row.
    tasks = OutboxMessage.objects.filter(status="pending")
    assert sorted((t.task_name, t.kwargs["delivery_id"]) for t in tasks) == sorted(
        ("notifications.send_delivery", d.pk) for d in deliveries
    )
    assert all(BODY not in str(t.kwargs) for t in tasks)

    assert run_pending() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    arabic, english = crew["accepted"]
    assert set(by_address) == {arabic.email, english.email}
    assert by_address[arabic.email].subject == SUBJECT
    assert BODY in by_address[arabic.email].body
    assert organization.name_ar in by_address[arabic.email].body
    assert organization.name_en in by_address[english.email].body
    assert "Ramadan food basket distribution" in by_address[english.email].body


def test_the_audit_event_counts_the_recipients_without_the_text(shift, crew, coordinator):
    message = shift_message_send(
        shift=shift, actor=coordinator, subject=SUBJECT, body=BODY, ip_address="10.0.0.7"
    )
    event = AuditEvent.objects.get(verb="shift.message_sent")
    assert (event.actor_id, event.target_id, event.ip_address) == (
        coordinator.pk,
        str(shift.pk),
        "10.0.0.7",
    )
    assert event.payload == {
        "opportunity_id": shift.opportunity_id,
        "message_id": message.pk,
        "recipients": 2,
        "deliveries": 2,
    }


def test_by_text_message_to_those_who_chose_it(shift, crew, coordinator, settings, capsys):
    settings.ATAA_SMS_BACKEND = "console"
    arabic = crew["accepted"][0]
    arabic.phone = "+966550009988"
    arabic.save(update_fields=["phone"])
    NotificationPreference.objects.create(user=arabic, email=True, sms=True)
    shift_message_send(shift=shift, actor=coordinator, subject=SUBJECT, body=BODY)
    assert Delivery.objects.filter(kind="shift.message").count() == 3
    capsys.readouterr()
    run_pending()
    printed = capsys.readouterr().out
    assert BODY in printed and "***88" in printed and "+966550009988" not in printed
    assert len(mail.outbox) == 2


def test_each_message_to_the_same_shift_is_sent(shift, crew, coordinator, org_admin):
    shift_message_send(shift=shift, actor=coordinator, subject="first", body=BODY)
    shift_message_send(shift=shift, actor=org_admin, subject="second", body=BODY)
    run_pending()
    assert sorted(m.subject for m in mail.outbox) == ["first", "first", "second", "second"]


def test_an_admin_may_write_too(shift, crew, org_admin):
    assert shift_message_send(shift=shift, actor=org_admin, subject="s", body="b").pk


@pytest.mark.parametrize("persona", ["case_worker", "auditor", "outsider", "volunteer"])
def test_only_admins_and_coordinators_may_write(shift, crew, persona, request):
    actor = request.getfixturevalue(persona)
    before = state()
    with pytest.raises(PermissionRefused):
        shift_message_send(shift=shift, actor=actor, subject=SUBJECT, body=BODY)
    assert state() == before


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        ("", BODY, "subject"),
        ("   ", BODY, "subject"),
        (SUBJECT, "", "body"),
        (SUBJECT, " \n ", "body"),
        (SUBJECT, "x" * 481, "body"),
        ("x" * 121, BODY, "subject"),
    ],
)
def test_empty_or_too_long_text_is_refused(shift, crew, coordinator, subject, body, field):
    before = state()
    with pytest.raises(ServiceError) as refused:
        shift_message_send(shift=shift, actor=coordinator, subject=subject, body=body)
    assert refused.value.code == "invalid_input" and field in refused.value.fields
    assert state() == before


def test_the_longest_text_that_fits_a_text_message_is_sent(shift, crew, coordinator):
    message = shift_message_send(shift=shift, actor=coordinator, subject=SUBJECT, body="ب" * 480)
    assert message.recipient_count == 2


def test_a_shift_without_accepted_volunteers_is_refused(shift, make_volunteer, coordinator):
    services.application_submit(
        volunteer=make_volunteer("pending"), opportunity=shift.opportunity, shift=shift, answers={}
    )
    before = state()
    with pytest.raises(ServiceError) as refused:
        shift_message_send(shift=shift, actor=coordinator, subject=SUBJECT, body=BODY)
    assert refused.value.code == "no_recipients"
    assert state() == before


def test_a_volunteer_who_withdrew_before_sending_does_not_get_it(shift, crew, coordinator):
    shift_message_send(shift=shift, actor=coordinator, subject=SUBJECT, body=BODY)
    english = crew["accepted"][1]
    application = Application.objects.get(shift=shift, volunteer=english)
    services.application_withdraw(application=application, volunteer=english)
    run_pending()
    assert [m.to for m in mail.outbox if m.subject == SUBJECT] == [[crew["accepted"][0].email]]


# --- The page ---------------------------------------------------------------------------------


def test_the_coordinator_writes_from_the_page_and_sees_how_many_it_went_to(
    client, shift, crew, coordinator, organization
):
    coordinator.preferred_language = "en"
    coordinator.save(update_fields=["preferred_language"])
    client.force_login(coordinator)
    shifts = client.get(f"/orgs/{organization.pk}/opportunities/{shift.opportunity_id}/shifts/")
    assert f'href="{url(organization, shift)}"' in shifts.content.decode()
    page = client.get(url(organization, shift))
    assert page.status_code == 200
    assert "2 volunteers accepted for this shift" in page.content.decode()
    response = client.post(
        url(organization, shift), {"subject": SUBJECT, "body": BODY}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith(f"/opportunities/{shift.opportunity_id}/shifts/")
    assert "Your message is on its way to 2 volunteers of this shift." in response.content.decode()
    assert Message.objects.get().recipient_count == 2
    run_pending()
    assert len(mail.outbox) == 2


def test_invalid_text_on_the_page_shows_the_problem_and_sends_nothing(
    client, shift, crew, coordinator, organization
):
    client.force_login(coordinator)
    before = state()
    response = client.post(url(organization, shift), {"subject": "", "body": "x" * 481})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"subject", "body"}
    assert state() == before


def test_the_page_of_a_shift_without_accepted_volunteers(client, shift, coordinator, organization):
    client.force_login(coordinator)
    before = state()
    page = client.get(url(organization, shift))
    assert page.status_code == 200 and page.context["recipients"] == 0
    response = client.post(url(organization, shift), {"subject": SUBJECT, "body": BODY})
    assert response.status_code == 200
    assert state() == before


@pytest.mark.parametrize(("persona", "status"), [("case_worker", 403), ("auditor", 403)])
def test_other_roles_get_403_and_nothing_is_sent(
    client, shift, crew, organization, persona, status, request
):
    client.force_login(request.getfixturevalue(persona))
    before = state()
    assert client.get(url(organization, shift)).status_code == status
    response = client.post(url(organization, shift), {"subject": SUBJECT, "body": BODY})
    assert response.status_code == status
    assert state() == before


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "stranger"])
def test_outsiders_and_volunteers_get_404_and_nothing_is_sent(
    client, shift, crew, organization, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    before = state()
    assert client.get(url(organization, shift)).status_code == 404
    response = client.post(url(organization, shift), {"subject": SUBJECT, "body": BODY})
    assert response.status_code == 404
    assert state() == before


def test_a_shift_of_another_opportunity_or_organization_is_404(
    client, shift, crew, coordinator, organization, make_opportunity, outsider, other_organization
):
    their_opportunity = make_opportunity(org=other_organization, by=outsider)
    starts_at = dt.datetime.combine(
        their_opportunity.starts_on, dt.time(9), tzinfo=timezone.get_default_timezone()
    )
    theirs = services.shift_create(
        opportunity=their_opportunity,
        created_by=outsider,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=1,
    )
    other_opportunity = make_opportunity()
    client.force_login(coordinator)
    before = state()
    base = f"/orgs/{organization.pk}/opportunities/"
    for path in (
        f"{base}{shift.opportunity_id}/shifts/{theirs.pk}/message/",
        f"{base}{other_opportunity.pk}/shifts/{shift.pk}/message/",
        f"{base}{theirs.opportunity_id}/shifts/{theirs.pk}/message/",
        f"/orgs/{other_organization.pk}/opportunities/{theirs.opportunity_id}/shifts/"
        f"{theirs.pk}/message/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"subject": SUBJECT, "body": BODY}).status_code == 404, path
    assert state() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, shift, crew, organization):
    response = client.post(url(organization, shift), {"subject": SUBJECT, "body": BODY})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Message.objects.exists()


def test_case_workers_see_no_link_to_write(client, shift, case_worker, organization):
    client.force_login(case_worker)
    page = client.get(f"/orgs/{organization.pk}/opportunities/{shift.opportunity_id}/shifts/")
    assert page.status_code == 200
    assert "/message/" not in page.content.decode()


@pytest.mark.parametrize("value", NASTY_VALUES)
def test_odd_input_never_breaks_the_page(client, shift, crew, coordinator, organization, value):
    client.force_login(coordinator)
    response = client.post(url(organization, shift), {"subject": value, "body": value})
    assert response.status_code in {200, 302}


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_the_page_in_both_languages(
    client, shift, crew, coordinator, organization, language, direction
):
    coordinator.preferred_language = language
    coordinator.save(update_fields=["preferred_language"])
    client.force_login(coordinator)
    html = client.get(url(organization, shift)).content.decode()
    assert f'lang="{language}"' in html and f'dir="{direction}"' in html
    assert 'for="id_subject"' in html and 'for="id_body"' in html
