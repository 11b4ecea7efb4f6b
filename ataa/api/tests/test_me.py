"""GET/PATCH /me and the person's own tokens."""

from __future__ import annotations

import pytest

from ataa.accounts.models import PersonalAccessToken
from ataa.accounts.services import token_create
from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def profile(user):
    user.refresh_from_db()
    return (user.full_name, user.phone, user.preferred_language)


def test_me_shows_the_callers_account(coordinator):
    body = ApiClient(coordinator).get("me").json()
    assert body["email"] == coordinator.email
    assert body["full_name"] == coordinator.full_name
    assert body["preferred_language"] == "ar"


def test_patch_me_changes_only_the_fields_sent_through_the_service(coordinator):
    api = ApiClient(coordinator)
    response = api.patch("me", {"phone": "+966 55 123 4567"})
    assert response.status_code == 200
    assert response.json()["phone"] == "+966 55 123 4567"
    assert profile(coordinator) == ("خالد الزهراني", "+966 55 123 4567", "ar")
    assert AuditEvent.objects.filter(verb="account.profile_updated", actor=coordinator).count() == 1
    api.patch("me", {"preferred_language": "en", "full_name": "  Khalid  "})
    assert profile(coordinator) == ("Khalid", "+966 55 123 4567", "en")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "call me"}, "phone"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "x" * 201}, "full_name"),
        ({"full_name": None}, "full_name"),
        ({"preferred_language": "fr"}, "preferred_language"),
        ({"email": "new@example.com"}, "email"),
        ({"is_platform_admin": True}, "is_platform_admin"),
    ],
)
def test_patch_me_refuses_invalid_input_and_changes_nothing(coordinator, body, field):
    api = ApiClient(coordinator)
    before = profile(coordinator)
    events = AuditEvent.objects.count()
    response = api.patch("me", body)
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == [field]
    assert profile(coordinator) == before
    coordinator.refresh_from_db()
    assert (coordinator.email, coordinator.is_platform_admin) == ("coordinator@birr.example", False)
    assert AuditEvent.objects.count() == events


def test_token_list_shows_own_tokens_without_secrets(coordinator, outsider):
    _mine, raw = token_create(user=coordinator, name="reporting", expires_in_days=30)
    token_create(user=outsider, name="not mine")
    response = ApiClient(raw_token=raw).get("me/tokens")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["name"] for item in items] == ["reporting"]
    assert set(items[0]) == {
        "id",
        "name",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "is_active",
    }
    assert raw not in response.content.decode()
    assert (
        PersonalAccessToken.objects.get(name="reporting").token_hash
        not in response.content.decode()
    )


def test_revoking_an_own_token_stops_it(coordinator):
    token, raw = token_create(user=coordinator, name="old")
    api = ApiClient(coordinator)
    response = api.delete(f"me/tokens/{token.pk}")
    assert response.status_code == 204
    assert response.content == b""
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw_token=raw).get("me").status_code == 401
    assert api.delete(f"me/tokens/{token.pk}").status_code == 204  # twice is harmless


def test_another_persons_token_is_404_and_stays_active(coordinator, outsider):
    theirs, raw = token_create(user=outsider, name="theirs")
    response = ApiClient(coordinator).delete(f"me/tokens/{theirs.pk}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert ApiClient(raw_token=raw).get("me").status_code == 200
