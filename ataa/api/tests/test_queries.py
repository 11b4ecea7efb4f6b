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
