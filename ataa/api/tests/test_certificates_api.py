"""The certificates API: public verification, the volunteer's certificates, the organization's."""

# ruff: noqa: F811 (the certificate fixtures, imported below, are test arguments)

from __future__ import annotations

import pytest

from ataa.api.tests.conftest import error_of
from ataa.certificates import services
from ataa.certificates.models import Certificate
from ataa.certificates.tests.conftest import (  # noqa: F401 (fixtures)
    HOLDER_NAME_AR,
    HOLDER_NAME_LATIN,
    accept,
    certificate,
    holder,
    key_directory,
    make_opportunity,
    make_shift,
    make_volunteer,
    shift,
    site_opportunity,
    work_hours,
)
from ataa.core.models import AuditEvent
from conftest import table_state

pytestmark = pytest.mark.django_db

ORG = "/api/v1/organizations/{}/certificates"


def test_anyone_verifies_a_code_without_a_token(anonymous_api, certificate):
    response = anonymous_api.get(f"certificates/verify/{certificate.display_code.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid" and body["revoked_at"] is None
    assert body["jws"] == certificate.jws
    facts = body["facts"]
    assert facts["code"] == certificate.code
    assert facts["holder_name_ar"] == HOLDER_NAME_AR
    assert facts["holder_name_latin"] == HOLDER_NAME_LATIN
    assert facts["minutes"] == 150
    assert facts["first_day"] == certificate.first_day.isoformat()


def test_an_unknown_code_answers_unknown(anonymous_api, certificate):
    for code in ("ABCDEFGHJK", "nope", "x" * 300):
        body = anonymous_api.get(f"certificates/verify/{code}").json()
        assert body == {"status": "unknown", "revoked_at": None, "facts": None, "jws": ""}


def test_a_revoked_certificate_answers_revoked_without_the_reason(
    api_as,
    anonymous_api,
    certificate,
    coordinator,
    organization,
):
    staff = api_as(coordinator)
    response = staff.post(
        f"{ORG.format(organization.pk)}/{certificate.pk}/revoke", {"reason": "Wrong person"}
    )
    assert response.status_code == 200
    revoked = response.json()
    assert revoked["revoked_at"] and revoked["revocation_reason"] == "Wrong person"
    assert revoked["revoked_by_id"] == coordinator.pk

    response = anonymous_api.get(f"certificates/verify/{certificate.code}")
    body = response.json()
    assert body["status"] == "revoked" and body["revoked_at"]
    assert "Wrong person" not in response.content.decode()

    before = table_state(Certificate, AuditEvent)
    response = staff.post(
        f"{ORG.format(organization.pk)}/{certificate.pk}/revoke", {"reason": "again"}
    )
    assert error_of(response)["code"] == "already_revoked"
    assert table_state(Certificate, AuditEvent) == before


def test_a_volunteer_asks_for_their_certificate_and_lists_it(
    api_as,
    holder,
    site_opportunity,
):
    api = api_as(holder)
    response = api.post(
        "me/certificates", {"opportunity_id": site_opportunity.pk, "language": "en"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["language"] == "en" and body["minutes"] == 150
    assert body["opportunity"]["id"] == site_opportunity.pk
    assert body["display_code"].replace("-", "") == body["code"]

    listed = api.get("me/certificates").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]

    before = table_state(Certificate, AuditEvent)
    response = api.post("me/certificates", {"opportunity_id": site_opportunity.pk})
    assert error_of(response)["code"] == "already_issued"
    assert table_state(Certificate, AuditEvent) == before


def test_refusals_to_issue_change_nothing(
    api_as,
    make_volunteer,
    work_hours,
    site_opportunity,
    other_volunteer,
):
    pending = make_volunteer("pending")
    work_hours(pending, approve=False)
    api, other_api = api_as(pending), api_as(other_volunteer)
    before = table_state(Certificate, AuditEvent)
    response = api.post("me/certificates", {"opportunity_id": site_opportunity.pk})
    assert error_of(response)["code"] == "no_approved_hours"
    # No hours there at all, an unknown opportunity, a bad language, an unknown field.
    response = other_api.post("me/certificates", {"opportunity_id": site_opportunity.pk})
    assert error_of(response)["code"] == "invalid_input"
    response = api.post("me/certificates", {"opportunity_id": 999999})
    assert error_of(response)["code"] == "invalid_input"
    response = api.post(
        "me/certificates", {"opportunity_id": site_opportunity.pk, "language": "fr"}
    )
    assert error_of(response)["code"] == "invalid_input"
    response = api.post(
        "me/certificates", {"opportunity_id": site_opportunity.pk, "volunteer_id": 1}
    )
    assert error_of(response)["code"] == "invalid_input"
    assert table_state(Certificate, AuditEvent) == before


def test_the_organization_lists_its_certificates(
    api_as,
    coordinator,
    organization,
    certificate,
    holder,
):
    body = api_as(coordinator).get(ORG.format(organization.pk)).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == certificate.pk and item["volunteer"]["id"] == holder.pk
    assert item["volunteer"]["full_name"] == HOLDER_NAME_AR
    assert item["revocation_reason"] == ""


def test_another_organizations_certificate_answers_404_and_nothing_changes(
    api_as,
    outsider,
    other_organization,
    organization,
    certificate,
    case_worker,
):
    api, case_worker_api = api_as(outsider), api_as(case_worker)
    before = table_state(Certificate, AuditEvent)
    assert api.get(ORG.format(organization.pk)).status_code == 404
    for org_id in (organization.pk, other_organization.pk):
        response = api.post(f"{ORG.format(org_id)}/{certificate.pk}/revoke", {"reason": "x"})
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert api.get(ORG.format(other_organization.pk)).json()["count"] == 0
    response = case_worker_api.post(
        f"{ORG.format(organization.pk)}/{certificate.pk}/revoke", {"reason": "x"}
    )
    assert response.status_code == 403
    assert table_state(Certificate, AuditEvent) == before


def test_the_lists_cost_the_same_queries_for_one_row_as_for_many(
    api_as,
    coordinator,
    organization,
    holder,
    make_volunteer,
    work_hours,
    site_opportunity,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.issue_hours_certificate(actor=holder, volunteer=holder, opportunity=site_opportunity)
    staff, mine = api_as(coordinator), api_as(holder)

    def count(api, path):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries)

    count(staff, ORG.format(organization.pk)), count(mine, "me/certificates")  # first use
    org_one, mine_one = count(staff, ORG.format(organization.pk)), count(mine, "me/certificates")
    for number in range(2):
        volunteer = make_volunteer(f"more{number}")
        work_hours(volunteer)
        services.issue_hours_certificate(
            actor=volunteer, volunteer=volunteer, opportunity=site_opportunity
        )
    assert count(staff, ORG.format(organization.pk)) == org_one
    assert count(mine, "me/certificates") == mine_one
