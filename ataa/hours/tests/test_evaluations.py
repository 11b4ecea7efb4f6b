"""Evaluations after a shift: the coordinator's evaluation of a volunteer (scores and a private
note), the volunteer's rating of the shift, the averages (shown to organizations only when the
volunteer allows it) and their pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.core.errors import ServiceError
from ataa.core.models import AuditEvent
from ataa.hours import evaluations, services
from ataa.hours.models import Attendance, ExperienceRating, VolunteerEvaluation
from ataa.hours.tests.conftest import during
from ataa.opportunities.models import Application
from ataa.opportunities.tests.conftest import volunteer_profile
from ataa.volunteers.forms import VolunteerProfileForm
from ataa.volunteers.models import VolunteerProfile
from conftest import table_state

pytestmark = pytest.mark.django_db

TABLES = (VolunteerEvaluation, ExperienceRating, AuditEvent)
PRIVATE = "Arrived tired; talk with him before the next shift"


def sign_in(client, user) -> None:
    type(user).objects.filter(pk=user.pk).update(preferred_language="en")
    client.force_login(user)


def check_in(coordinator, application, shift) -> Attendance:
    return services.manual_check_in(
        actor=coordinator,
        application=application,
        at=during(shift, 5),
        reason="No phone",
        now=during(shift, 10),
    )


def check_out(coordinator, attendance, shift) -> Attendance:
    return services.manual_check_out(
        actor=coordinator,
        attendance=attendance,
        at=during(shift, 120),
        reason="Left early",
        now=during(shift, 125),
    )


@pytest.fixture
def attended(coordinator, shift, placed) -> Attendance:
    """The placed volunteer's attendance at `shift`, checked in and out."""
    _volunteer, application = placed
    return check_out(coordinator, check_in(coordinator, application, shift), shift)


@pytest.fixture
def still_in(coordinator, shift, placed) -> Attendance:
    """Checked in, not out, and the shift (in the future) has not ended."""
    return check_in(coordinator, placed[1], shift)


def share(volunteer, value: bool = True) -> None:
    VolunteerProfile.objects.filter(user=volunteer).update(
        share_evaluations_with_organizations=value
    )


def evaluate(actor, attendance, attendance_score=4, quality_score=5, note=PRIVATE, **kwargs):
    return evaluations.evaluation_save(
        actor=actor,
        attendance=attendance,
        attendance_score=attendance_score,
        quality_score=quality_score,
        private_note=note,
        **kwargs,
    )


def evaluate_url(attendance) -> str:
    organization_id = attendance.shift.opportunity.organization_id
    return f"/orgs/{organization_id}/hours/attendances/{attendance.pk}/evaluate/"


def rate_url(attendance) -> str:
    return f"/volunteer/attendances/{attendance.pk}/rate/"


# --- The coordinator's evaluation -----------------------------------------------------------------


def test_a_coordinator_evaluates_then_an_admin_changes_it_keeping_who_and_when(
    coordinator, org_admin, attended
):
    evaluation, created = evaluate(coordinator, attended)
    assert created
    assert (evaluation.attendance_score, evaluation.quality_score) == (4, 5)
    assert evaluation.volunteer_id == attended.volunteer_id
    assert evaluation.created_by == coordinator and evaluation.updated_by == coordinator

    later = timezone.now() + dt.timedelta(hours=1)
    changed, created = evaluate(org_admin, attended, attendance_score=2, note="", now=later)
    assert not created and changed.pk == evaluation.pk
    assert (changed.attendance_score, changed.private_note) == (2, "")
    assert changed.created_by == coordinator and changed.updated_by == org_admin
    assert changed.updated_at == later
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", "payload"))[-2:]
    assert [verb for verb, _payload in verbs] == ["evaluation.recorded", "evaluation.changed"]
    for _verb, payload in verbs:
        assert set(payload) == {
            "attendance_id",
            "volunteer_id",
            "attendance_score",
            "quality_score",
        }
        assert PRIVATE not in str(payload)


@pytest.mark.parametrize(
    ("scores", "code"),
    [((0, 3), "invalid_input"), ((3, 6), "invalid_input"), ((None, 3), "invalid_input")],
)
def test_a_score_outside_1_to_5_is_refused_and_nothing_is_written(
    coordinator, attended, scores, code
):
    before = table_state(*TABLES)
    with pytest.raises(ServiceError) as refused:
        evaluate(coordinator, attended, *scores)
    assert refused.value.code == code
    assert table_state(*TABLES) == before


def test_an_attendance_still_open_during_the_shift_cannot_be_evaluated(coordinator, still_in):
    before = table_state(*TABLES)
    with pytest.raises(ServiceError) as refused:
        evaluate(coordinator, still_in)
    assert refused.value.code == "shift_not_over"
    assert table_state(*TABLES) == before
    # Once the shift has ended it can, even if the check-out was forgotten.
    evaluate(coordinator, still_in, now=still_in.shift.ends_at)


def test_a_cancelled_place_cannot_be_evaluated(coordinator, attended):
    Application.objects.filter(pk=attended.application_id).update(
        status=Application.Status.CANCELLED
    )
    before = table_state(*TABLES)
    with pytest.raises(ServiceError) as refused:
        evaluate(coordinator, attended)
    assert refused.value.code == "not_attended"
    assert table_state(*TABLES) == before


@pytest.mark.parametrize("who", ["case_worker", "outsider", "placed_volunteer"])
def test_only_the_organizations_managers_evaluate(request, attended, placed, who):
    actor = placed[0] if who == "placed_volunteer" else request.getfixturevalue(who)
    before = table_state(*TABLES)
    with pytest.raises(ServiceError) as refused:
        evaluate(actor, attended)
    assert refused.value.code == "forbidden"
    assert table_state(*TABLES) == before


# --- The volunteer's rating -------------------------------------------------------------------


def test_the_volunteer_rates_the_shift_once(attended, placed):
    volunteer = placed[0]
    rating = evaluations.rating_submit(
        volunteer=volunteer, attendance=attended, score=5, comment="  Well organized  "
    )
    assert (rating.score, rating.comment) == (5, "Well organized")
    assert rating.opportunity_id == attended.shift.opportunity_id
    event = AuditEvent.objects.get(verb="rating.submitted")
    assert event.payload == {"attendance_id": attended.pk, "score": 5}

    before = table_state(*TABLES)
    with pytest.raises(ServiceError) as refused:
        evaluations.rating_submit(volunteer=volunteer, attendance=attended, score=1)
    assert refused.value.code == "already_rated"
    assert table_state(*TABLES) == before


def test_rating_refusals_change_nothing(still_in, attended_other, placed, make_volunteer):
    volunteer = placed[0]
    cases = [
        (dict(volunteer=volunteer, attendance=still_in, score=4), "shift_not_over"),
        (dict(volunteer=make_volunteer("someone"), attendance=still_in, score=4), "forbidden"),
    ]
    for kwargs, code in cases:
        before = table_state(*TABLES)
        with pytest.raises(ServiceError) as refused:
            evaluations.rating_submit(**kwargs)
        assert refused.value.code == code
        assert table_state(*TABLES) == before
    for score in (0, 6, "5", True):
        before = table_state(*TABLES)
        with pytest.raises(ServiceError) as refused:
            evaluations.rating_submit(
                volunteer=attended_other.volunteer, attendance=attended_other, score=score
            )
        assert refused.value.code == "invalid_input"
        assert table_state(*TABLES) == before


@pytest.fixture
def attended_other(coordinator, make_volunteer, accept, site_opportunity, shift):
    """A second volunteer of `shift`, checked in and out."""
    volunteer = make_volunteer("second", full_name_ar="سارة الحربي")
    application = accept(volunteer, site_opportunity, shift)
    return check_out(coordinator, check_in(coordinator, application, shift), shift)


# --- Averages -----------------------------------------------------------------------------------


def test_averages_across_shifts_and_only_when_the_volunteer_shares_them(
    coordinator, attended, attended_other, placed
):
    evaluate(coordinator, attended, 4, 5)
    evaluate(coordinator, attended_other, 2, 3)
    volunteer = placed[0]
    assert evaluations.volunteer_averages(volunteer=volunteer) == evaluations.Averages(4.0, 5.0, 1)
    assert evaluations.shared_averages(volunteer_id=volunteer.pk) is None
    share(volunteer)
    assert evaluations.shared_averages(volunteer_id=volunteer.pk) == evaluations.Averages(
        4.0, 5.0, 1
    )
    both = evaluations.shared_averages_by_volunteer(
        volunteer_ids=[volunteer.pk, attended_other.volunteer_id]
    )
    assert set(both) == {volunteer.pk}  # the other one does not share


def test_the_organizations_experience_average_per_opportunity(
    organization, attended, attended_other, placed
):
    evaluations.rating_submit(volunteer=placed[0], attendance=attended, score=5)
    evaluations.rating_submit(
        volunteer=attended_other.volunteer, attendance=attended_other, score=2
    )
    rows = evaluations.organization_experience_by_opportunity(organization=organization)
    assert [(row.pk, row.rating_average, row.rating_count) for row in rows] == [
        (attended.shift.opportunity_id, 3.5, 2)
    ]


# --- The coordinator's page -------------------------------------------------------------------


def test_the_evaluation_page_saves_and_shows_shared_averages(client, coordinator, attended, placed):
    share(placed[0])
    sign_in(client, coordinator)
    page = client.get(evaluate_url(attended)).content.decode()
    assert "Evaluate a volunteer" in page and "ريم الدوسري" in page
    assert "has not been evaluated yet, or keeps their evaluations private" in page
    response = client.post(
        evaluate_url(attended),
        {"attendance_score": "3", "quality_score": "4", "private_note": PRIVATE},
    )
    assert response.status_code == 302
    page = client.get(evaluate_url(attended)).content.decode()
    assert "attendance 3.0 of 5, quality 4.0 of 5 (1 shift)" in page
    assert PRIVATE in page  # the organization's own staff read the note
    assert "Last changed by" in page


def test_the_evaluation_page_hides_averages_the_volunteer_keeps_private(
    client, coordinator, attended, attended_other
):
    evaluate(coordinator, attended)
    sign_in(client, coordinator)
    page = client.get(evaluate_url(attended)).content.decode()
    assert "of 5, quality" not in page


def test_a_bad_post_shows_the_form_again_and_writes_nothing(client, coordinator, attended):
    sign_in(client, coordinator)
    before = table_state(*TABLES)
    response = client.post(evaluate_url(attended), {"attendance_score": "9", "quality_score": ""})
    assert response.status_code == 200
    assert table_state(*TABLES) == before


def test_the_page_refuses_before_the_shift_is_over(client, coordinator, still_in):
    sign_in(client, coordinator)
    assert "is not over yet" in client.get(evaluate_url(still_in)).content.decode()
    before = table_state(*TABLES)
    response = client.post(evaluate_url(still_in), {"attendance_score": "3", "quality_score": "3"})
    assert response.status_code == 200
    assert "is not over yet" in response.content.decode()
    assert table_state(*TABLES) == before


def test_another_organizations_attendance_answers_404(
    client, outsider, other_organization, attended, case_worker
):
    sign_in(client, outsider)
    before = table_state(*TABLES)
    # The outsider's own organization in the URL, the attendance of another one.
    url = f"/orgs/{other_organization.pk}/hours/attendances/{attended.pk}/evaluate/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"attendance_score": "1", "quality_score": "1"}).status_code == 404
    assert client.get(evaluate_url(attended)).status_code == 404
    sign_in(client, case_worker)
    assert client.get(evaluate_url(attended)).status_code == 403
    assert table_state(*TABLES) == before


def test_the_check_in_screen_links_each_checked_out_volunteer_to_the_evaluation(
    client, coordinator, attended
):
    sign_in(client, coordinator)
    opportunity = attended.shift.opportunity
    page = client.get(
        f"/orgs/{opportunity.organization_id}/opportunities/{opportunity.pk}"
        f"/shifts/{attended.shift_id}/check-in/"
    ).content.decode()
    assert f'href="{evaluate_url(attended)}"' in page


# --- The volunteer's pages --------------------------------------------------------------------


def test_the_volunteer_rates_on_the_page_and_never_sees_the_private_note(
    client, coordinator, attended, placed
):
    evaluate(coordinator, attended, 4, 5)
    volunteer = placed[0]
    sign_in(client, volunteer)
    hours_page = client.get("/volunteer/hours/").content.decode()
    assert f'href="{rate_url(attended)}"' in hours_page
    mine = client.get("/volunteer/evaluations/").content.decode()
    assert "Attendance 4.0 of 5, quality of the work 5.0 of 5, over 1 shift." in mine
    assert f'href="{rate_url(attended)}"' in mine
    response = client.post(rate_url(attended), {"score": "4", "comment": "Good team"})
    assert response.status_code == 302
    page = client.get(rate_url(attended)).content.decode()
    assert "You gave this shift 4 of 5." in page
    for url in ("/volunteer/hours/", "/volunteer/evaluations/", rate_url(attended)):
        assert PRIVATE not in client.get(url).content.decode()
    # A second rating is refused and nothing changes.
    before = table_state(*TABLES)
    client.post(rate_url(attended), {"score": "1"})
    assert table_state(*TABLES) == before


def test_someone_elses_attendance_answers_404_to_a_volunteer(client, attended, make_volunteer):
    sign_in(client, make_volunteer("nosy"))
    before = table_state(*TABLES)
    assert client.get(rate_url(attended)).status_code == 404
    assert client.post(rate_url(attended), {"score": "1"}).status_code == 404
    assert client.get("/volunteer/attendances/999999/rate/").status_code == 404
    assert table_state(*TABLES) == before


def test_the_organizations_ratings_page(client, coordinator, organization, attended, placed):
    evaluations.rating_submit(
        volunteer=placed[0], attendance=attended, score=5, comment="Well organized"
    )
    sign_in(client, coordinator)
    page = client.get(f"/orgs/{organization.pk}/hours/ratings/").content.decode()
    assert "5.0 of 5 (1 rating)" in page and "Well organized" in page


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_do_not_grow_in_queries_with_their_rows(
    client, coordinator, organization, attended, placed, make_volunteer, make_shift, accept
):
    volunteer = placed[0]
    opportunity = attended.shift.opportunity
    evaluations.rating_submit(volunteer=volunteer, attendance=attended, score=4)
    sign_in(client, volunteer)
    mine_one = _queries(client, "/volunteer/evaluations/")
    sign_in(client, coordinator)
    ratings_one = _queries(client, f"/orgs/{organization.pk}/hours/ratings/")

    for number in range(1, 4):
        # More shifts of the same volunteer, on later days, checked out and rated (one of
        # them left to rate), and more volunteers rating them.
        shift = make_shift(
            opportunity, capacity=2, day=opportunity.starts_on + dt.timedelta(days=number)
        )
        for person in (volunteer, make_volunteer(f"more{number}")):
            application = accept(person, opportunity, shift)
            attendance = check_out(coordinator, check_in(coordinator, application, shift), shift)
            if number < 3:
                evaluations.rating_submit(volunteer=person, attendance=attendance, score=3)
    sign_in(client, coordinator)
    assert _queries(client, f"/orgs/{organization.pk}/hours/ratings/") == ratings_one
    sign_in(client, volunteer)
    assert _queries(client, "/volunteer/evaluations/") == mine_one


def test_the_profile_form_saves_the_setting(client, placed):
    volunteer = placed[0]
    profile = VolunteerProfile.objects.get(user=volunteer)
    form = VolunteerProfileForm.for_profile(profile)
    assert form.initial["share_evaluations_with_organizations"] is False
    volunteer_profile(volunteer, share_evaluations_with_organizations=True)
    profile.refresh_from_db()
    assert profile.share_evaluations_with_organizations is True
    sign_in(client, volunteer)
    page = client.get("/volunteer/profile/").content.decode()
    assert 'name="share_evaluations_with_organizations"' in page


def test_the_hours_pages_link_to_evaluating_and_rating(client, coordinator, organization, attended):
    sign_in(client, coordinator)
    page = client.get(f"/orgs/{organization.pk}/hours/").content.decode()
    assert f'href="{evaluate_url(attended)}"' in page
    assert f'href="/orgs/{organization.pk}/hours/ratings/"' in page
