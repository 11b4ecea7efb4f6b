"""The notifications API: the caller's channels (/me/notifications) and messages to the
accepted volunteers of a shift, by the same services as the pages."""

from __future__ import annotations

import pytest

from ataa.api.tests.conftest import error_of
from ataa.core.models import AuditEvent, OutboxMessage
from ataa.notifications.models import Delivery, Message, NotificationPreference
from ataa.opportunities import services
from ataa.opportunities.tests import conftest as opportunity_fixtures
from conftest import table_state

make_opportunity = opportunity_fixtures.make_opportunity
published = opportunity_fixtures.published
make_shift = opportunity_fixtures.make_shift
make_volunteer = opportunity_fixtures.make_volunteer

pytestmark = pytest.mark.django_db

ME = "me/notifications"
BODY = {"subject": "تغيير الموعد", "body": "تبدأ المناوبة الساعة الخامسة بدلًا من الرابعة."}


def preference_state():
    return table_state(NotificationPreference, AuditEvent)


def message_state():
    return table_state(Message, Delivery, OutboxMessage, AuditEvent)


# --- /me/notifications ------------------------------------------------------------------------


def test_email_only_until_the_person_chooses(api_as, volunteer):
    response = api_as(volunteer).get(ME)
    assert response.status_code == 200
    assert response.json() == {"email": True, "sms": False, "has_phone": False}


def test_choosing_sms_with_a_phone(api_as, volunteer):
    api = api_as(volunteer)
    assert api.patch("me", {"phone": "+966550001122"}).status_code == 200
    response = api.request("PUT", ME, {"email": False, "sms": True})
    assert response.status_code == 200
    assert response.json() == {"email": False, "sms": True, "has_phone": True}
    assert api.get(ME).json() == {"email": False, "sms": True, "has_phone": True}
    event = AuditEvent.objects.get(verb="notifications.preferences_changed")
    assert event.payload == {"email": False, "sms": True}


def test_sms_without_a_phone_is_refused_and_nothing_changes(api_as, volunteer):
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    api = api_as(volunteer)
    before = preference_state()
    response = api.request("PUT", ME, {"email": True, "sms": True})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "phone_required"
    assert error["fields"]["sms"] == [
        "Add your mobile phone number in your account settings before you choose text messages."
    ]
    assert preference_state() == before


@pytest.mark.parametrize(
    "body", [{"email": True}, {"email": True, "sms": False, "push": True}, {"email": "often"}]
)
def test_incomplete_or_unknown_input_is_a_clear_422(api_as, volunteer, body):
    api = api_as(volunteer)
    before = preference_state()
    response = api.request("PUT", ME, body)
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_input"
    assert preference_state() == before


def test_anonymous_callers_get_401(anonymous_api):
    assert anonymous_api.get(ME).status_code == 401
    assert anonymous_api.request("PUT", ME, {"email": True, "sms": False}).status_code == 401


# --- Messages to the volunteers of a shift ------------------------------------------------------


@pytest.fixture
def shift(published, make_shift):
    return make_shift(published, capacity=3)


@pytest.fixture
def accepted(shift, make_volunteer, coordinator):
    volunteers = []
    for name in ("one", "two"):
        user = make_volunteer(name)
        application = services.application_submit(
            volunteer=user, opportunity=shift.opportunity, shift=shift, answers={}
        )
        services.application_accept(application=application, decided_by=coordinator)
        volunteers.append(user)
    return volunteers


def messages_path(organization, shift, opportunity_id=None, shift_id=None) -> str:
    return (
        f"organizations/{organization.pk}/opportunities/{opportunity_id or shift.opportunity_id}"
        f"/shifts/{shift_id or shift.pk}/messages"
    )


def test_a_coordinator_writes_to_the_accepted_volunteers(
    api_as, coordinator, organization, shift, accepted
):
    response = api_as(coordinator).post(messages_path(organization, shift), BODY)
    assert response.status_code == 201, response.content
    message = Message.objects.get()
    assert response.json()["id"] == message.pk
    assert response.json()["recipients"] == 2 and response.json()["shift_id"] == shift.pk
    assert message.subject == BODY["subject"] and message.body == BODY["body"]
    deliveries = Delivery.objects.filter(kind="shift.message", message=message)
    assert sorted(d.recipient_id for d in deliveries) == sorted(u.pk for u in accepted)
    event = AuditEvent.objects.get(verb="shift.message_sent")
    assert event.payload["recipients"] == 2 and BODY["body"] not in str(event.payload)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "", "body": "x"}, "subject"),
        ({"subject": "s", "body": ""}, "body"),
        ({"subject": "s", "body": "x" * 481}, "body"),
        ({"subject": "s" * 121, "body": "x"}, "subject"),
        ({"subject": "s"}, "body"),
    ],
)
def test_empty_or_too_long_text_is_a_clear_422(
    api_as, coordinator, organization, shift, accepted, body, field
):
    api = api_as(coordinator)
    before = message_state()
    response = api.post(messages_path(organization, shift), body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_input" and field in error["fields"]
    assert message_state() == before


def test_a_shift_without_accepted_volunteers_is_409(api_as, coordinator, organization, shift):
    api = api_as(coordinator)
    before = message_state()
    response = api.post(messages_path(organization, shift), BODY)
    assert response.status_code == 409
    assert error_of(response)["code"] == "no_recipients"
    assert message_state() == before


@pytest.mark.parametrize("persona", ["case_worker", "auditor"])
def test_other_roles_get_403(api_as, organization, shift, accepted, persona, request):
    api = api_as(request.getfixturevalue(persona))
    before = message_state()
    response = api.post(messages_path(organization, shift), BODY)
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert message_state() == before


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "stranger"])
def test_outsiders_and_volunteers_get_404_whatever_they_send(
    api_as, organization, shift, accepted, persona, request
):
    api = api_as(request.getfixturevalue(persona))
    before = message_state()
    for body in (BODY, {"subject": ""}, None):
        response = api.post(messages_path(organization, shift), body)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert message_state() == before


def test_a_shift_of_another_opportunity_is_404(
    api_as, coordinator, organization, shift, accepted, make_opportunity
):
    other = make_opportunity()
    api = api_as(coordinator)
    before = message_state()
    assert (
        api.post(messages_path(organization, shift, opportunity_id=other.pk), BODY).status_code
        == 404
    )
    assert api.post(messages_path(organization, shift, shift_id=999_999), BODY).status_code == 404
    assert message_state() == before


def test_anonymous_callers_get_401_for_messages(anonymous_api, organization, shift, accepted):
    response = anonymous_api.post(messages_path(organization, shift), BODY)
    assert response.status_code == 401
    assert not Message.objects.exists()
