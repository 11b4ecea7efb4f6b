"""The opportunities API: public reads with the page's rules, scoped writes by the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import City
from ataa.opportunities.models import Opportunity, Shift
from ataa.opportunities.tests import conftest as opportunity_fixtures

# The opportunity fixtures of ataa/opportunities/tests, for these tests too.
make_opportunity = opportunity_fixtures.make_opportunity
published = opportunity_fixtures.published
draft = opportunity_fixtures.draft

pytestmark = pytest.mark.django_db


def body(**overrides):
    data = {
        "title_ar": "تنظيف الشاطئ",
        "title_en": "Beach clean-up",
        "city": City.objects.get(code="jeddah").pk,
        "capacity": 12,
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-20",
    }
    data.update(overrides)
    return data


def test_public_list_and_detail_need_no_login(published, make_opportunity):
    make_opportunity(publish=False)
    api = ApiClient()
    response = api.get("opportunities", q="رمضان")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [published.pk]
    item = response.json()["items"][0]
    assert "exact_address" not in item and "share_token" not in item
    detail = api.get(f"opportunities/{published.pk}")
    assert detail.status_code == 200
    assert "SECRET-ADDRESS" not in detail.content.decode()


def test_public_detail_visibility(make_opportunity):
    api = ApiClient()
    unlisted = make_opportunity(visibility="unlisted")
    draft = make_opportunity(publish=False)
    assert error_of(api.get(f"opportunities/{unlisted.pk}"))["code"] == "not_found"
    assert api.get(f"opportunities/{unlisted.pk}", key=unlisted.share_token).status_code == 200
    assert api.get(f"opportunities/{draft.pk}", key=draft.share_token).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"date_from": "nope"}, {"sort": "sideways"}, {"work_mode": "x"}, {"page_size": "1000"}],
)
def test_invalid_filters_are_a_clear_422(published, params):
    response = ApiClient().get("opportunities", **params)
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_input"


def test_unknown_codes_just_find_nothing(published):
    response = ApiClient().get("opportunities", city="atlantis")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_public_list_query_count_is_constant(make_opportunity):
    api = ApiClient()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("opportunities").status_code == 200
        return len(queries)

    for _ in range(2):
        make_opportunity()
    small = count()
    for _ in range(18):
        make_opportunity()
    assert count() == small


def test_coordinator_creates_patches_publishes_and_adds_shifts(coordinator, organization):
    api = ApiClient(coordinator)
    base = f"organizations/{organization.pk}/opportunities"
    response = api.post(base, body())
    assert response.status_code == 201, response.content
    opportunity_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = api.patch(f"{base}/{opportunity_id}", {"capacity": 20})
    assert response.status_code == 200 and response.json()["capacity"] == 20
    assert response.json()["title_ar"] == "تنظيف الشاطئ"
    assert api.post(f"{base}/{opportunity_id}/publish").json()["status"] == "published"
    response = api.post(
        f"{base}/{opportunity_id}/shifts",
        {"starts_at": "2026-03-02T08:00:00", "ends_at": "2026-03-02T12:00:00", "capacity": 3},
    )
    assert response.status_code == 201, response.content
    weekly = {
        "weekdays": [5],
        "start_time": "16:00",
        "end_time": "20:00",
        "from_date": "2026-03-01",
        "until_date": "2026-03-14",
        "capacity": 4,
    }
    assert len(api.post(f"{base}/{opportunity_id}/shifts/weekly", weekly).json()) == 2
    assert api.post(f"{base}/{opportunity_id}/shifts/weekly", weekly).json() == []
    listed = api.get(f"{base}/{opportunity_id}/shifts").json()
    assert listed["count"] == 3
    rows = api.get(base).json()["items"]
    assert rows[0]["shift_count"] == 3 and rows[0]["shift_capacity"] == 11


def test_refusals_have_the_error_shape_and_change_nothing(coordinator, organization, draft):
    api = ApiClient(coordinator)
    base = f"organizations/{organization.pk}/opportunities"
    response = api.post(base, body(age_min=40, age_max=20))
    assert response.status_code == 422
    assert "age_max" in error_of(response)["fields"]
    response = api.post(f"{base}/{draft.pk}/close")
    assert response.status_code == 409
    assert error_of(response)["code"] == "illegal_transition"
    response = api.post(base, body(city=999999))
    assert response.status_code == 422 and "city" in error_of(response)["fields"]
    assert Opportunity.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_case_worker_gets_403_and_outsider_404(case_worker, outsider, organization, draft):
    base = f"organizations/{organization.pk}/opportunities"
    assert ApiClient(case_worker).post(base, body()).status_code == 403
    assert ApiClient(case_worker).get(base).status_code == 200
    assert ApiClient(outsider).get(base).status_code == 404
    assert ApiClient(outsider).post(f"{base}/{draft.pk}/publish").status_code == 404
    assert not Shift.objects.exists()
    assert Opportunity.objects.count() == 1


# --- Applications -----------------------------------------------------------------------------

make_volunteer = opportunity_fixtures.make_volunteer
volunteer = opportunity_fixtures.volunteer
soon = opportunity_fixtures.soon
make_shift = opportunity_fixtures.make_shift


def test_volunteer_applies_lists_and_withdraws(volunteer, soon):
    from ataa.opportunities.models import Application

    api = ApiClient(volunteer)
    response = api.post(f"opportunities/{soon.pk}/applications", {"answers": {}})
    assert response.status_code == 201, response.content
    application_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    again = api.post(f"opportunities/{soon.pk}/applications", {})
    assert again.status_code == 409 and error_of(again)["code"] == "already_applied"
    mine = api.get("me/applications").json()
    assert [item["id"] for item in mine["items"]] == [application_id]
    assert mine["items"][0]["opportunity"]["id"] == soon.pk
    response = api.post(f"me/applications/{application_id}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert Application.objects.get().status == "withdrawn"


def test_ineligible_application_is_refused_with_the_reason_and_nothing_written(
    make_opportunity, make_volunteer
):
    from ataa.core.models import AuditEvent, OutboxMessage
    from ataa.opportunities.models import Application

    opportunity = make_opportunity(gender_eligibility="men")
    api = ApiClient(make_volunteer("woman"))
    before = (AuditEvent.objects.count(), OutboxMessage.objects.count())
    response = api.post(f"opportunities/{opportunity.pk}/applications", {})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "gender_not_eligible" and error["fields"]["__all__"]
    assert not Application.objects.exists()
    assert (AuditEvent.objects.count(), OutboxMessage.objects.count()) == before


def test_apply_needs_a_shift_of_the_opportunity(volunteer, soon, make_shift, make_opportunity):
    other = make_shift(make_opportunity())
    shift = make_shift(soon)
    api = ApiClient(volunteer)
    url = f"opportunities/{soon.pk}/applications"
    assert error_of(api.post(url, {}))["code"] == "shift_required"
    response = api.post(url, {"shift_id": other.pk})
    assert response.status_code == 422 and "shift_id" in error_of(response)["fields"]
    assert api.post(url, {"shift_id": shift.pk}).json()["shift"]["id"] == shift.pk


def test_anonymous_gets_401_and_a_draft_404(volunteer, draft):
    assert ApiClient().post(f"opportunities/{draft.pk}/applications", {}).status_code == 401
    response = ApiClient(volunteer).post(f"opportunities/{draft.pk}/applications", {})
    assert response.status_code == 404


def test_coordinator_lists_accepts_waitlists_rejects_and_bulk_accepts(
    coordinator, organization, soon, make_volunteer
):
    api = ApiClient(coordinator)
    ids = [
        ApiClient(make_volunteer(f"v{index}"))
        .post(f"opportunities/{soon.pk}/applications", {})
        .json()["id"]
        for index in range(4)
    ]
    base = f"organizations/{organization.pk}/opportunities/{soon.pk}/applications"
    listed = api.get(base).json()
    assert [item["id"] for item in listed["items"]] == ids
    assert listed["items"][0]["volunteer"]["full_name"] == "ريم الدوسري"
    assert api.post(f"{base}/{ids[0]}/waitlist").json()["status"] == "waitlisted"
    assert api.post(f"{base}/{ids[1]}/reject").json()["status"] == "rejected"
    response = api.post(f"{base}/bulk-accept", {"application_ids": [ids[3], ids[2], ids[0]]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [item["id"] for item in body["accepted"]] == [ids[0], ids[2]]
    assert [(item["application_id"], item["code"]) for item in body["refused"]] == [
        (ids[3], "full")
    ]
    full = api.post(f"{base}/{ids[3]}/accept")
    assert full.status_code == 409 and error_of(full)["code"] == "full"
    assert api.get(base, status="accepted").json()["count"] == 2


def test_applications_are_scoped(case_worker, outsider, organization, soon, volunteer):
    application_id = (
        ApiClient(volunteer).post(f"opportunities/{soon.pk}/applications", {}).json()["id"]
    )
    base = f"organizations/{organization.pk}/opportunities/{soon.pk}/applications"
    assert ApiClient(case_worker).get(base).status_code == 403
    assert ApiClient(outsider).get(base).status_code == 404
    assert ApiClient(outsider).post(f"{base}/{application_id}/accept").status_code == 404
    assert ApiClient(outsider).post(f"me/applications/{application_id}/withdraw").status_code == 404


def test_application_lists_query_count_is_constant(coordinator, organization, soon, make_volunteer):
    from ataa.opportunities import services as opportunity_services

    staff = ApiClient(coordinator)
    base = f"organizations/{organization.pk}/opportunities/{soon.pk}/applications"
    mine_user = make_volunteer("mine")
    mine = ApiClient(mine_user)

    def count(api, path):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries)

    made = 0

    def add(number):
        nonlocal made
        for _ in range(number):
            made += 1
            opportunity = make_opportunity_for_count(soon)
            opportunity_services.application_submit(
                volunteer=mine_user, opportunity=opportunity, answers={}
            )
            opportunity_services.application_submit(
                volunteer=make_volunteer(f"c{made}"), opportunity=soon, answers={}
            )

    add(2)
    count(staff, base), count(mine, "me/applications")  # the tokens' first use is recorded once
    small = (count(staff, base), count(mine, "me/applications"))
    add(18)
    assert (count(staff, base), count(mine, "me/applications")) == small


def make_opportunity_for_count(like):
    from ataa.opportunities import services as opportunity_services

    copy = opportunity_services.opportunity_create(
        organization=like.organization,
        created_by=like.created_by,
        **opportunity_fixtures.details(starts_on=like.starts_on, ends_on=like.ends_on),
    )
    return opportunity_services.opportunity_publish(opportunity=copy, actor=like.created_by)
