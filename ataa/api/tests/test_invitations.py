"""Invitations: list, send, withdraw, accept."""

from __future__ import annotations

import pytest
from django.core import signing

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent, OutboxMessage
from ataa.organizations import services
from ataa.organizations.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def invitations():
    return list(Invitation.objects.order_by("pk").values())


@pytest.fixture
def invitation(organization, org_admin):
    return services.invitation_create(
        organization=organization,
        email="stranger@example.com",
        role=Role.CASE_WORKER,
        invited_by=org_admin,
    )


def test_an_admin_sends_an_invitation_and_the_email_is_queued(org_admin, organization):
    response = ApiClient(org_admin).post(
        f"organizations/{organization.pk}/invitations",
        {"email": " New@Example.com ", "role": "auditor"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["is_open"]) == ("new@example.com", "auditor", True)
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.invited_by == org_admin
    assert OutboxMessage.objects.filter(
        task_name="organizations.send_invitation_email", kwargs={"invitation_id": invitation.pk}
    ).exists()


def test_admins_list_open_invitations(org_admin, organization, invitation):
    body = ApiClient(org_admin).get(f"organizations/{organization.pk}/invitations").json()
    assert [item["id"] for item in body["items"]] == [invitation.pk]
    assert "token" not in body["items"][0]


@pytest.mark.parametrize("persona", ["coordinator", "case_worker", "auditor"])
def test_only_admins_manage_invitations(request, organization, invitation, persona):
    api = ApiClient(request.getfixturevalue(persona))
    before = invitations()
    base = f"organizations/{organization.pk}/invitations"
    assert api.get(base).status_code == 403
    assert api.post(base, {"email": "x@example.com", "role": "admin"}).status_code == 403
    assert api.delete(f"{base}/{invitation.pk}").status_code == 403
    assert invitations() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"email": "not-an-email", "role": "auditor"}, {"email"}),
        ({"email": "a@example.com", "role": "owner"}, {"role"}),
        ({"email": "a@example.com"}, {"role"}),
        ({}, {"email", "role"}),
    ],
)
def test_invalid_invitations_are_refused_and_nothing_is_sent(org_admin, organization, body, fields):
    api = ApiClient(org_admin)
    response = api.post(f"organizations/{organization.pk}/invitations", body)
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == fields
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_inviting_a_member_is_409_and_sends_nothing(org_admin, coordinator, organization):
    response = ApiClient(org_admin).post(
        f"organizations/{organization.pk}/invitations",
        {"email": coordinator.email, "role": "auditor"},
    )
    assert response.status_code == 409
    assert error_of(response)["fields"].keys() == {"email"}
    assert not Invitation.objects.exists()


def test_withdrawing_an_invitation(org_admin, organization, invitation):
    api = ApiClient(org_admin)
    url = f"organizations/{organization.pk}/invitations/{invitation.pk}"
    assert api.delete(url).status_code == 204
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    before = invitations()
    response = api.delete(url)
    assert response.status_code == 409
    assert error_of(response)["code"] == "invitation_closed"
    assert invitations() == before


def test_accepting_an_invitation_makes_a_membership(stranger, organization, invitation):
    token = services.invitation_token(invitation)
    response = ApiClient(stranger).post("invitations/accept", {"token": token})
    assert response.status_code == 201
    assert (response.json()["id"], response.json()["role"]) == (organization.pk, "case_worker")
    assert Membership.objects.get(user=stranger).role == Role.CASE_WORKER
    assert AuditEvent.objects.filter(verb="invitation.accepted").exists()
    # A second time it is closed, and nothing changes.
    response = ApiClient(stranger).post("invitations/accept", {"token": token})
    assert response.status_code == 409
    assert Membership.objects.filter(user=stranger).count() == 1


def test_an_invitation_for_another_address_is_refused(coordinator, invitation):
    api = ApiClient(coordinator)
    response = api.post("invitations/accept", {"token": services.invitation_token(invitation)})
    assert response.status_code == 403
    assert error_of(response)["code"] == "invitation_other_email"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    "token", ["nonsense", signing.dumps(1, salt="another.salt", compress=True)]
)
def test_a_bad_invitation_token_is_404(stranger, invitation, token):
    response = ApiClient(stranger).post("invitations/accept", {"token": token})
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "invitation_not_found"
    assert list(error["fields"]) == ["token"]
    assert not Membership.objects.filter(user=stranger).exists()


@pytest.mark.parametrize(
    ("body", "field"), [({}, "token"), ({"token": ""}, "token"), ({"token": 7}, "token")]
)
def test_an_invalid_accept_body_is_422(stranger, body, field):
    response = ApiClient(stranger).post("invitations/accept", body)
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == [field]
