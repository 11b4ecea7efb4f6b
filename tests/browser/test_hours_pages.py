"""The hours ledger in a real browser: a volunteer's "My hours" (totals, entries, the form to
submit remote hours) and the organization's hours (with the check-in evidence, the reject form
opened), in Arabic then English with the same checks as every page (lang/dir, landmarks, axe,
screenshots, 360 px, keyboard); and a coordinator approves two entries at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import (
    check_page,
    give_volunteer_profile,
    jeddah_with_rawdah,
    switch_language,
)

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def ledger(world, settings, tmp_path):
    """A remote volunteer with three pending entries (one with evidence), one rejected and one
    corrected; and a site volunteer checked in by hand whose check-out closed automatically."""
    from ataa.hours import services as hours
    from ataa.opportunities import services
    from ataa.opportunities.models import Opportunity

    settings.ATAA_PRIVATE_ROOT = tmp_path / "private"
    jeddah, _rawdah = jeddah_with_rawdah()
    coordinator = world["coordinator"]
    organization = world["organization"]
    start = timezone.localdate() + dt.timedelta(days=20)
    remote = services.opportunity_publish(
        opportunity=services.opportunity_create(
            organization=organization,
            created_by=coordinator,
            title_ar="ترجمة دليل المتطوعين",
            title_en="Translating the volunteers' guide",
            work_mode=Opportunity.WorkMode.REMOTE,
            capacity=10,
            starts_on=timezone.localdate() - dt.timedelta(days=10),
            ends_on=start,
        ),
        actor=coordinator,
    )
    volunteer = world["stranger"]
    give_volunteer_profile(volunteer, city=jeddah)
    application = services.application_accept(
        application=services.application_submit(volunteer=volunteer, opportunity=remote),
        decided_by=coordinator,
    )
    zone = timezone.get_default_timezone()

    def submit(hour, minutes=90, evidence=None, days_ago=1):
        starts = dt.datetime.combine(
            timezone.localdate() - dt.timedelta(days=days_ago), dt.time(hour), tzinfo=zone
        )
        return hours.submit_remote_hours(
            volunteer=volunteer,
            application=application,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes),
            description="راجعت ترجمة الفصل الثاني",
            evidence=evidence,
        )

    submit(8, evidence=SimpleUploadedFile("evidence.pdf", PDF))
    submit(12)
    submit(16)
    hours.reject_hours(actor=coordinator, entry=submit(9, days_ago=3), note="التاريخ غير صحيح")
    wrong = submit(9, minutes=240, days_ago=4)
    hours.correct_hours(
        actor=coordinator,
        entry=wrong,
        starts_at=wrong.starts_at,
        ends_at=wrong.starts_at + dt.timedelta(hours=2),
        reason="عمل ساعتين فقط",
    )
    # On site: checked in by hand, the check-out forgotten and closed at the shift's end.
    site = services.opportunity_publish(
        opportunity=services.opportunity_create(
            organization=organization,
            created_by=coordinator,
            title_ar="تنظيف الشاطئ",
            title_en="Beach clean-up",
            city=jeddah,
            capacity=10,
            starts_on=start,
            ends_on=start + dt.timedelta(days=7),
        ),
        actor=coordinator,
    )
    shift = services.shift_create(
        opportunity=site,
        created_by=coordinator,
        starts_at=dt.datetime.combine(start, dt.time(7), tzinfo=zone),
        ends_at=dt.datetime.combine(start, dt.time(10), tzinfo=zone),
        capacity=2,
    )
    placed = services.application_accept(
        application=services.application_submit(volunteer=volunteer, opportunity=site, shift=shift),
        decided_by=coordinator,
    )
    hours.manual_check_in(
        actor=coordinator,
        application=placed,
        at=shift.starts_at + dt.timedelta(minutes=5),
        reason="لم يعمل الرمز على هاتفه",
        now=shift.starts_at + dt.timedelta(minutes=10),
    )
    hours.close_forgotten_check_outs(now=shift.ends_at + dt.timedelta(minutes=1))
    return {
        "volunteer": volunteer,
        "my-hours": "/volunteer/hours/",
        "org-hours": f"/orgs/{organization.pk}/hours/",
    }


@pytest.mark.parametrize("name", ["my-hours", "org-hours"])
def test_hours_page_in_arabic_then_english(name, world, ledger, page, sign_in):
    sign_in(ledger["volunteer"] if name == "my-hours" else world["coordinator"])
    response = page.goto(ledger[name])
    assert response.status == 200, f"{name}: HTTP {response.status} at {page.url}"
    open_details(page)
    check_page(page, f"hours-{name}", "ar")
    switch_language(page, "en")
    open_details(page)
    check_page(page, f"hours-{name}", "en")


def test_a_coordinator_approves_two_entries_at_once(world, ledger, page, sign_in):
    from ataa.hours.models import HourEntry

    sign_in(world["coordinator"])
    page.goto(ledger["org-hours"])
    boxes = page.locator("input[name=entry]")
    expect(boxes).to_have_count(4)  # three remote entries and the attendance
    chosen = [int(boxes.nth(index).get_attribute("value")) for index in (0, 1)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("button[form=approve-form]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("input[name=entry]")).to_have_count(2)
    approved = set(
        HourEntry.objects.filter(status=HourEntry.Status.APPROVED, pk__in=chosen).values_list(
            "pk", flat=True
        )
    )
    assert approved == set(chosen)


def open_details(page) -> None:
    """Open every <details> without moving the focus (the skip-link check tabs from the top)."""
    page.eval_on_selector_all("details", "elements => elements.forEach(e => { e.open = true; })")
