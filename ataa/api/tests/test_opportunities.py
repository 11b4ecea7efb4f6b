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
