"""Who may call the API: tokens, the browser session with CSRF, and nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from ataa.accounts.models import PersonalAccessToken
from ataa.accounts.services import token_create, token_revoke
from ataa.api.tests.conftest import API, ApiClient, error_of
from ataa.organizations.models import Organization

pytestmark = pytest.mark.django_db

NEW_ORGANIZATION = {
    "name_ar": "جمعية الخير",
    "name_en": "Al-Khair",
    "kind": "charity",
    "city": "makkah",
}


def test_a_valid_token_identifies_its_owner(coordinator):
    response = ApiClient(coordinator).get("me")
    assert response.status_code == 200
    assert response.json()["email"] == coordinator.email


@pytest.mark.parametrize("header", ["Bearer ataa_unknown", "Bearer ", "Token ataa_x", "ataa_x"])
def test_unknown_or_malformed_tokens_get_401(coordinator, header):
    response = Client().get(f"{API}/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_gets_401(coordinator):
    token, raw = token_create(user=coordinator, name="ci")
    token_revoke(token=token, actor=coordinator)
    response = ApiClient(raw_token=raw).get("me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_an_expired_token_gets_401(coordinator):
    token, raw = token_create(user=coordinator, name="ci", expires_in_days=30)
    assert ApiClient(raw_token=raw).get("me").status_code == 200
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = ApiClient(raw_token=raw).get("me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_a_deactivated_persons_token_gets_401(coordinator):
    _token, raw = token_create(user=coordinator, name="ci")
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    assert ApiClient(raw_token=raw).get("me").status_code == 401


def test_anonymous_callers_get_401_in_the_error_shape(db):
    for method, path in [("GET", "me"), ("GET", "organizations"), ("POST", "organizations")]:
        response = ApiClient().request(method, path, NEW_ORGANIZATION)
        assert response.status_code == 401, path
        assert error_of(response)["code"] == "not_authenticated"
    assert not Organization.objects.exists()


def test_a_bad_token_is_refused_even_with_a_signed_in_session(client, coordinator):
    client.force_login(coordinator)
    assert client.get(f"{API}/me").status_code == 200
    response = client.get(f"{API}/me", headers={"Authorization": "Bearer ataa_wrong"})
    assert response.status_code == 401


def test_the_session_works_for_reading(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.get(f"{API}/me").json()["id"] == coordinator.pk


def test_a_session_post_without_csrf_token_is_refused_and_changes_nothing(stranger):
    client = Client(enforce_csrf_checks=True)
    client.force_login(stranger)
    response = client.post(
        f"{API}/organizations", NEW_ORGANIZATION, content_type="application/json"
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    assert not Organization.objects.exists()
    # A wrong token is refused too.
    client.cookies["csrftoken"] = _get_new_csrf_string()
    response = client.post(
        f"{API}/organizations",
        NEW_ORGANIZATION,
        content_type="application/json",
        headers={"X-CSRFToken": _get_new_csrf_string()},
    )
    assert response.status_code == 403
    assert not Organization.objects.exists()


def test_a_session_post_with_the_csrf_token_is_accepted(stranger):
    client = Client(enforce_csrf_checks=True)
    client.force_login(stranger)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(
        f"{API}/organizations",
        NEW_ORGANIZATION,
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201, response.content
    assert Organization.objects.get().created_by == stranger


def test_token_requests_need_no_csrf_token(stranger):
    response = ApiClient(stranger).post("organizations", NEW_ORGANIZATION)
    assert response.status_code == 201
    assert Organization.objects.filter(created_by=stranger).count() == 1


def test_the_token_secret_is_never_logged(coordinator, caplog, settings):
    settings.DEBUG = True  # ninja's own bearer class logs unexpected headers in DEBUG
    _token, raw = token_create(user=coordinator, name="ci")
    with caplog.at_level("DEBUG"):
        Client().get(f"{API}/me", headers={"Authorization": f"Bearer {raw}"})
        Client().get(f"{API}/me", headers={"Authorization": f"Basic {raw}"})
    assert raw not in caplog.text
