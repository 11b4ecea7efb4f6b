"""Every refusal answers {"error": {"code", "message", "fields"}}, in the caller's language."""

from __future__ import annotations

import pytest
from django.test import Client

from ataa.accounts.services import user_set_language
from ataa.api.tests.conftest import API, ApiClient, error_of
from ataa.api.v1 import error_codes
from ataa.core.models import AuditEvent
from ataa.organizations.models import Invitation, Membership, Organization
from conftest import table_state

pytestmark = pytest.mark.django_db


def write_endpoints(organization, membership_id):
    org = f"organizations/{organization.pk}"
    return [
        ("PATCH", "me"),
        ("POST", "organizations"),
        ("PATCH", org),
        ("PATCH", f"{org}/members/{membership_id}"),
        ("POST", f"{org}/invitations"),
        ("POST", "invitations/accept"),
    ]


def snapshot():
    return table_state(Organization, Membership, Invitation, AuditEvent)


@pytest.mark.parametrize(
    "raw", ["{not json", '{"name_ar": ', "[1, 2]", '"text"', "null", "42", "\xff\xfe"]
)
def test_malformed_bodies_get_400_on_every_write_endpoint_and_change_nothing(
    org_admin, coordinator, organization, raw
):
    api = ApiClient(org_admin)
    membership = Membership.objects.get(user=coordinator)
    before = snapshot()
    for method, path in write_endpoints(organization, membership.pk):
        response = api.request(method, path, raw=raw)
        assert response.status_code == 400, (method, path, response.content)
        assert error_of(response)["code"] == error_codes.MALFORMED_BODY
    assert snapshot() == before


def test_a_missing_body_gets_400(org_admin, organization):
    response = ApiClient(org_admin).post(f"organizations/{organization.pk}/invitations")
    assert response.status_code == 400
    assert error_of(response)["code"] == error_codes.MALFORMED_BODY


def test_invalid_fields_get_422_naming_each_field(org_admin, organization):
    api = ApiClient(org_admin)
    before = snapshot()
    response = api.post(
        f"organizations/{organization.pk}/invitations",
        {"email": "not-an-address", "role": "boss", "note": "hi"},
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == error_codes.INVALID_INPUT
    assert set(error["fields"]) == {"email", "role", "note"}
    assert "coordinator" in error["fields"]["role"][0]  # the choices are named
    assert snapshot() == before


def test_invalid_query_parameters_get_422(org_admin, organization):
    api = ApiClient(org_admin)
    for params, field in [
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": 101}, "page_size"),
    ]:
        response = api.get(f"organizations/{organization.pk}/members", **params)
        assert response.status_code == 422, params
        assert set(error_of(response)["fields"]) == {field}


def test_not_found_has_the_error_shape(org_admin, organization):
    api = ApiClient(org_admin)
    for path in [
        "organizations/999999",
        "organizations/abc",
        f"organizations/{organization.pk}/members/999999",
        f"organizations/{organization.pk}/members/abc",
    ]:
        response = api.request("PATCH" if "members" in path else "GET", path, {"role": "auditor"})
        assert response.status_code == 404, path
        assert error_of(response)["code"] == error_codes.NOT_FOUND


def test_a_role_that_does_not_allow_the_action_gets_403(coordinator, organization):
    api = ApiClient(coordinator)
    before = snapshot()
    response = api.patch(f"organizations/{organization.pk}", {"city": "taif"})
    assert response.status_code == 403
    assert error_of(response)["code"] == error_codes.FORBIDDEN
    assert snapshot() == before


def test_an_organization_requiring_mfa_answers_mfa_required(org_admin, organization):
    Organization.objects.filter(pk=organization.pk).update(require_staff_mfa=True)
    response = ApiClient(org_admin).get(f"organizations/{organization.pk}")
    assert response.status_code == 403
    assert error_of(response)["code"] == error_codes.MFA_REQUIRED


def test_a_refused_service_call_answers_its_code_and_fields(
    org_admin, organization, other_organization
):
    Organization.objects.filter(pk=other_organization.pk).update(registration_number="RN-1")
    api = ApiClient(org_admin)
    before = snapshot()
    response = api.patch(f"organizations/{organization.pk}", {"registration_number": "RN-1"})
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "duplicate_registration_number"
    assert list(error["fields"]) == ["registration_number"]
    assert snapshot() == before


def test_a_method_the_path_lacks_gets_405_in_the_error_shape(org_admin):
    response = ApiClient(org_admin).delete("me")
    assert response.status_code == 405
    assert error_of(response)["code"] == error_codes.METHOD_NOT_ALLOWED
    assert "PATCH" in response["Allow"]


def test_an_unexpected_error_answers_500_in_the_error_shape(org_admin, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("ataa.accounts.services.user_update_profile", broken)
    api = ApiClient(org_admin)
    api.client.raise_request_exception = False
    response = api.patch("me", {"full_name": "x"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == error_codes.SERVER_ERROR
    assert "boom" not in response.content.decode()


# --- Language ---------------------------------------------------------------------------------
# "This field is required." and "Enter a valid email address." are Django's own strings, so they
# are translated even before the project's catalog is compiled.
REQUIRED = {"ar": "هذا الحقل مطلوب.", "en": "This field is required."}


def required_message(response):
    assert response.status_code == 422
    return error_of(response)["fields"]["name_ar"][0]


def test_messages_follow_the_callers_preferred_language(stranger):
    api = ApiClient(stranger, **{"Accept-Language": "ar"})
    user_set_language(user=stranger, language="en")
    response = api.post("organizations", {})
    assert required_message(response) == REQUIRED["en"]
    assert response["Content-Language"] == "en"
    user_set_language(user=stranger, language="ar")
    response = ApiClient(stranger, **{"Accept-Language": "en"}).post("organizations", {})
    assert required_message(response) == REQUIRED["ar"]
    assert response["Content-Language"] == "ar"


def test_a_session_caller_gets_their_preferred_language(client, stranger):
    user_set_language(user=stranger, language="en")
    client.force_login(stranger)
    response = client.post(
        f"{API}/organizations",
        {},
        content_type="application/json",
        headers={"Accept-Language": "ar"},
    )
    assert required_message(response) == REQUIRED["en"]


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("ar-SA", "ar"),
        ("fr, en;q=0.5", "en"),
        ("fr", "ar"),
        ("", "ar"),
    ],
)
def test_anonymous_callers_get_accept_language_if_arabic_or_english_else_arabic(
    db, accept_language, language
):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = Client().get(f"{API}/me", headers=headers)
    assert response.status_code == 401
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_html_pages_still_ignore_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response["Content-Language"] == "ar"


@pytest.mark.django_db
def test_an_unknown_api_path_answers_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
