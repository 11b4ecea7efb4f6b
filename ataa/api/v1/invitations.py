"""Invitations: list, send and withdraw (admins); accept one with the token from the email."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.errors import InvitationTokenInvalid
from ataa.api.v1.fields import form_field
from ataa.api.v1.organizations import OrganizationOut
from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.organizations import services
from ataa.organizations.access import ADMIN_ROLES, access_invitation_by_id
from ataa.organizations.forms import InvitationForm
from ataa.organizations.models import Role
from ataa.organizations.selectors import invitation_open_list

router = Router(tags=["invitations"])

Email = form_field(InvitationForm, "email")


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    invited_by_id: int | None
    invited_by_name: str | None = Field(None, alias="invited_by.full_name")
    created_at: dt.datetime
    expires_at: dt.datetime
    is_open: bool


class InvitationIn(InputSchema):
    email: Email
    role: Role


class InvitationAcceptIn(InputSchema):
    token: str = Field(min_length=1, max_length=500, description="The token from the email link.")


@router.get("/organizations/{organization_id}/invitations", response=list[InvitationOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=ADMIN_ROLES)
def invitation_list(request, organization_id: int):
    """Invitations waiting to be accepted, newest first (admins)."""
    return invitation_open_list(organization=scoped_organization(request))


@router.post("/organizations/{organization_id}/invitations", response={201: InvitationOut})
@organization_scoped(roles=ADMIN_ROLES)
def invitation_create(request, organization_id: int, payload: InvitationIn):
    """Invite someone by email to join with a role (admins). The email is sent in the background."""
    return services.invitation_create(
        organization=scoped_organization(request),
        invited_by=request.auth,
        ip_address=client_ip(request),
        **payload.model_dump(),
    )


@router.delete("/organizations/{organization_id}/invitations/{invitation_id}", response={204: None})
@organization_scoped(roles=ADMIN_ROLES)
def invitation_revoke(request, organization_id: int, invitation_id: int):
    """Withdraw an invitation that is still open (admins)."""
    invitation = access_invitation_by_id(scoped_organization(request), invitation_id)
    services.invitation_revoke(
        invitation=invitation, actor=request.auth, ip_address=client_ip(request)
    )


@router.post("/invitations/accept", response={201: OrganizationOut})
def invitation_accept(request, payload: InvitationAcceptIn):
    """Accept an invitation sent to your email address; answers the organization you joined."""
    invitation = services.invitation_from_token(payload.token)
    if invitation is None:
        raise InvitationTokenInvalid
    membership = services.invitation_accept(
        invitation=invitation, user=request.auth, ip_address=client_ip(request)
    )
    organization = invitation.organization
    organization.viewer_role = membership.role
    return organization
