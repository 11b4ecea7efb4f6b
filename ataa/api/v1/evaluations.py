"""Evaluations after a shift.

- The organization's admins and coordinators read and write their evaluation of a volunteer's
  attendance (`/organizations/{organization_id}/attendances/{attendance_id}/evaluation`): the
  attendance and quality scores (1 to 5) and a private note only they read; with it, the
  volunteer's averages across organizations when the volunteer lets organizations see them.
  They read the volunteers' ratings of their shifts, averaged per opportunity.
- A volunteer rates the experience of a shift they attended, once (`POST /me/ratings`), and
  reads their own averages (`GET /me/evaluations`) and ratings (`GET /me/ratings`) — never the
  coordinators' private notes.

The same services and selectors as the pages (ataa.hours.evaluations); refusals are their
ServiceErrors, in the one error shape. An attendance of another organization answers 404; one
that is not the caller's own, `invalid_input` on `attendance_id` (as `POST /me/hours` does).
"""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.opportunities import VolunteerRefOut
from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.hours import evaluations
from ataa.hours.access import access_attendance_by_id, access_own_attendance_by_id
from ataa.hours.evaluations import COMMENT_MAX, NOTE_MAX
from ataa.opportunities.access import MANAGE_ROLES

router = Router(tags=["hours"])

ORG = "/organizations/{organization_id}"


# --- Output ---------------------------------------------------------------------------------


class AveragesOut(Schema):
    attendance: float | None = Field(description="Average attendance score, 1 to 5.")
    quality: float | None = Field(description="Average quality score, 1 to 5.")
    count: int = Field(description="How many shifts were evaluated.")


class EvaluationOut(Schema):
    attendance_score: int = Field(ge=1, le=5)
    quality_score: int = Field(ge=1, le=5)
    private_note: str = Field(
        description="Read only by the organization's admins and coordinators."
    )
    created_by_id: int
    created_at: dt.datetime
    updated_by_id: int = Field(description="Who made the last change.")
    updated_at: dt.datetime


class AttendanceEvaluationOut(Schema):
    """A volunteer's attendance at a shift of the organization, with its evaluation (null: not
    evaluated yet) and the volunteer's averages (null: none, or the volunteer keeps them
    private)."""

    attendance_id: int
    shift_id: int
    opportunity_id: int
    volunteer: VolunteerRefOut
    can_evaluate: bool = Field(description="The volunteer checked out or the shift has ended.")
    evaluation: EvaluationOut | None
    volunteer_averages: AveragesOut | None


class RatingOut(Schema):
    """A volunteer's rating of the experience of a shift; the organization reads the comment."""

    id: int
    attendance_id: int
    shift_id: int
    opportunity_id: int
    organization_id: int
    score: int = Field(ge=1, le=5)
    comment: str
    created_at: dt.datetime

    @staticmethod
    def resolve_shift_id(obj) -> int:
        return obj.attendance.shift_id


class MyEvaluationsOut(Schema):
    averages: AveragesOut = Field(
        description="How coordinators evaluated you, across organizations."
    )
    sharing: bool = Field(
        description="Whether organizations you apply to see these averages (your profile's "
        "`share_evaluations_with_organizations`)."
    )


class OpportunityExperienceOut(Schema):
    opportunity_id: int
    title_ar: str
    title_en: str
    average: float = Field(description="Average rating, 1 to 5.")
    count: int = Field(description="How many ratings.")

    @staticmethod
    def resolve_opportunity_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_average(obj) -> float:
        return round(float(obj.rating_average), 1)

    @staticmethod
    def resolve_count(obj) -> int:
        return obj.rating_count


# --- Input ----------------------------------------------------------------------------------


class EvaluationIn(InputSchema):
    attendance_score: int = Field(description="1 to 5.")
    quality_score: int = Field(description="1 to 5.")
    private_note: str = Field(
        "", max_length=NOTE_MAX, description="Only your organization's staff read it."
    )


class RatingIn(InputSchema):
    attendance_id: int = Field(description="Your attendance at the shift you rate.")
    score: int = Field(description="1 to 5.")
    comment: str = Field("", max_length=COMMENT_MAX, description="The organization reads it.")


# --- Helpers --------------------------------------------------------------------------------


def _attendance_evaluation(attendance) -> dict:
    return {
        "attendance_id": attendance.pk,
        "shift_id": attendance.shift_id,
        "opportunity_id": attendance.shift.opportunity_id,
        "volunteer": attendance.volunteer,
        "can_evaluate": evaluations.is_over(attendance),
        "evaluation": evaluations.evaluation_of(attendance),
        "volunteer_averages": evaluations.shared_averages(volunteer_id=attendance.volunteer_id),
    }


# --- Operations -----------------------------------------------------------------------------


@router.get(ORG + "/attendances/{attendance_id}/evaluation", response=AttendanceEvaluationOut)
@organization_scoped(roles=MANAGE_ROLES)
def attendance_evaluation_get(request, organization_id: int, attendance_id: int):
    """Your organization's evaluation of a volunteer's attendance (admins and coordinators),
    with the volunteer's averages across organizations when they share them."""
    return _attendance_evaluation(
        access_attendance_by_id(scoped_organization(request), attendance_id)
    )


@router.put(ORG + "/attendances/{attendance_id}/evaluation", response=AttendanceEvaluationOut)
@organization_scoped(roles=MANAGE_ROLES)
def attendance_evaluation_put(
    request, organization_id: int, attendance_id: int, payload: EvaluationIn
):
    """Evaluate a volunteer's attendance, or change the evaluation (who and when of the last
    change are kept). Refused with `shift_not_over` (still checked in during the shift),
    `not_attended` (the place was cancelled) or `invalid_input`, and nothing is written."""
    organization = scoped_organization(request)
    attendance = access_attendance_by_id(organization, attendance_id)
    evaluations.evaluation_save(
        actor=request.auth,
        attendance=attendance,
        attendance_score=payload.attendance_score,
        quality_score=payload.quality_score,
        private_note=payload.private_note,
        ip_address=client_ip(request),
    )
    return _attendance_evaluation(access_attendance_by_id(organization, attendance.pk))


@router.get(ORG + "/experience-ratings", response=list[OpportunityExperienceOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=MANAGE_ROLES)
def organization_experience_list(request, organization_id: int):
    """The volunteers' average rating of your organization's shifts, per opportunity, most
    rated first."""
    return evaluations.organization_experience_by_opportunity(
        organization=scoped_organization(request)
    )


@router.post("/me/ratings", response={201: RatingOut})
def my_rating_create(request, payload: RatingIn):
    """Rate the experience of a shift you attended (`attendance_id`: 1 to 5, with an optional
    comment the organization reads), once, after you checked out or the shift ended. Refused
    with `already_rated`, `shift_not_over`, `not_attended` or `invalid_input` (also for an
    attendance that is not yours), and nothing is written."""
    try:
        attendance = access_own_attendance_by_id(request.auth, payload.attendance_id)
    except Http404:
        message = gettext("Choose one of the shifts you attended.")
        raise ServiceError(
            message, code="invalid_input", fields={"attendance_id": [message]}
        ) from None
    return evaluations.rating_submit(
        volunteer=request.auth,
        attendance=attendance,
        score=payload.score,
        comment=payload.comment,
        ip_address=client_ip(request),
    )


@router.get("/me/evaluations", response=MyEvaluationsOut)
def my_evaluations_get(request):
    """How coordinators evaluated you: your averages across organizations (never their
    private notes), and whether organizations see them. Your ratings: `GET /me/ratings`."""
    profile = getattr(request.auth, "volunteer_profile", None)
    return {
        "averages": evaluations.volunteer_averages(volunteer=request.auth),
        "sharing": bool(profile and profile.share_evaluations_with_organizations),
    }


@router.get("/me/ratings", response=list[RatingOut])
@paginate(PageNumberPagination)
def my_rating_list(request):
    """Your ratings of the shifts you attended, newest first."""
    return evaluations.volunteer_ratings(volunteer=request.auth)
