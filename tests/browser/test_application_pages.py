"""Applications in a real browser: a volunteer applies on the public page (shift and answer),
finds the application in "My applications", and a coordinator accepts it. Every page passes the
same checks as the others (lang/dir, landmarks, axe, screenshots, 360 px, keyboard) in Arabic
and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import (
    check_page,
    give_volunteer_profile,
    jeddah_with_rawdah,
    switch_language,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def applying(world):
    from ataa.opportunities import services
    from ataa.opportunities.models import ApplicationQuestion

    jeddah, rawdah = jeddah_with_rawdah()
    coordinator = world["coordinator"]
    start = timezone.localdate() + dt.timedelta(days=20)
    opportunity = services.opportunity_create(
        organization=world["organization"],
        created_by=coordinator,
        title_ar="تنظيف الشاطئ",
        title_en="Beach clean-up",
        description_ar="ننظف شاطئ جدة معاً.",
        description_en="We clean Jeddah's beach together.",
        city=jeddah,
        district=rawdah,
        capacity=10,
        starts_on=start,
        ends_on=start + dt.timedelta(days=7),
    )
    services.opportunity_publish(opportunity=opportunity, actor=coordinator)
    zone = timezone.get_default_timezone()
    shift = services.shift_create(
        opportunity=opportunity,
        created_by=coordinator,
        starts_at=dt.datetime.combine(start, dt.time(7), tzinfo=zone),
        ends_at=dt.datetime.combine(start, dt.time(10), tzinfo=zone),
        capacity=2,
    )
    question = ApplicationQuestion.objects.create(
        opportunity=opportunity,
        text_ar="لماذا تريد المشاركة؟",
        text_en="Why do you want to take part?",
    )
    volunteer = world["stranger"]
    give_volunteer_profile(volunteer, city=jeddah)
    return {
        "opportunity": opportunity,
        "shift": shift,
        "question": question,
        "volunteer": volunteer,
    }


def test_volunteer_applies_and_finds_it_in_my_applications(world, applying, page, sign_in):
    from ataa.opportunities.models import Application

    sign_in(applying["volunteer"])
    opportunity = applying["opportunity"]
    page.goto(f"/opportunities/{opportunity.pk}/")
    check_page(page, "application-apply", "ar")
    # By id, not by wording: the new strings' Arabic translations are added separately.
    page.locator("#id_shift").select_option(str(applying["shift"].pk))
    page.locator(f"#id_answer_{applying['question'].pk}").fill("أحب البحر وأريد أن أساعد.")
    page.locator("#apply button[type=submit]").click()
    expect(page).to_have_url(f"{page.url.split('/volunteer')[0]}/volunteer/applications/")
    expect(page.get_by_role("link", name="تنظيف الشاطئ")).to_be_visible()
    application = Application.objects.get()
    assert application.status == "pending" and application.shift == applying["shift"]
    check_page(page, "application-my-list", "ar")
    switch_language(page, "en")
    check_page(page, "application-my-list", "en")


def test_coordinator_sees_the_places_and_accepts(world, applying, page, sign_in):
    from ataa.opportunities import services
    from ataa.opportunities.models import Application

    opportunity = applying["opportunity"]
    services.application_submit(
        volunteer=applying["volunteer"],
        opportunity=opportunity,
        shift=applying["shift"],
        answers={str(applying["question"].pk): "أحب البحر."},
    )
    sign_in(world["coordinator"])
    response = page.goto(
        f"/orgs/{world['organization'].pk}/opportunities/{opportunity.pk}/applications/"
    )
    assert response.status == 200
    check_page(page, "application-list", "ar")
    page.locator("button[name=action][value=accept]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("button[name=action][value=accept]")).to_have_count(0)
    assert Application.objects.get().status == "accepted"
    switch_language(page, "en")
    check_page(page, "application-list", "en")
    expect(page.get_by_text("1 of 2 places taken")).to_be_visible()
