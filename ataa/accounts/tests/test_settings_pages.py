import pytest

from ataa.accounts.models import PersonalAccessToken, hash_token
from ataa.accounts.services import token_authenticate, token_create
from ataa.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_pages_are_arabic_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_the_english_switch_is_remembered_in_a_cookie(client):
    response = client.post("/language/", {"language": "en", "next": "/orgs/"})
    assert response["Location"] == "/orgs/"
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


def test_the_switch_is_saved_on_the_account(client, coordinator):
    client.force_login(coordinator)
    client.post("/language/", {"language": "en"})
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "en"
    client.cookies.clear()
    client.force_login(coordinator)
    assert 'dir="ltr"' in client.get("/").content.decode()


def test_the_switch_refuses_unknown_languages_and_foreign_redirects(client):
    assert client.post("/language/", {"language": "fr"}).status_code == 400
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_profile_saves_and_refuses_a_bad_phone(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/account/settings/",
        {"full_name": "خالد الزهراني", "phone": "call me", "preferred_language": "ar"},
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    coordinator.refresh_from_db()
    assert coordinator.phone == ""
    client.post(
        "/account/settings/",
        {"full_name": "خالد الزهراني", "phone": "+966 55 123 4567", "preferred_language": "en"},
    )
    coordinator.refresh_from_db()
    assert (coordinator.phone, coordinator.preferred_language) == ("+966 55 123 4567", "en")
    # The audit event names the change, never the person's details.
    event = AuditEvent.objects.get(verb="account.profile_updated")
    assert event.payload == {}
    assert "4567" not in str(event.__dict__)


def test_a_token_is_shown_once_stored_hashed_and_works(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/account/tokens/", {"name": "Excel sync", "expires_in_days": "30"})
    raw = response.context["new_token"]
    assert raw.startswith("ataa_")
    token = PersonalAccessToken.objects.get()
    assert token.token_hash == hash_token(raw)
    assert raw not in str(PersonalAccessToken.objects.values_list())
    assert raw not in client.get("/account/tokens/").content.decode()
    assert token_authenticate(raw) == coordinator


def test_a_revoked_token_stops_working(client, coordinator):
    token, raw = token_create(user=coordinator, name="x")
    client.force_login(coordinator)
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert token_authenticate(raw) is None


def test_nobody_revokes_another_persons_token(client, coordinator, outsider):
    token, raw = token_create(user=coordinator, name="x")
    client.force_login(outsider)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_authenticate(raw) == coordinator
