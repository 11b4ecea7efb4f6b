"""The hours ledger: remote hours, approvals, corrections, and overlaps refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from ataa.core.errors import PermissionRefused, ServiceError
from ataa.core.models import AuditEvent
from ataa.hours import services
from ataa.hours.models import HourEntry
from ataa.opportunities.models import Opportunity
from conftest import table_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database guards of the ledger (exclusion constraint, trigger) are PostgreSQL's",
)


@pytest.fixture
def remote(make_opportunity, make_volunteer, accept):
    """An accepted volunteer of a remote opportunity: (volunteer, application)."""
    opportunity = make_opportunity(work_mode=Opportunity.WorkMode.REMOTE, city=None, district=None)
    volunteer = make_volunteer("remote")
    return volunteer, accept(volunteer, opportunity)


YESTERDAY = dt.datetime(2026, 11, 22, 18, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def submit(volunteer, application, start=YESTERDAY, minutes=90, description="ترجمة دليل المتطوعين"):
    return services.submit_remote_hours(
        volunteer=volunteer,
        application=application,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        description=description,
        now=NOW,
    )


def refused(expected, function, *args, **kwargs) -> ServiceError:
    before = table_state(HourEntry, AuditEvent)
    with pytest.raises(ServiceError) as caught:
        function(*args, **kwargs)
    assert caught.value.code == expected, caught.value.message
    assert table_state(HourEntry, AuditEvent) == before
    return caught.value


def test_a_remote_volunteer_submits_hours_that_wait_for_approval(remote):
    volunteer, application = remote
    entry = submit(volunteer, application)
    assert (entry.minutes, entry.status, entry.source) == (90, "pending", "remote")
    event = AuditEvent.objects.get(verb="hours.submitted")
    assert event.payload == {"minutes": 90, "opportunity_id": application.opportunity_id}


def test_bad_remote_hours_are_refused_and_change_nothing(remote, placed):
    volunteer, application = remote
    refused("invalid_input", submit, volunteer, application, description="  ")
    refused("invalid_input", submit, volunteer, application, minutes=0)
    refused("invalid_input", submit, volunteer, application, minutes=25 * 60)
    refused("invalid_input", submit, volunteer, application, start=NOW + dt.timedelta(hours=1))
    site_volunteer, site_application = placed
    refused("not_remote", submit, site_volunteer, site_application)
    with pytest.raises(PermissionRefused):
        submit(site_volunteer, application)


def test_an_overlapping_entry_is_refused_with_a_clear_message(remote):
    volunteer, application = remote
    submit(volunteer, application)  # 18:00–19:30
    error = refused(
        "hours_overlap", submit, volunteer, application, start=YESTERDAY + dt.timedelta(hours=1)
    )
    assert "overlap" in error.message
    # Touching is not overlapping: 19:30–20:00 is fine.
    submit(volunteer, application, start=YESTERDAY + dt.timedelta(minutes=90), minutes=30)
    assert HourEntry.objects.count() == 2


def test_approving_one_or_many_and_rejecting_with_a_note(remote, coordinator, organization):
    volunteer, application = remote
    first = submit(volunteer, application)
    second = submit(volunteer, application, start=YESTERDAY - dt.timedelta(days=1))
    third = submit(volunteer, application, start=YESTERDAY - dt.timedelta(days=2))
    approved = services.approve_hours(
        actor=coordinator, organization_id=organization.pk, entry_ids=[first.pk, second.pk]
    )
    assert approved == 2
    assert set(HourEntry.objects.values_list("status", flat=True)) == {"approved", "pending"}
    refused(
        "not_pending",
        services.approve_hours,
        actor=coordinator,
        organization_id=organization.pk,
        entry_ids=[first.pk],
    )
    refused("invalid_input", services.reject_hours, actor=coordinator, entry=third, note=" ")
    services.reject_hours(actor=coordinator, entry=third, note="لا يوجد ما يثبت العمل")
    third.refresh_from_db()
    assert (third.status, third.decided_by) == ("rejected", coordinator)


def test_only_the_organizations_managers_decide(
    remote, case_worker, outsider, other_organization, organization
):
    volunteer, application = remote
    entry = submit(volunteer, application)
    for someone in (case_worker, outsider):
        with pytest.raises(PermissionRefused):
            services.approve_hours(
                actor=someone, organization_id=organization.pk, entry_ids=[entry.pk]
            )
    # Another organization's coordinator naming this entry approves nothing.
    from conftest import add_member, make_user

    theirs = make_user("their-coordinator@example.com", "Their Coordinator")
    add_member(theirs, other_organization, "coordinator")
    refused(
        "not_pending",
        services.approve_hours,
        actor=theirs,
        organization_id=other_organization.pk,
        entry_ids=[entry.pk],
    )
    entry.refresh_from_db()
    assert entry.status == "pending"


def test_a_correction_is_a_new_entry_and_the_old_one_stays(remote, coordinator):
    volunteer, application = remote
    entry = submit(volunteer, application)
    correction = services.correct_hours(
        actor=coordinator,
        entry=entry,
        starts_at=YESTERDAY,
        ends_at=YESTERDAY + dt.timedelta(minutes=60),
        reason="غادر بعد ساعة",
        now=NOW,
    )
    entry.refresh_from_db()
    assert entry.status == "superseded" and entry.minutes == 90  # kept, not rewritten
    assert (correction.corrects, correction.minutes, correction.status) == (entry, 60, "approved")
    assert correction.created_by == coordinator and correction.reason == "غادر بعد ساعة"
    event = AuditEvent.objects.get(verb="hours.corrected")
    assert event.payload == {"corrects_id": entry.pk, "minutes": 60}
    refused(
        "not_correctable",
        services.correct_hours,
        actor=coordinator,
        entry=entry,
        starts_at=YESTERDAY,
        ends_at=YESTERDAY + dt.timedelta(minutes=30),
        reason="again",
        now=NOW,
    )


def test_a_correction_that_would_overlap_is_refused_and_the_old_entry_stays_live(
    remote, coordinator
):
    volunteer, application = remote
    entry = submit(volunteer, application)  # 18:00–19:30
    submit(volunteer, application, start=YESTERDAY + dt.timedelta(hours=2))  # 20:00–21:30
    refused(
        "hours_overlap",
        services.correct_hours,
        actor=coordinator,
        entry=entry,
        starts_at=YESTERDAY,
        ends_at=YESTERDAY + dt.timedelta(hours=3),
        reason="longer",
        now=NOW,
    )
    entry.refresh_from_db()
    assert entry.status == "pending"


@on_postgresql
def test_the_database_refuses_an_overlap_that_skips_the_service(remote):
    volunteer, application = remote
    entry = submit(volunteer, application)
    twin = HourEntry(
        volunteer=volunteer,
        organization_id=entry.organization_id,
        opportunity_id=entry.opportunity_id,
        source="remote",
        starts_at=entry.starts_at + dt.timedelta(minutes=10),
        ends_at=entry.ends_at,
        minutes=80,
        created_by=volunteer,
    )
    with pytest.raises(IntegrityError, match="hourentry_no_overlap"), transaction.atomic():
        twin.save()


@on_postgresql
def test_the_database_keeps_entries_append_only(remote):
    volunteer, application = remote
    entry = submit(volunteer, application)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        HourEntry.objects.filter(pk=entry.pk).update(minutes=600)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        HourEntry.objects.filter(pk=entry.pk).delete()
    HourEntry.objects.filter(pk=entry.pk).update(status="approved")  # a decision may change
    entry.refresh_from_db()
    assert (entry.minutes, entry.status) == (90, "approved")
