"""Organizations: list mine, register, read, change."""

from __future__ import annotations

import pytest

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent
from ataa.organizations.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db

NEW = {"name_ar": "جمعية الخير", "name_en": "Al-Khair", "kind": "charity", "city": "makkah"}


def organization_rows():
    return list(Organization.objects.order_by("pk").values())


def test_the_list_holds_only_my_organizations_with_my_role(
    coordinator, organization, other_organization, outsider
):
    items = ApiClient(coordinator).get("organizations").json()["items"]
    assert [(item["id"], item["role"]) for item in items] == [(organization.pk, "coordinator")]
    items = ApiClient(outsider).get("organizations").json()["items"]
    assert [(item["id"], item["role"]) for item in items] == [(other_organization.pk, "admin")]


def test_registering_makes_a_pending_organization_with_me_as_admin(stranger):
    response = ApiClient(stranger).post("organizations", {**NEW, "registration_number": "CR-77"})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["role"], body["registration_number"]) == (
        "pending",
        "admin",
        "CR-77",
    )
    organization = Organization.objects.get(pk=body["id"])
    assert organization.created_by == stranger
    assert Membership.objects.get(organization=organization).role == Role.ADMIN
    assert AuditEvent.objects.filter(
        verb="organization.registered", organization_id=organization.pk
    ).exists()
    # While it waits for approval its admin can read it, not change it.
    api = ApiClient(stranger)
    assert api.get(f"organizations/{organization.pk}").json()["status"] == "pending"
    assert api.patch(f"organizations/{organization.pk}", {"city": "taif"}).status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"name_ar", "name_en", "kind", "city"}),
        ({**NEW, "kind": "club"}, {"kind"}),
        ({**NEW, "name_en": ""}, {"name_en"}),
        ({**NEW, "city": "x" * 101}, {"city"}),
        ({**NEW, "registration_number": "رقم ١٢"}, {"registration_number"}),
        ({**NEW, "status": "active"}, {"status"}),
        ({**NEW, "name_ar": 5}, {"name_ar"}),
    ],
)
def test_registering_refuses_invalid_input_and_creates_nothing(stranger, body, fields):
    api = ApiClient(stranger)
    events = AuditEvent.objects.count()
    response = api.post("organizations", body)
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == fields
    assert not Organization.objects.exists()
    assert AuditEvent.objects.count() == events


def test_registering_a_taken_registration_number_is_409_and_creates_nothing(stranger, organization):
    Organization.objects.filter(pk=organization.pk).update(registration_number="CR-1")
    api = ApiClient(stranger)
    before = organization_rows()
    response = api.post("organizations", {**NEW, "registration_number": "CR-1"})
    assert response.status_code == 409
    assert error_of(response)["fields"].keys() == {"registration_number"}
    assert organization_rows() == before


def test_members_read_their_organization(case_worker, organization):
    body = ApiClient(case_worker).get(f"organizations/{organization.pk}").json()
    assert (body["id"], body["name_en"], body["role"]) == (
        organization.pk,
        organization.name_en,
        "case_worker",
    )


def test_an_admin_changes_only_the_fields_sent(org_admin, organization):
    response = ApiClient(org_admin).patch(
        f"organizations/{organization.pk}", {"city": "taif", "require_staff_mfa": False}
    )
    assert response.status_code == 200
    organization.refresh_from_db()
    assert (organization.city.code, organization.name_en) == ("taif", "Al-Birr Society Jeddah")
    assert AuditEvent.objects.filter(
        verb="organization.updated", organization_id=organization.pk
    ).exists()


@pytest.mark.parametrize("persona", ["coordinator", "case_worker", "auditor"])
def test_other_roles_may_not_change_the_organization(request, organization, persona):
    api = ApiClient(request.getfixturevalue(persona))
    before = organization_rows()
    response = api.patch(f"organizations/{organization.pk}", {"city": "taif"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert organization_rows() == before


@pytest.mark.parametrize(
    "body",
    [
        {"city": None},
        {"name_ar": ""},
        {"kind": "club"},
        {"require_staff_mfa": "yes"},
        {"logo": "x.png"},
        {"status": "active"},
    ],
)
def test_invalid_changes_are_refused_and_change_nothing(org_admin, organization, body):
    api = ApiClient(org_admin)
    before = organization_rows()
    response = api.patch(f"organizations/{organization.pk}", body)
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == list(body)
    assert organization_rows() == before
