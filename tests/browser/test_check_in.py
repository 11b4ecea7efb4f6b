"""Checking in at the site in a real browser: the coordinator opens the check-in screen of a
shift (Arabic, then English; the code refreshes itself by htmx), a volunteer in another browser
opens the address the screen's QR code holds and checks in, and the coordinator's list shows them
checked in. The volunteer's check-in page and the scanner page pass the same checks (axe, 360 px,
keyboard)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import (
    check_page,
    give_volunteer_profile,
    jeddah_with_rawdah,
    login,
    switch_language,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def site(world):
    from ataa.opportunities import services
    from ataa.opportunities.models import Shift

    jeddah, _rawdah = jeddah_with_rawdah()
    coordinator = world["coordinator"]
    start = timezone.localdate() + dt.timedelta(days=2)
    opportunity = services.opportunity_create(
        organization=world["organization"],
        created_by=coordinator,
        title_ar="توزيع السلال الغذائية",
        title_en="Food basket distribution",
        city=jeddah,
        exact_address="مستودع الجمعية، شارع الأمير سلطان",
        capacity=10,
        starts_on=start,
        ends_on=start + dt.timedelta(days=7),
    )
    services.opportunity_publish(opportunity=opportunity, actor=coordinator)
    zone = timezone.get_default_timezone()
    shift = services.shift_create(
        opportunity=opportunity,
        created_by=coordinator,
        starts_at=dt.datetime.combine(start, dt.time(16), tzinfo=zone),
        ends_at=dt.datetime.combine(start, dt.time(19), tzinfo=zone),
        capacity=3,
    )
    volunteer = world["stranger"]
    give_volunteer_profile(volunteer, city=jeddah)
    application = services.application_submit(
        volunteer=volunteer, opportunity=opportunity, shift=shift
    )
    services.application_accept(application=application, decided_by=coordinator)
    # The services make shifts in the future only: move this one to have started just now.
    now = timezone.now()
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=3)
    )
    organization = world["organization"]
    return {
        "screen": (
            f"/orgs/{organization.pk}/opportunities/{opportunity.pk}/shifts/{shift.pk}/check-in/"
        ),
        "shift": shift,
        "volunteer": volunteer,
    }


def test_the_coordinator_screen_in_arabic_then_english(world, site, page, sign_in):
    sign_in(world["coordinator"])
    response = page.goto(site["screen"])
    assert response.status == 200
    qr = page.locator("svg.check-in-qr[role=img]")
    expect(qr).to_be_visible()
    assert qr.get_attribute("aria-label")
    check_page(page, "check-in-screen", "ar")
    switch_language(page, "en")
    check_page(page, "check-in-screen", "en")
    # The code refreshes itself: htmx asks for the fragment without reloading the page.
    with page.expect_response(lambda r: r.url.endswith("/check-in/code/"), timeout=15_000) as got:
        pass
    assert got.value.status == 200
    expect(page.locator("h1")).to_contain_text("Check-in screen")


def test_a_volunteer_checks_in_with_the_address_of_the_screen(
    world, site, browser, live_server, page, sign_in
):
    sign_in(world["coordinator"])
    page.goto(site["screen"])
    row = page.locator("tr.check-in-row")
    expect(row).to_have_attribute("data-state", "waiting")
    address = page.locator("[data-check-in-url]").get_attribute("data-check-in-url")
    assert f"/check-in/{site['shift'].pk}/?code=" in address

    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        locale="ar-SA",
        timezone_id="Asia/Riyadh",
    )
    try:
        phone.set_default_timeout(10_000)
        login(phone, site["volunteer"], live_server.url)
        volunteer_page = phone.new_page()
        volunteer_page.goto(address)
        code_field = volunteer_page.locator("input[name=code]")
        expect(code_field).to_have_value(address.rsplit("=", 1)[1])
        check_page(volunteer_page, "check-in-volunteer", "ar")
        volunteer_page.locator("form.check-in-form button[type=submit]").click()
        expect(volunteer_page.locator(".message.success")).to_be_visible()
        # Checked in: the page now offers the check-out with the next code.
        expect(volunteer_page.locator("main .card").nth(1)).to_be_visible()

        volunteer_page.goto("/volunteer/check-in/")
        assert volunteer_page.locator(f"a[href='/check-in/{site['shift'].pk}/']").count() == 1
        check_page(volunteer_page, "check-in-scanner", "ar")
        # No camera in this browser: "Scan the code" says so and leaves the typed code.
        expect(volunteer_page.locator("#scan-stop")).to_be_hidden()
        volunteer_page.locator("#scan-start").click()
        scanner = volunteer_page.locator("#scanner")
        messages = {
            scanner.get_attribute(f"data-{key}") for key in ("refused", "missing", "failed")
        }
        expect(volunteer_page.locator("#scan-status")).not_to_have_text("")
        volunteer_page.wait_for_function(
            "() => !document.getElementById('scan-status').textContent.includes('…')"
        )
        assert volunteer_page.locator("#scan-status").text_content() in messages
        expect(volunteer_page.locator("#scan-video")).to_be_hidden()
    finally:
        phone.close()

    page.reload()
    expect(page.locator("tr.check-in-row")).to_have_attribute("data-state", "in")
