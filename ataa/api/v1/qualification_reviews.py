"""Qualifications of an organization's applicants: list, verify, download the proof.

Admins and coordinators. Only volunteers with a pending, accepted or waitlisted application to
one of the organization's opportunities: anyone else's qualification answers 404. A proof is
streamed as an attachment (never at a public address) and the read is audited
(`qualification.proof_viewed`). Verifying calls `qualification_verify`, as the page does.
"""

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import NamedOut
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.opportunities.access import MANAGE_ROLES, access_applicant_qualification_by_id
from ataa.opportunities.qualification_review import (
    PROOF_CONTENT_TYPES,
    applicant_qualification_list,
    proof_response,
    qualification_proof_open,
)
from ataa.volunteers.services import qualification_verify

router = Router(tags=["qualifications"])

BASE = "/organizations/{organization_id}/qualifications"


class QualificationKindRefOut(NamedOut):
    expires: bool


class ApplicantRefOut(Schema):
    id: int = Field(description="The volunteer's user id.")
    full_name: str = Field(description="The name on the volunteer profile, in Arabic.")


class QualificationReviewOut(Schema):
    id: int
    volunteer: ApplicantRefOut
    kind: QualificationKindRefOut
    expires_on: dt.date | None
    is_expired: bool
    is_verified: bool
    verified_at: dt.datetime | None
    verified_organization_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_volunteer(obj) -> dict:
        return {"id": obj.profile.user_id, "full_name": obj.profile.full_name_ar}

    @staticmethod
    def resolve_is_expired(obj) -> bool:
        return obj.is_expired_on(timezone.localdate())


class ReviewFilterIn(Schema):
    show: Literal["pending", "verified", "all"] = Field(
        "pending", description="Awaiting verification (the default), verified, or all."
    )


@router.get(BASE, response=list[QualificationReviewOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=MANAGE_ROLES)
def qualification_review_list(request, organization_id: int, filters: Query[ReviewFilterIn]):
    """Qualifications of the organization's applicants; awaiting verification first."""
    return applicant_qualification_list(
        organization=scoped_organization(request), show=filters.show
    )


@router.post(BASE + "/{qualification_id}/verify", response=QualificationReviewOut)
@organization_scoped(roles=MANAGE_ROLES)
def qualification_review_verify(request, organization_id: int, qualification_id: int):
    """Confirm the proof is genuine; refused when already verified (`already_verified`, 409)
    or expired (`qualification_expired`, 400). The verification counts for every
    organization."""
    organization = scoped_organization(request)
    qualification = access_applicant_qualification_by_id(organization, qualification_id)
    verified = qualification_verify(
        qualification=qualification,
        verified_by=request.auth,
        organization=organization,
        ip_address=client_ip(request),
    )
    return access_applicant_qualification_by_id(organization, verified.pk)


@router.get(
    BASE + "/{qualification_id}/proof",
    openapi_extra={
        "responses": {
            200: {
                "description": "The proof, as an attachment (PDF, PNG or JPEG).",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in PROOF_CONTENT_TYPES.values()
                },
            }
        }
    },
)
@organization_scoped(roles=MANAGE_ROLES)
def qualification_review_proof(request, organization_id: int, qualification_id: int):
    """Download the proof. Recorded in the audit log as a read of personal data."""
    organization = scoped_organization(request)
    qualification = access_applicant_qualification_by_id(organization, qualification_id)
    try:
        handle = qualification_proof_open(
            qualification=qualification,
            organization=organization,
            actor=request.auth,
            ip_address=client_ip(request),
        )
    except FileNotFoundError:
        raise Http404 from None
    return proof_response(handle, qualification)
