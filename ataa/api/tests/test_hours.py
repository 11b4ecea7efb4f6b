"""The API of attendance and the hours ledger: the same services as the pages, 404 for another
organization's shifts, attendances and entries, and nothing changed by a refusal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent
from ataa.hours import codes
from ataa.hours import services as hours_services
from ataa.hours.models import Attendance, HourEntry
from ataa.hours.tests import conftest as hours_fixtures
from ataa.opportunities import services as opportunity_services
from ataa.opportunities.models import Application, Opportunity
from ataa.opportunities.tests import conftest as opportunity_fixtures
from conftest import table_state

make_opportunity = opportunity_fixtures.make_opportunity
make_volunteer = opportunity_fixtures.make_volunteer
make_shift = opportunity_fixtures.make_shift
site_opportunity = hours_fixtures.site_opportunity
shift = hours_fixtures.shift
accept = hours_fixtures.accept
placed = hours_fixtures.placed
during = hours_fixtures.during

pytestmark = pytest.mark.django_db

TABLES = (Attendance, HourEntry, AuditEvent, Application)


@pytest.fixture
def clock(monkeypatch):
    """Stand at a chosen moment of a shift: `clock.moment = …` (the services read the time)."""

    class Clock:
        moment: dt.datetime | None = None

    chosen = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: chosen.moment or real_now())
    return chosen


def org(organization) -> str:
    return f"organizations/{organization.pk}"


def code_now(shift) -> str:
    return codes.current_code(shift.pk).code


def refused(api, method, path, body, status, code, *, tables=TABLES) -> dict:
    """The request is refused with `status` and `code`, and no row of `tables` changed."""
    before = table_state(*tables)
    response = api.request(method, path, body)
    assert response.status_code == status, response.content
    error = error_of(response)
    assert error["code"] == code, error
    assert table_state(*tables) == before
    return error


def when(moment: dt.datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def remote(make_opportunity, make_volunteer, accept):
    """An accepted volunteer of a remote opportunity: (volunteer, application)."""
    opportunity = make_opportunity(work_mode=Opportunity.WorkMode.REMOTE, city=None, district=None)
    volunteer = make_volunteer("remote", full_name_ar="هند العتيبي")
    return volunteer, accept(volunteer, opportunity)


HOURS_AGO = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)


def remote_entry(volunteer, application, *, start_hours: int = 0, minutes: int = 90):
    """Pending remote hours, written by the service (days in the past)."""
    start = HOURS_AGO + dt.timedelta(hours=start_hours)
    return hours_services.submit_remote_hours(
        volunteer=volunteer,
        application=application,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        description="ترجمة دليل المتطوعين",
    )


@pytest.fixture
def foreign(other_organization, outsider, make_opportunity, make_volunteer):
    """Another organization's shift, attendance and entry: {"shift", "attendance", "entry"}."""
    opportunity = make_opportunity(org=other_organization, by=outsider)
    zone = timezone.get_default_timezone()
    starts_at = dt.datetime.combine(opportunity.starts_on, dt.time(16), tzinfo=zone)
    theirs = opportunity_services.shift_create(
        opportunity=opportunity,
        created_by=outsider,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        capacity=2,
    )
    volunteer = make_volunteer("foreign")
    opportunity_services.application_accept(
        application=opportunity_services.application_submit(
            volunteer=volunteer, opportunity=opportunity, shift=theirs
        ),
        decided_by=outsider,
    )
    moment = during(theirs, 10)
    attendance, _action = hours_services.scan_code(
        volunteer=volunteer,
        shift_id=theirs.pk,
        code=codes.current_code(theirs.pk, moment).code,
        now=moment,
    )
    hours_services.manual_check_out(
        actor=outsider,
        attendance=attendance,
        at=during(theirs, 100),
        reason="left",
        now=during(theirs, 120),
    )
    return {"shift": theirs, "attendance": attendance, "entry": HourEntry.objects.get()}


# --- Checking in by code ----------------------------------------------------------------------


def test_a_volunteer_checks_in_then_out_by_the_code(placed, shift, clock):
    volunteer, application = placed
    api = ApiClient(volunteer)
    clock.moment = during(shift, 5)
    response = api.post(f"shifts/{shift.pk}/check-in", {"code": code_now(shift).lower()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["action"] == "checked_in"
    attendance = body["attendance"]
    assert attendance["application_id"] == application.pk
    assert attendance["check_in_method"] == "code"
    assert attendance["checked_out_at"] is None and attendance["check_out_method"] is None
    assert dt.datetime.fromisoformat(attendance["checked_in_at"]) == during(shift, 5)

    clock.moment = during(shift, 155)
    body = api.post(f"shifts/{shift.pk}/check-in", {"code": code_now(shift)}).json()
    assert body["action"] == "checked_out"
    assert body["attendance"]["check_out_method"] == "code"
    entry = HourEntry.objects.get()
    assert (entry.minutes, entry.status, entry.volunteer) == (150, "pending", volunteer)


def test_check_in_refusals_say_why_and_change_nothing(
    placed, shift, clock, make_volunteer, accept, site_opportunity, make_shift
):
    volunteer, _application = placed
    api = ApiClient(volunteer)
    url = f"shifts/{shift.pk}/check-in"
    # Before the check-in opens (an hour before the start).
    clock.moment = during(shift, -90)
    refused(api, "POST", url, {"code": code_now(shift)}, 409, "too_early")
    clock.moment = during(shift, 5)
    refused(api, "POST", url, {"code": "AAAA2222"}, 422, "code_invalid")
    stale = codes.current_code(shift.pk, during(shift, 5) - dt.timedelta(minutes=5)).code
    refused(api, "POST", url, {"code": stale}, 422, "code_expired")
    for body in ({}, {"code": ""}, {"code": "x", "latitude": 91}, {"code": "x", "extra": 1}):
        refused(api, "POST", url, body, 422, "invalid_input")
    # The code of another shift is not this shift's code.
    other = make_shift(site_opportunity, capacity=2, hour=8)
    refused(api, "POST", url, {"code": code_now(other)}, 422, "code_invalid")
    # Checked in once: the same code does not check out.
    assert api.post(url, {"code": code_now(shift)}).status_code == 200
    refused(api, "POST", url, {"code": code_now(shift)}, 409, "code_used")


def test_a_shift_without_an_accepted_place_tells_nothing_about_the_shift(
    placed, shift, clock, make_volunteer, site_opportunity
):
    stranger = make_volunteer("stranger")
    api = ApiClient(stranger)
    clock.moment = during(shift, 5)
    for shift_id in (shift.pk, shift.pk + 1000):
        error = refused(
            api,
            "POST",
            f"shifts/{shift_id}/check-in",
            {"code": code_now(shift)},
            409,
            "not_accepted",
        )
        assert site_opportunity.title_en not in error["message"]
        assert site_opportunity.title_ar not in error["message"]


def test_a_geofenced_opportunity_needs_the_location_near_the_site(
    placed, shift, site_opportunity, clock
):
    Opportunity.objects.filter(pk=site_opportunity.pk).update(
        latitude="21.543333", longitude="39.172778", geofence_radius_m=200
    )
    volunteer, _application = placed
    api = ApiClient(volunteer)
    url = f"shifts/{shift.pk}/check-in"
    clock.moment = during(shift, 5)
    code = code_now(shift)
    refused(api, "POST", url, {"code": code}, 422, "location_required")
    far = {"code": code, "latitude": 21.5, "longitude": 39.2}
    refused(api, "POST", url, far, 409, "too_far")
    near = {"code": code, "latitude": 21.5434, "longitude": 39.1728}
    response = api.post(url, near)
    assert response.status_code == 200, response.content
    assert response.json()["attendance"]["check_in_distance_m"] < 200


# --- The coordinator's side of attendance ----------------------------------------------------


def test_the_check_in_code_for_a_screen_of_ones_own(coordinator, organization, shift, clock):
    clock.moment = during(shift, 0)
    response = ApiClient(coordinator).get(f"{org(organization)}/shifts/{shift.pk}/check-in-code")
    assert response.status_code == 200
    body = response.json()
    shown = codes.current_code(shift.pk)
    assert body["code"] == shown.code
    assert dt.datetime.fromisoformat(body["expires_at"]) == shown.expires_at
    assert body["refresh_seconds"] == codes.WINDOW_SECONDS
    assert body["url"].startswith("http://testserver/")
    assert body["url"].endswith(f"/{shift.pk}/?code={shown.code}")
    assert "no-store" in response["Cache-Control"]


def test_the_attendance_list_shows_each_accepted_volunteer(
    coordinator, organization, shift, placed, make_volunteer, accept, site_opportunity, clock
):
    volunteer, application = placed
    absent = make_volunteer("absent", full_name_ar="أحمد الشهري")
    absent_application = accept(absent, site_opportunity, shift)
    clock.moment = during(shift, 5)
    ApiClient(volunteer).post(f"shifts/{shift.pk}/check-in", {"code": code_now(shift)})
    response = ApiClient(coordinator).get(f"{org(organization)}/shifts/{shift.pk}/attendances")
    assert response.status_code == 200
    rows = {row["application_id"]: row for row in response.json()["items"]}
    assert set(rows) == {application.pk, absent_application.pk}
    assert rows[absent_application.pk]["attendance"] is None
    assert rows[absent_application.pk]["volunteer"]["full_name"] == "أحمد الشهري"
    present = rows[application.pk]["attendance"]
    assert present["check_in_method"] == "code"
    assert present["closed_automatically"] is False


def test_the_attendance_list_query_count_does_not_grow(
    coordinator, organization, site_opportunity, make_shift, make_volunteer, accept, clock
):
    big = make_shift(site_opportunity, capacity=9, hour=8)
    api = ApiClient(coordinator)
    url = f"{org(organization)}/shifts/{big.pk}/attendances"
    clock.moment = during(big, 5)
    api.get(url)  # the token's first use is recorded once

    def add(start, count):
        for number in range(start, start + count):
            user = make_volunteer(f"crew{number}")
            application = accept(user, site_opportunity, big)
            if number % 2:
                hours_services.manual_check_in(
                    actor=coordinator, application=application, at=during(big, 1), reason="x"
                )

    add(0, 1)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).json()["count"] == 1
    add(1, 6)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 7
    assert len(few) == len(many)


def test_checking_in_and_out_by_hand(coordinator, organization, shift, placed, clock):
    _volunteer, application = placed
    api = ApiClient(coordinator)
    clock.moment = during(shift, 120)
    response = api.post(
        f"{org(organization)}/shifts/{shift.pk}/attendances",
        {"application_id": application.pk, "at": when(during(shift, 10)), "reason": "لا هاتف"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["check_in_method"], body["checked_in_by_id"]) == ("manual", coordinator.pk)
    assert body["check_in_reason"] == "لا هاتف"
    # A time without an offset is the platform's local time.
    local_end = timezone.localtime(during(shift, 100)).replace(tzinfo=None)
    response = api.post(
        f"{org(organization)}/attendances/{body['id']}/check-out",
        {"at": local_end.isoformat(), "reason": "left early"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["check_out_method"] == "manual"
    entry = HourEntry.objects.get()
    assert (entry.minutes, entry.status, entry.created_by) == (90, "pending", coordinator)


def test_hand_check_in_refusals_change_nothing(
    coordinator,
    organization,
    shift,
    placed,
    clock,
    make_shift,
    site_opportunity,
    accept,
    make_volunteer,
):
    _volunteer, application = placed
    other_shift = make_shift(site_opportunity, hour=8)
    elsewhere = accept(make_volunteer("elsewhere"), site_opportunity, other_shift)
    api = ApiClient(coordinator)
    url = f"{org(organization)}/shifts/{shift.pk}/attendances"
    clock.moment = during(shift, 60)
    good = {"application_id": application.pk, "at": when(during(shift, 10)), "reason": "r"}
    for body, status, code in (
        ({**good, "application_id": elsewhere.pk}, 422, "invalid_input"),
        ({**good, "reason": "  "}, 422, "invalid_input"),
        ({**good, "at": when(during(shift, 500))}, 422, "invalid_input"),
        ({**good, "at": "yesterday"}, 422, "invalid_input"),
        ({"application_id": application.pk}, 422, "invalid_input"),
    ):
        refused(api, "POST", url, body, status, code)
    assert api.post(url, good).status_code == 201
    refused(api, "POST", url, good, 409, "checked_in")
    attendance = Attendance.objects.get()
    out = f"{org(organization)}/attendances/{attendance.pk}/check-out"
    refused(api, "POST", out, {"at": when(during(shift, 5)), "reason": "r"}, 422, "invalid_input")
    assert api.post(out, {"at": when(during(shift, 50)), "reason": "r"}).status_code == 200
    refused(api, "POST", out, {"at": when(during(shift, 55)), "reason": "r"}, 409, "checked_out")


# --- A volunteer's own hours -----------------------------------------------------------------


def test_a_volunteer_submits_remote_hours_and_reads_them(remote, make_volunteer, accept):
    volunteer, application = remote
    someone = make_volunteer("someone")
    remote_entry(someone, accept(someone, application.opportunity), start_hours=-30)
    api = ApiClient(volunteer)
    start = HOURS_AGO
    response = api.post(
        "me/hours",
        {
            "application_id": application.pk,
            "starts_at": when(start),
            "ends_at": when(start + dt.timedelta(minutes=150)),
            "description": "ترجمة دليل المتطوعين",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["minutes"], body["hours"], body["status"], body["source"]) == (
        150,
        2.5,
        "pending",
        "remote",
    )
    assert body["organization"]["id"] == application.opportunity.organization_id
    assert body["has_evidence"] is False
    # Someone else's hours are not listed.
    listed = api.get("me/hours").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert ApiClient(make_volunteer("nobody")).get("me/hours").json()["count"] == 0


def test_remote_hours_refusals_change_nothing(remote, placed):
    volunteer, application = remote
    api = ApiClient(volunteer)
    start = HOURS_AGO
    good = {
        "application_id": application.pk,
        "starts_at": when(start),
        "ends_at": when(start + dt.timedelta(hours=1)),
        "description": "تصميم",
    }
    _site_volunteer, site_application = placed
    for body, status, code in (
        ({**good, "ends_at": when(start - dt.timedelta(hours=1))}, 422, "invalid_input"),
        ({**good, "description": " "}, 422, "invalid_input"),
        ({**good, "application_id": site_application.pk}, 422, "invalid_input"),  # not theirs
        ({**good, "evidence": "x"}, 422, "invalid_input"),
        ({**good, "starts_at": "soon"}, 422, "invalid_input"),
    ):
        refused(api, "POST", "me/hours", body, status, code)
    site_volunteer, site_application = placed
    site_body = {**good, "application_id": site_application.pk}
    refused(ApiClient(site_volunteer), "POST", "me/hours", site_body, 409, "not_remote")
    assert api.post("me/hours", good).status_code == 201
    later = {**good, "starts_at": when(start + dt.timedelta(minutes=30))}
    later["ends_at"] = when(start + dt.timedelta(minutes=90))
    refused(api, "POST", "me/hours", later, 409, "hours_overlap")


def test_my_totals_count_approved_and_pending_hours(remote, coordinator):
    volunteer, application = remote
    first = remote_entry(volunteer, application, minutes=120)
    remote_entry(volunteer, application, start_hours=5, minutes=30)
    hours_services.approve_hours(
        actor=coordinator,
        organization_id=application.opportunity.organization_id,
        entry_ids=[first.pk],
    )
    body = ApiClient(volunteer).get("me/hours/totals").json()
    assert (body["approved_minutes"], body["pending_minutes"], body["entries"]) == (120, 30, 2)
    assert (body["approved_hours"], body["pending_hours"]) == (2.0, 0.5)
    [by_organization] = body["organizations"]
    assert by_organization["organization"]["id"] == application.opportunity.organization_id
    assert by_organization["approved_minutes"] == 120


# --- The organization's ledger ----------------------------------------------------------------


@pytest.fixture
def ledger(remote, make_volunteer, accept):
    """Two pending entries of two volunteers on the remote opportunity."""
    volunteer, application = remote
    second = make_volunteer("second", full_name_ar="نورة القحطاني")
    second_application = accept(second, application.opportunity)
    return [
        remote_entry(volunteer, application),
        remote_entry(second, second_application, minutes=45),
    ]


def test_the_organization_lists_its_hours_with_filters(
    coordinator, organization, ledger, make_opportunity
):
    api = ApiClient(coordinator)
    body = api.get(f"{org(organization)}/hours").json()
    assert body["count"] == 2
    names = {item["volunteer"]["full_name"] for item in body["items"]}
    assert names == {"هند العتيبي", "نورة القحطاني"}
    pending = api.get(f"{org(organization)}/hours", status="pending").json()["items"]
    assert [item["id"] for item in pending] == [entry.pk for entry in ledger]  # oldest first
    assert api.get(f"{org(organization)}/hours", status="approved").json()["count"] == 0
    other = make_opportunity()
    assert api.get(f"{org(organization)}/hours", opportunity_id=other.pk).json()["count"] == 0
    refused(api, "GET", f"{org(organization)}/hours?status=maybe", None, 422, "invalid_input")


def test_the_organization_hours_list_query_count_does_not_grow(
    coordinator, organization, remote, placed, shift, make_volunteer, accept
):
    volunteer, application = remote
    api = ApiClient(coordinator)
    url = f"{org(organization)}/hours"
    api.get(url)  # the token's first use is recorded once
    remote_entry(volunteer, application)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).json()["count"] == 1
    for number in range(1, 6):
        remote_entry(volunteer, application, start_hours=3 * number)
    # An entry from an attendance, with its check-in evidence.
    _site_volunteer, site_application = placed
    hours_services.manual_check_in(
        actor=coordinator,
        application=site_application,
        at=during(shift, 0),
        reason="r",
        now=during(shift, 0),
    )
    hours_services.manual_check_out(
        actor=coordinator,
        attendance=Attendance.objects.get(),
        at=during(shift, 60),
        reason="r",
        now=during(shift, 60),
    )
    with CaptureQueriesContext(connection) as many:
        body = api.get(url).json()
    assert body["count"] == 7
    assert any(item["attendance"] for item in body["items"])
    assert len(few) == len(many)


def test_approve_reject_and_correct(coordinator, organization, ledger):
    first, second = ledger
    api = ApiClient(coordinator)
    response = api.post(f"{org(organization)}/hours/approve", {"entry_ids": [first.pk]})
    assert response.status_code == 200 and response.json() == {"approved": 1}
    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("approved", coordinator)

    response = api.post(f"{org(organization)}/hours/{second.pk}/reject", {"note": "لا دليل"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_note"]) == ("rejected", "لا دليل")

    start = first.starts_at
    response = api.post(
        f"{org(organization)}/hours/{first.pk}/correct",
        {
            "starts_at": when(start),
            "ends_at": when(start + dt.timedelta(minutes=60)),
            "reason": "خطأ في وقت الانصراف",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["corrects_id"], body["minutes"], body["status"]) == (first.pk, 60, "approved")
    assert body["source"] == "correction" and body["created_by_id"] == coordinator.pk
    first.refresh_from_db()
    assert first.status == "superseded"


def test_ledger_refusals_change_nothing(coordinator, organization, ledger):
    first, second = ledger
    api = ApiClient(coordinator)
    base = f"{org(organization)}/hours"
    api.post(f"{base}/approve", {"entry_ids": [first.pk]})
    refused(api, "POST", f"{base}/approve", {"entry_ids": [first.pk]}, 409, "not_pending")
    refused(api, "POST", f"{base}/approve", {"entry_ids": []}, 422, "invalid_input")
    refused(api, "POST", f"{base}/{first.pk}/reject", {"note": "x"}, 409, "not_pending")
    refused(api, "POST", f"{base}/{second.pk}/reject", {"note": " "}, 422, "invalid_input")
    refused(api, "POST", f"{base}/{second.pk}/reject", {}, 422, "invalid_input")
    start = second.starts_at
    correction = {
        "starts_at": when(start),
        "ends_at": when(start - dt.timedelta(minutes=5)),
        "reason": "r",
    }
    refused(api, "POST", f"{base}/{second.pk}/correct", correction, 422, "invalid_input")
    # A correction may not overlap the volunteer's other hours.
    overlap = {
        "starts_at": when(first.starts_at),
        "ends_at": when(first.ends_at),
        "reason": "r",
    }
    third = remote_entry(
        first.volunteer, Application.objects.get(volunteer=first.volunteer), start_hours=8
    )
    refused(api, "POST", f"{base}/{third.pk}/correct", overlap, 409, "hours_overlap")
    api.post(f"{base}/{second.pk}/reject", {"note": "لا دليل"})
    good = {**correction, "ends_at": when(start + dt.timedelta(minutes=5))}
    refused(api, "POST", f"{base}/{second.pk}/correct", good, 409, "not_correctable")


def test_totals_by_opportunity_field_and_month(coordinator, organization, ledger):
    first, _second = ledger
    api = ApiClient(coordinator)
    api.post(f"{org(organization)}/hours/approve", {"entry_ids": [first.pk]})
    base = f"{org(organization)}/hours/totals"
    body = api.get(base).json()
    assert (body["approved_minutes"], body["pending_minutes"], body["by"]) == (
        90,
        45,
        "opportunity",
    )
    [group] = body["groups"]
    assert (group["id"], group["approved_minutes"], group["entries"]) == (
        first.opportunity_id,
        90,
        1,
    )
    assert group["name_ar"] == first.opportunity.title_ar
    [month] = api.get(base, by="month").json()["groups"]
    assert month["month"] == timezone.localtime(first.starts_at).date().replace(day=1).isoformat()
    [field] = api.get(base, by="field").json()["groups"]
    assert field["approved_minutes"] == 90
    later = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert api.get(base, since=later).json()["approved_minutes"] == 0
    refused(api, "GET", f"{base}?by=volunteer", None, 422, "invalid_input")


# --- Access -----------------------------------------------------------------------------------


def manager_requests(organization, shift_id, attendance_id, entry_id) -> list[tuple]:
    base = org(organization)
    moment = when(timezone.now() - dt.timedelta(hours=1))
    return [
        ("GET", f"{base}/shifts/{shift_id}/check-in-code", None),
        ("GET", f"{base}/shifts/{shift_id}/attendances", None),
        (
            "POST",
            f"{base}/shifts/{shift_id}/attendances",
            {"application_id": 1, "at": moment, "reason": "r"},
        ),
        ("POST", f"{base}/attendances/{attendance_id}/check-out", {"at": moment, "reason": "r"}),
        ("GET", f"{base}/hours", None),
        ("POST", f"{base}/hours/approve", {"entry_ids": [entry_id]}),
        ("POST", f"{base}/hours/{entry_id}/reject", {"note": "n"}),
        (
            "POST",
            f"{base}/hours/{entry_id}/correct",
            {"starts_at": moment, "ends_at": moment, "reason": "r"},
        ),
        ("GET", f"{base}/hours/totals", None),
    ]


def test_another_organizations_shifts_attendances_and_entries_are_404(
    coordinator, organization, foreign, ledger
):
    api = ApiClient(coordinator)
    requests = manager_requests(
        organization, foreign["shift"].pk, foreign["attendance"].pk, foreign["entry"].pk
    )
    state = table_state(*TABLES)
    for method, path, body in requests:
        if path.endswith(("/hours", "/totals")):
            continue  # lists of the caller's own organization
        response = api.request(method, path, body)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"
    # Mixed with an entry of its own, a foreign entry makes the whole approval 404.
    mixed = {"entry_ids": [ledger[0].pk, foreign["entry"].pk]}
    refused(api, "POST", f"{org(organization)}/hours/approve", mixed, 404, "not_found")
    # Nor do the lists show another organization's rows.
    listed = api.get(f"{org(organization)}/hours").json()["items"]
    assert foreign["entry"].pk not in {item["id"] for item in listed}
    assert table_state(*TABLES) == state


def test_manager_routes_are_refused_to_everyone_else(
    organization, shift, placed, ledger, case_worker, auditor, outsider, clock, coordinator
):
    volunteer, application = placed
    clock.moment = during(shift, 30)
    attendance = hours_services.manual_check_in(
        actor=coordinator, application=application, at=during(shift, 5), reason="r"
    )
    entry = ledger[0]
    requests = manager_requests(organization, shift.pk, attendance.pk, entry.pk)
    people = ((volunteer, 404), (outsider, 404), (case_worker, 403), (auditor, 403))
    clients = [(ApiClient(person), person, status) for person, status in people]
    state = table_state(*TABLES)
    for api, person, status in clients:
        for method, path, body in requests:
            response = api.request(method, path, body)
            assert response.status_code == status, (person, path)
            error_of(response)
    assert table_state(*TABLES) == state


def test_audit_payloads_hold_no_personal_data(
    coordinator, organization, shift, placed, ledger, clock
):
    volunteer, _application = placed
    api = ApiClient(coordinator)
    clock.moment = during(shift, 5)
    ApiClient(volunteer).post(f"shifts/{shift.pk}/check-in", {"code": code_now(shift)})
    clock.moment = during(shift, 100)
    attendance = Attendance.objects.get()
    api.post(
        f"{org(organization)}/attendances/{attendance.pk}/check-out",
        {"at": when(during(shift, 90)), "reason": "غادر مبكرًا"},
    )
    first, second = ledger
    api.post(f"{org(organization)}/hours/approve", {"entry_ids": [first.pk]})
    api.post(f"{org(organization)}/hours/{second.pk}/reject", {"note": "لا دليل"})
    events = AuditEvent.objects.filter(
        verb__in=[
            "attendance.checked_in",
            "attendance.checked_out",
            "hours.submitted",
            "hours.approved",
            "hours.rejected",
        ]
    )
    assert events.count() == 6
    dumped = json.dumps([event.payload for event in events], ensure_ascii=False)
    for private in ("هند", "نورة", "ريم", "+9665", "example.com", "غادر", "لا دليل"):
        assert private not in dumped
