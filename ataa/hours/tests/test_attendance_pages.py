"""The check-in pages: the coordinator's screen (rotating code, the volunteers' state, check-in
and check-out by hand), the volunteer's check-in page, and the scanner page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.core.models import AuditEvent
from ataa.hours import codes, services
from ataa.hours.models import Attendance, HourEntry
from ataa.opportunities.models import Application, Opportunity, Shift
from conftest import table_state

pytestmark = pytest.mark.django_db

WINDOW = dt.timedelta(seconds=codes.WINDOW_SECONDS)
TABLES = (Attendance, HourEntry, AuditEvent, Application)


def sign_in(client, user) -> None:
    """Signed in as `user`, who reads the pages in English (the tests read English sentences)."""
    type(user).objects.filter(pk=user.pk).update(preferred_language="en")
    client.force_login(user)


@pytest.fixture
def now_shift(shift, placed):
    """`shift`, moved to have started ten minutes ago (the services refuse to create shifts in
    the past, so the accepted place is made first)."""
    now = timezone.now()
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=now - dt.timedelta(minutes=10), ends_at=now + dt.timedelta(hours=3)
    )
    shift.refresh_from_db()
    return shift


def screen(shift) -> str:
    opportunity = shift.opportunity
    return (
        f"/orgs/{opportunity.organization_id}/opportunities/{opportunity.pk}"
        f"/shifts/{shift.pk}/check-in/"
    )


def good_codes(shift) -> set[str]:
    """The code now and the one before (a test can run across the change of window)."""
    now = timezone.now()
    return {codes.current_code(shift.pk, now).code, codes.current_code(shift.pk, now - WINDOW).code}


def grouped(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


# --- The coordinator's screen -----------------------------------------------------------------


def test_the_screen_shows_the_qr_code_the_typed_code_and_the_volunteers(
    client, coordinator, shift, placed
):
    sign_in(client, coordinator)
    response = client.get(screen(shift))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg role="img" aria-label="QR code to check in to this shift.' in page
    assert any(grouped(code) in page for code in good_codes(shift))
    assert any(
        f'data-check-in-url="http://testserver/check-in/{shift.pk}/?code={code}"' in page
        for code in good_codes(shift)
    )
    assert f'hx-get="{screen(shift)}code/"' in page
    assert "reload the page" in page  # the <noscript> notice
    assert "ريم الدوسري" in page  # the accepted volunteer's name
    assert "Not checked in yet" in page


def test_the_code_fragment_is_the_current_code_and_not_cached(client, coordinator, shift):
    sign_in(client, coordinator)
    response = client.get(screen(shift) + "code/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert any(grouped(code) in page for code in good_codes(shift))
    assert "<html" not in page


@pytest.mark.parametrize("persona", ["outsider", "volunteer", "stranger"])
def test_others_get_404_on_the_screen_and_its_forms(client, request, persona, shift, placed):
    sign_in(client, request.getfixturevalue(persona))
    _volunteer, application = placed
    before = table_state(*TABLES)
    assert client.get(screen(shift)).status_code == 404
    assert client.get(screen(shift) + "code/").status_code == 404
    form = {"at": "16:30", "reason": "phone battery"}
    assert client.post(screen(shift) + f"{application.pk}/in/", form).status_code == 404
    assert client.post(screen(shift) + f"{application.pk}/out/", form).status_code == 404
    assert table_state(*TABLES) == before


def test_a_case_worker_is_refused_the_screen(client, case_worker, shift):
    sign_in(client, case_worker)
    assert client.get(screen(shift)).status_code == 403


def test_a_shift_of_another_opportunity_is_404(client, coordinator, shift, make_opportunity):
    other = make_opportunity()
    sign_in(client, coordinator)
    url = f"/orgs/{other.organization_id}/opportunities/{other.pk}/shifts/{shift.pk}/check-in/"
    assert client.get(url).status_code == 404


def test_the_screen_makes_as_many_queries_for_many_volunteers_as_for_one(
    client, coordinator, shift, placed, make_volunteer, accept
):
    sign_in(client, coordinator)
    client.get(screen(shift))  # warm the caches of the session and the reference lists
    with CaptureQueriesContext(connection) as one:
        assert client.get(screen(shift)).status_code == 200
    for name in ("second", "third"):
        accept(make_volunteer(name), shift.opportunity, shift)
    volunteer, _application = placed
    now = timezone.now()
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=now - dt.timedelta(minutes=10), ends_at=now + dt.timedelta(hours=3)
    )
    services.scan_code(
        volunteer=volunteer, shift_id=shift.pk, code=codes.current_code(shift.pk).code
    )
    with CaptureQueriesContext(connection) as three:
        response = client.get(screen(shift))
    assert response.content.decode().count('class="check-in-row"') == 3
    assert len(three) == len(one)


def test_a_coordinator_checks_a_volunteer_in_and_out_by_hand(
    client, coordinator, now_shift, placed
):
    _volunteer, application = placed
    sign_in(client, coordinator)
    arrived = timezone.localtime(now_shift.starts_at + dt.timedelta(minutes=5))
    response = client.post(
        screen(now_shift) + f"{application.pk}/in/",
        {"at": arrived.strftime("%H:%M"), "reason": "Her phone has no battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == screen(now_shift)
    assert f"Checked in by hand at {arrived:%H:%M}" in response.content.decode()
    attendance = Attendance.objects.get(application=application)
    assert attendance.check_in_method == Attendance.Method.MANUAL
    assert attendance.checked_in_by == coordinator
    assert attendance.check_in_reason == "Her phone has no battery"
    assert timezone.localtime(attendance.checked_in_at).strftime("%H:%M") == f"{arrived:%H:%M}"

    left = timezone.localtime(timezone.now())
    response = client.post(
        screen(now_shift) + f"{application.pk}/out/",
        {"at": left.strftime("%H:%M"), "reason": "She left early"},
        follow=True,
    )
    assert f"Checked out by hand at {left:%H:%M}" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.check_out_method == Attendance.Method.MANUAL
    assert HourEntry.objects.get().attendance == attendance
    assert "She left early" in response.content.decode()


def test_a_check_in_by_hand_without_a_reason_is_refused_and_changes_nothing(
    client, coordinator, now_shift, placed
):
    _volunteer, application = placed
    sign_in(client, coordinator)
    before = table_state(*TABLES)
    arrived = timezone.localtime(now_shift.starts_at)
    for data in (
        {"at": arrived.strftime("%H:%M"), "reason": "   "},
        {"at": "not a time", "reason": "late"},
        {"at": "", "reason": "x" * 10_000},
    ):
        response = client.post(screen(now_shift) + f"{application.pk}/in/", data, follow=True)
        assert response.status_code == 200
        assert 'class="message error"' in response.content.decode()
    assert table_state(*TABLES) == before


def test_the_service_refusal_of_a_check_in_by_hand_is_shown(client, coordinator, shift, placed):
    _volunteer, application = placed
    sign_in(client, coordinator)
    before = table_state(*TABLES)
    # The shift is three days ahead: a time on its day is still to come.
    response = client.post(
        screen(shift) + f"{application.pk}/in/",
        {"at": "16:05", "reason": "late"},
        follow=True,
    )
    assert "This time is still to come." in response.content.decode()
    assert table_state(*TABLES) == before


def test_a_check_out_by_hand_needs_a_check_in(client, coordinator, now_shift, placed):
    _volunteer, application = placed
    sign_in(client, coordinator)
    response = client.post(
        screen(now_shift) + f"{application.pk}/out/", {"at": "16:00", "reason": "left"}
    )
    assert response.status_code == 404


def test_an_application_of_another_shift_is_404_on_this_screen(
    client, coordinator, shift, make_shift, make_volunteer, accept
):
    other_shift = make_shift(shift.opportunity, capacity=1, hour=8)
    application = accept(make_volunteer("early"), shift.opportunity, other_shift)
    sign_in(client, coordinator)
    response = client.post(screen(shift) + f"{application.pk}/in/", {"at": "8:00", "reason": "x"})
    assert response.status_code == 404


# --- The volunteer's check-in page ------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, shift):
    for response in (client.get(f"/check-in/{shift.pk}/"), client.get("/volunteer/check-in/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_check_in_page_is_prefilled_from_the_qr_code_and_changes_nothing(
    client, now_shift, placed
):
    volunteer, _application = placed
    sign_in(client, volunteer)
    before = table_state(*TABLES)
    response = client.get(f"/check-in/{now_shift.pk}/", {"code": "ABCD2345"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="ABCD2345"' in page
    assert "Ramadan food basket distribution" in page
    assert "SECRET-ADDRESS" in page  # accepted: the exact address is shown
    assert "Check in / out" in page
    assert table_state(*TABLES) == before


def test_a_volunteer_checks_in_then_out_with_the_code(client, now_shift, placed):
    volunteer, application = placed
    sign_in(client, volunteer)
    url = f"/check-in/{now_shift.pk}/"
    code = codes.current_code(now_shift.pk).code
    response = client.post(url, {"code": grouped(code).lower()}, follow=True)
    assert response.redirect_chain[-1][0] == url
    attendance = Attendance.objects.get(application=application)
    assert attendance.check_in_method == Attendance.Method.CODE
    page = response.content.decode()
    checked_in = timezone.localtime(attendance.checked_in_at)
    assert f"Checked in at {checked_in:%H:%M}" in page
    assert "scan the new code" in page

    # Checking out needs the next window's code: stand as if the check-in was 2 h 57 min ago.
    Attendance.objects.filter(pk=attendance.pk).update(
        checked_in_at=timezone.now() - dt.timedelta(hours=2, minutes=57, seconds=20),
        last_code_window=attendance.last_code_window - 1,
    )
    response = client.post(url, {"code": code}, follow=True)
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None
    page = response.content.decode()
    assert "2 hours 57 minutes recorded, waiting for approval" in page
    assert HourEntry.objects.get(attendance=attendance).status == HourEntry.Status.PENDING
    assert "Check in / out" not in page  # nothing left to scan


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("WRONG234", "This is not the code of this shift."),
        ("", "This field is required."),
        ("x" * 10_000, "Ensure this value has at most 32 characters"),
        ("<script>alert(1)</script>", "This is not the code of this shift."),
    ],
)
def test_a_wrong_code_is_refused_with_the_form_and_changes_nothing(
    client, now_shift, placed, code, message
):
    volunteer, _application = placed
    sign_in(client, volunteer)
    before = table_state(*TABLES)
    response = client.post(f"/check-in/{now_shift.pk}/", {"code": code})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Check in / out" in page
    assert "<script>alert(1)</script>" not in page
    assert table_state(*TABLES) == before


def test_an_expired_code_says_so(client, now_shift, placed):
    volunteer, _application = placed
    sign_in(client, volunteer)
    old = codes.current_code(now_shift.pk, timezone.now() - 3 * WINDOW).code
    response = client.post(f"/check-in/{now_shift.pk}/", {"code": old})
    assert "This code has expired." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_volunteer_not_accepted_sees_the_refusal_and_no_address(
    client, now_shift, make_volunteer
):
    waiting = make_volunteer("waiting")
    Application.objects.create(
        volunteer=waiting,
        opportunity=now_shift.opportunity,
        shift=now_shift,
        status=Application.Status.PENDING,
    )
    sign_in(client, waiting)
    before = table_state(*TABLES)
    for response in (
        client.get(f"/check-in/{now_shift.pk}/"),
        client.post(f"/check-in/{now_shift.pk}/", {"code": codes.current_code(now_shift.pk).code}),
    ):
        assert response.status_code == 200
        page = response.content.decode()
        assert "You do not have an accepted place on this shift" in page
        assert "SECRET-ADDRESS" not in page
        assert "Check in / out" not in page
    assert table_state(*TABLES) == before


def test_someone_without_an_application_gets_404(client, now_shift, placed, make_volunteer):
    sign_in(client, make_volunteer("passer-by"))
    before = table_state(*TABLES)
    assert client.get(f"/check-in/{now_shift.pk}/").status_code == 404
    code = codes.current_code(now_shift.pk).code
    assert client.post(f"/check-in/{now_shift.pk}/", {"code": code}).status_code == 404
    assert client.get("/check-in/999999/").status_code == 404
    assert table_state(*TABLES) == before


def test_without_a_map_point_the_page_does_not_ask_for_the_location(client, now_shift, placed):
    volunteer, _application = placed
    Opportunity.objects.filter(pk=now_shift.opportunity_id).update(geofence_radius_m=150)
    sign_in(client, volunteer)
    page = client.get(f"/check-in/{now_shift.pk}/").content.decode()
    assert "data-geofence" not in page


def test_a_geofenced_opportunity_explains_why_it_asks_for_the_location(client, now_shift, placed):
    volunteer, _application = placed
    Opportunity.objects.filter(pk=now_shift.opportunity_id).update(
        geofence_radius_m=150, latitude="21.543333", longitude="39.172778"
    )
    sign_in(client, volunteer)
    page = client.get(f"/check-in/{now_shift.pk}/").content.decode()
    assert 'data-geofence="150"' in page
    assert "within 150 metres of the site" in page
    assert 'name="latitude"' in page and 'name="longitude"' in page
    assert "js/check-in.js" in page


def test_a_geofenced_check_in_without_a_location_is_refused(client, now_shift, placed):
    volunteer, _application = placed
    Opportunity.objects.filter(pk=now_shift.opportunity_id).update(
        geofence_radius_m=150, latitude="21.543333", longitude="39.172778"
    )
    sign_in(client, volunteer)
    before = table_state(*TABLES)
    code = codes.current_code(now_shift.pk).code
    response = client.post(f"/check-in/{now_shift.pk}/", {"code": code})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This opportunity checks that you are at the site: allow this page" in page
    assert "Check in / out" in page
    far = {"code": code, "latitude": "21.600000", "longitude": "39.172778"}  # 6 km north
    page = client.post(f"/check-in/{now_shift.pk}/", far).content.decode()
    assert "checking in works within 150 metres" in page
    assert table_state(*TABLES) == before
    response = client.post(
        f"/check-in/{now_shift.pk}/",
        {"code": code, "latitude": "21.543400", "longitude": "39.172700"},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(volunteer=volunteer).exists()


# --- The scanner page -------------------------------------------------------------------------


def test_the_scanner_page_lists_todays_accepted_shifts_with_a_code_form(
    client, now_shift, placed, make_shift, accept
):
    volunteer, _application = placed
    later = make_shift(now_shift.opportunity, capacity=1, hour=8)  # in three days
    accept(volunteer, now_shift.opportunity, later)
    sign_in(client, volunteer)
    response = client.get("/volunteer/check-in/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'action="/check-in/{now_shift.pk}/"' in page
    assert f"/check-in/{later.pk}/" not in page
    assert 'id="scan-start"' in page and "vendor/jsQR.js" in page
    assert "Camera view" in page


def test_the_scanner_page_without_shifts_today(client, volunteer):
    sign_in(client, volunteer)
    response = client.get("/volunteer/check-in/")
    assert "You have no accepted shift today." in response.content.decode()


def test_my_shifts_offers_the_check_in_of_todays_shift(client, now_shift, placed):
    volunteer, _application = placed
    sign_in(client, volunteer)
    page = client.get("/volunteer/shifts/").content.decode()
    assert f'href="/check-in/{now_shift.pk}/"' in page
    assert 'href="/volunteer/check-in/"' in page


def test_the_shift_list_and_the_roster_link_to_the_check_in_screen(client, coordinator, shift):
    sign_in(client, coordinator)
    opportunity = shift.opportunity
    base = f"/orgs/{opportunity.organization_id}/opportunities/{opportunity.pk}"
    for url in (f"{base}/shifts/", f"{base}/shifts/{shift.pk}/roster/"):
        assert f'href="{screen(shift)}"' in client.get(url).content.decode()


def test_the_screen_answers_405_to_a_post(client, coordinator, shift):
    sign_in(client, coordinator)
    assert client.post(screen(shift)).status_code == 405
    assert client.post(screen(shift) + "code/").status_code == 405
