"""The organization's audit log: admins and auditors only, ids not personal data."""

from __future__ import annotations

import pytest

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(org_admin, organization, other_organization):
    mine = [
        audit_record(actor=org_admin, verb="organization.updated", organization_id=organization.pk)
        for _ in range(3)
    ]
    audit_record(actor=None, verb="organization.updated", organization_id=other_organization.pk)
    return mine


@pytest.mark.parametrize("persona", ["org_admin", "auditor"])
def test_admins_and_auditors_read_the_log_newest_first(request, organization, events, persona):
    response = ApiClient(request.getfixturevalue(persona)).get(
        f"organizations/{organization.pk}/audit-events"
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [event.pk for event in reversed(events)]
    assert items[0]["verb"] == "organization.updated"
    assert items[0]["description"]


@pytest.mark.parametrize("persona", ["coordinator", "case_worker"])
def test_other_roles_get_403(request, organization, events, persona):
    response = ApiClient(request.getfixturevalue(persona)).get(
        f"organizations/{organization.pk}/audit-events"
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_pages_are_stable_and_complete(org_admin, organization, events):
    api = ApiClient(org_admin)
    seen = []
    for page in (1, 2):
        body = api.get(
            f"organizations/{organization.pk}/audit-events", page=page, page_size=2
        ).json()
        assert body["count"] == 3
        seen += [item["id"] for item in body["items"]]
    assert seen == [event.pk for event in reversed(events)]
