import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ataa.core.models import AuditEvent, City
from ataa.core.tasks import run_pending
from ataa.organizations.models import Invitation, Membership, Organization, Role
from ataa.organizations.services import invitation_create, invitation_token
from conftest import make_user

pytestmark = pytest.mark.django_db


def city_pk(name_en: str) -> int:
    return City.objects.get(name_en=name_en).pk


def test_registering_an_organization_from_the_form(client, stranger):
    client.force_login(stranger)
    response = client.post(
        "/orgs/new/",
        {
            "name_ar": "جمعية الوفاء",
            "name_en": "Al-Wafa Society",
            "kind": "charity",
            "city": city_pk("Manama"),
            "registration_number": "BH-2040",
        },
    )
    organization = Organization.objects.get(name_en="Al-Wafa Society")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{organization.pk}/"
    page = client.get(response["Location"])
    assert "awaiting approval" in page.content.decode() or "بانتظار" in page.content.decode()


def test_an_invalid_registration_shows_named_errors_keeps_the_input_and_writes_nothing(
    client, stranger
):
    client.force_login(stranger)
    client.cookies["ataa_language"] = "en"
    stranger.preferred_language = "en"
    stranger.save()
    response = client.post(
        "/orgs/new/",
        {
            "name_ar": "جمعية",
            "name_en": "",
            "kind": "bank",
            "city": city_pk("Doha"),
            "registration_number": "رقم",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name_en", "kind", "registration_number"}
    assert "Use only Latin letters" in form.errors["registration_number"][0]
    assert 'value="جمعية"' in response.content.decode()
    assert not Organization.objects.exists()


def test_an_oversized_logo_is_refused_with_a_clear_message(client, stranger):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(stranger)
    stranger.preferred_language = "en"
    stranger.save()
    not_an_image = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = client.post(
        "/orgs/new/",
        {
            "name_ar": "ج",
            "name_en": "S",
            "kind": "charity",
            "city": city_pk("Doha"),
            "logo": not_an_image,
        },
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Organization.objects.exists()


def test_admin_invites_from_the_members_page_and_the_invitee_joins(client, org_admin, organization):
    client.force_login(org_admin)
    response = client.post(
        f"/orgs/{organization.pk}/members/", {"email": "joiner@example.com", "role": "coordinator"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    run_pending()
    assert mail.outbox[0].to == ["joiner@example.com"]

    joiner = make_user("joiner@example.com", "جود المطيري")
    client.force_login(joiner)
    url = f"/invitations/{invitation_token(invitation)}/"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == f"/orgs/{organization.pk}/"
    assert Membership.objects.get(user=joiner).role == Role.COORDINATOR


def test_a_coordinator_cannot_invite_and_nothing_is_written(client, coordinator, organization):
    client.force_login(coordinator)
    response = client.post(
        f"/orgs/{organization.pk}/members/", {"email": "x@example.com", "role": "admin"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    page = client.get(f"/orgs/{organization.pk}/members/")
    assert page.status_code == 200
    assert "Send invitation" not in page.content.decode()


def test_a_coordinator_cannot_change_roles_or_remove_members(
    client, coordinator, org_admin, organization
):
    admin_membership = Membership.objects.get(user=org_admin)
    client.force_login(coordinator)
    events = AuditEvent.objects.count()
    assert (
        client.post(
            f"/orgs/{organization.pk}/members/{admin_membership.pk}/role/", {"role": "auditor"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/orgs/{organization.pk}/members/{admin_membership.pk}/remove/").status_code
        == 403
    )
    admin_membership.refresh_from_db()
    assert admin_membership.role == Role.ADMIN
    assert AuditEvent.objects.count() == events


def test_removing_the_last_admin_is_refused_with_a_message(client, org_admin, organization):
    membership = Membership.objects.get(user=org_admin)
    client.force_login(org_admin)
    response = client.post(
        f"/orgs/{organization.pk}/members/{membership.pk}/role/", {"role": "auditor"}, follow=True
    )
    assert Membership.objects.get(pk=membership.pk).role == Role.ADMIN
    with translation.override("ar"):
        expected = gettext(
            "An organization needs at least one admin: make someone else admin first."
        )
    assert expected in [str(message) for message in response.context["messages"]]


def test_an_invalid_role_is_refused(client, org_admin, coordinator, organization):
    membership = Membership.objects.get(user=coordinator)
    client.force_login(org_admin)
    client.post(f"/orgs/{organization.pk}/members/{membership.pk}/role/", {"role": "owner"})
    assert Membership.objects.get(pk=membership.pk).role == Role.COORDINATOR


def test_audit_log_shows_the_organizations_events_only(
    client, org_admin, organization, outsider, other_organization
):
    invitation_create(
        organization=organization, email="a@example.com", role="auditor", invited_by=org_admin
    )
    invitation_create(
        organization=other_organization, email="b@example.com", role="auditor", invited_by=outsider
    )
    client.force_login(org_admin)
    page = client.get(f"/orgs/{organization.pk}/audit/")
    events = list(page.context["page"])
    assert events and all(event.organization_id == organization.pk for event in events)


def test_audit_log_is_refused_to_a_coordinator(client, coordinator, organization):
    client.force_login(coordinator)
    assert client.get(f"/orgs/{organization.pk}/audit/").status_code == 403


def test_platform_admin_approves_from_the_queue(client, platform_admin, stranger):
    pending = Organization.objects.create(
        name_ar="فريق", name_en="Team", city=City.objects.get(code="dubai"), created_by=stranger
    )
    client.force_login(platform_admin)
    assert pending.name_en in client.get("/platform/organizations/").content.decode()
    client.post(f"/platform/organizations/{pending.pk}/decide/", {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == Organization.Status.ACTIVE


def test_a_bad_decision_value_changes_nothing(client, platform_admin, stranger):
    pending = Organization.objects.create(
        name_ar="فريق", name_en="Team", city=City.objects.get(code="dubai")
    )
    client.force_login(platform_admin)
    client.post(f"/platform/organizations/{pending.pk}/decide/", {"decision": "maybe"})
    pending.refresh_from_db()
    assert pending.status == Organization.Status.PENDING


def test_settings_page_saves_and_requires_admin(client, org_admin, coordinator, organization):
    client.force_login(coordinator)
    assert client.get(f"/orgs/{organization.pk}/settings/").status_code == 403
    client.force_login(org_admin)
    response = client.post(
        f"/orgs/{organization.pk}/settings/",
        {
            "name_ar": organization.name_ar,
            "name_en": "Al-Birr Jeddah",
            "kind": "charity",
            "city": city_pk("Jeddah"),
            "registration_number": "",
            "require_staff_mfa": "on",
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name_en == "Al-Birr Jeddah"
    assert organization.require_staff_mfa


def test_mfa_required_by_the_organization_sends_members_to_set_it_up(
    client, coordinator, organization
):
    organization.require_staff_mfa = True
    organization.save()
    client.force_login(coordinator)
    response = client.get(f"/orgs/{organization.pk}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
