"""Reads for organizations: scoped, pre-joined querysets."""

from __future__ import annotations

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.utils import timezone

from ataa.core.models import AuditEvent
from ataa.organizations.models import Invitation, Membership, Organization


def membership_list_for_user(*, user) -> QuerySet[Membership]:
    """The organizations a person belongs to (for the switcher and "my organizations")."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organization", "organization__city")
        .order_by("organization__name_en")
    )


def organization_list_for_user(*, user) -> QuerySet[Organization]:
    """The organizations a person belongs to, each with `viewer_role`, their role in it."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return (
        Organization.objects.annotate(
            viewer_membership=FilteredRelation("memberships", condition=Q(memberships__user=user))
        )
        .filter(viewer_membership__isnull=False)
        .annotate(viewer_role=F("viewer_membership__role"))
        .select_related("city")
        .order_by("name_en", "pk")
    )


def member_list(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def invitation_open_list(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def organization_pending_list() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(status=Organization.Status.PENDING)
        .select_related("created_by")
        .order_by("created_at")
    )


def organization_stats(*, organization: Organization) -> dict:
    counts = Membership.objects.filter(organization=organization).aggregate(
        members=Count("id"),
        admins=Count("id", filter=Q(role="admin")),
    )
    counts["open_invitations"] = invitation_open_list(organization=organization).count()
    return counts


def audit_event_list(*, organization_id: int | None = None) -> QuerySet[AuditEvent]:
    """Audit events of one organization, or of the whole platform (None)."""
    events = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    if organization_id is not None:
        events = events.filter(organization_id=organization_id)
    return events


def organizations_by_id(ids) -> dict[int, Organization]:
    return {org.pk: org for org in Organization.objects.filter(pk__in=set(filter(None, ids)))}


def organization_settings_values(*, organization: Organization) -> dict:
    """The organization's editable details, as the settings form and the API PATCH start from."""
    return {
        "name_ar": organization.name_ar,
        "name_en": organization.name_en,
        "kind": organization.kind,
        "city": organization.city,
        "registration_number": organization.registration_number,
        "require_staff_mfa": organization.require_staff_mfa,
    }
