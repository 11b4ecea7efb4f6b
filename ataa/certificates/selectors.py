"""Reads of certificates: pre-joined querysets whose query count does not grow with the rows."""

from __future__ import annotations

from django.db.models import Exists, Max, Min, OuterRef, QuerySet, Sum

from ataa.certificates.models import Certificate
from ataa.hours.models import HourEntry
from ataa.organizations.models import Organization


def volunteer_certificates(*, volunteer) -> QuerySet[Certificate]:
    """A volunteer's certificates, newest first, revoked ones too."""
    return (
        Certificate.objects.filter(volunteer=volunteer)
        .select_related("organization", "opportunity")
        .order_by("-issued_at", "-pk")
    )


def organization_certificates(*, organization: Organization) -> QuerySet[Certificate]:
    """The certificates an organization issued, newest first, with the volunteer's name."""
    return (
        Certificate.objects.filter(organization=organization)
        .select_related("opportunity", "volunteer__volunteer_profile")
        .order_by("-issued_at", "-pk")
    )


def certifiable_opportunities(*, volunteer) -> list[dict]:
    """The opportunities where `volunteer` has approved hours and no live certificate:
    [{opportunity_id, titles, organization names, minutes, first, last}], most recent first."""
    live = Certificate.objects.filter(
        volunteer=volunteer, opportunity_id=OuterRef("opportunity_id"), revoked_at__isnull=True
    )
    return list(
        HourEntry.objects.filter(volunteer=volunteer, status=HourEntry.Status.APPROVED)
        .filter(~Exists(live))
        .values(
            "opportunity_id",
            "opportunity__title_ar",
            "opportunity__title_en",
            "organization__name_ar",
            "organization__name_en",
        )
        .annotate(minutes=Sum("minutes"), first=Min("starts_at"), last=Max("starts_at"))
        .order_by("-last", "opportunity_id")
    )
