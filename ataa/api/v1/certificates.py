"""Certificates: public verification, the volunteer's certificates, the organization's.

- Anyone verifies a certificate by its code (`GET /certificates/verify/{code}`, no token): valid,
  revoked or unknown, with the signed facts and the signed data (a JWS to check on your own
  with the keys published at /.well-known/ataa-certificate-keys.json).
- A volunteer lists their certificates and asks for one once an organization has approved hours
  of theirs at an opportunity (`/me/certificates`).
- The organization's admins and coordinators list what was issued and revoke a certificate with
  a reason (`/organizations/{organization_id}/certificates…`), through the chokepoint first.

The same services, selectors and access functions as the pages (ataa.certificates).
"""

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.opportunities import OrganizationRefOut, VolunteerRefOut
from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.certificates import selectors, services
from ataa.certificates.access import access_certificate_by_id
from ataa.certificates.models import Certificate
from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.opportunities.access import MANAGE_ROLES
from ataa.opportunities.models import Opportunity

router = Router(tags=["certificates"])

ORG = "/organizations/{organization_id}"


# --- Output ---------------------------------------------------------------------------------


class CertificateFactsOut(Schema):
    """What the certificate certifies, as signed. Optional texts are empty when the certificate
    has none (no Latin name, no English title)."""

    v: int = Field(description="Version of the signed data.")
    code: str = Field(description="The verification code, without dashes.")
    kind: Literal["hours"]
    holder_name_ar: str
    holder_name_latin: str = ""
    organization_ar: str
    organization_en: str = ""
    opportunity_ar: str
    opportunity_en: str = ""
    minutes: int = Field(description="Approved volunteering minutes.")
    first_day: dt.date
    last_day: dt.date
    issued_on: dt.date
    issuer: str


class VerificationOut(Schema):
    status: Literal["valid", "revoked", "unknown"]
    revoked_at: dt.datetime | None = Field(description="When it was revoked (no reason is given).")
    facts: CertificateFactsOut | None = Field(description="The signed facts; null when unknown.")
    jws: str = Field(
        description="The signed data: a JWS compact serialization (EdDSA, Ed25519) whose payload "
        "is the facts as canonical JSON; verify it with the key of its `kid` at "
        "/.well-known/ataa-certificate-keys.json. Empty when unknown."
    )


class OpportunityBriefOut(Schema):
    id: int
    title_ar: str
    title_en: str


class CertificateOut(Schema):
    id: int
    code: str = Field(description="The verification code, without dashes.")
    display_code: str = Field(description="The code as printed: ABCDE-FGHJK.")
    kind: Certificate.Kind
    organization: OrganizationRefOut
    opportunity: OpportunityBriefOut
    minutes: int
    first_day: dt.date
    last_day: dt.date
    language: Certificate.Language
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    jws: str = Field(description="The signed data, to verify offline.")


class CertificateStaffOut(CertificateOut):
    volunteer: VolunteerRefOut
    issued_by_id: int | None
    revoked_by_id: int | None
    revocation_reason: str = Field(description="Why it was revoked; only the organization sees it.")


# --- Input ----------------------------------------------------------------------------------


class IssueIn(InputSchema):
    opportunity_id: int = Field(description="An opportunity where you have approved hours.")
    language: Certificate.Language = Field(
        Certificate.Language.ARABIC, description="The language the certificate is printed in."
    )


class RevokeIn(InputSchema):
    reason: str = Field(max_length=300, description="Why; kept for the organization only.")


# --- Verification -------------------------------------------------------------------------------


@router.get("/certificates/verify/{code}", response=VerificationOut, auth=None)
def certificate_verify(request, code: str):
    """Verify a certificate by its code (dashes, spaces and small letters are fine). Answers
    `valid`, `revoked` (with when, never why) or `unknown`, with the signed facts; the signature
    has been checked against the published keys. Public: no token needed."""
    verification = services.verify_code(code)
    return {
        "status": verification.status,
        "revoked_at": verification.revoked_at,
        "facts": verification.facts,
        "jws": verification.jws,
    }


# --- Your certificates ----------------------------------------------------------------------


@router.get("/me/certificates", response=list[CertificateOut])
@paginate(PageNumberPagination)
def my_certificate_list(request):
    """Your certificates, newest first, revoked ones too."""
    return selectors.volunteer_certificates(volunteer=request.auth)


@router.post("/me/certificates", response={201: CertificateOut})
def my_certificate_issue(request, payload: IssueIn):
    """Get the certificate of your approved hours at an opportunity. Refused with
    `no_approved_hours` when an organization has not approved hours of yours there yet, and with
    `already_issued` while you have a certificate for it (see `GET /me/certificates`)."""
    opportunity = (
        Opportunity.objects.select_related("organization")
        .filter(pk=payload.opportunity_id, hour_entries__volunteer=request.auth)
        .first()
    )
    if opportunity is None:
        message = _("Choose an opportunity where you have hours.")
        raise ServiceError(message, code="invalid_input", fields={"opportunity_id": [message]})
    certificate = services.issue_hours_certificate(
        actor=request.auth,
        volunteer=request.auth,
        opportunity=opportunity,
        language=payload.language,
        ip_address=client_ip(request),
    )
    return selectors.volunteer_certificates(volunteer=request.auth).get(pk=certificate.pk)


# --- The organization's certificates ----------------------------------------------------------


@router.get(ORG + "/certificates", response=list[CertificateStaffOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=MANAGE_ROLES)
def certificate_list(request, organization_id: int):
    """The certificates issued for the organization's opportunities, newest first."""
    return _staff(selectors.organization_certificates(organization=scoped_organization(request)))


@router.post(ORG + "/certificates/{certificate_id}/revoke", response=CertificateStaffOut)
@organization_scoped(roles=MANAGE_ROLES)
def certificate_revoke(request, organization_id: int, certificate_id: int, payload: RevokeIn):
    """Revoke a certificate with the reason (kept for the organization; the public verification
    says only that and when it was revoked). Refused with `already_revoked` or `invalid_input`."""
    certificate = access_certificate_by_id(scoped_organization(request), certificate_id)
    certificate = services.revoke_certificate(
        actor=request.auth,
        certificate=certificate,
        reason=payload.reason,
        ip_address=client_ip(request),
    )
    found = _staff(Certificate.objects.filter(pk=certificate.pk)).first()
    if found is None:
        raise Http404
    return found


def _staff(certificates):
    return certificates.select_related(
        "organization", "opportunity", "volunteer__volunteer_profile"
    )
