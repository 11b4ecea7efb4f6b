"""Access to attendances and hour entries: the one place that fetches them by an id from a URL
or a request. Staff reach them through an organization the caller already passed the chokepoint
for (`access_organization_by_id`); volunteers reach only their own. Anything else is 404."""

from __future__ import annotations

from django.http import Http404

from ataa.core.errors import object_id_or_404
from ataa.hours.models import Attendance, HourEntry
from ataa.organizations.models import Organization

_ATTENDANCE_RELATED = (
    "shift__opportunity__organization",
    "application",
    "volunteer__volunteer_profile",
)
_ENTRY_RELATED = ("volunteer", "organization", "opportunity", "shift", "attendance")


def _one(queryset):
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def access_attendance_by_id(organization: Organization, attendance_id) -> Attendance:
    """An attendance at a shift of the organization's opportunities."""
    return _one(
        Attendance.objects.select_related(*_ATTENDANCE_RELATED).filter(
            shift__opportunity__organization=organization, pk=object_id_or_404(attendance_id)
        )
    )


def access_own_attendance_by_id(user, attendance_id) -> Attendance:
    """One of the signed-in volunteer's own attendances."""
    return _one(
        Attendance.objects.select_related(*_ATTENDANCE_RELATED).filter(
            volunteer=user, pk=object_id_or_404(attendance_id)
        )
    )


def access_hour_entry_by_id(organization: Organization, entry_id) -> HourEntry:
    """An hour entry of the organization's ledger."""
    return _one(
        HourEntry.objects.select_related(*_ENTRY_RELATED).filter(
            organization=organization, pk=object_id_or_404(entry_id)
        )
    )


def access_own_hour_entry_by_id(user, entry_id) -> HourEntry:
    """One of the signed-in volunteer's own hour entries."""
    return _one(
        HourEntry.objects.select_related(*_ENTRY_RELATED).filter(
            volunteer=user, pk=object_id_or_404(entry_id)
        )
    )
