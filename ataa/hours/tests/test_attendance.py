"""Checking in and out at the site: the rotating code, by hand, and forgotten check-outs."""

from __future__ import annotations

import datetime as dt

import pytest

from ataa.core.errors import PermissionRefused, ServiceError
from ataa.core.models import AuditEvent
from ataa.hours import codes, services
from ataa.hours.models import Attendance, HourEntry
from ataa.hours.tests.conftest import during
from ataa.opportunities.models import Application
from conftest import table_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

WINDOW = dt.timedelta(seconds=codes.WINDOW_SECONDS)


def code_at(shift, moment) -> str:
    return codes.current_code(shift.pk, moment).code


def scan(volunteer, shift, moment, code=None):
    return services.scan_code(
        volunteer=volunteer,
        shift_id=shift.pk,
        code=code if code is not None else code_at(shift, moment),
        now=moment,
    )


def refused(expected: str, function, *args, **kwargs) -> ServiceError:
    before = table_state(Attendance, HourEntry, AuditEvent, Application)
    with pytest.raises(ServiceError) as caught:
        function(*args, **kwargs)
    assert caught.value.code == expected, caught.value.message
    assert table_state(Attendance, HourEntry, AuditEvent, Application) == before
    return caught.value


def test_the_code_changes_every_window_and_differs_between_shifts(shift, make_shift):
    moment = during(shift, 0)
    first = codes.current_code(shift.pk, moment)
    assert len(first.code) == codes.CODE_LENGTH
    assert set(first.code) <= set(codes.ALPHABET)
    assert code_at(shift, moment + WINDOW) != first.code
    assert first.expires_at > moment and first.expires_at - moment <= WINDOW
    other = make_shift(shift.opportunity, capacity=1, hour=8)
    assert code_at(other, moment) != first.code


def test_scanning_checks_in_then_out_and_writes_pending_hours(placed, shift):
    volunteer, _application = placed
    attendance, action = scan(volunteer, shift, during(shift, 5))
    assert action == "checked_in"
    assert attendance.check_in_method == Attendance.Method.CODE
    assert attendance.checked_in_at == during(shift, 5)
    assert not HourEntry.objects.exists()

    attendance, action = scan(volunteer, shift, during(shift, 155))
    assert action == "checked_out"
    assert attendance.checked_out_at == during(shift, 155)
    entry = HourEntry.objects.get()
    assert (entry.minutes, entry.status, entry.source) == (150, "pending", "attendance")
    assert (entry.volunteer, entry.shift, entry.attendance) == (volunteer, shift, attendance)
    events = AuditEvent.objects.filter(verb__startswith="attendance.").order_by("pk")
    assert [e.verb for e in events] == ["attendance.checked_in", "attendance.checked_out"]
    assert events[0].payload == {"shift_id": shift.pk, "method": "code"}


def test_a_typed_code_with_spaces_and_small_letters_is_accepted(placed, shift):
    volunteer, _application = placed
    moment = during(shift, 1)
    typed = " ".join(code_at(shift, moment).lower()[i : i + 4] for i in (0, 4))
    _attendance, action = scan(volunteer, shift, moment, code=typed)
    assert action == "checked_in"


def test_the_previous_code_still_works_when_the_screen_just_changed(placed, shift):
    volunteer, _application = placed
    moment = during(shift, 10)
    _attendance, action = scan(volunteer, shift, moment, code=code_at(shift, moment - WINDOW))
    assert action == "checked_in"


def test_a_replayed_code_is_refused_and_changes_nothing(placed, shift):
    volunteer, _application = placed
    moment = during(shift, 30)
    code = code_at(shift, moment)
    scan(volunteer, shift, moment, code=code)
    error = refused("code_used", scan, volunteer, shift, moment + dt.timedelta(seconds=5), code)
    assert "already used" in error.message


def test_an_expired_code_is_refused_and_changes_nothing(placed, shift):
    volunteer, _application = placed
    moment = during(shift, 30)
    old = code_at(shift, moment - 3 * WINDOW)
    error = refused("code_expired", scan, volunteer, shift, moment, old)
    assert "expired" in error.message


def test_a_wrong_code_or_another_shifts_code_is_refused(placed, shift, make_shift):
    volunteer, _application = placed
    moment = during(shift, 30)
    other = make_shift(shift.opportunity, capacity=1, hour=8)
    refused("code_invalid", scan, volunteer, shift, moment, "ABCDEFGH")
    refused("code_invalid", scan, volunteer, shift, moment, code_at(other, moment))


def test_a_volunteer_not_accepted_on_the_shift_cannot_check_in(
    make_volunteer, site_opportunity, shift
):
    from ataa.opportunities import services as opportunity_services

    stranger = make_volunteer("not-placed")
    error = refused("not_accepted", scan, stranger, shift, during(shift, 5))
    assert "accepted place" in error.message
    opportunity_services.application_submit(
        volunteer=stranger, opportunity=site_opportunity, shift=shift
    )  # pending, not accepted
    refused("not_accepted", scan, stranger, shift, during(shift, 5))


def test_check_in_opens_an_hour_before_and_closes_at_the_end(placed, shift):
    volunteer, _application = placed
    refused("too_early", scan, volunteer, shift, during(shift, -61))
    refused("shift_over", scan, volunteer, shift, during(shift, 180))
    _attendance, action = scan(volunteer, shift, during(shift, -60))
    assert action == "checked_in"


def test_after_checking_out_another_scan_is_refused(placed, shift):
    volunteer, _application = placed
    scan(volunteer, shift, during(shift, 0))
    scan(volunteer, shift, during(shift, 60))
    refused("checked_out", scan, volunteer, shift, during(shift, 90))


def test_checked_in_at_one_shift_a_volunteer_cannot_check_in_at_another(
    placed, shift, make_shift, accept
):
    volunteer, _application = placed
    other = make_shift(shift.opportunity, capacity=1, hour=17)  # 17:00–20:00, overlapping
    accept(volunteer, shift.opportunity, other)
    scan(volunteer, shift, during(shift, 0))
    refused("checked_in_elsewhere", scan, volunteer, other, during(shift, 70))


# --- By hand -----------------------------------------------------------------------------------


def test_a_coordinator_checks_in_and_out_by_hand_with_a_reason(placed, shift, coordinator):
    _volunteer, application = placed
    attendance = services.manual_check_in(
        actor=coordinator,
        application=application,
        at=during(shift, 10),
        reason="هاتفه لا يعمل",
        now=during(shift, 20),
    )
    assert (attendance.check_in_method, attendance.checked_in_by) == ("manual", coordinator)
    services.manual_check_out(
        actor=coordinator,
        attendance=attendance,
        at=during(shift, 130),
        reason="خرج مبكرًا",
        now=during(shift, 140),
    )
    attendance.refresh_from_db()
    assert attendance.check_out_method == "manual"
    assert HourEntry.objects.get().minutes == 120
    # The reasons are free text: kept on the attendance, never in the audit log.
    payloads = AuditEvent.objects.filter(verb__startswith="attendance.").values_list(
        "payload", flat=True
    )
    assert all("هاتفه" not in str(payload) for payload in payloads)


def test_checking_in_by_hand_needs_a_reason_a_manager_and_a_time_in_the_shift(
    placed, shift, coordinator, case_worker, outsider
):
    _volunteer, application = placed
    now = during(shift, 20)
    kwargs = {"application": application, "at": during(shift, 10), "now": now}
    refused("invalid_input", services.manual_check_in, actor=coordinator, reason=" ", **kwargs)
    for someone in (case_worker, outsider):
        before = table_state(Attendance)
        with pytest.raises(PermissionRefused):
            services.manual_check_in(actor=someone, reason="late", **kwargs)
        assert table_state(Attendance) == before
    refused(
        "invalid_input",
        services.manual_check_in,
        actor=coordinator,
        application=application,
        at=during(shift, 300),
        reason="late",
        now=during(shift, 400),
    )
    refused(
        "invalid_input",
        services.manual_check_in,
        actor=coordinator,
        application=application,
        at=during(shift, 60),
        reason="in the future",
        now=during(shift, 20),
    )


# --- Forgotten check-outs ----------------------------------------------------------------------


def test_forgotten_check_outs_close_at_the_shifts_end_once_and_flagged(placed, shift):
    volunteer, _application = placed
    scan(volunteer, shift, during(shift, 0))
    assert services.close_forgotten_check_outs(now=during(shift, 179)) == 0  # still on
    assert services.close_forgotten_check_outs(now=during(shift, 200)) == 1
    assert services.close_forgotten_check_outs(now=during(shift, 210)) == 0
    attendance = Attendance.objects.get()
    assert attendance.checked_out_at == shift.ends_at
    assert (attendance.check_out_method, attendance.closed_automatically) == ("automatic", True)
    entry = HourEntry.objects.get()
    assert (entry.minutes, entry.status) == (180, "pending")
    assert AuditEvent.objects.filter(verb="attendance.closed_automatically").count() == 1


def test_the_worker_runs_the_closing_every_five_minutes(placed, shift):
    from django.utils import timezone

    from ataa.core.tasks import run_due_periodic, run_pending
    from ataa.hours.tasks import TASK
    from ataa.opportunities.models import Shift

    volunteer, _application = placed
    scan(volunteer, shift, during(shift, 0))
    # The shift took place yesterday: the volunteer never checked out.
    start = timezone.now() - dt.timedelta(days=1)
    Shift.objects.filter(pk=shift.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=3))
    Attendance.objects.update(checked_in_at=start)
    assert TASK in run_due_periodic(timezone.now())
    run_pending()
    attendance = Attendance.objects.get()
    assert attendance.closed_automatically
    assert attendance.checked_out_at == start + dt.timedelta(hours=3)


# --- Geofence -----------------------------------------------------------------------------


@pytest.fixture
def fenced(shift):
    """The shift's opportunity checks locations: 200 m around a point in Jeddah."""
    from decimal import Decimal

    from ataa.opportunities.models import Opportunity

    Opportunity.objects.filter(pk=shift.opportunity_id).update(
        latitude=Decimal("21.543300"), longitude=Decimal("39.172800"), geofence_radius_m=200
    )
    return shift


def test_the_distance_between_two_points():
    from ataa.core.geo import distance_m

    assert distance_m(21.5433, 39.1728, 21.5433, 39.1728) == 0
    # 0.009° of latitude is about a kilometre anywhere.
    assert distance_m(21.5433, 39.1728, 21.5523, 39.1728) == pytest.approx(1000.8, abs=1)
    # Jeddah to Makkah, about 64 km as the crow flies.
    assert distance_m(21.5433, 39.1728, 21.4225, 39.8262) == pytest.approx(68700, rel=0.05)


def test_within_the_radius_the_check_in_keeps_only_the_distance(placed, fenced):
    volunteer, _application = placed
    moment = during(fenced, 5)
    attendance, action = services.scan_code(
        volunteer=volunteer,
        shift_id=fenced.pk,
        code=code_at(fenced, moment),
        latitude=21.5443,  # about 110 m north
        longitude=39.1728,
        now=moment,
    )
    assert action == "checked_in"
    assert 100 <= attendance.check_in_distance_m <= 120


def test_without_a_location_or_too_far_the_check_in_is_refused(placed, fenced):
    volunteer, _application = placed
    moment = during(fenced, 5)
    code = code_at(fenced, moment)
    args = {"volunteer": volunteer, "shift_id": fenced.pk, "code": code, "now": moment}
    error = refused("location_required", services.scan_code, **args)
    assert "location" in error.message
    refused("location_required", services.scan_code, latitude="x", longitude=None, **args)
    error = refused("too_far", services.scan_code, latitude=21.5523, longitude=39.1728, **args)
    assert "1001" in error.message and "200" in error.message
