"""Each person chooses their channels: the page /account/notifications/ and its service."""

from __future__ import annotations

import pytest

from ataa.core.errors import ServiceError
from ataa.core.models import AuditEvent
from ataa.notifications.models import NotificationPreference
from ataa.notifications.services import notification_preference_save
from conftest import NASTY_VALUES, table_state

pytestmark = pytest.mark.django_db

URL = "/account/notifications/"


def state():
    return table_state(NotificationPreference, AuditEvent)


def test_the_page_needs_a_signed_in_person(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(URL, {"email": "on"}).status_code == 302
    assert not NotificationPreference.objects.exists()


def test_account_settings_link_to_the_page(client, volunteer):
    client.force_login(volunteer)
    assert f'href="{URL}"' in client.get("/account/settings/").content.decode()


def test_email_only_until_the_person_chooses(client, volunteer):
    client.force_login(volunteer)
    page = client.get(URL)
    assert page.status_code == 200
    form = page.context["form"]
    assert (form["email"].value(), form["sms"].value()) == (True, False)
    assert 'href="/account/settings/"' in page.content.decode()  # where to add a phone


def test_choosing_sms_with_a_phone_on_the_account(client, volunteer):
    volunteer.phone = "+966550001122"
    volunteer.save(update_fields=["phone"])
    client.force_login(volunteer)
    response = client.post(URL, {"sms": "on"})
    assert response.status_code == 302 and response["Location"] == URL
    preference = NotificationPreference.objects.get(user=volunteer)
    assert (preference.email, preference.sms) == (False, True)
    event = AuditEvent.objects.get(verb="notifications.preferences_changed")
    assert event.actor_id == volunteer.pk and event.payload == {"email": False, "sms": True}
    page = client.get(URL)
    assert (page.context["form"]["email"].value(), page.context["form"]["sms"].value()) == (
        False,
        True,
    )
    assert "***22" in page.content.decode() and "+966550001122" not in page.content.decode()


def test_sms_without_a_phone_is_refused_with_a_clear_message_and_nothing_changes(client, volunteer):
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    client.force_login(volunteer)
    client.post(URL, {"email": "on"})
    before = state()
    response = client.post(URL, {"email": "on", "sms": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["sms"] == [
        "Add your mobile phone number in your account settings before you choose text messages."
    ]
    assert state() == before


def test_the_service_refuses_sms_without_a_phone(volunteer):
    before = state()
    with pytest.raises(ServiceError) as refused:
        notification_preference_save(user=volunteer, email=True, sms=True)
    assert refused.value.code == "phone_required" and "sms" in refused.value.fields
    assert state() == before


@pytest.mark.parametrize("value", NASTY_VALUES)
def test_odd_input_never_breaks_the_page(client, volunteer, value):
    client.force_login(volunteer)
    response = client.post(URL, {"email": value, "sms": value})
    assert response.status_code in {200, 302}


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_the_page_in_both_languages(client, volunteer, language, direction):
    volunteer.preferred_language = language
    volunteer.save(update_fields=["preferred_language"])
    client.force_login(volunteer)
    html = client.get(URL).content.decode()
    assert f'lang="{language}"' in html and f'dir="{direction}"' in html
    assert 'for="id_email"' in html and 'for="id_sms"' in html
