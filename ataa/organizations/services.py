"""Writes to organizations, memberships and invitations.

Each service is one transaction with an audit event; the HTML views and the API call the same
services. A refused action raises ServiceError with a translated message and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import ServiceError
from ataa.core.models import City
from ataa.core.tasks import enqueue
from ataa.organizations.models import Invitation, Membership, Organization, Role
from ataa.organizations.signals import organization_renamed

INVITATION_SALT = "ataa.organizations.invitation"
INVITATION_DAYS = 14


# --- Organizations --------------------------------------------------------------------------


@transaction.atomic
def organization_register(
    *,
    user,
    name_ar: str,
    name_en: str,
    kind: str,
    city: City,
    registration_number: str = "",
    logo=None,
    ip_address: str | None = None,
) -> Organization:
    """Register an organization; it waits for a platform admin, and its creator is its admin."""
    registration_number = registration_number.strip()
    if (
        registration_number
        and Organization.objects.filter(registration_number=registration_number).exists()
    ):
        raise ServiceError(
            _("An organization with this registration number is already registered."),
            code="duplicate_registration_number",
            fields={"registration_number": [_("This registration number is already registered.")]},
        )
    organization = Organization.objects.create(
        name_ar=name_ar.strip(),
        name_en=name_en.strip(),
        kind=Organization.Kind(kind),
        city=city,
        registration_number=registration_number,
        logo=logo or "",
        created_by=user,
    )
    Membership.objects.create(user=user, organization=organization, role=Role.ADMIN)
    audit_record(
        actor=user,
        verb="organization.registered",
        organization_id=organization.pk,
        target=organization,
        ip_address=ip_address,
    )
    return organization


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    actor,
    name_ar: str,
    name_en: str,
    kind: str,
    city: City,
    registration_number: str,
    require_staff_mfa: bool,
    logo=None,
    ip_address: str | None = None,
) -> Organization:
    registration_number = registration_number.strip()
    if (
        registration_number
        and Organization.objects.filter(registration_number=registration_number)
        .exclude(pk=organization.pk)
        .exists()
    ):
        raise ServiceError(
            _("An organization with this registration number is already registered."),
            code="duplicate_registration_number",
            fields={"registration_number": [_("This registration number is already registered.")]},
        )
    renamed = (organization.name_ar, organization.name_en) != (name_ar.strip(), name_en.strip())
    organization.name_ar = name_ar.strip()
    organization.name_en = name_en.strip()
    organization.kind = Organization.Kind(kind)
    organization.city = city
    organization.registration_number = registration_number
    organization.require_staff_mfa = require_staff_mfa
    if logo is not None:
        organization.logo = logo
    organization.save()
    audit_record(
        actor=actor,
        verb="organization.updated",
        organization_id=organization.pk,
        target=organization,
        ip_address=ip_address,
        payload={"require_staff_mfa": require_staff_mfa},
    )
    if renamed:
        organization_renamed.send(sender=Organization, organization_id=organization.pk)
    return organization


@transaction.atomic
def organization_decide(
    *, organization: Organization, decided_by, approve: bool, ip_address: str | None = None
) -> Organization:
    """A platform admin approves (active, verified) or rejects an organization awaiting approval."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Organization.Status.PENDING:
        raise ServiceError(
            _("This organization has already been decided on."), code="already_decided"
        )
    organization.status = Organization.Status.ACTIVE if approve else Organization.Status.REJECTED
    organization.is_verified = approve
    organization.decided_at = timezone.now()
    organization.save(update_fields=["status", "is_verified", "decided_at"])
    audit_record(
        actor=decided_by,
        verb="organization.approved" if approve else "organization.rejected",
        organization_id=organization.pk,
        target=organization,
        ip_address=ip_address,
    )
    enqueue("organizations.send_decision_email", organization_id=organization.pk)
    return organization


# --- Memberships ----------------------------------------------------------------------------


def _refuse_if_last_admin(membership: Membership) -> None:
    if membership.role != Role.ADMIN:
        return
    admins = (
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if list(admins) == [membership.pk]:
        raise ServiceError(
            _("An organization needs at least one admin: make someone else admin first."),
            code="last_admin",
        )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, actor, ip_address: str | None = None
) -> Membership:
    role = Role(role)
    if role == membership.role:
        return membership
    if role != Role.ADMIN:
        _refuse_if_last_admin(membership)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        verb="membership.role_changed",
        organization_id=membership.organization_id,
        target=membership,
        ip_address=ip_address,
        payload={"from": previous, "to": role.value, "user_id": membership.user_id},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor, ip_address: str | None = None) -> None:
    _refuse_if_last_admin(membership)
    audit_record(
        actor=actor,
        verb="membership.removed",
        organization_id=membership.organization_id,
        target=membership,
        ip_address=ip_address,
        payload={"role": membership.role, "user_id": membership.user_id},
    )
    membership.delete()


# --- Invitations ----------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation | None:
    try:
        invitation_id = signing.loads(
            token, salt=INVITATION_SALT, max_age=dt.timedelta(days=INVITATION_DAYS)
        )
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("organization").filter(pk=invitation_id).first()


@transaction.atomic
def invitation_create(
    *, organization: Organization, email: str, role: str, invited_by, ip_address: str | None = None
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ServiceError(
            _("This person is already a member of the organization."),
            code="already_member",
            fields={"email": [_("This person is already a member of the organization.")]},
        )
    now = timezone.now()
    open_invitations = Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    if open_invitations.exists():
        raise ServiceError(
            _("An invitation to this address is already waiting to be accepted."),
            code="already_invited",
            fields={"email": [_("An invitation to this address is already waiting.")]},
        )
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=Role(role),
        invited_by=invited_by,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=invited_by,
        verb="invitation.created",
        organization_id=organization.pk,
        target=invitation,
        ip_address=ip_address,
        payload={"role": invitation.role},
    )
    enqueue("organizations.send_invitation_email", invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(
    *, invitation: Invitation, actor, ip_address: str | None = None
) -> Invitation:
    if not invitation.is_open:
        raise ServiceError(_("This invitation is no longer open."), code="invitation_closed")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        verb="invitation.revoked",
        organization_id=invitation.organization_id,
        target=invitation,
        ip_address=ip_address,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user, ip_address: str | None = None) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ServiceError(
            _("This invitation has expired, was withdrawn or was already used."),
            code="invitation_closed",
        )
    if invitation.email.lower() != user.email.lower():
        raise ServiceError(
            _(
                "This invitation was sent to another email address. Sign in with the address "
                "it was sent to."
            ),
            code="invitation_other_email",
        )
    if Membership.objects.filter(organization_id=invitation.organization_id, user=user).exists():
        raise ServiceError(
            _("You are already a member of this organization."), code="already_member"
        )
    membership = Membership.objects.create(
        user=user, organization_id=invitation.organization_id, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        verb="invitation.accepted",
        organization_id=invitation.organization_id,
        target=invitation,
        ip_address=ip_address,
        payload={"role": invitation.role},
    )
    return membership
