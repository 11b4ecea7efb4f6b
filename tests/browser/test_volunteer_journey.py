"""The whole volunteering loop in a real browser, once in Arabic and once in English (issue 3,
acceptance 1): a volunteer finds an opportunity through search (an Arabic spelling variant and a
city filter), applies to its shift, a coordinator accepts on the applications page, the periodic
reminder task reminds the volunteer once (it runs twice), and the volunteer sees the shift in
"My shifts" and in the private calendar feed that a phone calendar would read."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_language,
    check_page,
    give_volunteer_profile,
    jeddah_with_rawdah,
    login,
)

pytestmark = pytest.mark.browser

TITLES = {"ar": "توزيع السلال الغذائية على الأسر", "en": "Food baskets for families"}


@pytest.fixture
def journey(world):
    from ataa.opportunities import services

    jeddah, _rawdah = jeddah_with_rawdah()
    coordinator = world["coordinator"]
    # The shift starts in 20 hours: inside the reminder's 24-hour window.
    starts_at = (timezone.now() + dt.timedelta(hours=20)).replace(second=0, microsecond=0)
    opportunity = services.opportunity_create(
        organization=world["organization"],
        created_by=coordinator,
        title_ar=TITLES["ar"],
        title_en=TITLES["en"],
        description_ar="نوزع السلال الغذائية على الأسر المتعففة في جدة.",
        description_en="We hand out food baskets to families in need in Jeddah.",
        city=jeddah,
        exact_address="مستودع الجمعية، شارع الأمير سلطان",
        capacity=10,
        starts_on=timezone.localdate(starts_at),
        ends_on=timezone.localdate(starts_at) + dt.timedelta(days=7),
    )
    services.opportunity_publish(opportunity=opportunity, actor=coordinator)
    shift = services.shift_create(
        opportunity=opportunity,
        created_by=coordinator,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        capacity=3,
    )
    volunteer = world["stranger"]
    give_volunteer_profile(volunteer, city=jeddah)
    return {"opportunity": opportunity, "shift": shift, "volunteer": volunteer}


def worker_wakes(*, hours_later: int) -> list[str]:
    """What the worker does each time it wakes: queue the periodic tasks that are due (as if
    `hours_later` hours had passed, so each wake-up finds them due again), then run the queue."""
    from ataa.core.tasks import run_due_periodic, run_pending

    due = run_due_periodic(now=timezone.now() + dt.timedelta(hours=hours_later))
    run_pending()
    return due


@pytest.mark.parametrize("language", ["ar", "en"])
def test_found_applied_accepted_reminded_and_in_my_shifts_and_calendar(
    language, world, journey, browser, page, sign_in, live_server
):
    from ataa.opportunities.models import Application

    volunteer, opportunity, shift = journey["volunteer"], journey["opportunity"], journey["shift"]
    title = TITLES[language]
    volunteer.preferred_language = language
    volunteer.save(update_fields=["preferred_language"])

    # 1. Found through search: a spelling variant (ة written ه) and the city filter.
    sign_in(volunteer)
    page.goto("/opportunities/")
    assert_language(page, language)  # the volunteer's own language, from their account
    page.locator("#id_q").fill("السلال الغذائيه")
    page.locator("#id_city").select_option(label="جدة" if language == "ar" else "Jeddah")
    page.locator("form[role=search] button[type=submit]").click()
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)

    # 2. Applies to the shift.
    page.locator("#id_shift").select_option(str(shift.pk))
    page.locator("#apply button[type=submit]").click()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    application = Application.objects.get(volunteer=volunteer)
    assert (application.status, application.shift_id) == ("pending", shift.pk)

    # 3. A coordinator accepts it on the applications page, in a browser of their own.
    coordinator_context = browser.new_context(base_url=live_server.url, locale="ar-SA")
    try:
        login(coordinator_context, world["coordinator"], live_server.url)
        coordinator_page = coordinator_context.new_page()
        coordinator_page.goto(
            f"/orgs/{world['organization'].pk}/opportunities/{opportunity.pk}/applications/"
        )
        coordinator_page.locator("button[name=action][value=accept]").click()
        expect(coordinator_page.locator(".messages")).to_be_visible()
    finally:
        coordinator_context.close()
    application.refresh_from_db()
    assert application.status == "accepted"

    # 4. Reminded once, in the volunteer's language, though the periodic task runs twice.
    from ataa.core.tasks import run_pending

    run_pending()  # the emails about the application itself (received, accepted)
    assert any(volunteer.email in message.to for message in mail.outbox)
    mail.outbox.clear()
    assert "opportunities.send_shift_reminders" in worker_wakes(hours_later=1)
    assert "opportunities.send_shift_reminders" in worker_wakes(hours_later=2)
    reminders = [message for message in mail.outbox if volunteer.email in message.to]
    assert len(reminders) == 1, [message.subject for message in reminders]
    assert title in reminders[0].subject + reminders[0].body
    assert TITLES["en" if language == "ar" else "ar"] not in reminders[0].body

    # 5. "My shifts" shows the place, with the exact address now that it is accepted.
    page.goto("/volunteer/shifts/")
    upcoming = page.locator("section[aria-labelledby=upcoming-title]")
    expect(upcoming.get_by_role("link", name=title)).to_be_visible()
    expect(upcoming.get_by_text("مستودع الجمعية، شارع الأمير سلطان")).to_be_visible()
    check_page(page, "volunteer-journey-my-shifts", language)

    # 6. The private calendar feed a phone would subscribe to carries the shift.
    page.locator("form[action$='/volunteer/shifts/calendar/'] button").click()
    feed_url = page.locator("#feed_url").input_value()
    check_page(page, "volunteer-journey-calendar-link", language)
    answer = page.request.get(feed_url)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(answer.body()).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [title]
    assert events[0].decoded("DTSTART") == shift.starts_at
