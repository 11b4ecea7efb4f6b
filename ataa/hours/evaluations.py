"""Evaluations after a shift: services (writes) and selectors (reads).

- `evaluation_save`: an admin or coordinator of the organization evaluates a volunteer's
  attendance at a shift (attendance and quality of the work, 1 to 5, and a private note) once
  the volunteer checked out or the shift ended; a later call changes it, keeping who and when
  of the last change. The private note is read only by the organization's admins and
  coordinators: never shown to the volunteer, never in the audit log.
- `rating_submit`: the volunteer rates their experience of the shift (1 to 5, with an optional
  comment the organization reads), once per attendance, after checking out or the shift's end.

Refusals raise ServiceError and write nothing: `forbidden`, `shift_not_over`, `not_attended`,
`already_rated`, `invalid_input`.

Selectors: a volunteer's averages across organizations (`volunteer_averages`), the same for the
organizations the volunteer lets see them (`shared_averages`, `shared_averages_by_volunteer`,
one query for a list), an organization's experience average per opportunity
(`organization_experience_by_opportunity`), and a volunteer's own ratings (`volunteer_ratings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import PermissionRefused, ServiceError
from ataa.hours.models import Attendance, ExperienceRating, VolunteerEvaluation
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Application
from ataa.organizations.models import Organization

SCORES = range(1, 6)
NOTE_MAX = 2000
COMMENT_MAX = 1000


# --- Checks -------------------------------------------------------------------------------------


def _score(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
        message = _("Choose a number from 1 to 5.")
        raise ServiceError(message, code="invalid_input", fields={field: [message]})
    return value


def _text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        message = _("Keep it under %(count)d characters.") % {"count": limit}
        raise ServiceError(message, code="invalid_input", fields={field: [message]})
    return value


def is_over(attendance: Attendance, now: dt.datetime | None = None) -> bool:
    """Whether the attendance can be evaluated or rated: checked out, or its shift has ended."""
    now = now or timezone.now()
    return not attendance.is_open or now >= attendance.shift.ends_at


def _refuse_not_over(attendance: Attendance, now: dt.datetime) -> None:
    if not is_over(attendance, now):
        raise ServiceError(
            _("This shift is not over yet: wait until the volunteer checks out or it ends."),
            code="shift_not_over",
        )


def _refuse_not_attended(attendance: Attendance) -> None:
    if attendance.application.status != Application.Status.ACCEPTED:
        raise ServiceError(
            _("This place on the shift was cancelled, so there is no attendance to evaluate."),
            code="not_attended",
        )


def _locked(attendance: Attendance) -> Attendance:
    return (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("shift__opportunity", "application")
        .get(pk=attendance.pk)
    )


# --- Services -----------------------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *,
    actor,
    attendance: Attendance,
    attendance_score: int,
    quality_score: int,
    private_note: str = "",
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> tuple[VolunteerEvaluation, bool]:
    """Evaluate the volunteer's attendance, or change the evaluation. Returns it and whether it
    was created."""
    now = now or timezone.now()
    attendance = _locked(attendance)
    organization_id = attendance.shift.opportunity.organization_id
    require_manager(
        actor=actor,
        organization_id=organization_id,
        refusal=_("Only the organization's admins and coordinators evaluate volunteers."),
    )
    _refuse_not_over(attendance, now)
    _refuse_not_attended(attendance)
    attendance_score = _score(attendance_score, "attendance_score")
    quality_score = _score(quality_score, "quality_score")
    private_note = _text(private_note, "private_note", NOTE_MAX)
    evaluation = VolunteerEvaluation.objects.filter(attendance=attendance).first()
    created = evaluation is None
    if created:
        evaluation = VolunteerEvaluation(
            attendance=attendance,
            volunteer_id=attendance.volunteer_id,
            organization_id=organization_id,
            created_by=actor,
            created_at=now,
        )
    evaluation.attendance_score = attendance_score
    evaluation.quality_score = quality_score
    evaluation.private_note = private_note
    evaluation.updated_by = actor
    evaluation.updated_at = now
    evaluation.save()
    audit_record(
        actor=actor,
        verb="evaluation.recorded" if created else "evaluation.changed",
        organization_id=organization_id,
        target=evaluation,
        ip_address=ip_address,
        payload={
            "attendance_id": attendance.pk,
            "volunteer_id": attendance.volunteer_id,
            "attendance_score": attendance_score,
            "quality_score": quality_score,
        },
    )
    return evaluation, created


@transaction.atomic
def rating_submit(
    *,
    volunteer,
    attendance: Attendance,
    score: int,
    comment: str = "",
    now: dt.datetime | None = None,
    ip_address: str | None = None,
) -> ExperienceRating:
    """The volunteer rates their experience of the shift of their own attendance, once."""
    now = now or timezone.now()
    if attendance.volunteer_id != getattr(volunteer, "pk", None):
        raise PermissionRefused(
            _("Only the volunteer who attended can rate this shift."), code="forbidden"
        )
    attendance = _locked(attendance)
    _refuse_not_over(attendance, now)
    _refuse_not_attended(attendance)
    if ExperienceRating.objects.filter(attendance=attendance).exists():
        raise ServiceError(_("You have already rated this shift."), code="already_rated")
    score = _score(score, "score")
    comment = _text(comment, "comment", COMMENT_MAX)
    opportunity = attendance.shift.opportunity
    rating = ExperienceRating.objects.create(
        attendance=attendance,
        volunteer=volunteer,
        organization_id=opportunity.organization_id,
        opportunity=opportunity,
        score=score,
        comment=comment,
        created_at=now,
    )
    audit_record(
        actor=volunteer,
        verb="rating.submitted",
        organization_id=opportunity.organization_id,
        target=rating,
        ip_address=ip_address,
        payload={"attendance_id": attendance.pk, "score": score},
    )
    return rating


# --- Selectors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Averages:
    attendance: float | None
    quality: float | None
    count: int


def _averages(row: dict) -> Averages:
    def rounded(value):
        return None if value is None else round(float(value), 1)

    return Averages(rounded(row["attendance"]), rounded(row["quality"]), row["count"])


_AGGREGATES = {
    "attendance": Avg("attendance_score"),
    "quality": Avg("quality_score"),
    "count": Count("pk"),
}


def volunteer_averages(*, volunteer) -> Averages:
    """The volunteer's average evaluations across every organization (for the volunteer)."""
    return _averages(
        VolunteerEvaluation.objects.filter(volunteer=volunteer).aggregate(**_AGGREGATES)
    )


def _sharing(volunteer_ids: Iterable[int]) -> QuerySet[VolunteerEvaluation]:
    return VolunteerEvaluation.objects.filter(
        volunteer_id__in=list(volunteer_ids),
        volunteer__volunteer_profile__share_evaluations_with_organizations=True,
    )


def shared_averages_by_volunteer(*, volunteer_ids: Iterable[int]) -> dict[int, Averages]:
    """{volunteer id: averages across organizations} for the volunteers among `volunteer_ids`
    who let organizations see them and have been evaluated; one query for a whole list. Call
    it only for volunteers the organization already deals with (its shifts, its hours)."""
    rows = _sharing(volunteer_ids).values("volunteer_id").annotate(**_AGGREGATES)
    return {row["volunteer_id"]: _averages(row) for row in rows.order_by()}


def shared_averages(*, volunteer_id: int) -> Averages | None:
    """The volunteer's averages when they let organizations see them (and have any), else None."""
    return shared_averages_by_volunteer(volunteer_ids=[volunteer_id]).get(volunteer_id)


def evaluation_of(attendance: Attendance) -> VolunteerEvaluation | None:
    try:
        return attendance.evaluation
    except VolunteerEvaluation.DoesNotExist:
        return None


def rating_of(attendance: Attendance) -> ExperienceRating | None:
    try:
        return attendance.experience_rating
    except ExperienceRating.DoesNotExist:
        return None


def volunteer_ratings(*, volunteer) -> QuerySet[ExperienceRating]:
    """The volunteer's own ratings, newest first, with the shift and the opportunity."""
    return (
        ExperienceRating.objects.filter(volunteer=volunteer)
        .select_related("organization", "opportunity", "attendance__shift")
        .order_by("-created_at", "-pk")
    )


def attendances_to_rate(*, volunteer, now: dt.datetime | None = None) -> QuerySet[Attendance]:
    """The volunteer's attendances they may still rate (over, not rated), newest first."""
    from django.db.models import Q

    now = now or timezone.now()
    return (
        Attendance.objects.filter(
            volunteer=volunteer,
            experience_rating__isnull=True,
            application__status=Application.Status.ACCEPTED,
        )
        .filter(Q(checked_out_at__isnull=False) | Q(shift__ends_at__lte=now))
        .select_related("shift__opportunity__organization")
        .order_by("-checked_in_at", "-pk")
    )


def organization_ratings(*, organization: Organization) -> QuerySet[ExperienceRating]:
    """The volunteers' ratings of the organization's shifts, newest first."""
    return (
        ExperienceRating.objects.filter(organization=organization)
        .select_related("volunteer", "opportunity", "attendance__shift")
        .order_by("-created_at", "-pk")
    )


def organization_experience_by_opportunity(*, organization: Organization) -> QuerySet:
    """The organization's opportunities that volunteers rated, each with `rating_average` and
    `rating_count`, most rated first."""
    from ataa.opportunities.models import Opportunity

    return (
        Opportunity.objects.filter(organization=organization)
        .annotate(
            rating_average=Avg("experience_ratings__score"),
            rating_count=Count("experience_ratings"),
        )
        .filter(rating_count__gt=0)
        .only("pk", "title_ar", "title_en")
        .order_by("-rating_count", "pk")
    )
