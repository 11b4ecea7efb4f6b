"""The one permission chokepoint for organization-scoped objects.

Every page and endpoint that shows or changes something of an organization fetches it through a
function here. "Missing" and "not yours" both answer 404, so an outsider learns nothing; a member
whose role does not allow the action gets 403 (they know the organization exists).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ataa.core.errors import object_id_or_404
from ataa.organizations.models import Invitation, Membership, Organization, Role

ALL_ROLES = frozenset(Role.values)
ADMIN_ROLES = frozenset({Role.ADMIN})
AUDIT_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


class MfaRequired(PermissionDenied):
    """The organization requires two-factor authentication and this person has not set it up."""


def user_has_mfa(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def access_organization_by_id(
    user, organization_id, *, roles=ALL_ROLES, allow_inactive: bool = False
) -> Organization:
    """The organization, if `user` is a member with one of `roles`; else 404 (or 403 for role).

    The returned organization carries `viewer_role`, the user's role in it. Organizations that
    are not active (awaiting approval, suspended) open only where `allow_inactive` says so.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404
    organization_id = object_id_or_404(organization_id)
    membership = (
        Membership.objects.select_related("organization", "organization__city")
        .filter(user=user, organization_id=organization_id)
        .first()
    )
    if membership is None:
        raise Http404
    organization = membership.organization
    if not allow_inactive and not organization.is_active:
        raise Http404
    if membership.role not in roles:
        raise PermissionDenied
    if organization.require_staff_mfa and not user_has_mfa(user):
        raise MfaRequired
    organization.viewer_role = membership.role
    return organization


def access_membership_by_id(organization: Organization, membership_id) -> Membership:
    """A membership of an organization the caller already passed the chokepoint for; else 404."""
    membership = (
        Membership.objects.select_related("user")
        .filter(organization=organization, pk=object_id_or_404(membership_id))
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def access_invitation_by_id(organization: Organization, invitation_id) -> Invitation:
    invitation = Invitation.objects.filter(
        organization=organization, pk=object_id_or_404(invitation_id)
    ).first()
    if invitation is None:
        raise Http404
    return invitation


def access_pending_organization_by_id(user, organization_id) -> Organization:
    """For platform admins deciding on registrations; everyone else gets 404."""
    require_platform_admin(user)
    organization = Organization.objects.filter(pk=object_id_or_404(organization_id)).first()
    if organization is None:
        raise Http404
    return organization


def require_platform_admin(user) -> None:
    """Platform pages: 404 for everyone else; platform admins need two-factor authentication."""
    if not getattr(user, "is_platform_admin", False):
        raise Http404
    if settings.ATAA_PLATFORM_ADMIN_MFA and not user_has_mfa(user):
        raise MfaRequired
