import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings

from ataa.organizations.access import (
    ADMIN_ROLES,
    AUDIT_ROLES,
    MfaRequired,
    access_membership_by_id,
    access_organization_by_id,
    require_platform_admin,
)
from ataa.organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db


def test_members_get_their_organization_with_their_role(coordinator, organization):
    found = access_organization_by_id(coordinator, organization.pk)
    assert found == organization
    assert found.viewer_role == "coordinator"


def test_outsiders_missing_ids_and_garbage_all_get_404(outsider, organization):
    for organization_id in (organization.pk, 999_999, "abc", None):
        with pytest.raises(Http404):
            access_organization_by_id(outsider, organization_id)


def test_a_member_without_the_role_gets_403_not_404(coordinator, organization):
    with pytest.raises(PermissionDenied):
        access_organization_by_id(coordinator, organization.pk, roles=ADMIN_ROLES)


def test_auditors_read_the_audit_roles_only(auditor, organization):
    assert access_organization_by_id(auditor, organization.pk, roles=AUDIT_ROLES)
    with pytest.raises(PermissionDenied):
        access_organization_by_id(auditor, organization.pk, roles=ADMIN_ROLES)


def test_an_organization_awaiting_approval_opens_only_where_allowed(org_admin, organization):
    organization.status = Organization.Status.PENDING
    organization.save()
    with pytest.raises(Http404):
        access_organization_by_id(org_admin, organization.pk)
    assert access_organization_by_id(org_admin, organization.pk, allow_inactive=True)


def test_membership_of_another_organization_is_404(org_admin, organization, outsider):
    foreign = Membership.objects.get(user=outsider)
    with pytest.raises(Http404):
        access_membership_by_id(organization, foreign.pk)


def test_an_organization_requiring_mfa_refuses_members_without_it(coordinator, organization):
    organization.require_staff_mfa = True
    organization.save()
    with pytest.raises(MfaRequired):
        access_organization_by_id(coordinator, organization.pk)


def test_platform_pages_need_a_platform_admin_with_mfa_when_required(platform_admin, org_admin):
    with pytest.raises(Http404):
        require_platform_admin(org_admin)
    with override_settings(ATAA_PLATFORM_ADMIN_MFA=True), pytest.raises(MfaRequired):
        require_platform_admin(platform_admin)
    with override_settings(ATAA_PLATFORM_ADMIN_MFA=False):
        require_platform_admin(platform_admin)


def test_django_admin_requires_mfa_of_staff_when_platform_mfa_is_on(client, platform_admin):
    client.force_login(platform_admin)
    with override_settings(ATAA_PLATFORM_ADMIN_MFA=True):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/")
    with override_settings(ATAA_PLATFORM_ADMIN_MFA=False):
        assert client.get("/admin/").status_code == 200


def test_django_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
