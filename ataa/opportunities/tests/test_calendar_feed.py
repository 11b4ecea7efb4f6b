"""The private calendar feed: /calendar/<token>.ics, its services and what it shows."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

import icalendar
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ataa.core.errors import ServiceError
from ataa.core.models import AuditEvent
from ataa.opportunities import calendar_feed, services
from ataa.opportunities.models import Application, CalendarFeed
from ataa.opportunities.tests.conftest import volunteer_profile
from ataa.opportunities.tests.test_my_shifts import accepted_place, days
from conftest import table_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming_opportunity(make_opportunity):
    return make_opportunity(
        starts_on=days(30), ends_on=days(60), exact_address="FEED-ADDRESS 9 طريق المدينة"
    )


def make_feed(user) -> str:
    _feed, raw = calendar_feed.calendar_feed_create(user=user)
    return f"/calendar/{raw}.ics"


def events_of(response) -> list:
    assert response.status_code == 200, response.content
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def by_uid(events) -> dict:
    return {str(event["UID"]): event for event in events}


def uid(application) -> str:
    return f"application-{application.pk}@{urlsplit(settings.ATAA_BASE_URL).hostname}"


# --- What the feed shows --------------------------------------------------------------------


def test_the_feed_has_one_event_per_accepted_place_in_utc_with_place_and_links(
    client, volunteer, coordinator, upcoming_opportunity, make_shift
):
    shift = make_shift(upcoming_opportunity, day=days(35), hour=16)
    with_shift = accepted_place(volunteer, upcoming_opportunity, coordinator, shift)
    url = make_feed(volunteer)

    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=900"
    event = by_uid(events_of(response))[uid(with_shift)]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == shift.starts_at and end == shift.ends_at
    assert start.utcoffset() == dt.timedelta(0)
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content  # UTC, no TZID
    assert str(event["SUMMARY"]) == "توزيع السلال الغذائية في رمضان"  # Arabic: her language
    location = str(event["LOCATION"])
    assert "FEED-ADDRESS 9 طريق المدينة" in location and "جدة" in location
    description = str(event["DESCRIPTION"])
    assert "جمعية البر بجدة" in description
    assert f"http://testserver/opportunities/{upcoming_opportunity.pk}/" in description
    assert str(event["URL"]) == f"http://testserver/opportunities/{upcoming_opportunity.pk}/"
    alarm = next(iter(event.walk("VALARM")))
    assert alarm.decoded("TRIGGER") == dt.timedelta(days=-1)


def test_the_summary_follows_the_volunteers_preferred_language(
    client, volunteer, coordinator, upcoming_opportunity
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    response = client.get(make_feed(volunteer))
    (event,) = events_of(response)
    assert str(event["SUMMARY"]) == "Ramadan food basket distribution"
    assert "Al-Birr Society Jeddah" in str(event["DESCRIPTION"])
    assert "Jeddah" in str(event["LOCATION"])
    assert response["Content-Language"] == "en"


def test_the_uid_of_a_place_stays_the_same_between_fetches(
    client, volunteer, coordinator, upcoming_opportunity
):
    application = accepted_place(volunteer, upcoming_opportunity, coordinator)
    url = make_feed(volunteer)
    first = client.get(url)
    second = client.get(url)
    assert list(by_uid(events_of(first))) == [uid(application)]
    assert first.content == second.content
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_place_without_shift_is_an_all_day_event_over_the_opportunitys_dates(
    client, volunteer, coordinator, upcoming_opportunity
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    (event,) = events_of(client.get(make_feed(volunteer)))
    assert event.decoded("DTSTART") == days(30)
    assert event.decoded("DTEND") == days(61)  # the end of an all-day event is exclusive


def test_withdrawn_cancelled_and_pending_places_are_not_in_the_feed(
    client, volunteer, coordinator, make_opportunity, make_shift
):
    opportunity = make_opportunity(starts_on=days(10), ends_on=days(40))
    kept = accepted_place(volunteer, opportunity, coordinator, make_shift(opportunity, hour=8))
    withdrawn = accepted_place(
        volunteer, opportunity, coordinator, make_shift(opportunity, day=days(11))
    )
    cancelled = accepted_place(
        volunteer, opportunity, coordinator, make_shift(opportunity, day=days(12))
    )
    services.application_submit(
        volunteer=volunteer, opportunity=opportunity, shift=make_shift(opportunity, day=days(13))
    )
    url = make_feed(volunteer)
    assert len(events_of(client.get(url))) == 3

    services.application_withdraw(application=withdrawn, volunteer=volunteer)
    services.application_cancel(
        application=cancelled, decided_by=coordinator, reason="shift_called_off"
    )
    assert list(by_uid(events_of(client.get(url)))) == [uid(kept)]


def test_the_feed_keeps_ninety_days_of_history(
    client, volunteer, coordinator, make_opportunity, make_shift
):
    old = make_opportunity(starts_on=days(-200), ends_on=days(-20))
    recent = accepted_place(volunteer, old, coordinator, make_shift(old, day=days(-30)))
    accepted_place(volunteer, old, coordinator, make_shift(old, day=days(-120)))
    whole_old = make_opportunity(starts_on=days(-150), ends_on=days(-100))
    accepted_place(volunteer, whole_old, coordinator)
    assert list(by_uid(events_of(client.get(make_feed(volunteer))))) == [uid(recent)]


def test_another_volunteers_places_never_appear(
    client, volunteer, other_volunteer, coordinator, make_opportunity
):
    volunteer_profile(other_volunteer)
    theirs = make_opportunity(title_ar="فرصة عمر", exact_address="OMAR-ADDRESS")
    accepted_place(other_volunteer, theirs, coordinator)
    make_feed(other_volunteer)
    response = client.get(make_feed(volunteer))
    assert events_of(response) == []
    assert b"OMAR-ADDRESS" not in response.content
    assert "فرصة عمر".encode() not in response.content


def test_the_feed_makes_the_same_number_of_queries_for_one_place_as_for_many(
    client, volunteer, coordinator, make_opportunity, make_shift
):
    opportunity = make_opportunity(starts_on=days(5), ends_on=days(40))
    accepted_place(volunteer, opportunity, coordinator, make_shift(opportunity))
    url = make_feed(volunteer)
    client.get(url)  # the first use is written down once
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for offset in range(1, 10):
        accepted_place(
            volunteer, opportunity, coordinator, make_shift(opportunity, day=days(5 + offset))
        )
    with CaptureQueriesContext(connection) as many:
        assert len(events_of(client.get(url))) == 10
    assert len(many) == len(one)


# --- Tokens: unknown, replaced and turned off answer 404 and leak nothing -------------------


def test_an_unknown_token_is_a_bare_404_that_neither_shows_nor_logs_the_address(
    client, volunteer, coordinator, upcoming_opportunity, caplog
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    make_feed(volunteer)
    guess = "A" * 43
    with caplog.at_level(logging.DEBUG):
        response = client.get(f"/calendar/{guess}.ics")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert guess not in body and "FEED-ADDRESS" not in body and "<html" not in body
    assert guess not in caplog.text


@pytest.mark.parametrize(
    "token",
    ["x", "A" * 200, "%3Cscript%3E", "..%2F..%2Fetc", "١٢٣" * 15, "' OR 1=1 --"],
)
def test_malformed_tokens_are_404(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_replaced_or_turned_off_token_is_404_and_nothing_leaks(
    client, volunteer, coordinator, upcoming_opportunity
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    first = make_feed(volunteer)
    second = make_feed(volunteer)
    old = client.get(first)
    assert old.status_code == 404 and b"FEED-ADDRESS" not in old.content
    assert len(events_of(client.get(second))) == 1

    calendar_feed.calendar_feed_revoke(user=volunteer)
    gone = client.get(second)
    assert gone.status_code == 404 and b"FEED-ADDRESS" not in gone.content
    assert b"BEGIN:VCALENDAR" not in gone.content


def test_the_feed_of_a_deactivated_person_is_404(client, volunteer):
    url = make_feed(volunteer)
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_the_feed_only_answers_reads(client, volunteer):
    url = make_feed(volunteer)
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


def test_last_used_is_written_down(client, volunteer):
    url = make_feed(volunteer)
    assert CalendarFeed.objects.get().last_used_at is None
    client.get(url)
    assert CalendarFeed.objects.get().last_used_at is not None


# --- Services -------------------------------------------------------------------------------


def test_only_the_hash_is_stored_and_the_token_is_in_no_audit_event(volunteer):
    feed, raw = calendar_feed.calendar_feed_create(user=volunteer, ip_address="203.0.113.9")
    assert len(raw) >= 43
    stored = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert raw not in str(stored) and len(stored["token_hash"]) == 64
    event = AuditEvent.objects.get(verb="calendar_feed.created")
    assert event.actor == volunteer and event.target_id == str(feed.pk)
    assert event.payload == {} and raw not in str(event.payload)
    assert event.organization_id is None


def test_renewing_keeps_one_feed_per_person_with_a_new_hash(volunteer):
    feed, first = calendar_feed.calendar_feed_create(user=volunteer)
    old_hash = feed.token_hash
    renewed, second = calendar_feed.calendar_feed_create(user=volunteer)
    assert renewed.pk == feed.pk and first != second
    assert CalendarFeed.objects.get().token_hash != old_hash
    assert calendar_feed.calendar_feed_authenticate(first) is None
    assert calendar_feed.calendar_feed_authenticate(second).user == volunteer


def test_turning_off_twice_is_harmless_and_audited_once(volunteer):
    calendar_feed.calendar_feed_create(user=volunteer)
    assert calendar_feed.calendar_feed_revoke(user=volunteer) is True
    assert calendar_feed.calendar_feed_revoke(user=volunteer) is False
    assert AuditEvent.objects.filter(verb="calendar_feed.revoked").count() == 1


def test_an_anonymous_caller_is_refused_and_nothing_is_written(volunteer):
    from django.contrib.auth.models import AnonymousUser

    before = table_state(CalendarFeed, AuditEvent)
    for service in (calendar_feed.calendar_feed_create, calendar_feed.calendar_feed_revoke):
        with pytest.raises(ServiceError) as refused:
            service(user=AnonymousUser())
        assert refused.value.code == "forbidden"
    assert table_state(CalendarFeed, AuditEvent) == before


def test_my_shift_list_orders_upcoming_soonest_first_and_past_latest_first(
    volunteer, coordinator, make_opportunity, make_shift
):
    opportunity = make_opportunity(starts_on=days(-20), ends_on=days(40))
    shifts = {
        offset: accepted_place(
            volunteer, opportunity, coordinator, make_shift(opportunity, day=days(offset))
        )
        for offset in (20, -10, 5, -3)
    }
    whole = make_opportunity(starts_on=days(10), ends_on=days(12))
    accepted_place(volunteer, whole, coordinator)
    upcoming = list(calendar_feed.my_shift_list(user=volunteer, upcoming=True))
    assert [a.pk for a in upcoming if a.shift_id] == [shifts[5].pk, shifts[20].pk]
    assert [a.shift_id for a in upcoming] == [shifts[5].shift_id, None, shifts[20].shift_id]
    past = list(calendar_feed.my_shift_list(user=volunteer, upcoming=False))
    assert [a.pk for a in past] == [shifts[-3].pk, shifts[-10].pk]
    assert all(a.status == Application.Status.ACCEPTED for a in upcoming + past)
