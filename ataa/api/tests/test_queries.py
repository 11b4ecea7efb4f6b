"""List endpoints make the same number of queries for 2 rows as for 20."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.accounts.services import token_create
from ataa.api.tests.conftest import ApiClient
from ataa.core.audit import audit_record
from ataa.organizations.models import Invitation, Membership, Role
from conftest import make_organization, make_user

pytestmark = pytest.mark.django_db


def add_tokens(user, organization, admin, start, count):
    for number in range(start, start + count):
        token_create(user=user, name=f"token {number}")


def add_organizations(user, organization, admin, start, count):
    for number in range(start, start + count):
        other = make_organization(f"جمعية {number}", f"Society {number}", "Jeddah")
        Membership.objects.create(user=user, organization=other, role=Role.CASE_WORKER)


def add_members(user, organization, admin, start, count):
    for number in range(start, start + count):
        member = make_user(f"member{number}@example.com", f"عضو {number}")
        Membership.objects.create(user=member, organization=organization, role=Role.CASE_WORKER)


def add_invitations(user, organization, admin, start, count):
    for number in range(start, start + count):
        Invitation.objects.create(
            organization=organization,
            email=f"invitee{number}@example.com",
            role=Role.AUDITOR,
            invited_by=admin,
            expires_at=timezone.now() + dt.timedelta(days=7),
        )


def add_audit_events(user, organization, admin, start, count):
    for _number in range(count):
        audit_record(actor=admin, verb="organization.updated", organization_id=organization.pk)


LISTS = {
    "me/tokens": add_tokens,
    "organizations": add_organizations,
    "organizations/{organization_id}/members": add_members,
    "organizations/{organization_id}/invitations": add_invitations,
    "organizations/{organization_id}/audit-events": add_audit_events,
}


def queries_for(api, path):
    with CaptureQueriesContext(connection) as context:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(context.captured_queries), response.json()["count"]


@pytest.mark.parametrize("path", list(LISTS))
def test_list_query_count_does_not_grow_with_rows(org_admin, organization, path):
    grow = LISTS[path]
    url = path.format(organization_id=organization.pk)
    api = ApiClient(org_admin)
    api.get("me")  # the token's first use is recorded once; keep it out of the counts
    grow(org_admin, organization, org_admin, 0, 2)
    small, small_count = queries_for(api, url)
    grow(org_admin, organization, org_admin, 2, 18)
    large, large_count = queries_for(api, url)
    assert large_count >= small_count + 18
    assert large == small, (
        f"{path}: {small} queries for {small_count} rows, {large} for {large_count}"
    )


# --- Volunteering ---------------------------------------------------------------------------


def _opportunity(organization, admin, **overrides):
    from ataa.opportunities import services
    from ataa.opportunities.tests.conftest import details

    opportunity = services.opportunity_create(
        organization=organization, created_by=admin, **details(**overrides)
    )
    return services.opportunity_publish(opportunity=opportunity, actor=admin)


def test_organization_opportunity_list_does_not_grow_with_rows(org_admin, organization):
    """Each opportunity with its shift count, places and accepted places (annotations)."""
    from ataa.opportunities import services

    api = ApiClient(org_admin)
    api.get("me")
    url = f"organizations/{organization.pk}/opportunities"

    def add(start, count):
        for number in range(start, start + count):
            opportunity = _opportunity(organization, org_admin)
            if number % 3 == 0:
                starts_at = timezone.make_aware(
                    dt.datetime.combine(opportunity.starts_on, dt.time(16))
                )
                services.shift_create(
                    opportunity=opportunity,
                    created_by=org_admin,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=3),
                    capacity=4,
                )

    add(0, 2)
    small, small_count = queries_for(api, url)
    add(2, 20)
    large, large_count = queries_for(api, url)
    assert (small_count, large_count) == (2, 22)
    assert large == small


def test_public_search_with_filters_and_pages_does_not_grow_with_rows(org_admin, organization):
    from ataa.volunteers.models import VolunteeringField

    relief = VolunteeringField.objects.get(code="relief")
    api = ApiClient()
    search = "opportunities?city=jeddah&field=relief&q=رمضان&page_size=10"
    for _ in range(2):
        _opportunity(organization, org_admin, field=relief)
    _opportunity(organization, org_admin)  # another field: not found
    queries_for(api, search)  # the first search reads the cities and fields, once per process
    small, small_count = queries_for(api, search)
    for _ in range(23):
        _opportunity(organization, org_admin, field=relief)
    large, large_count = queries_for(api, search)
    later, later_count = queries_for(api, search + "&page=3")
    assert (small_count, large_count, later_count) == (2, 25, 25)
    assert large == small == later
    past_the_end = api.get(search + "&page=9").json()
    assert past_the_end["items"] == [] and past_the_end["count"] == 25


def test_shift_list_does_not_grow_with_rows(org_admin, organization):
    from ataa.opportunities import services

    opportunity = _opportunity(organization, org_admin)
    api = ApiClient(org_admin)
    api.get("me")
    url = f"organizations/{organization.pk}/opportunities/{opportunity.pk}/shifts"

    def add(start, count):
        for number in range(start, start + count):
            day = opportunity.starts_on + dt.timedelta(days=number % 25)
            starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(8 + number // 25)))
            services.shift_create(
                opportunity=opportunity,
                created_by=org_admin,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=3),
                capacity=3,
            )

    add(0, 2)
    small, small_count = queries_for(api, url)
    add(2, 20)
    large, large_count = queries_for(api, url)
    assert (small_count, large_count) == (2, 22)
    assert large == small
