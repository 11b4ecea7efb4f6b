"""Members of an organization: list (members), change a role and remove (admins)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.organizations import selectors, services
from ataa.organizations.access import ADMIN_ROLES, access_membership_by_id
from ataa.organizations.models import Role

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int = Field(description="The membership's id (used in the member URLs).")
    user_id: int
    full_name: str = Field(alias="user.full_name")
    email: str = Field(alias="user.email")
    role: Role
    joined_at: dt.datetime = Field(alias="created_at")


class MemberPatchIn(InputSchema):
    role: Role


@router.get("/organizations/{organization_id}/members", response=list[MemberOut])
@paginate(PageNumberPagination)
@organization_scoped()
def member_list(request, organization_id: int):
    """The organization's members, by name."""
    return selectors.member_list(organization=scoped_organization(request))


@router.patch("/organizations/{organization_id}/members/{membership_id}", response=MemberOut)
@organization_scoped(roles=ADMIN_ROLES)
def member_update(request, organization_id: int, membership_id: int, payload: MemberPatchIn):
    """Change a member's role (admins). The last admin cannot stop being admin."""
    membership = access_membership_by_id(scoped_organization(request), membership_id)
    return services.membership_change_role(
        membership=membership, role=payload.role, actor=request.auth, ip_address=client_ip(request)
    )


@router.delete("/organizations/{organization_id}/members/{membership_id}", response={204: None})
@organization_scoped(roles=ADMIN_ROLES)
def member_remove(request, organization_id: int, membership_id: int):
    """Remove a member from the organization (admins). The last admin cannot be removed."""
    membership = access_membership_by_id(scoped_organization(request), membership_id)
    services.membership_remove(
        membership=membership, actor=request.auth, ip_address=client_ip(request)
    )
