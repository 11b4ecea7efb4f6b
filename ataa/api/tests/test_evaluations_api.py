"""The API of evaluations after a shift: the coordinator's evaluation (organization-scoped, 404
for another organization's attendance), the volunteer's rating of their own attendance, their
averages without the private notes, and nothing changed by a refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent
from ataa.hours import evaluations
from ataa.hours import services as hours_services
from ataa.hours.models import Attendance, ExperienceRating, VolunteerEvaluation
from ataa.hours.tests import conftest as hours_fixtures
from ataa.opportunities.tests import conftest as opportunity_fixtures
from ataa.volunteers.models import VolunteerProfile
from conftest import table_state

make_opportunity = opportunity_fixtures.make_opportunity
make_volunteer = opportunity_fixtures.make_volunteer
make_shift = opportunity_fixtures.make_shift
site_opportunity = hours_fixtures.site_opportunity
shift = hours_fixtures.shift
accept = hours_fixtures.accept
placed = hours_fixtures.placed
during = hours_fixtures.during

pytestmark = pytest.mark.django_db

TABLES = (VolunteerEvaluation, ExperienceRating, AuditEvent)
PRIVATE = "Needs a word about punctuality"


def _check_in(coordinator, application, shift) -> Attendance:
    return hours_services.manual_check_in(
        actor=coordinator,
        application=application,
        at=during(shift, 5),
        reason="No phone",
        now=during(shift, 10),
    )


def _check_out(coordinator, attendance, shift) -> Attendance:
    return hours_services.manual_check_out(
        actor=coordinator,
        attendance=attendance,
        at=during(shift, 90),
        reason="Left",
        now=during(shift, 95),
    )


@pytest.fixture
def attended(coordinator, shift, placed):
    return _check_out(coordinator, _check_in(coordinator, placed[1], shift), shift)


@pytest.fixture
def still_in(coordinator, shift, placed):
    return _check_in(coordinator, placed[1], shift)


def evaluation_path(organization, attendance) -> str:
    return f"organizations/{organization.pk}/attendances/{attendance.pk}/evaluation"


def refused(api, method, path, body, status, code) -> dict:
    before = table_state(*TABLES)
    response = api.request(method, path, body)
    assert response.status_code == status, response.content
    error = error_of(response)
    assert error["code"] == code, error
    assert table_state(*TABLES) == before
    return error


def test_a_coordinator_puts_and_gets_the_evaluation(coordinator, organization, attended, placed):
    api = ApiClient(coordinator)
    path = evaluation_path(organization, attended)
    body = api.get(path).json()
    assert body["evaluation"] is None and body["can_evaluate"] is True
    assert body["volunteer"] == {"id": placed[0].pk, "full_name": "ريم الدوسري"}
    assert body["volunteer_averages"] is None

    response = api.request(
        "PUT", path, {"attendance_score": 5, "quality_score": 4, "private_note": PRIVATE}
    )
    assert response.status_code == 200, response.content
    evaluation = response.json()["evaluation"]
    assert (evaluation["attendance_score"], evaluation["quality_score"]) == (5, 4)
    assert evaluation["private_note"] == PRIVATE
    assert evaluation["updated_by_id"] == coordinator.pk
    # The volunteer shares their averages: they come with the evaluation.
    VolunteerProfile.objects.filter(user=placed[0]).update(
        share_evaluations_with_organizations=True
    )
    assert api.get(path).json()["volunteer_averages"] == {
        "attendance": 5.0,
        "quality": 4.0,
        "count": 1,
    }


def test_evaluation_refusals_change_nothing(coordinator, organization, still_in, attended_later):
    api = ApiClient(coordinator)
    refused(
        api,
        "PUT",
        evaluation_path(organization, still_in),
        {"attendance_score": 3, "quality_score": 3},
        409,
        "shift_not_over",
    )
    error = refused(
        api,
        "PUT",
        evaluation_path(organization, attended_later),
        {"attendance_score": 7, "quality_score": 3},
        422,
        "invalid_input",
    )
    assert "attendance_score" in error["fields"]


@pytest.fixture
def attended_later(coordinator, make_volunteer, accept, site_opportunity, shift):
    volunteer = make_volunteer("later", full_name_ar="سارة الحربي")
    application = accept(volunteer, site_opportunity, shift)
    return _check_out(coordinator, _check_in(coordinator, application, shift), shift)


def test_another_organizations_attendance_answers_404(
    outsider, other_organization, organization, attended, case_worker
):
    api = ApiClient(outsider)
    body = {"attendance_score": 1, "quality_score": 1}
    # Their own organization with our attendance: not found; our organization: not found.
    for path in (
        evaluation_path(other_organization, attended),
        evaluation_path(organization, attended),
    ):
        refused(api, "GET", path, None, 404, "not_found")
        refused(api, "PUT", path, body, 404, "not_found")
    # A member whose role is not enough: 403, whatever the body.
    refused(
        ApiClient(case_worker),
        "PUT",
        evaluation_path(organization, attended),
        body,
        403,
        "forbidden",
    )


def test_the_volunteer_rates_once_and_reads_averages_without_private_notes(
    coordinator, attended, placed
):
    evaluations.evaluation_save(
        actor=coordinator,
        attendance=attended,
        attendance_score=4,
        quality_score=3,
        private_note=PRIVATE,
    )
    api = ApiClient(placed[0])
    body = {"attendance_id": attended.pk, "score": 5, "comment": "Great"}
    response = api.post("me/ratings", body)
    assert response.status_code == 201, response.content
    rating = response.json()
    assert (rating["score"], rating["comment"], rating["shift_id"]) == (
        5,
        "Great",
        attended.shift_id,
    )
    refused(api, "POST", "me/ratings", {**body, "score": 2}, 409, "already_rated")

    mine = api.get("me/evaluations")
    assert mine.json() == {
        "averages": {"attendance": 4.0, "quality": 3.0, "count": 1},
        "sharing": False,
    }
    ratings = api.get("me/ratings").json()
    assert ratings["count"] == 1 and ratings["items"][0]["score"] == 5
    for response in (mine, api.get("me/ratings")):
        assert PRIVATE not in response.content.decode()
        assert "private_note" not in response.content.decode()


def test_rating_refusals(still_in, attended_later, placed, make_volunteer):
    api = ApiClient(placed[0])
    refused(
        api, "POST", "me/ratings", {"attendance_id": still_in.pk, "score": 3}, 409, "shift_not_over"
    )
    later = ApiClient(attended_later.volunteer)
    body = {"attendance_id": attended_later.pk, "score": 0}
    refused(later, "POST", "me/ratings", body, 422, "invalid_input")
    # Someone else's attendance is not one to choose, and nothing tells it exists.
    body["score"] = 3
    for someone in (make_volunteer("nosy"), placed[0]):
        error = refused(ApiClient(someone), "POST", "me/ratings", body, 422, "invalid_input")
        assert set(error["fields"]) == {"attendance_id"}


def test_the_organizations_experience_per_opportunity(
    coordinator, organization, attended, attended_later, placed
):
    evaluations.rating_submit(volunteer=placed[0], attendance=attended, score=4)
    evaluations.rating_submit(
        volunteer=attended_later.volunteer, attendance=attended_later, score=5
    )
    body = ApiClient(coordinator).get(f"organizations/{organization.pk}/experience-ratings").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["opportunity_id"], item["average"], item["count"]) == (
        attended.shift.opportunity_id,
        4.5,
        2,
    )


def test_my_ratings_query_count_does_not_grow(
    coordinator, attended, placed, make_shift, accept, site_opportunity
):
    volunteer = placed[0]
    api = ApiClient(volunteer)
    evaluations.rating_submit(volunteer=volunteer, attendance=attended, score=4)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("me/ratings").status_code == 200
        return len(queries)

    count()  # the first request of a token records its use
    one = count()
    for number in (1, 2):
        later = make_shift(
            site_opportunity, day=site_opportunity.starts_on + dt.timedelta(days=number)
        )
        application = accept(volunteer, site_opportunity, later)
        attendance = _check_out(coordinator, _check_in(coordinator, application, later), later)
        evaluations.rating_submit(volunteer=volunteer, attendance=attendance, score=3)
    assert count() == one


def test_the_profile_setting_lets_organizations_see_the_averages(placed):
    volunteer = placed[0]
    api = ApiClient(volunteer)
    profile = api.get("volunteer-profile").json()
    assert profile["share_evaluations_with_organizations"] is False
    assert api.get("me/evaluations").json()["sharing"] is False
    VolunteerProfile.objects.filter(user=volunteer).update(
        share_evaluations_with_organizations=True
    )
    assert api.get("volunteer-profile").json()["share_evaluations_with_organizations"] is True
    assert api.get("me/evaluations").json()["sharing"] is True
