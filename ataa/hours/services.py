"""Writes of attendance and the hours ledger. Every refusal raises ServiceError with a stable
code and a translated message, and writes nothing.

Attendance:
- `scan_code`: an accepted volunteer scans (or types) the shift's rotating code at the site: the
  first scan checks in, a later one with a newer code checks out.
- `manual_check_in` / `manual_check_out`: a coordinator, with a reason.
- `close_forgotten_check_outs`: the periodic task closes attendances still open when their shift
  has ended, at the shift's end, flagged.

Ledger (append-only, see ataa.hours.models): a check-out writes a pending entry;
`submit_remote_hours` (remote and hybrid opportunities); `approve_hours` (one or many),
`reject_hours`; `correct_hours` writes a new entry and supersedes the old one. An entry that
overlaps a live entry of the same volunteer is refused (on PostgreSQL an exclusion constraint
also holds against races).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import PermissionRefused, ServiceError
from ataa.core.geo import distance_m
from ataa.hours import codes
from ataa.hours.models import Attendance, HourEntry
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Application, Opportunity, Shift

# How early before its start a shift's check-in opens.
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=1)
# The longest one entry of remote hours may be.
LONGEST_ENTRY = dt.timedelta(hours=24)
REASON_MAX = 300
DESCRIPTION_MAX = 2000

M = Attendance.Method
S = HourEntry.Status


# --- Attendance ---------------------------------------------------------------------------------


def _accepted_application(volunteer, shift_id) -> Application | None:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("shift__opportunity")
        .filter(volunteer=volunteer, shift_id=shift_id, status=Application.Status.ACCEPTED)
        .first()
    )


def _refuse_outside_shift(shift: Shift, now: dt.datetime) -> None:
    if now < shift.starts_at - CHECK_IN_OPENS_BEFORE:
        opens = timezone.localtime(shift.starts_at - CHECK_IN_OPENS_BEFORE)
        raise ServiceError(
            _("Checking in opens at %(time)s, an hour before the shift starts.")
            % {"time": date_format(opens, "TIME_FORMAT")},
            code="too_early",
        )
    if now >= shift.ends_at:
        raise ServiceError(
            _("This shift has ended: ask the coordinator to record your attendance."),
            code="shift_over",
        )


def _distance_within_geofence(opportunity: Opportunity, latitude, longitude) -> int | None:
    """The distance in metres from the opportunity's map point when it has a check-in radius
    (refused beyond it, or without a location); None when it has none."""
    radius = opportunity.geofence_radius_m
    if not radius or opportunity.latitude is None or opportunity.longitude is None:
        return None
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        latitude = longitude = None
    if latitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ServiceError(
            _(
                "This opportunity checks that you are at the site: allow this page to use your "
                "location, then try again."
            ),
            code="location_required",
        )
    distance = round(distance_m(opportunity.latitude, opportunity.longitude, latitude, longitude))
    if distance > radius:
        raise ServiceError(
            _(
                "You seem to be %(distance)s metres from the site; checking in works within "
                "%(radius)s metres. Come closer, or ask the coordinator to check you in."
            )
            % {"distance": distance, "radius": radius},
            code="too_far",
        )
    return distance


def _refuse_other_open_attendance(volunteer, shift: Shift) -> None:
    if (
        Attendance.objects.filter(volunteer=volunteer, checked_out_at__isnull=True)
        .exclude(shift=shift)
        .exists()
    ):
        raise ServiceError(
            _("You are still checked in at another shift: check out there first."),
            code="checked_in_elsewhere",
        )


@transaction.atomic
def scan_code(
    *,
    volunteer,
    shift_id: int,
    code: str,
    latitude: float | None = None,
    longitude: float | None = None,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> tuple[Attendance, str]:
    """Check in, or out, by the code on the coordinator's screen. Returns the attendance and
    what happened: "checked_in" or "checked_out". When the opportunity has a check-in radius,
    the phone's location (latitude, longitude) must be within it; it is not stored, only the
    distance at check-in."""
    now = now or timezone.now()
    application = _accepted_application(volunteer, shift_id)
    if application is None:
        raise ServiceError(
            _("You do not have an accepted place on this shift, so you cannot check in to it."),
            code="not_accepted",
        )
    shift = application.shift
    window = codes.window_of_code(shift.pk, code, now)
    if window is None:
        if codes.was_ever_valid(shift.pk, code, now):
            raise ServiceError(
                _("This code has expired. Scan the code on the coordinator's screen again."),
                code="code_expired",
            )
        raise ServiceError(
            _("This is not the code of this shift. Check the code and try again."),
            code="code_invalid",
        )
    attendance = Attendance.objects.select_for_update().filter(application=application).first()
    distance = _distance_within_geofence(shift.opportunity, latitude, longitude)
    if attendance is None:
        _refuse_outside_shift(shift, now)
        _refuse_other_open_attendance(volunteer, shift)
        attendance = Attendance.objects.create(
            application=application,
            shift=shift,
            volunteer=volunteer,
            checked_in_at=now,
            check_in_method=M.CODE,
            check_in_distance_m=distance,
            last_code_window=window,
        )
        _audit_attendance(attendance, volunteer, "attendance.checked_in", M.CODE, ip_address)
        return attendance, "checked_in"
    if not attendance.is_open:
        raise ServiceError(_("You have already checked out of this shift."), code="checked_out")
    if attendance.last_code_window is not None and window <= attendance.last_code_window:
        raise ServiceError(
            _(
                "This code was already used. Wait for the next code on the coordinator's "
                "screen and scan it to check out."
            ),
            code="code_used",
        )
    _check_out(attendance, at=now, method=M.CODE, actor=volunteer, window=window)
    _audit_attendance(attendance, volunteer, "attendance.checked_out", M.CODE, ip_address)
    return attendance, "checked_out"


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            _("Give the reason."),
            code="invalid_input",
            fields={"reason": [_("Give the reason.")]},
        )
    if len(reason) > REASON_MAX:
        message = _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX}
        raise ServiceError(message, code="invalid_input", fields={"reason": [message]})
    return reason


def _refuse_future(at: dt.datetime, now: dt.datetime, field: str) -> None:
    if at > now + dt.timedelta(minutes=5):
        message = _("This time is still to come.")
        raise ServiceError(message, code="invalid_input", fields={field: [message]})


@transaction.atomic
def manual_check_in(
    *,
    actor,
    application: Application,
    at: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> Attendance:
    """A coordinator records that an accepted volunteer arrived at `at` (no code scanned)."""
    now = now or timezone.now()
    require_manager(
        actor=actor,
        organization_id=application.opportunity.organization_id,
        refusal=_("Only the organization's admins and coordinators record attendance."),
    )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("shift__opportunity")
        .get(pk=application.pk)
    )
    if application.shift is None or application.status != Application.Status.ACCEPTED:
        raise ServiceError(
            _("Only volunteers accepted on a shift can be checked in."), code="not_accepted"
        )
    reason = _clean_reason(reason)
    _refuse_future(at, now, "at")
    shift = application.shift
    if not (shift.starts_at - CHECK_IN_OPENS_BEFORE <= at < shift.ends_at):
        message = _("Choose a time during the shift.")
        raise ServiceError(message, code="invalid_input", fields={"at": [message]})
    if Attendance.objects.filter(application=application).exists():
        raise ServiceError(
            _("This volunteer is already checked in to this shift."), code="checked_in"
        )
    _refuse_other_open_attendance(application.volunteer, shift)
    attendance = Attendance.objects.create(
        application=application,
        shift=shift,
        volunteer=application.volunteer,
        checked_in_at=at,
        check_in_method=M.MANUAL,
        checked_in_by=actor,
        check_in_reason=reason,
    )
    _audit_attendance(attendance, actor, "attendance.checked_in", M.MANUAL, ip_address)
    return attendance


@transaction.atomic
def manual_check_out(
    *,
    actor,
    attendance: Attendance,
    at: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> Attendance:
    """A coordinator records that a checked-in volunteer left at `at`."""
    now = now or timezone.now()
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("shift__opportunity")
        .get(pk=attendance.pk)
    )
    require_manager(
        actor=actor,
        organization_id=attendance.shift.opportunity.organization_id,
        refusal=_("Only the organization's admins and coordinators record attendance."),
    )
    if not attendance.is_open:
        raise ServiceError(
            _("This volunteer has already checked out of this shift."), code="checked_out"
        )
    reason = _clean_reason(reason)
    _refuse_future(at, now, "at")
    if at <= attendance.checked_in_at:
        message = _("Choose a time after the check-in.")
        raise ServiceError(message, code="invalid_input", fields={"at": [message]})
    _check_out(attendance, at=at, method=M.MANUAL, actor=actor, reason=reason)
    _audit_attendance(attendance, actor, "attendance.checked_out", M.MANUAL, ip_address)
    return attendance


def close_forgotten_check_outs(*, now: dt.datetime | None = None) -> int:
    """Close every attendance still open after its shift ended, at the shift's end, flagged
    for the coordinator. Returns how many were closed."""
    now = now or timezone.now()
    closed = 0
    ids = list(
        Attendance.objects.filter(checked_out_at__isnull=True, shift__ends_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        with transaction.atomic():
            attendance = (
                Attendance.objects.select_for_update(of=("self",))
                .select_related("shift__opportunity")
                .filter(pk=pk, checked_out_at__isnull=True)
                .first()
            )
            if attendance is None:
                continue  # closed meanwhile
            at = max(attendance.shift.ends_at, attendance.checked_in_at)
            _check_out(attendance, at=at, method=M.AUTOMATIC, actor=None, automatic=True)
            audit_record(
                actor=None,
                verb="attendance.closed_automatically",
                organization_id=attendance.shift.opportunity.organization_id,
                target=attendance,
                payload={"shift_id": attendance.shift_id},
            )
            closed += 1
    return closed


def _check_out(
    attendance: Attendance,
    *,
    at: dt.datetime,
    method: str,
    actor,
    window: int | None = None,
    reason: str = "",
    automatic: bool = False,
) -> None:
    attendance.checked_out_at = at
    attendance.check_out_method = method
    attendance.checked_out_by = actor if method == M.MANUAL else None
    attendance.check_out_reason = reason
    attendance.closed_automatically = automatic
    if window is not None:
        attendance.last_code_window = window
    attendance.save()
    minutes = _minutes(attendance.checked_in_at, at)
    if minutes < 1:
        return  # in and out within a minute: nothing to count
    opportunity = attendance.shift.opportunity
    _write_entry(
        HourEntry(
            volunteer_id=attendance.volunteer_id,
            organization_id=opportunity.organization_id,
            opportunity=opportunity,
            shift=attendance.shift,
            attendance=attendance,
            source=HourEntry.Source.ATTENDANCE,
            starts_at=attendance.checked_in_at,
            ends_at=at,
            minutes=minutes,
            created_by_id=actor.pk if actor is not None else attendance.volunteer_id,
        )
    )


def _audit_attendance(attendance, actor, verb, method, ip_address) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        organization_id=attendance.shift.opportunity.organization_id,
        target=attendance,
        ip_address=ip_address,
        payload={"shift_id": attendance.shift_id, "method": method},
    )


# --- The ledger ---------------------------------------------------------------------------------


def _minutes(starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    return int((ends_at - starts_at).total_seconds() // 60)


def _overlap_error(other: HourEntry) -> ServiceError:
    starts = timezone.localtime(other.starts_at)
    ends = timezone.localtime(other.ends_at)
    return ServiceError(
        _(
            "These hours overlap hours already recorded for this volunteer (%(day)s, %(start)s "
            "to %(end)s). Correct that entry instead of adding another."
        )
        % {
            "day": date_format(starts, "DATE_FORMAT"),
            "start": date_format(starts, "TIME_FORMAT"),
            "end": date_format(ends, "TIME_FORMAT"),
        },
        code="hours_overlap",
    )


def _overlapping(entry: HourEntry, exclude: Iterable[int] = ()) -> HourEntry | None:
    return (
        HourEntry.objects.filter(
            volunteer_id=entry.volunteer_id,
            status__in=HourEntry.LIVE_STATUSES,
            starts_at__lt=entry.ends_at,
            ends_at__gt=entry.starts_at,
        )
        .exclude(pk__in=list(exclude))
        .order_by("starts_at")
        .first()
    )


def _write_entry(entry: HourEntry, *, exclude: Iterable[int] = ()) -> HourEntry:
    """Insert `entry`, refusing an overlap with the volunteer's live entries. The check gives
    the message; on PostgreSQL the exclusion constraint closes the race between two writers."""
    other = _overlapping(entry, exclude)
    if other is not None:
        raise _overlap_error(other)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        if "hourentry_no_overlap" not in str(error):
            raise
        other = _overlapping(entry, exclude)
        raise (_overlap_error(other) if other else ServiceError(str(error))) from None
    return entry


def _clean_period(starts_at, ends_at, now) -> tuple[dt.datetime, dt.datetime]:
    if starts_at is None or ends_at is None:
        message = _("Give the start and the end.")
        raise ServiceError(message, code="invalid_input", fields={"ends_at": [message]})
    if ends_at <= starts_at:
        message = _("The end must come after the start.")
        raise ServiceError(message, code="invalid_input", fields={"ends_at": [message]})
    if ends_at - starts_at > LONGEST_ENTRY:
        message = _("One entry covers at most 24 hours: add one entry a day.")
        raise ServiceError(message, code="invalid_input", fields={"ends_at": [message]})
    _refuse_future(ends_at, now, "ends_at")
    if _minutes(starts_at, ends_at) < 1:
        message = _("Record at least one minute.")
        raise ServiceError(message, code="invalid_input", fields={"ends_at": [message]})
    return starts_at, ends_at


@transaction.atomic
def submit_remote_hours(
    *,
    volunteer,
    application: Application,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    description: str,
    evidence=None,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> HourEntry:
    """An accepted volunteer of a remote or hybrid opportunity reports hours worked, with what
    they did and optionally a file as evidence; the entry waits for a coordinator's approval."""
    now = now or timezone.now()
    if application.volunteer_id != getattr(volunteer, "pk", None):
        raise PermissionRefused(
            _("Only the volunteer who did the work can submit these hours."), code="forbidden"
        )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("opportunity")
        .get(pk=application.pk)
    )
    opportunity = application.opportunity
    if application.status != Application.Status.ACCEPTED:
        raise ServiceError(
            _("Only accepted volunteers can submit hours for this opportunity."),
            code="not_accepted",
        )
    if opportunity.work_mode == Opportunity.WorkMode.ON_SITE:
        raise ServiceError(
            _("Hours at the site are recorded by checking in and out there."),
            code="not_remote",
        )
    description = (description or "").strip()
    if not description:
        message = _("Say what you did in these hours.")
        raise ServiceError(message, code="invalid_input", fields={"description": [message]})
    if len(description) > DESCRIPTION_MAX:
        message = _("Keep the description under %(count)d characters.") % {"count": DESCRIPTION_MAX}
        raise ServiceError(message, code="invalid_input", fields={"description": [message]})
    starts_at, ends_at = _clean_period(starts_at, ends_at, now)
    entry = _write_entry(
        HourEntry(
            volunteer=volunteer,
            organization_id=opportunity.organization_id,
            opportunity=opportunity,
            shift=application.shift,
            source=HourEntry.Source.REMOTE,
            starts_at=starts_at,
            ends_at=ends_at,
            minutes=_minutes(starts_at, ends_at),
            description=description,
            evidence=evidence or "",
            created_by=volunteer,
        )
    )
    audit_record(
        actor=volunteer,
        verb="hours.submitted",
        organization_id=opportunity.organization_id,
        target=entry,
        ip_address=ip_address,
        payload={"minutes": entry.minutes, "opportunity_id": opportunity.pk},
    )
    return entry


def _require_hours_manager(actor, organization_id: int) -> None:
    require_manager(
        actor=actor,
        organization_id=organization_id,
        refusal=_("Only the organization's admins and coordinators decide on hours."),
    )


@transaction.atomic
def approve_hours(
    *,
    actor,
    organization_id: int,
    entry_ids: Iterable[int],
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> int:
    """Approve the pending entries among `entry_ids` of the organization (one or many); an entry
    already decided is left as it is. Returns how many were approved."""
    _require_hours_manager(actor, organization_id)
    now = now or timezone.now()
    ids = list(
        HourEntry.objects.select_for_update()
        .filter(organization_id=organization_id, pk__in=list(entry_ids), status=S.PENDING)
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ServiceError(_("None of these hours is waiting for approval."), code="not_pending")
    HourEntry.objects.filter(pk__in=ids).update(status=S.APPROVED, decided_by=actor, decided_at=now)
    for pk in ids:
        audit_record(
            actor=actor,
            verb="hours.approved",
            organization_id=organization_id,
            target_type="hours.hourentry",
            target_id=pk,
            ip_address=ip_address,
        )
    return len(ids)


@transaction.atomic
def reject_hours(
    *,
    actor,
    entry: HourEntry,
    note: str,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> HourEntry:
    """Refuse a pending entry, saying why (the volunteer sees the note)."""
    _require_hours_manager(actor, entry.organization_id)
    entry = HourEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != S.PENDING:
        raise ServiceError(_("These hours are not waiting for approval."), code="not_pending")
    note = (note or "").strip()
    if not note:
        message = _("Say why these hours are not approved.")
        raise ServiceError(message, code="invalid_input", fields={"note": [message]})
    entry.status = S.REJECTED
    entry.decided_by = actor
    entry.decided_at = now or timezone.now()
    entry.decision_note = note[:DESCRIPTION_MAX]
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        verb="hours.rejected",
        organization_id=entry.organization_id,
        target=entry,
        ip_address=ip_address,
    )
    return entry


@transaction.atomic
def correct_hours(
    *,
    actor,
    entry: HourEntry,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> HourEntry:
    """A coordinator corrects an entry: a new, approved entry with the right times that names the
    old one, who and why; the old one is superseded (and stays in the ledger)."""
    _require_hours_manager(actor, entry.organization_id)
    now = now or timezone.now()
    entry = HourEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in HourEntry.LIVE_STATUSES:
        raise ServiceError(
            _("Only pending or approved hours can be corrected."), code="not_correctable"
        )
    reason = _clean_reason(reason)
    starts_at, ends_at = _clean_period(starts_at, ends_at, now)
    entry.status = S.SUPERSEDED
    entry.save(update_fields=["status"])
    correction = _write_entry(
        HourEntry(
            volunteer_id=entry.volunteer_id,
            organization_id=entry.organization_id,
            opportunity_id=entry.opportunity_id,
            shift_id=entry.shift_id,
            source=HourEntry.Source.CORRECTION,
            starts_at=starts_at,
            ends_at=ends_at,
            minutes=_minutes(starts_at, ends_at),
            description=entry.description,
            corrects=entry,
            reason=reason,
            created_by=actor,
            status=S.APPROVED,
            decided_by=actor,
            decided_at=now,
        ),
        exclude=[entry.pk],
    )
    audit_record(
        actor=actor,
        verb="hours.corrected",
        organization_id=entry.organization_id,
        target=correction,
        ip_address=ip_address,
        payload={"corrects_id": entry.pk, "minutes": correction.minutes},
    )
    return correction
