"""The hours ledger pages: a volunteer's hours (and remote submission with evidence), and the
organization's hours where coordinators approve, reject and correct."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.core.models import AuditEvent
from ataa.hours import services
from ataa.hours.models import HourEntry
from ataa.opportunities import services as opportunity_services
from ataa.opportunities.models import Opportunity
from conftest import table_state

from .conftest import during

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MY_HOURS = "/volunteer/hours/"


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English, so the tests read the messages as written."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.ATAA_PRIVATE_ROOT = tmp_path / "private"
    return settings.ATAA_PRIVATE_ROOT


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def remote_opportunity(make_opportunity):
    return make_opportunity(work_mode=Opportunity.WorkMode.REMOTE, city=None, district=None)


@pytest.fixture
def remote(remote_opportunity, make_volunteer, accept):
    """An accepted volunteer of a remote opportunity: (volunteer, application)."""
    volunteer = make_volunteer("remote")
    return volunteer, accept(volunteer, remote_opportunity)


def yesterday_at(hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def submit(volunteer, application, *, hour=10, minutes=90, evidence=None):
    start = yesterday_at(hour)
    return services.submit_remote_hours(
        volunteer=volunteer,
        application=application,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        description="ترجمة دليل المتطوعين",
        evidence=evidence,
    )


def form_data(application, **overrides) -> dict:
    data = {
        "application": application.pk,
        "day": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "starts_at": "10:00",
        "ends_at": "12:30",
        "description": "راجعت ترجمة الدليل",
    }
    data.update(overrides)
    return data


def pdf(name="report.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def org_url(organization, rest: str = "") -> str:
    return f"/orgs/{organization.pk}/hours/{rest}"


@pytest.fixture
def foreign_entry(other_organization, outsider, make_opportunity, make_volunteer):
    """A pending entry, with evidence, of the other organization."""
    opportunity = make_opportunity(
        org=other_organization,
        by=outsider,
        work_mode=Opportunity.WorkMode.REMOTE,
        city=None,
        district=None,
    )
    volunteer = make_volunteer("elsewhere")
    application = opportunity_services.application_submit(
        volunteer=volunteer, opportunity=opportunity
    )
    application = opportunity_services.application_accept(
        application=application, decided_by=outsider
    )
    return submit(volunteer, application, evidence=pdf())


# --- Access -----------------------------------------------------------------------------------


def test_my_hours_needs_a_sign_in(client):
    response = client.get(MY_HOURS)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "/accounts/" in response["Location"]


def test_the_organization_hours_are_for_its_admins_and_coordinators(
    client, organization, org_admin, coordinator, case_worker, auditor, outsider
):
    for user, status in [
        (org_admin, 200),
        (coordinator, 200),
        (case_worker, 403),
        (auditor, 403),
        (outsider, 404),
    ]:
        client.force_login(user)
        assert client.get(org_url(organization)).status_code == status, user.email


def test_another_organizations_entries_answer_404_and_change_nothing(
    client, organization, coordinator, foreign_entry
):
    client.force_login(coordinator)
    before = table_state(HourEntry, AuditEvent)
    pk = foreign_entry.pk
    assert client.get(org_url(organization, f"{pk}/evidence/")).status_code == 404
    assert client.get(org_url(organization, f"{pk}/correct/")).status_code == 404
    assert client.post(org_url(organization, f"{pk}/reject/"), {"note": "x"}).status_code == 404
    response = client.post(org_url(organization, "approve/"), {"entry": [pk]})
    assert response.status_code == 302
    assert table_state(HourEntry, AuditEvent) == before
    # and the other organization's list answers 404 to this coordinator
    assert client.get(org_url(foreign_entry.organization)).status_code == 404


def test_a_volunteer_only_downloads_their_own_evidence(client, make_volunteer, foreign_entry):
    client.force_login(foreign_entry.volunteer)
    response = client.get(f"/volunteer/hours/{foreign_entry.pk}/evidence/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(make_volunteer("curious"))
    assert client.get(f"/volunteer/hours/{foreign_entry.pk}/evidence/").status_code == 404


# --- The volunteer's page ---------------------------------------------------------------------


def test_a_remote_volunteer_submits_hours_with_evidence(client, remote, private_root):
    volunteer, application = remote
    client.force_login(volunteer)
    page = client.get(MY_HOURS)
    assert page.status_code == 200
    assert b'name="evidence"' in page.content
    response = client.post(MY_HOURS, {**form_data(application), "evidence": pdf()}, follow=True)
    assert response.status_code == 200
    entry = HourEntry.objects.get()
    assert (entry.minutes, entry.status, entry.source) == (150, "pending", "remote")
    assert timezone.localtime(entry.starts_at).time() == dt.time(10, 0)
    assert entry.evidence.name.startswith("hours/evidence/")
    assert entry.evidence.name.endswith(".pdf")
    assert "report" not in entry.evidence.name  # the upload's own name is not kept
    assert len(stored_files(private_root)) == 1
    content = response.content.decode()
    assert [str(message) for message in response.context["messages"]] == [
        "Your hours are recorded. They wait for a coordinator's approval."
    ]
    assert f"/volunteer/hours/{entry.pk}/evidence/" in content
    assert AuditEvent.objects.filter(verb="hours.submitted").count() == 1


def test_hours_past_midnight_end_on_the_next_day(client, remote):
    volunteer, application = remote
    client.force_login(volunteer)
    data = form_data(
        application,
        day=(timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        starts_at="23:00",
        ends_at="01:00",
    )
    client.post(MY_HOURS, data)
    assert HourEntry.objects.get().minutes == 120


@pytest.mark.parametrize(
    "upload",
    [
        pdf("notes.txt", b"just some text", "text/plain"),
        pdf("virus.exe", b"MZ\x90\x00", "application/octet-stream"),
        pdf("fake.pdf", b"not really a pdf at all", "application/pdf"),  # content decides
        pdf("report.pdf", PDF, "text/html"),  # content type must match the extension
        pdf("big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n"),
    ],
    ids=["text", "exe", "fake-pdf", "wrong-type", "too-big"],
)
def test_a_refused_evidence_file_writes_nothing(client, remote, private_root, upload):
    volunteer, application = remote
    client.force_login(volunteer)
    before = table_state(HourEntry, AuditEvent)
    response = client.post(MY_HOURS, {**form_data(application), "evidence": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["evidence"]
    assert errors and ("5 MB" in errors[0] or "PDF, JPEG or PNG" in errors[0])
    assert table_state(HourEntry, AuditEvent) == before
    assert stored_files(private_root) == []


def test_overlapping_hours_are_refused_with_the_message_and_write_nothing(
    client, remote, private_root
):
    volunteer, application = remote
    submit(volunteer, application, hour=11, minutes=60)  # 11:00–12:00 yesterday
    client.force_login(volunteer)
    before = table_state(HourEntry, AuditEvent)
    response = client.post(MY_HOURS, {**form_data(application), "evidence": pdf()})
    assert response.status_code == 200
    assert "overlap" in " ".join(response.context["form"].non_field_errors())
    assert table_state(HourEntry, AuditEvent) == before
    assert stored_files(private_root) == []


def test_bad_times_show_on_the_field_and_write_nothing(client, remote):
    volunteer, application = remote
    client.force_login(volunteer)
    before = table_state(HourEntry, AuditEvent)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(MY_HOURS, form_data(application, day=tomorrow))
    assert response.context["form"].errors["ends_at"]
    response = client.post(MY_HOURS, form_data(application, description="  "))
    assert response.context["form"].errors["description"]
    assert table_state(HourEntry, AuditEvent) == before


def test_an_on_site_volunteer_has_no_form_and_cannot_post(client, placed):
    volunteer, application = placed
    client.force_login(volunteer)
    page = client.get(MY_HOURS)
    assert page.status_code == 200
    assert page.context["form"] is None
    before = table_state(HourEntry, AuditEvent)
    response = client.post(MY_HOURS, form_data(application))
    assert response.status_code == 302
    assert table_state(HourEntry, AuditEvent) == before


def test_a_volunteer_cannot_submit_for_another_volunteers_application(
    client, remote, make_volunteer, accept, remote_opportunity
):
    _volunteer, application = remote
    other = make_volunteer("other")
    accept(other, remote_opportunity)
    client.force_login(other)
    before = table_state(HourEntry, AuditEvent)
    response = client.post(MY_HOURS, form_data(application))
    assert response.context["form"].errors["application"]
    assert table_state(HourEntry, AuditEvent) == before


def test_the_volunteer_sees_totals_the_rejection_note_and_the_correction(
    client, remote, coordinator
):
    volunteer, application = remote
    kept = submit(volunteer, application, hour=8, minutes=60)
    refused = submit(volunteer, application, hour=10, minutes=30)
    services.approve_hours(
        actor=coordinator, organization_id=kept.organization_id, entry_ids=[kept.pk]
    )
    services.reject_hours(actor=coordinator, entry=refused, note="لا يوجد ما يثبت العمل")
    start = yesterday_at(14)
    services.correct_hours(
        actor=coordinator,
        entry=submit(volunteer, application, hour=14, minutes=200),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=120),
        reason="كانت ساعتين فقط",
    )
    client.force_login(volunteer)
    response = client.get(MY_HOURS)
    content = response.content.decode()
    assert response.context["approved"] == "3 h 00 min"  # 60 approved + 120 corrected
    assert response.context["pending"] == "0 h 00 min"
    assert "لا يوجد ما يثبت العمل" in content
    assert "كانت ساعتين فقط" in content
    assert "A coordinator replaced these hours with a correction." in content
    assert [row["duration"] for row in response.context["by_organization"]] == ["3 h 00 min"]


# --- The organization's page ------------------------------------------------------------------


def test_a_coordinator_approves_chosen_hours_in_bulk(client, coordinator, organization, remote):
    volunteer, application = remote
    first = submit(volunteer, application, hour=8)
    second = submit(volunteer, application, hour=12)
    third = submit(volunteer, application, hour=16)
    client.force_login(coordinator)
    page = client.get(org_url(organization))
    assert [entry.pk for entry in page.context["page"]] == [first.pk, second.pk, third.pk]
    response = client.post(
        org_url(organization, "approve/"),
        {"entry": [first.pk, second.pk], "status": "pending"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == org_url(organization) + "?status=pending"
    statuses = dict(HourEntry.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "approved", third.pk: "pending"}
    assert AuditEvent.objects.filter(verb="hours.approved").count() == 2
    assert [entry.pk for entry in response.context["page"]] == [third.pk]


def test_approving_decided_hours_is_refused_with_the_message(
    client, coordinator, organization, remote
):
    volunteer, application = remote
    entry = submit(volunteer, application)
    services.approve_hours(actor=coordinator, organization_id=organization.pk, entry_ids=[entry.pk])
    client.force_login(coordinator)
    before = table_state(HourEntry, AuditEvent)
    response = client.post(org_url(organization, "approve/"), {"entry": [entry.pk]}, follow=True)
    assert "None of these hours is waiting for approval." in response.content.decode()
    assert table_state(HourEntry, AuditEvent) == before
    response = client.post(org_url(organization, "approve/"), {}, follow=True)
    assert "Tick the hours to approve." in response.content.decode()
    response = client.post(org_url(organization, "approve/"), {"entry": ["x"]})
    assert response.status_code == 404
    assert table_state(HourEntry, AuditEvent) == before


def test_rejecting_needs_a_note(client, coordinator, organization, remote):
    volunteer, application = remote
    entry = submit(volunteer, application)
    client.force_login(coordinator)
    before = table_state(HourEntry, AuditEvent)
    response = client.post(
        org_url(organization, f"{entry.pk}/reject/"), {"note": "  "}, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert table_state(HourEntry, AuditEvent) == before
    client.post(org_url(organization, f"{entry.pk}/reject/"), {"note": "لم يحضر"})
    entry.refresh_from_db()
    assert (entry.status, entry.decision_note, entry.decided_by) == (
        "rejected",
        "لم يحضر",
        coordinator,
    )
    assert AuditEvent.objects.filter(verb="hours.rejected").count() == 1


def test_a_coordinator_corrects_hours_on_the_small_page(client, coordinator, organization, remote):
    volunteer, application = remote
    entry = submit(volunteer, application, hour=9, minutes=300)
    client.force_login(coordinator)
    page = client.get(org_url(organization, f"{entry.pk}/correct/"))
    assert page.status_code == 200
    assert page.context["form"].initial["starts_at"] == dt.time(9, 0)
    url = org_url(organization, f"{entry.pk}/correct/")
    before = table_state(HourEntry, AuditEvent)
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"day": day, "starts_at": "09:00", "ends_at": "11:00", "reason": ""})
    assert refused.context["form"].errors["reason"]
    assert table_state(HourEntry, AuditEvent) == before
    response = client.post(
        url, {"day": day, "starts_at": "09:00", "ends_at": "11:00", "reason": "خرج مبكرًا"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    correction = HourEntry.objects.get(corrects=entry)
    assert entry.status == "superseded"
    assert (correction.minutes, correction.status, correction.reason) == (
        120,
        "approved",
        "خرج مبكرًا",
    )
    # a superseded entry is not correctable again
    again = client.post(
        url, {"day": day, "starts_at": "09:00", "ends_at": "10:00", "reason": "مرة أخرى"}
    )
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()
    assert HourEntry.objects.count() == 2


def test_the_check_in_evidence_is_beside_each_entry(
    client, coordinator, organization, placed, shift
):
    _volunteer, application = placed
    now = during(shift, 200)
    attendance = services.manual_check_in(
        actor=coordinator, application=application, at=during(shift, 5), reason="نسي هاتفه", now=now
    )
    services.close_forgotten_check_outs(now=shift.ends_at + dt.timedelta(minutes=1))
    client.force_login(coordinator)
    content = client.get(org_url(organization)).content.decode()
    attendance.refresh_from_db()
    assert attendance.closed_automatically
    assert "Checked in by hand" in content
    assert "نسي هاتفه" in content  # the reason
    assert '<span class="badge emergency">Check-out forgotten</span>' in content


def test_the_evidence_download_is_audited(client, coordinator, organization, remote):
    volunteer, application = remote
    entry = submit(volunteer, application, evidence=pdf())
    client.force_login(coordinator)
    response = client.get(org_url(organization, f"{entry.pk}/evidence/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == f'attachment; filename="hours-{entry.pk}.pdf"'
    event = AuditEvent.objects.get(verb="hours.evidence_viewed")
    assert event.organization_id == organization.pk
    assert event.payload == {"volunteer_id": volunteer.pk}
    no_file = submit(volunteer, application, hour=14)
    assert client.get(org_url(organization, f"{no_file.pk}/evidence/")).status_code == 404


# --- Query counts -----------------------------------------------------------------------------


def make_entries(prefix, count, make_volunteer, accept, opportunity):
    for index in range(count):
        volunteer = make_volunteer(f"{prefix}{index}")
        application = accept(volunteer, opportunity)
        submit(volunteer, application, evidence=pdf() if index % 2 else None)


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_organization_hours_query_count_does_not_grow_with_the_rows(
    client, coordinator, organization, make_volunteer, accept, remote_opportunity, placed, shift
):
    make_entries("one", 1, make_volunteer, accept, remote_opportunity)
    client.force_login(coordinator)
    one = queries_of(client, org_url(organization))
    make_entries("many", 6, make_volunteer, accept, remote_opportunity)
    _volunteer, application = placed
    services.manual_check_in(
        actor=coordinator,
        application=application,
        at=during(shift, 5),
        reason="x",
        now=during(shift, 9),
    )
    services.close_forgotten_check_outs(now=shift.ends_at + dt.timedelta(minutes=1))
    assert HourEntry.objects.filter(status="pending").count() == 8
    assert queries_of(client, org_url(organization)) == one
    assert queries_of(client, org_url(organization, "?status=all")) == one


def test_my_hours_query_count_does_not_grow_with_the_rows(client, remote, coordinator):
    volunteer, application = remote
    submit(volunteer, application, hour=1)
    client.force_login(volunteer)
    one = queries_of(client, MY_HOURS)
    for hour in range(3, 20, 2):
        entry = submit(volunteer, application, hour=hour, minutes=60, evidence=pdf())
    services.approve_hours(
        actor=coordinator, organization_id=entry.organization_id, entry_ids=[entry.pk]
    )
    assert queries_of(client, MY_HOURS) == one


def test_outsiders_get_404_and_anonymous_visitors_the_login_on_every_ledger_url(
    client, organization, outsider, remote
):
    volunteer, application = remote
    entry = submit(volunteer, application, evidence=pdf())
    urls = [
        org_url(organization),
        org_url(organization, "approve/"),
        org_url(organization, f"{entry.pk}/reject/"),
        org_url(organization, f"{entry.pk}/correct/"),
        org_url(organization, f"{entry.pk}/evidence/"),
        f"/volunteer/hours/{entry.pk}/evidence/",
    ]
    before = table_state(HourEntry, AuditEvent)
    for url in urls:
        assert client.get(url).status_code == 302, url
        assert client.post(url, {"entry": [entry.pk], "note": "x"}).status_code == 302, url
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code in {404, 405}, url
        assert client.post(url, {"entry": [entry.pk], "note": "x"}).status_code in {404, 405}, url
    assert client.get(urls[0]).status_code == 404
    assert table_state(HourEntry, AuditEvent) == before
