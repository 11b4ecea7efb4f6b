"""The API of your shifts and your calendar feed: /me/shifts, /me/calendar-feed."""

from __future__ import annotations

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent
from ataa.opportunities.models import CalendarFeed
from ataa.opportunities.tests import conftest as opportunity_fixtures
from ataa.opportunities.tests.test_my_shifts import accepted_place, days
from conftest import table_state

# The opportunity fixtures of ataa/opportunities/tests, for these tests too.
make_opportunity = opportunity_fixtures.make_opportunity
make_volunteer = opportunity_fixtures.make_volunteer
volunteer = opportunity_fixtures.volunteer
make_shift = opportunity_fixtures.make_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming_opportunity(make_opportunity):
    return make_opportunity(
        starts_on=days(30), ends_on=days(60), exact_address="API-ADDRESS 3 شارع فلسطين"
    )


@pytest.fixture
def past_opportunity(make_opportunity):
    return make_opportunity(title_en="Past one", starts_on=days(-40), ends_on=days(-5))


def path_of(url: str) -> str:
    return url.removeprefix("http://testserver")


def test_my_shifts_upcoming_and_past_with_the_address_of_accepted_places(
    volunteer, coordinator, upcoming_opportunity, past_opportunity, make_shift, make_opportunity
):
    later = accepted_place(
        volunteer,
        upcoming_opportunity,
        coordinator,
        make_shift(upcoming_opportunity, day=days(40)),
    )
    sooner = accepted_place(
        volunteer,
        upcoming_opportunity,
        coordinator,
        make_shift(upcoming_opportunity, day=days(33)),
    )
    past = accepted_place(
        volunteer, past_opportunity, coordinator, make_shift(past_opportunity, day=days(-10))
    )
    pending = make_opportunity(exact_address="PENDING-ADDRESS")
    from ataa.opportunities import services

    services.application_submit(volunteer=volunteer, opportunity=pending, answers={})

    api = ApiClient(volunteer)
    upcoming = api.get("me/shifts")
    assert upcoming.status_code == 200
    body = upcoming.json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert [item["id"] for item in body["items"]] == [sooner.pk, later.pk]
    item = body["items"][0]
    assert item["status"] == "accepted"
    assert item["opportunity"]["exact_address"] == "API-ADDRESS 3 شارع فلسطين"
    assert item["opportunity"]["city"]["code"] == "jeddah"
    assert item["opportunity"]["organization"]["name_en"] == "Al-Birr Society Jeddah"
    assert item["opportunity"]["title_ar"] and item["opportunity"]["title_en"]
    assert item["shift"]["starts_at"].startswith(days(33).isoformat())
    assert "PENDING-ADDRESS" not in upcoming.content.decode()

    history = api.get("me/shifts", when="past").json()
    assert [item["id"] for item in history["items"]] == [past.pk]
    assert api.get("me/shifts", when="upcoming", page_size=1).json()["count"] == 2


def test_another_volunteers_shifts_never_appear(
    volunteer, other_volunteer, coordinator, make_opportunity
):
    opportunity_fixtures.volunteer_profile(other_volunteer)
    accepted_place(other_volunteer, make_opportunity(exact_address="OMAR-ADDRESS"), coordinator)
    for when in ("upcoming", "past"):
        response = ApiClient(volunteer).get("me/shifts", when=when)
        assert response.json()["count"] == 0
        assert "OMAR-ADDRESS" not in response.content.decode()


def test_an_unknown_when_is_a_clear_error(volunteer):
    response = ApiClient(volunteer).get("me/shifts", when="tomorrow")
    assert response.status_code in {400, 422}
    assert error_of(response)["code"]


def test_the_list_makes_the_same_number_of_queries_for_2_rows_as_for_20(
    volunteer, coordinator, upcoming_opportunity, make_shift
):
    api = ApiClient(volunteer)

    def add(first, count):
        for offset in range(first, first + count):
            accepted_place(
                volunteer,
                upcoming_opportunity,
                coordinator,
                make_shift(upcoming_opportunity, day=days(30 + offset)),
            )

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert api.get("me/shifts").status_code == 200
        return len(context)

    add(0, 2)
    queries()  # the token's first use is recorded once
    small = queries()
    add(2, 18)
    assert queries() == small
    assert api.get("me/shifts").json()["count"] == 20


def test_the_calendar_feed_is_made_renewed_and_turned_off(
    volunteer, coordinator, upcoming_opportunity
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    api = ApiClient(volunteer)
    browser = Client()

    made = api.post("me/calendar-feed")
    assert made.status_code == 201
    assert "no-store" in made["Cache-Control"]
    body = made.json()
    assert set(body) == {"url", "webcal_url", "created_at"}
    assert body["url"].startswith("http://testserver/calendar/") and body["url"].endswith(".ics")
    assert body["webcal_url"] == "webcal://" + body["url"].removeprefix("http://")
    feed = browser.get(path_of(body["url"]))
    assert feed.status_code == 200
    (event,) = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert "API-ADDRESS" in str(event["LOCATION"])

    renewed = api.post("me/calendar-feed").json()
    assert renewed["url"] != body["url"]
    assert browser.get(path_of(body["url"])).status_code == 404
    assert browser.get(path_of(renewed["url"])).status_code == 200
    assert CalendarFeed.objects.count() == 1

    off = api.delete("me/calendar-feed")
    assert off.status_code == 204
    assert browser.get(path_of(renewed["url"])).status_code == 404
    before = table_state(CalendarFeed, AuditEvent)
    assert api.delete("me/calendar-feed").status_code == 204  # already off: harmless
    assert table_state(CalendarFeed, AuditEvent) == before
    verbs = AuditEvent.objects.filter(verb__startswith="calendar_feed.").values_list(
        "verb", flat=True
    )
    assert sorted(verbs) == [
        "calendar_feed.created",
        "calendar_feed.renewed",
        "calendar_feed.revoked",
    ]
    token = renewed["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert not any(token in str(payload) for payload in AuditEvent.objects.values("payload"))


def test_anonymous_callers_get_401_and_nothing_is_written(anonymous_api):
    before = table_state(CalendarFeed, AuditEvent)
    for method, path in (
        ("GET", "me/shifts"),
        ("POST", "me/calendar-feed"),
        ("DELETE", "me/calendar-feed"),
    ):
        response = anonymous_api.request(method, path)
        assert response.status_code == 401
        assert error_of(response)["code"]
    assert table_state(CalendarFeed, AuditEvent) == before
