"""Organizations: list yours, register one, read one, change one (admins)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field, StrictBool

from ataa.api.v1.fields import city_by_code, form_field
from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema, NamedOut
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.organizations import selectors, services
from ataa.organizations.access import ADMIN_ROLES
from ataa.organizations.forms import OrganizationForm
from ataa.organizations.models import Organization, Role

router = Router(tags=["organizations"])

NameAr = form_field(OrganizationForm, "name_ar", description="The name in Arabic.")
NameEn = form_field(OrganizationForm, "name_en", description="The name in English.")
CityCode = Annotated[
    str, Field(description="A city's `code` (GET /places/cities).", min_length=1, max_length=64)
]
RegistrationNumber = form_field(
    OrganizationForm,
    "registration_number",
    description="As on the licence; Latin letters, digits, - and /. Empty if none.",
)


class OrganizationOut(Schema):
    id: int
    name_ar: str
    name_en: str
    kind: Organization.Kind
    city: NamedOut | None
    registration_number: str
    status: Organization.Status
    is_verified: bool
    require_staff_mfa: bool
    logo_url: str | None
    created_at: dt.datetime
    role: Role

    @staticmethod
    def resolve_logo_url(organization) -> str | None:
        return organization.logo.url if organization.logo else None

    @staticmethod
    def resolve_role(organization) -> str:
        return organization.viewer_role


class OrganizationRegisterIn(InputSchema):
    name_ar: NameAr
    name_en: NameEn
    kind: Organization.Kind
    city: CityCode
    registration_number: RegistrationNumber = ""


class OrganizationPatchIn(InputSchema):
    """Only the fields sent are changed; null is refused. The logo is changed on the web page."""

    name_ar: NameAr = None
    name_en: NameEn = None
    kind: Organization.Kind = None
    city: CityCode = None
    registration_number: RegistrationNumber = None
    require_staff_mfa: StrictBool = None


@router.get("/organizations", response=list[OrganizationOut])
@paginate(PageNumberPagination)
def organization_list(request):
    """The organizations you are a member of, with your role in each, by English name."""
    return selectors.organization_list_for_user(user=request.auth)


@router.post("/organizations", response={201: OrganizationOut})
def organization_register(request, payload: OrganizationRegisterIn):
    """Register an organization. It waits for a platform admin's approval; you are its admin."""
    data = payload.model_dump()
    data["city"] = city_by_code(data["city"])
    organization = services.organization_register(
        user=request.auth, ip_address=client_ip(request), **data
    )
    organization.viewer_role = Role.ADMIN
    return organization


@router.get("/organizations/{organization_id}", response=OrganizationOut)
@organization_scoped(allow_inactive=True)
def organization_get(request, organization_id: int):
    """One of your organizations (also while it awaits approval)."""
    return scoped_organization(request)


@router.patch("/organizations/{organization_id}", response=OrganizationOut)
@organization_scoped(roles=ADMIN_ROLES)
def organization_update(request, organization_id: int, payload: OrganizationPatchIn):
    """Change the organization's details (organization admins)."""
    organization = scoped_organization(request)
    values = selectors.organization_settings_values(organization=organization)
    changes = payload.model_dump(exclude_unset=True)
    if "city" in changes:
        changes["city"] = city_by_code(changes["city"])
    values.update(changes)
    return services.organization_update(
        organization=organization, actor=request.auth, ip_address=client_ip(request), **values
    )
