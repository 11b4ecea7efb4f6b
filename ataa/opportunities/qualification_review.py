"""Coordinators review the qualifications of the people who applied to their organization.

An organization sees the qualifications only of volunteers with an active application (pending,
accepted or waitlisted) to one of its opportunities (`access_applicant_qualification_by_id`);
anyone else's answers 404. Proofs live in the private storage (ataa/core/storage.py) and are
streamed by `qualification_proof_open`, which records the read (`qualification.proof_viewed`,
ids only). Verifying is `ataa.volunteers.services.qualification_verify`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Application
from ataa.organizations.models import Organization
from ataa.volunteers.models import Qualification


class ReviewFilter:
    ALL = "all"
    PENDING = "pending"
    VERIFIED = "verified"
    CHOICES = (ALL, PENDING, VERIFIED)


PROOF_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
}


def applicant_qualification_list(
    *, organization: Organization, show: str = ReviewFilter.ALL
) -> QuerySet[Qualification]:
    """Qualifications of the organization's applicants: awaiting verification first (oldest
    first), then the verified ones (latest first)."""
    queryset = (
        Qualification.objects.filter(
            Exists(
                Application.objects.filter(
                    volunteer_id=OuterRef("profile__user_id"),
                    opportunity__organization=organization,
                    status__in=Application.ACTIVE_STATUSES,
                )
            )
        )
        .select_related("kind", "profile", "verified_organization")
        .order_by(F("verified_at").desc(nulls_first=True), "created_at", "pk")
    )
    if show == ReviewFilter.PENDING:
        queryset = queryset.filter(verified_at__isnull=True)
    elif show == ReviewFilter.VERIFIED:
        queryset = queryset.filter(verified_at__isnull=False)
    return queryset


def proof_extension(qualification: Qualification) -> str:
    name = qualification.proof.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in PROOF_CONTENT_TYPES else "bin"


def proof_filename(qualification: Qualification) -> str:
    """No personal data: `qualification-<id>.<ext>`."""
    return f"qualification-{qualification.pk}.{proof_extension(qualification)}"


@transaction.atomic
def qualification_proof_open(
    *,
    qualification: Qualification,
    organization: Organization,
    actor,
    ip_address: str | None = None,
):
    """Open the proof for an admin or coordinator of the organization, and record the read
    (`qualification.proof_viewed`: the qualification, profile and kind ids). The caller fetched
    the qualification through `access_applicant_qualification_by_id`. Returns an open file;
    raises FileNotFoundError if the stored file is gone."""
    require_manager(
        actor=actor,
        organization_id=organization.pk,
        refusal=_("Only the organization's admins and coordinators can open proofs."),
    )
    if not qualification.proof.name:
        raise FileNotFoundError("no proof stored")
    handle = qualification.proof.storage.open(qualification.proof.name, "rb")
    audit_record(
        actor=actor,
        verb="qualification.proof_viewed",
        organization_id=organization.pk,
        target=qualification,
        ip_address=ip_address,
        payload={"profile_id": qualification.profile_id, "kind_id": qualification.kind_id},
    )
    return handle


def proof_response(handle, qualification: Qualification) -> FileResponse:
    """The proof as a download: never shown inline, never sniffed, never cached."""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=proof_filename(qualification),
        content_type=PROOF_CONTENT_TYPES.get(
            proof_extension(qualification), "application/octet-stream"
        ),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
