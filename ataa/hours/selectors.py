"""Reads of attendance and the hours ledger: pre-joined querysets whose query count does not
grow with the rows, and the totals, which come from the ledger (approved entries only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from ataa.hours.models import Attendance, HourEntry
from ataa.opportunities.models import Application, Shift
from ataa.organizations.models import Organization

S = HourEntry.Status


def shift_attendance_rows(*, shift: Shift) -> QuerySet[Application]:
    """The accepted volunteers of a shift, each with `attendance` (or none yet), for the
    coordinator's check-in screen."""
    return (
        Application.objects.filter(shift=shift, status=Application.Status.ACCEPTED)
        .select_related("volunteer", "volunteer__volunteer_profile", "attendance")
        .order_by("volunteer__full_name", "pk")
    )


def open_attendances(*, volunteer) -> QuerySet[Attendance]:
    return Attendance.objects.filter(volunteer=volunteer, checked_out_at__isnull=True)


def volunteer_entries(*, volunteer) -> QuerySet[HourEntry]:
    """A volunteer's ledger, newest first, with what each entry is about."""
    return (
        HourEntry.objects.filter(volunteer=volunteer)
        .select_related("organization", "opportunity", "shift", "attendance")
        .order_by("-starts_at", "-pk")
    )


def organization_entries(
    *,
    organization: Organization,
    status: str | None = None,
    opportunity_id: int | None = None,
) -> QuerySet[HourEntry]:
    """The organization's ledger (oldest pending first when filtered to pending), with the
    volunteer, the opportunity, the shift and the check-in evidence beside each entry."""
    entries = HourEntry.objects.filter(organization=organization).select_related(
        "volunteer", "opportunity", "shift", "attendance", "corrects", "decided_by"
    )
    if status:
        entries = entries.filter(status=status)
    if opportunity_id:
        entries = entries.filter(opportunity_id=opportunity_id)
    if status == S.PENDING:
        return entries.order_by("starts_at", "pk")
    return entries.order_by("-starts_at", "-pk")


@dataclass(frozen=True)
class Totals:
    approved_minutes: int
    pending_minutes: int
    entries: int

    @property
    def approved_hours(self) -> float:
        return round(self.approved_minutes / 60, 1)

    @property
    def pending_hours(self) -> float:
        return round(self.pending_minutes / 60, 1)


def _totals(entries: QuerySet[HourEntry]) -> Totals:
    row = entries.aggregate(
        approved=Coalesce(Sum("minutes", filter=Q(status=S.APPROVED)), 0),
        pending=Coalesce(Sum("minutes", filter=Q(status=S.PENDING)), 0),
        entries=Count("pk", filter=Q(status__in=HourEntry.LIVE_STATUSES)),
    )
    return Totals(row["approved"], row["pending"], row["entries"])


def _in_period(entries, since: dt.datetime | None, until: dt.datetime | None):
    if since is not None:
        entries = entries.filter(starts_at__gte=since)
    if until is not None:
        entries = entries.filter(starts_at__lt=until)
    return entries


def volunteer_totals(
    *, volunteer, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> Totals:
    """A volunteer's hours across every organization on the platform."""
    return _totals(_in_period(HourEntry.objects.filter(volunteer=volunteer), since, until))


def volunteer_totals_by_organization(*, volunteer) -> list[dict]:
    """[{organization_id, organization name fields, approved_minutes}] with approved hours."""
    return list(
        HourEntry.objects.filter(volunteer=volunteer, status=S.APPROVED)
        .values("organization_id", "organization__name_ar", "organization__name_en")
        .annotate(approved_minutes=Sum("minutes"))
        .order_by("-approved_minutes", "organization_id")
    )


def organization_totals(
    *,
    organization: Organization,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Totals:
    return _totals(_in_period(HourEntry.objects.filter(organization=organization), since, until))


def organization_totals_by(
    *,
    organization: Organization,
    by: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[dict]:
    """Approved minutes of the organization grouped `by` "opportunity", "field" or "month"."""
    entries = _in_period(
        HourEntry.objects.filter(organization=organization, status=S.APPROVED), since, until
    )
    if by == "opportunity":
        keys = ("opportunity_id", "opportunity__title_ar", "opportunity__title_en")
    elif by == "field":
        keys = (
            "opportunity__field_id",
            "opportunity__field__name_ar",
            "opportunity__field__name_en",
        )
    elif by == "month":
        from django.db.models.functions import TruncMonth

        entries = entries.annotate(month=TruncMonth("starts_at"))
        keys = ("month",)
    else:
        raise ValueError(f"unknown grouping {by!r}")
    return list(
        entries.values(*keys)
        .annotate(approved_minutes=Sum("minutes"), entries=Count("pk"))
        .order_by(*(("month",) if by == "month" else ("-approved_minutes", keys[0])))
    )


# --- ledger pages


def remote_applications(*, volunteer) -> QuerySet[Application]:
    """The volunteer's accepted applications to remote or hybrid opportunities: the ones they
    may submit hours for (the form's choices)."""
    from ataa.opportunities.models import Opportunity

    return (
        Application.objects.filter(
            volunteer=volunteer,
            status=Application.Status.ACCEPTED,
            opportunity__work_mode__in=(
                Opportunity.WorkMode.REMOTE,
                Opportunity.WorkMode.HYBRID,
            ),
        )
        .select_related("opportunity__organization", "shift")
        .order_by("-opportunity__starts_on", "-pk")
    )


def organization_hour_opportunities(*, organization: Organization):
    """The organization's opportunities that have hours in the ledger (the filter's choices)."""
    from django.db.models import Exists, OuterRef

    from ataa.opportunities.models import Opportunity

    return (
        Opportunity.objects.filter(organization=organization)
        .filter(Exists(HourEntry.objects.filter(opportunity=OuterRef("pk"))))
        .only("pk", "title_ar", "title_en", "starts_on")
        .order_by("-starts_on", "-pk")
    )
