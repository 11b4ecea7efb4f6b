"""Attendance and hours: check-in by code, by hand, the ledger and its approvals.

- A volunteer checks in and out of a shift with the code on the coordinator's screen
  (`POST /shifts/{shift_id}/check-in`), reads their own ledger and totals (`/me/hours…`) and
  reports remote hours (`POST /me/hours`).
- The organization's admins and coordinators read the current code for a screen of their own,
  the shift's attendance, check volunteers in and out by hand with a reason, and approve, reject
  and correct hours (`/organizations/{organization_id}/…`). Every one of these passes the
  organization chokepoint first (scoping.py); a shift, attendance or entry of another
  organization answers 404.

The same services and selectors as the pages (ataa.hours.services, ataa.hours.selectors,
ataa.hours.codes); refusals are their ServiceErrors, in the one error shape.
"""

import datetime as dt
from typing import Literal

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.opportunities import OrganizationRefOut, VolunteerRefOut
from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.hours import codes, selectors, services
from ataa.hours.access import access_attendance_by_id, access_hour_entry_by_id
from ataa.hours.models import Attendance, HourEntry
from ataa.opportunities.access import MANAGE_ROLES, access_organization_shift_by_id
from ataa.opportunities.models import Application

router = Router(tags=["hours"])

ORG = "/organizations/{organization_id}"
MAX_ENTRIES_AT_ONCE = 100


# --- Output ---------------------------------------------------------------------------------


class AttendanceOut(Schema):
    """A volunteer's presence at a shift. Methods: `code` (scanned at the site), `manual` (by a
    coordinator, with a reason), `automatic` (closed at the shift's end: check-out forgotten)."""

    id: int
    shift_id: int
    application_id: int
    checked_in_at: dt.datetime
    check_in_method: Attendance.Method
    check_in_reason: str = Field(description="Why a coordinator checked in by hand; else empty.")
    check_in_distance_m: int | None = Field(
        description="Metres from the site at check-in, when the opportunity has a check-in radius."
    )
    checked_out_at: dt.datetime | None
    check_out_method: Attendance.Method | None
    check_out_reason: str
    closed_automatically: bool = Field(
        description="The volunteer forgot to check out: closed at the shift's end."
    )

    @staticmethod
    def resolve_check_out_method(obj) -> str | None:
        return obj.check_out_method or None


class AttendanceStaffOut(AttendanceOut):
    volunteer_id: int
    checked_in_by_id: int | None = Field(description="The coordinator who checked in by hand.")
    checked_out_by_id: int | None = Field(description="The coordinator who checked out by hand.")


class CheckInOut(Schema):
    action: Literal["checked_in", "checked_out"]
    attendance: AttendanceOut


class CheckInCodeOut(Schema):
    code: str = Field(description="The code of this moment; type it or put it in a QR code.")
    expires_at: dt.datetime = Field(
        description="When the next code replaces it; a code is still accepted one window after."
    )
    refresh_seconds: int = Field(description="How often the code changes.")
    url: str = Field(
        description="The volunteer's check-in page with this code: the address to put in a QR "
        "code, which a phone's camera opens."
    )


class AttendanceRowOut(Schema):
    """An accepted volunteer of the shift, with their attendance (null: not checked in)."""

    application_id: int
    volunteer: VolunteerRefOut
    party_size: int
    attendance: AttendanceStaffOut | None

    @staticmethod
    def resolve_application_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_attendance(obj):
        return getattr(obj, "attendance", None)  # no attendance yet: RelatedObjectDoesNotExist


class OpportunityBriefOut(Schema):
    id: int
    title_ar: str
    title_en: str


class HourEntryOut(Schema):
    """An entry of the hours ledger. Its times and minutes never change: a correction is a new
    entry (`corrects_id`), and the corrected one becomes `superseded`."""

    id: int
    organization: OrganizationRefOut
    opportunity: OpportunityBriefOut
    shift_id: int | None
    attendance_id: int | None
    source: HourEntry.Source
    status: HourEntry.Status
    starts_at: dt.datetime
    ends_at: dt.datetime
    minutes: int
    hours: float
    description: str
    has_evidence: bool = Field(description="Whether a file was sent as evidence.")
    corrects_id: int | None = Field(description="The entry this one corrects.")
    reason: str = Field(description="Why the correction was made.")
    decided_at: dt.datetime | None
    decision_note: str = Field(description="Why the hours were not approved.")
    created_at: dt.datetime

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.evidence)


class CheckInEvidenceOut(Schema):
    """How the attendance behind an entry was recorded."""

    checked_in_at: dt.datetime
    check_in_method: Attendance.Method
    check_in_distance_m: int | None
    checked_out_at: dt.datetime | None
    check_out_method: Attendance.Method | None
    closed_automatically: bool

    @staticmethod
    def resolve_check_out_method(obj) -> str | None:
        return obj.check_out_method or None


class HourEntryStaffOut(HourEntryOut):
    volunteer: VolunteerRefOut
    attendance: CheckInEvidenceOut | None
    created_by_id: int
    decided_by_id: int | None


class OrganizationHoursOut(Schema):
    organization: OrganizationRefOut
    approved_minutes: int
    approved_hours: float

    @staticmethod
    def resolve_organization(obj) -> dict:
        return {
            "id": obj["organization_id"],
            "name_ar": obj["organization__name_ar"],
            "name_en": obj["organization__name_en"],
        }

    @staticmethod
    def resolve_approved_hours(obj) -> float:
        return round(obj["approved_minutes"] / 60, 1)


class TotalsOut(Schema):
    approved_minutes: int
    approved_hours: float
    pending_minutes: int
    pending_hours: float
    entries: int = Field(description="Pending and approved entries.")


class MyTotalsOut(TotalsOut):
    organizations: list[OrganizationHoursOut] = Field(
        description="Approved hours by organization, most first."
    )


class TotalsGroupOut(Schema):
    id: int | None = Field(description="The opportunity's or field's id; null by month.")
    name_ar: str
    name_en: str
    month: dt.date | None = Field(description="By month: its first day; else null.")
    approved_minutes: int
    approved_hours: float
    entries: int


class OrganizationTotalsOut(TotalsOut):
    by: Literal["opportunity", "field", "month"]
    groups: list[TotalsGroupOut] = Field(description="Approved hours by group, most first.")


class ApprovedOut(Schema):
    approved: int = Field(description="How many entries were approved.")


# --- Input ----------------------------------------------------------------------------------


class CheckInIn(InputSchema):
    code: str = Field(
        min_length=1, max_length=40, description="The code on the screen; spaces are ignored."
    )
    latitude: float | None = Field(
        None, ge=-90, le=90, description="The phone's location, when the opportunity asks for it."
    )
    longitude: float | None = Field(None, ge=-180, le=180)


class ManualCheckInIn(InputSchema):
    application_id: int = Field(description="The accepted application of the volunteer.")
    at: dt.datetime = Field(description="When they arrived. Without an offset: local time.")
    reason: str = Field(max_length=300, description="Why by hand (no phone, no code, …).")


class ManualCheckOutIn(InputSchema):
    at: dt.datetime = Field(description="When they left. Without an offset: local time.")
    reason: str = Field(max_length=300)


class RemoteHoursIn(InputSchema):
    application_id: int = Field(description="Your accepted application to a remote opportunity.")
    starts_at: dt.datetime = Field(description="Without an offset: the platform's time zone.")
    ends_at: dt.datetime
    description: str = Field(max_length=2000, description="What you did in these hours.")


class ApproveIn(InputSchema):
    entry_ids: list[int] = Field(min_length=1, max_length=MAX_ENTRIES_AT_ONCE)


class RejectIn(InputSchema):
    note: str = Field(max_length=2000, description="Why; the volunteer reads it.")


class CorrectIn(InputSchema):
    starts_at: dt.datetime = Field(description="Without an offset: the platform's time zone.")
    ends_at: dt.datetime
    reason: str = Field(max_length=300, description="Why the hours are corrected.")


class HourFilterIn(Schema):
    status: HourEntry.Status | None = None
    opportunity_id: int | None = None


class TotalsFilterIn(Schema):
    by: Literal["opportunity", "field", "month"] = "opportunity"
    since: dt.date | None = Field(None, description="Hours that start on this day or later.")
    until: dt.date | None = Field(None, description="Hours that start before this day.")


# --- Helpers ----------------------------------------------------------------------------------


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _midnight(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _staff_entry(entry: HourEntry) -> HourEntry:
    """The entry with what HourEntryStaffOut shows, in one query."""
    return _staff_entries(HourEntry.objects.filter(pk=entry.pk)).get()


def _staff_entries(entries):
    return entries.select_related(
        "organization", "opportunity", "attendance", "volunteer__volunteer_profile"
    )


def _check_in_url(request, shift_id: int, code: str) -> str:
    """The address the coordinator's screen puts in its QR code (ataa.hours.attendance_views)."""
    return request.build_absolute_uri(reverse("check_in", args=[shift_id])) + f"?code={code}"


def _totals(totals: selectors.Totals) -> dict:
    return {
        "approved_minutes": totals.approved_minutes,
        "approved_hours": totals.approved_hours,
        "pending_minutes": totals.pending_minutes,
        "pending_hours": totals.pending_hours,
        "entries": totals.entries,
    }


def _group(row: dict, by: str) -> dict:
    if by == "month":
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        identity = {"id": None, "name_ar": "", "name_en": "", "month": month}
    elif by == "field":
        identity = {
            "id": row["opportunity__field_id"],
            "name_ar": row["opportunity__field__name_ar"] or "",
            "name_en": row["opportunity__field__name_en"] or "",
            "month": None,
        }
    else:
        identity = {
            "id": row["opportunity_id"],
            "name_ar": row["opportunity__title_ar"] or "",
            "name_en": row["opportunity__title_en"] or "",
            "month": None,
        }
    minutes = row["approved_minutes"] or 0
    return {
        **identity,
        "approved_minutes": minutes,
        "approved_hours": round(minutes / 60, 1),
        "entries": row["entries"],
    }


# --- Checking in and out ----------------------------------------------------------------------


@router.post("/shifts/{shift_id}/check-in", response=CheckInOut)
def shift_check_in(request, shift_id: int, payload: CheckInIn):
    """Check in to a shift you have an accepted place on, with the code on the coordinator's
    screen; the next code, scanned later, checks you out and records your hours (pending
    approval). When the opportunity has a check-in radius, send the phone's `latitude` and
    `longitude` (only the distance is kept). Refused with `not_accepted`, `code_invalid`,
    `code_expired`, `code_used`, `too_early`, `shift_over`, `checked_out`,
    `checked_in_elsewhere`, `location_required` or `too_far`, and nothing is written."""
    attendance, action = services.scan_code(
        volunteer=request.auth,
        shift_id=shift_id,
        code=payload.code,
        latitude=payload.latitude,
        longitude=payload.longitude,
        ip_address=client_ip(request),
    )
    return {"action": action, "attendance": attendance}


@router.get(ORG + "/shifts/{shift_id}/check-in-code", response=CheckInCodeOut)
@organization_scoped(roles=MANAGE_ROLES)
def shift_check_in_code(request, organization_id: int, shift_id: int, response: HttpResponse):
    """The shift's check-in code of this moment, for a screen of your own at the site (admins
    and coordinators). It changes every `refresh_seconds`: ask again at `expires_at`. Never
    cached."""
    shift = access_organization_shift_by_id(scoped_organization(request), shift_id)
    shown = codes.current_code(shift.pk)
    add_never_cache_headers(response)
    return {
        "code": shown.code,
        "expires_at": shown.expires_at,
        "refresh_seconds": codes.WINDOW_SECONDS,
        "url": _check_in_url(request, shift.pk, shown.code),
    }


@router.get(ORG + "/shifts/{shift_id}/attendances", response=list[AttendanceRowOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=MANAGE_ROLES)
def shift_attendance_list(request, organization_id: int, shift_id: int):
    """The shift's accepted volunteers, by name, each with their attendance (null: not checked
    in yet); `closed_automatically` flags a forgotten check-out."""
    shift = access_organization_shift_by_id(scoped_organization(request), shift_id)
    return selectors.shift_attendance_rows(shift=shift)


@router.post(ORG + "/shifts/{shift_id}/attendances", response={201: AttendanceStaffOut})
@organization_scoped(roles=MANAGE_ROLES)
def attendance_check_in(request, organization_id: int, shift_id: int, payload: ManualCheckInIn):
    """Check an accepted volunteer in by hand, at the time they arrived, with the reason (no
    phone, the code would not scan, …). Refused with `checked_in`, `checked_in_elsewhere`,
    `not_accepted` or `invalid_input`."""
    shift = access_organization_shift_by_id(scoped_organization(request), shift_id)
    application = (
        Application.objects.select_related("opportunity", "shift")
        .filter(shift=shift, pk=payload.application_id)
        .first()
    )
    if application is None:
        message = _("Choose a volunteer of this shift.")
        raise ServiceError(message, code="invalid_input", fields={"application_id": [message]})
    return services.manual_check_in(
        actor=request.auth,
        application=application,
        at=_aware(payload.at),
        reason=payload.reason,
        ip_address=client_ip(request),
    )


@router.post(ORG + "/attendances/{attendance_id}/check-out", response=AttendanceStaffOut)
@organization_scoped(roles=MANAGE_ROLES)
def attendance_check_out(
    request, organization_id: int, attendance_id: int, payload: ManualCheckOutIn
):
    """Check a volunteer out by hand, at the time they left, with the reason; their hours are
    recorded, pending approval. Refused with `checked_out` or `invalid_input`."""
    attendance = access_attendance_by_id(scoped_organization(request), attendance_id)
    return services.manual_check_out(
        actor=request.auth,
        attendance=attendance,
        at=_aware(payload.at),
        reason=payload.reason,
        ip_address=client_ip(request),
    )


# --- Your hours -------------------------------------------------------------------------------


@router.get("/me/hours", response=list[HourEntryOut])
@paginate(PageNumberPagination)
def my_hour_list(request):
    """Your hours ledger across every organization, newest first, with each entry's status
    (pending, approved, rejected with the note, or superseded by a correction)."""
    return selectors.volunteer_entries(volunteer=request.auth)


@router.post("/me/hours", response={201: HourEntryOut})
def my_hours_submit(request, payload: RemoteHoursIn):
    """Report hours you worked for a remote or hybrid opportunity you were accepted on; they
    wait for a coordinator's approval. (The page also takes a file as evidence; this
    operation does not.) Refused with `not_accepted`, `not_remote`, `hours_overlap` or
    `invalid_input`."""
    application = (
        Application.objects.select_related("opportunity")
        .filter(volunteer=request.auth, pk=payload.application_id)
        .first()
    )
    if application is None:
        message = _("Choose one of your applications.")
        raise ServiceError(message, code="invalid_input", fields={"application_id": [message]})
    entry = services.submit_remote_hours(
        volunteer=request.auth,
        application=application,
        starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at),
        description=payload.description,
        ip_address=client_ip(request),
    )
    return selectors.volunteer_entries(volunteer=request.auth).get(pk=entry.pk)


@router.get("/me/hours/totals", response=MyTotalsOut)
def my_hours_totals(request):
    """Your approved and pending hours in all, and your approved hours by organization."""
    totals = selectors.volunteer_totals(volunteer=request.auth)
    return {
        **_totals(totals),
        "organizations": selectors.volunteer_totals_by_organization(volunteer=request.auth),
    }


# --- The organization's ledger --------------------------------------------------------------


@router.get(ORG + "/hours", response=list[HourEntryStaffOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=MANAGE_ROLES)
def hour_list(request, organization_id: int, filters: Query[HourFilterIn]):
    """The organization's hours ledger, newest first (`status=pending`: oldest first, the
    order to approve them in), with the volunteer and how the attendance was recorded."""
    entries = selectors.organization_entries(
        organization=scoped_organization(request),
        status=filters.status,
        opportunity_id=filters.opportunity_id,
    )
    return _staff_entries(entries)


@router.post(ORG + "/hours/approve", response=ApprovedOut)
@organization_scoped(roles=MANAGE_ROLES)
def hours_approve(request, organization_id: int, payload: ApproveIn):
    """Approve pending entries, one or many; entries already decided are left as they are.
    Refused with `not_pending` when none of them is pending. An id that is not one of the
    organization's entries answers 404 and nothing is approved."""
    organization = scoped_organization(request)
    ids = set(payload.entry_ids)
    found = set(
        HourEntry.objects.filter(organization=organization, pk__in=ids).values_list("pk", flat=True)
    )
    if found != ids:
        raise Http404
    approved = services.approve_hours(
        actor=request.auth,
        organization_id=organization.pk,
        entry_ids=sorted(ids),
        ip_address=client_ip(request),
    )
    return {"approved": approved}


@router.post(ORG + "/hours/{entry_id}/reject", response=HourEntryStaffOut)
@organization_scoped(roles=MANAGE_ROLES)
def hours_reject(request, organization_id: int, entry_id: int, payload: RejectIn):
    """Refuse pending hours, saying why (the volunteer reads the note). Refused with
    `not_pending` or `invalid_input`."""
    entry = access_hour_entry_by_id(scoped_organization(request), entry_id)
    entry = services.reject_hours(
        actor=request.auth, entry=entry, note=payload.note, ip_address=client_ip(request)
    )
    return _staff_entry(entry)


@router.post(ORG + "/hours/{entry_id}/correct", response={201: HourEntryStaffOut})
@organization_scoped(roles=MANAGE_ROLES)
def hours_correct(request, organization_id: int, entry_id: int, payload: CorrectIn):
    """Correct pending or approved hours: answers the new, approved entry, which names the one
    it corrects; that one becomes `superseded` and stays in the ledger. Refused with
    `not_correctable`, `hours_overlap` or `invalid_input`."""
    entry = access_hour_entry_by_id(scoped_organization(request), entry_id)
    correction = services.correct_hours(
        actor=request.auth,
        entry=entry,
        starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at),
        reason=payload.reason,
        ip_address=client_ip(request),
    )
    return _staff_entry(correction)


@router.get(ORG + "/hours/totals", response=OrganizationTotalsOut)
@organization_scoped(roles=MANAGE_ROLES)
def hours_totals(request, organization_id: int, filters: Query[TotalsFilterIn]):
    """The organization's approved and pending hours, and its approved hours grouped `by`
    opportunity, field of volunteering or month; `since` and `until` limit them to a period."""
    organization = scoped_organization(request)
    since, until = _midnight(filters.since), _midnight(filters.until)
    totals = selectors.organization_totals(organization=organization, since=since, until=until)
    rows = selectors.organization_totals_by(
        organization=organization, by=filters.by, since=since, until=until
    )
    return {
        **_totals(totals),
        "by": filters.by,
        "groups": [_group(row, filters.by) for row in rows],
    }
