"""Every list page of volunteering makes as many queries for many rows as for a few.

The public search (filtered, and on a later page), the organization's opportunities, an
opportunity's shifts and applications, and the volunteer's own applications: each is requested
with a few rows, then again with many more, and the query count must not change.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.opportunities import services
from ataa.opportunities.models import Application

pytestmark = pytest.mark.django_db


def queries_of(client, url: str, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(queries), response


def cards(response) -> int:
    return response.content.decode().count('class="card opportunity-card"')


def test_public_search_with_filters_and_pages_does_not_grow_with_the_rows(client, make_opportunity):
    from ataa.volunteers.models import VolunteeringField

    relief = VolunteeringField.objects.get(code="relief")
    search = {"city": "jeddah", "field": "relief", "q": "رمضان"}  # the title says رمضان
    for _ in range(2):
        make_opportunity(field=relief)
    make_opportunity()  # another field: not found
    client.get("/opportunities/")  # reads the filter form's cities, fields and skills, once
    small, response = queries_of(client, "/opportunities/", **search)
    assert cards(response) == 2
    for _ in range(43):
        make_opportunity(field=relief)
    large, response = queries_of(client, "/opportunities/", **search)
    assert cards(response) == 20
    assert "45" in response.content.decode()  # the count of all the matches, not of the page
    later, response = queries_of(client, "/opportunities/", page=3, **search)
    assert cards(response) == 5
    assert large == small == later


def test_public_search_page_numbers_behave_like_django_paginator(client, make_opportunity):
    for _ in range(21):
        make_opportunity()
    last = client.get("/opportunities/", {"page": "99"}).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last  # out of range: the last page
    for page in ("0", "-1", "1.5", "x", ""):
        response = client.get("/opportunities/", {"page": page})
        assert response.status_code == 200
    assert cards(client.get("/opportunities/", {"page": "2"})) == 1
    assert cards(client.get("/opportunities/", {"page": "x"})) == 20  # not a number: the first


def test_organization_opportunity_list_does_not_grow_with_the_rows(
    client, coordinator, organization, make_opportunity, make_shift, make_volunteer
):
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            opportunity = make_opportunity(publish=number % 2 == 0)
            if number % 3 == 0 and opportunity.status == "published":
                make_shift(opportunity, capacity=3)

    client.force_login(coordinator)
    url = f"/orgs/{organization.pk}/opportunities/"
    add(2, 0)
    client.get(url)  # the session's first use
    small, _response = queries_of(client, url)
    add(20, 2)
    large, response = queries_of(client, url)
    assert large == small
    assert response.content.decode().count("/edit/") >= 22


def _applications(opportunity, volunteers, *, shift=None):
    return [
        services.application_submit(volunteer=person, opportunity=opportunity, shift=shift)
        for person in volunteers
    ]


def test_shift_and_application_lists_of_an_opportunity_do_not_grow_with_the_rows(
    client, coordinator, organization, soon, make_shift, make_volunteer
):
    client.force_login(coordinator)
    base = f"/orgs/{organization.pk}/opportunities/{soon.pk}"
    first = make_shift(soon, capacity=30)
    make_shift(soon, capacity=5, hour=9)
    people = [make_volunteer(f"early{number}") for number in range(2)]
    accepted = _applications(soon, people, shift=first)
    services.application_accept(application=accepted[0], decided_by=coordinator)
    client.get(f"{base}/shifts/")
    small = (
        queries_of(client, f"{base}/shifts/")[0],
        queries_of(client, f"{base}/applications/")[0],
    )

    day = soon.starts_on
    for number in range(18):  # within the opportunity's ten days
        make_shift(soon, capacity=4, day=day + dt.timedelta(days=number % 9), hour=10 + number // 9)
    more = [make_volunteer(f"late{number}") for number in range(20)]
    for application in _applications(soon, more, shift=first)[:10]:
        services.application_accept(application=application, decided_by=coordinator)
    shifts, _response = queries_of(client, f"{base}/shifts/")
    applications, _response = queries_of(client, f"{base}/applications/")
    assert (shifts, applications) == small
    assert Application.objects.filter(opportunity=soon).count() == 22


def test_my_applications_do_not_grow_with_the_rows(
    client, volunteer, make_opportunity, make_shift, coordinator
):
    today = timezone.localdate()

    def add(count: int) -> None:
        for number in range(count):
            start = today + dt.timedelta(days=(-60 if number % 2 else 30) + number)
            opportunity = make_opportunity(starts_on=start, ends_on=start + dt.timedelta(days=3))
            shift = make_shift(opportunity) if number % 3 == 0 else None
            application = services.application_submit(
                volunteer=volunteer, opportunity=opportunity, shift=shift
            )
            if number % 4 == 0:
                services.application_accept(application=application, decided_by=coordinator)

    client.force_login(volunteer)
    add(2)
    client.get("/volunteer/applications/")
    small, _response = queries_of(client, "/volunteer/applications/")
    add(20)
    large, _response = queries_of(client, "/volunteer/applications/")
    assert large == small
    assert Application.objects.filter(volunteer=volunteer).count() == 22
