"""Issuing, revoking and verifying certificates of volunteering hours.

- `issue_hours_certificate`: the certificate of a volunteer's approved hours at one opportunity.
  Who may ask: the volunteer themselves (they download their certificate once a coordinator has
  approved their hours) and the admins and coordinators of the opportunity's organization (for
  the bulk issuance to come). Refused with `no_approved_hours` when there are none, and with
  `already_issued` while a live certificate exists for that volunteer and opportunity (the
  volunteer has it already; to change it, the organization revokes it and it is issued again).
- `revoke_certificate`: admins and coordinators of the organization, with a reason (kept for the
  organization; the public page says only that and when the certificate was revoked). Audited,
  with ids only.
- `verify_code`: what the public page and API answer for a typed code: valid, revoked or
  unknown, with the signed facts, after checking the signature against the published keys.
- `verify_jws` (ataa.certificates.jws): the same check offline, from the signed data and the
  published public keys alone.

Every refusal raises ServiceError and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ataa.certificates import keys
from ataa.certificates.jws import InvalidJWS, Verified, verify_jws
from ataa.certificates.models import Certificate
from ataa.core.audit import audit_record
from ataa.core.errors import PermissionRefused, ServiceError
from ataa.hours import codes as hour_codes
from ataa.hours.models import HourEntry
from ataa.opportunities.access import MANAGE_ROLES
from ataa.opportunities.models import Opportunity
from ataa.organizations.models import Membership

__all__ = [
    "CODE_LENGTH",
    "PAYLOAD_VERSION",
    "Verification",
    "issue_hours_certificate",
    "normalize_code",
    "revoke_certificate",
    "verify_code",
    "verify_jws",
]

logger = logging.getLogger(__name__)

CODE_LENGTH = 10
PAYLOAD_VERSION = 1
ISSUER = "Ataa"
REASON_MAX = 300


def normalize_code(code) -> str | None:
    """A typed code as stored (capitals, no spaces or dashes), or None if it cannot be one."""
    if not isinstance(code, str) or len(code) > 40:
        return None
    code = hour_codes.normalize(code)
    if len(code) != CODE_LENGTH or any(letter not in hour_codes.ALPHABET for letter in code):
        return None
    return code


def _new_code() -> str:
    return "".join(secrets.choice(hour_codes.ALPHABET) for _ in range(CODE_LENGTH))


def _holder_names(volunteer) -> tuple[str, str]:
    """The names as the certificate shows them: (Arabic full name, Latin full name or "")."""
    profile = getattr(volunteer, "volunteer_profile", None)
    if profile is not None:
        return profile.full_name_ar, profile.full_name_latin
    return volunteer.full_name, ""


def hours_payload(
    *,
    code: str,
    volunteer,
    opportunity: Opportunity,
    minutes: int,
    first_day: dt.date,
    last_day: dt.date,
    issued_on: dt.date,
) -> dict:
    """The signed facts: what the certificate shows and nothing more (no national id, phone,
    email, birth date or user id). Strings and integers only; optional texts are left out when
    empty."""
    name_ar, name_latin = _holder_names(volunteer)
    organization = opportunity.organization
    facts = {
        "v": PAYLOAD_VERSION,
        "code": code,
        "kind": Certificate.Kind.HOURS.value,
        "holder_name_ar": name_ar,
        "holder_name_latin": name_latin,
        "organization_ar": organization.name_ar,
        "organization_en": organization.name_en,
        "opportunity_ar": opportunity.title_ar,
        "opportunity_en": opportunity.title_en,
        "minutes": int(minutes),
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "issued_on": issued_on.isoformat(),
        "issuer": ISSUER,
    }
    return {key: value for key, value in facts.items() if value != ""}


def _may_issue(actor, volunteer, organization_id: int) -> bool:
    if getattr(actor, "pk", None) is not None and actor.pk == volunteer.pk:
        return True
    return Membership.objects.filter(
        user=actor, organization_id=organization_id, role__in=MANAGE_ROLES
    ).exists()


@transaction.atomic
def issue_hours_certificate(
    *,
    actor,
    volunteer,
    opportunity: Opportunity,
    language: str = Certificate.Language.ARABIC,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> Certificate:
    """The signed certificate of `volunteer`'s approved hours at `opportunity`."""
    if not _may_issue(actor, volunteer, opportunity.organization_id):
        raise PermissionRefused(
            _(
                "Only the volunteer and the organization's admins and coordinators can issue "
                "this certificate."
            ),
            code="forbidden",
        )
    if language not in Certificate.Language.values:
        message = _("Choose Arabic or English.")
        raise ServiceError(message, code="invalid_input", fields={"language": [message]})
    if Certificate.objects.filter(
        volunteer=volunteer, opportunity=opportunity, revoked_at__isnull=True
    ).exists():
        raise ServiceError(
            _("A certificate for these hours has already been issued."), code="already_issued"
        )
    hours = HourEntry.objects.filter(
        volunteer=volunteer, opportunity=opportunity, status=HourEntry.Status.APPROVED
    ).aggregate(minutes=Sum("minutes"), first=Min("starts_at"), last=Max("starts_at"))
    if not hours["minutes"]:
        raise ServiceError(
            _("There are no approved hours at this opportunity to certify yet."),
            code="no_approved_hours",
        )
    now = now or timezone.now()
    first_day = timezone.localdate(hours["first"])
    last_day = timezone.localdate(hours["last"])
    key = keys.current_signing_key()
    code = _new_code()
    while Certificate.objects.filter(code=code).exists():
        code = _new_code()
    payload = hours_payload(
        code=code,
        volunteer=volunteer,
        opportunity=opportunity,
        minutes=hours["minutes"],
        first_day=first_day,
        last_day=last_day,
        issued_on=timezone.localdate(now),
    )
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                code=code,
                kind=Certificate.Kind.HOURS,
                volunteer=volunteer,
                organization_id=opportunity.organization_id,
                opportunity=opportunity,
                minutes=hours["minutes"],
                first_day=first_day,
                last_day=last_day,
                language=language,
                jws=keys.sign(payload, key=key),
                key=key,
                issued_at=now,
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # issued at the same moment by another request
        raise ServiceError(
            _("A certificate for these hours has already been issued."), code="already_issued"
        ) from None
    audit_record(
        actor=actor,
        verb="certificate.issued",
        organization_id=opportunity.organization_id,
        target=certificate,
        ip_address=ip_address,
        payload={
            "volunteer_id": volunteer.pk,
            "opportunity_id": opportunity.pk,
            "minutes": certificate.minutes,
            "key_id": key.pk,
        },
    )
    return certificate


@transaction.atomic
def revoke_certificate(
    *,
    actor,
    certificate: Certificate,
    reason: str,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> Certificate:
    """Revoke a certificate, saying why. The verification page then answers "revoked"."""
    if not Membership.objects.filter(
        user=actor, organization_id=certificate.organization_id, role__in=MANAGE_ROLES
    ).exists():
        raise PermissionRefused(
            _("Only the organization's admins and coordinators can revoke certificates."),
            code="forbidden",
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ServiceError(_("This certificate is already revoked."), code="already_revoked")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        message = _("Give the reason for revoking the certificate.")
        raise ServiceError(message, code="invalid_input", fields={"reason": [message]})
    if len(reason) > REASON_MAX:
        message = _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX}
        raise ServiceError(message, code="invalid_input", fields={"reason": [message]})
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        actor=actor,
        verb="certificate.revoked",
        organization_id=certificate.organization_id,
        target=certificate,
        ip_address=ip_address,
        payload={"volunteer_id": certificate.volunteer_id},
    )
    return certificate


# --- Verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What a code verifies to. `status`: "valid", "revoked" or "unknown". `facts`: the signed
    payload (None when unknown); `revoked_at`: when it was revoked; `jws`: the signed data."""

    VALID = "valid"
    REVOKED = "revoked"
    UNKNOWN = "unknown"

    status: str
    facts: dict | None = None
    revoked_at: dt.datetime | None = None
    jws: str = ""
    kid: str = ""


def verify_code(code) -> Verification:
    """The status and signed facts of the certificate with this code (typed in any form: with
    spaces or dashes, in small letters). The signature is checked with the published keys; a
    certificate whose signed data does not verify answers "unknown"."""
    normalized = normalize_code(code)
    if normalized is None:
        return Verification(Verification.UNKNOWN)
    certificate = (
        Certificate.objects.filter(code=normalized).only("pk", "code", "jws", "revoked_at").first()
    )
    if certificate is None:
        return Verification(Verification.UNKNOWN)
    try:
        verified: Verified = verify_jws(certificate.jws, keys.published_keys())
    except InvalidJWS as problem:
        logger.error(
            "Certificate %s does not verify (%s).", certificate.pk, problem.code
        )  # ids only
        return Verification(Verification.UNKNOWN)
    if verified.payload.get("code") != certificate.code:
        logger.error("Certificate %s signs another code.", certificate.pk)
        return Verification(Verification.UNKNOWN)
    return Verification(
        Verification.REVOKED if certificate.revoked_at else Verification.VALID,
        facts=verified.payload,
        revoked_at=certificate.revoked_at,
        jws=certificate.jws,
        kid=verified.kid,
    )
