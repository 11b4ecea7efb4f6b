"""The volunteer's "my shifts" page: their accepted places, upcoming and past, with the exact
address, withdrawing, and the calendar link section."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.core.models import AuditEvent
from ataa.opportunities import services
from ataa.opportunities.models import Application, CalendarFeed
from ataa.opportunities.tests.conftest import volunteer_profile
from conftest import table_state

pytestmark = pytest.mark.django_db

URL = "/volunteer/shifts/"


def days(count: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=count)


def accepted_place(volunteer, opportunity, coordinator, shift=None) -> Application:
    """The volunteer applies (to the shift, if given) and the coordinator accepts."""
    application = services.application_submit(
        volunteer=volunteer, opportunity=opportunity, shift=shift, answers={}
    )
    return services.application_accept(application=application, decided_by=coordinator)


@pytest.fixture
def upcoming_opportunity(make_opportunity):
    return make_opportunity(
        starts_on=days(30), ends_on=days(60), exact_address="UPCOMING-ADDRESS 7 شارع التحلية"
    )


@pytest.fixture
def past_opportunity(make_opportunity):
    return make_opportunity(
        title_ar="فرصة ماضية",
        title_en="A past opportunity",
        starts_on=days(-40),
        ends_on=days(-5),
        exact_address="PAST-ADDRESS",
    )


def page_of(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_upcoming_soonest_first_past_below_with_address_dates_and_times(
    client, volunteer, coordinator, upcoming_opportunity, past_opportunity, make_shift
):
    later = make_shift(upcoming_opportunity, day=days(40), hour=9)
    sooner = make_shift(upcoming_opportunity, day=days(35), hour=16)
    past = make_shift(past_opportunity, day=days(-10), hour=8)
    for shift in (later, sooner):
        accepted_place(volunteer, upcoming_opportunity, coordinator, shift)
    accepted_place(volunteer, past_opportunity, coordinator, past)

    page = page_of(client, volunteer)
    upcoming, history = page.split('id="past-title"')
    # Soonest first: the shift in 35 days, then the one in 40 days.
    assert upcoming.index(days(35).isoformat()) < upcoming.index(days(40).isoformat())
    assert "16:00–19:00" in upcoming and "09:00–12:00" in upcoming
    assert 'class="hijri"' in upcoming  # Hijri beside Gregorian
    assert "UPCOMING-ADDRESS 7 شارع التحلية" in upcoming  # accepted: the exact address
    assert upcoming.count("/withdraw/") == 2
    assert f'href="/opportunities/{upcoming_opportunity.pk}/"' in upcoming
    assert "جمعية البر بجدة" in upcoming  # the organization
    assert "جدة" in upcoming  # the city
    # The past shift is history: no withdraw button there.
    assert "فرصة ماضية" in history and "PAST-ADDRESS" in history
    assert days(-10).isoformat() in history and "/withdraw/" not in history


def test_only_accepted_places_are_listed_and_only_they_show_the_address(
    client, volunteer, coordinator, make_opportunity, upcoming_opportunity, make_volunteer
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    pending = make_opportunity(title_en="Pending one", exact_address="PENDING-ADDRESS")
    services.application_submit(volunteer=volunteer, opportunity=pending, answers={})
    withdrawn = make_opportunity(title_ar="فرصة مسحوبة", exact_address="WITHDRAWN-ADDRESS")
    application = accepted_place(volunteer, withdrawn, coordinator)
    services.application_withdraw(application=application, volunteer=volunteer)

    page = page_of(client, volunteer)
    assert "UPCOMING-ADDRESS" in page
    assert "PENDING-ADDRESS" not in page and "Pending one" not in page
    assert "WITHDRAWN-ADDRESS" not in page and "فرصة مسحوبة" not in page


def test_another_volunteers_shifts_never_appear(
    client, volunteer, other_volunteer, coordinator, make_opportunity
):
    volunteer_profile(other_volunteer)
    theirs = make_opportunity(title_ar="فرصة عمر", exact_address="OMAR-ADDRESS")
    accepted_place(other_volunteer, theirs, coordinator)
    mine = make_opportunity(title_ar="فرصتي", exact_address="MY-ADDRESS")
    accepted_place(volunteer, mine, coordinator)

    page = page_of(client, volunteer)
    assert "فرصتي" in page and "MY-ADDRESS" in page
    assert "فرصة عمر" not in page and "OMAR-ADDRESS" not in page


def test_a_place_without_shift_shows_the_opportunitys_dates(
    client, volunteer, coordinator, upcoming_opportunity
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    page = page_of(client, volunteer)
    assert days(30).isoformat() in page and days(60).isoformat() in page


def test_a_remote_place_says_remote_and_shows_no_street(
    client, volunteer, coordinator, make_opportunity
):
    remote = make_opportunity(
        work_mode="remote", city=None, district=None, exact_address="", title_en="Online"
    )
    accepted_place(volunteer, remote, coordinator)
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    page = page_of(client, volunteer)
    assert "Online" in page and ">Remote<" in page


def test_the_empty_page_says_so_and_links_to_the_opportunities(client, volunteer):
    page = page_of(client, volunteer)
    assert 'href="/opportunities/"' in page
    assert 'aria-current="page"' in page and 'href="/volunteer/shifts/"' in page  # the nav
    assert "<table" not in page


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("language", "title", "absent"),
    [
        ("ar", "توزيع السلال الغذائية في رمضان", "Ramadan food basket distribution"),
        ("en", "Ramadan food basket distribution", "توزيع السلال الغذائية في رمضان"),
    ],
)
def test_the_page_speaks_the_viewers_language(
    client, volunteer, coordinator, upcoming_opportunity, language, title, absent
):
    accepted_place(volunteer, upcoming_opportunity, coordinator)
    volunteer.preferred_language = language
    volunteer.save(update_fields=["preferred_language"])
    page = page_of(client, volunteer)
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert title in page and absent not in page


def test_the_applications_page_links_to_my_shifts(client, volunteer):
    client.force_login(volunteer)
    assert 'href="/volunteer/shifts/"' in client.get("/volunteer/applications/").content.decode()


def test_query_count_does_not_grow_with_the_rows(
    client,
    volunteer,
    coordinator,
    upcoming_opportunity,
    past_opportunity,
    make_shift,
    django_assert_num_queries,
):
    client.force_login(volunteer)
    accepted_place(
        volunteer,
        upcoming_opportunity,
        coordinator,
        make_shift(upcoming_opportunity, day=days(31)),
    )
    accepted_place(
        volunteer, past_opportunity, coordinator, make_shift(past_opportunity, day=days(-20))
    )
    client.get(URL)  # the session's first use
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(URL).status_code == 200
    for offset in range(2, 8):
        accepted_place(
            volunteer,
            upcoming_opportunity,
            coordinator,
            make_shift(upcoming_opportunity, day=days(30 + offset)),
        )
        accepted_place(
            volunteer,
            past_opportunity,
            coordinator,
            make_shift(past_opportunity, day=days(-20 + offset)),
        )
    services_rows = Application.objects.filter(volunteer=volunteer, status="accepted").count()
    assert services_rows == 14
    with django_assert_num_queries(len(one_row)):
        response = client.get(URL)
    assert response.content.decode().count("/withdraw/") == 7


# --- Withdrawing ----------------------------------------------------------------------------


def test_withdrawing_from_my_shifts_frees_the_place_and_comes_back_here(
    client, volunteer, coordinator, upcoming_opportunity
):
    application = accepted_place(volunteer, upcoming_opportunity, coordinator)
    client.force_login(volunteer)
    response = client.post(f"/volunteer/shifts/{application.pk}/withdraw/")
    assert response.status_code == 302 and response["Location"] == URL
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert AuditEvent.objects.filter(verb="application.withdrawn").count() == 1
    assert "UPCOMING-ADDRESS" not in client.get(URL).content.decode()


def test_someone_elses_place_cannot_be_withdrawn_and_nothing_changes(
    client, volunteer, other_volunteer, coordinator, upcoming_opportunity
):
    application = accepted_place(volunteer, upcoming_opportunity, coordinator)
    client.force_login(other_volunteer)
    before = table_state(Application, AuditEvent)
    assert client.post(f"/volunteer/shifts/{application.pk}/withdraw/").status_code == 404
    assert client.get(f"/volunteer/shifts/{application.pk}/withdraw/").status_code == 405
    assert table_state(Application, AuditEvent) == before


def test_withdrawing_twice_is_refused_with_a_message(
    client, volunteer, coordinator, upcoming_opportunity
):
    application = accepted_place(volunteer, upcoming_opportunity, coordinator)
    client.force_login(volunteer)
    client.post(f"/volunteer/shifts/{application.pk}/withdraw/")
    before = table_state(Application, AuditEvent)
    response = client.post(f"/volunteer/shifts/{application.pk}/withdraw/", follow=True)
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()
    assert table_state(Application, AuditEvent) == before


# --- The calendar link section --------------------------------------------------------------


def test_making_the_link_shows_it_once_with_webcal_and_help(client, volunteer):
    client.force_login(volunteer)
    page = client.get(URL).content.decode()
    assert 'action="/volunteer/shifts/calendar/"' in page
    assert "/volunteer/shifts/calendar/off/" not in page  # nothing to turn off yet

    response = client.post("/volunteer/shifts/calendar/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    feed = CalendarFeed.objects.get(user=volunteer)
    start = html.index("http://testserver/calendar/")
    url = html[start : html.index('"', start)]
    token = url.removeprefix("http://testserver/calendar/").removesuffix(".ics")
    assert f'href="webcal://testserver/calendar/{token}.ics"' in html
    assert 'for="feed_url"' in html and 'id="feed_url"' in html and "readonly" in html
    assert "iPhone" in html and "Android" in html
    assert token not in feed.token_hash

    again = client.get(URL).content.decode()
    assert token not in again  # shown only once
    assert "/volunteer/shifts/calendar/off/" in again
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_a_new_link_stops_the_old_one_and_turning_off_stops_both(client, volunteer):
    client.force_login(volunteer)

    def make_link() -> str:
        html = client.post("/volunteer/shifts/calendar/").content.decode()
        start = html.index("/calendar/", html.index("http://testserver"))
        return html[start : html.index('"', start)]

    first = make_link()
    second = make_link()
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert CalendarFeed.objects.filter(user=volunteer).count() == 1

    response = client.post("/volunteer/shifts/calendar/off/")
    assert response.status_code == 302 and response["Location"] == URL
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.exists()
    feed_events = AuditEvent.objects.filter(verb__startswith="calendar_feed.")
    verbs = list(feed_events.order_by("pk").values_list("verb", flat=True))
    assert verbs == ["calendar_feed.created", "calendar_feed.renewed", "calendar_feed.revoked"]

    before = table_state(CalendarFeed, AuditEvent)
    follow = client.post("/volunteer/shifts/calendar/off/", follow=True)
    assert follow.status_code == 200 and 'class="message info"' in follow.content.decode()
    assert table_state(CalendarFeed, AuditEvent) == before


def test_the_calendar_buttons_need_a_login_and_a_post(client, volunteer):
    for url in ("/volunteer/shifts/calendar/", "/volunteer/shifts/calendar/off/"):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(volunteer)
    assert client.get("/volunteer/shifts/calendar/").status_code == 405
    assert not CalendarFeed.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="calendar_feed.").exists()
