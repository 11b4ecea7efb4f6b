"""Members: list, change a role, remove; refusals change nothing."""

from __future__ import annotations

import pytest

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent
from ataa.organizations.models import Membership, Role

pytestmark = pytest.mark.django_db


def memberships():
    return sorted(Membership.objects.values_list("pk", "user_id", "organization_id", "role"))


@pytest.fixture
def admin_membership(org_admin):
    return Membership.objects.get(user=org_admin)


@pytest.fixture
def coordinator_membership(coordinator):
    return Membership.objects.get(user=coordinator)


def test_every_member_sees_the_member_list(auditor, org_admin, coordinator, organization):
    response = ApiClient(auditor).get(f"organizations/{organization.pk}/members")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {item["email"] for item in body["items"]} == {
        auditor.email,
        org_admin.email,
        coordinator.email,
    }
    assert set(body["items"][0]) == {"id", "user_id", "full_name", "email", "role", "joined_at"}


def test_an_admin_changes_a_role(org_admin, organization, coordinator_membership):
    response = ApiClient(org_admin).patch(
        f"organizations/{organization.pk}/members/{coordinator_membership.pk}", {"role": "auditor"}
    )
    assert response.status_code == 200
    assert response.json()["role"] == "auditor"
    coordinator_membership.refresh_from_db()
    assert coordinator_membership.role == Role.AUDITOR
    event = AuditEvent.objects.get(verb="membership.role_changed")
    assert event.payload == {
        "from": "coordinator",
        "to": "auditor",
        "user_id": coordinator_membership.user_id,
    }


def test_an_admin_removes_a_member(org_admin, organization, coordinator_membership):
    response = ApiClient(org_admin).delete(
        f"organizations/{organization.pk}/members/{coordinator_membership.pk}"
    )
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=coordinator_membership.pk).exists()
    assert AuditEvent.objects.filter(verb="membership.removed").count() == 1


def test_a_coordinator_may_not_remove_a_member_and_nothing_changes(
    coordinator, organization, admin_membership
):
    api = ApiClient(coordinator)
    before = memberships()
    response = api.delete(f"organizations/{organization.pk}/members/{admin_membership.pk}")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    response = api.patch(
        f"organizations/{organization.pk}/members/{admin_membership.pk}", {"role": "auditor"}
    )
    assert response.status_code == 403
    assert memberships() == before
    assert not AuditEvent.objects.filter(verb__startswith="membership.").exists()


def test_the_last_admin_cannot_be_removed_or_demoted(org_admin, organization, admin_membership):
    api = ApiClient(org_admin)
    before = memberships()
    response = api.delete(f"organizations/{organization.pk}/members/{admin_membership.pk}")
    assert response.status_code == 409
    assert error_of(response)["code"] == "last_admin"
    response = api.patch(
        f"organizations/{organization.pk}/members/{admin_membership.pk}", {"role": "coordinator"}
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "last_admin"
    assert memberships() == before
    assert not AuditEvent.objects.filter(verb__startswith="membership.").exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"role"}),
        ({"role": "owner"}, {"role"}),
        ({"role": None}, {"role"}),
        ({"role": "admin", "user_id": 1}, {"user_id"}),
    ],
)
def test_an_invalid_role_change_is_refused_and_changes_nothing(
    org_admin, organization, coordinator_membership, body, fields
):
    api = ApiClient(org_admin)
    before = memberships()
    response = api.patch(
        f"organizations/{organization.pk}/members/{coordinator_membership.pk}", body
    )
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == fields
    assert memberships() == before


def test_a_membership_of_another_organization_is_404_and_unchanged(
    org_admin, organization, outsider
):
    foreign = Membership.objects.get(user=outsider)
    api = ApiClient(org_admin)
    before = memberships()
    url = f"organizations/{organization.pk}/members/{foreign.pk}"
    assert api.patch(url, {"role": "auditor"}).status_code == 404
    assert api.delete(url).status_code == 404
    assert memberships() == before
