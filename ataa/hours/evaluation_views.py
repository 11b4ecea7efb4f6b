"""The pages of the evaluations after a shift.

- Evaluate a volunteer (`orgs/<organization_id>/hours/attendances/<attendance_id>/evaluate/`):
  admins and coordinators of the organization (access_organization_by_id with MANAGE_ROLES:
  case workers and auditors 403, outsiders 404; an attendance of another organization 404)
  give or change the attendance and quality scores and the private note; the page shows the
  volunteer's averages across organizations when the volunteer lets organizations see them.
- The organization's ratings (`orgs/<organization_id>/hours/ratings/`): the volunteers'
  average rating per opportunity and their ratings with comments.
- Rate a shift (`volunteer/attendances/<attendance_id>/rate/`): the volunteer's own attendance
  only (404 for anyone else's); once, after checking out or the shift's end.
- My evaluations (`volunteer/evaluations/`): the volunteer's own averages (never the private
  notes), the shifts they can still rate, and their ratings.

Each POST calls one service of ataa.hours.evaluations.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.hours import evaluations
from ataa.hours.access import access_attendance_by_id, access_own_attendance_by_id
from ataa.hours.forms_evaluation import EvaluationForm, RatingForm
from ataa.opportunities.access import MANAGE_ROLES
from ataa.organizations.access import access_organization_by_id

PAGE_SIZE = 25


def _volunteer_name(attendance) -> str:
    profile = getattr(attendance.volunteer, "volunteer_profile", None)
    name = profile.full_name_ar if profile is not None else ""
    return name or attendance.volunteer.full_name or _("Volunteer")


@login_required
def attendance_evaluate(request, organization_id, attendance_id):
    organization = access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)
    attendance = access_attendance_by_id(organization, attendance_id)
    evaluation = evaluations.evaluation_of(attendance)
    over = evaluations.is_over(attendance)
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                _evaluation, created = evaluations.evaluation_save(
                    actor=request.user,
                    attendance=attendance,
                    attendance_score=form.cleaned_data["attendance_score"],
                    quality_score=form.cleaned_data["quality_score"],
                    private_note=form.cleaned_data["private_note"],
                    ip_address=client_ip(request),
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The evaluation is saved.") if created else _("The evaluation is changed."),
                )
                return redirect("attendance_evaluate", organization.pk, attendance.pk)
    else:
        form = EvaluationForm.for_evaluation(evaluation)
    return render(
        request,
        "hours/evaluation_form.html",
        {
            "organization": organization,
            "attendance": attendance,
            "shift": attendance.shift,
            "opportunity": attendance.shift.opportunity,
            "volunteer_name": _volunteer_name(attendance),
            "evaluation": evaluation,
            "over": over,
            "form": form,
            "averages": evaluations.shared_averages(volunteer_id=attendance.volunteer_id),
        },
    )


@login_required
def organization_ratings(request, organization_id):
    organization = access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    by_opportunity = evaluations.organization_experience_by_opportunity(organization=organization)
    ratings = evaluations.organization_ratings(organization=organization)
    page = Paginator(ratings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hours/evaluation_ratings.html",
        {"organization": organization, "by_opportunity": by_opportunity, "page": page},
    )


@login_required
def attendance_rate(request, attendance_id):
    attendance = access_own_attendance_by_id(request.user, attendance_id)
    rating = evaluations.rating_of(attendance)
    form = None
    if rating is None:
        form = RatingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                evaluations.rating_submit(
                    volunteer=request.user,
                    attendance=attendance,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    ip_address=client_ip(request),
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Thank you: your rating is sent to the organization."))
                return redirect("attendance_rate", attendance.pk)
    elif request.method == "POST":
        messages.error(request, _("You have already rated this shift."))
        return redirect("attendance_rate", attendance.pk)
    return render(
        request,
        "hours/evaluation_rate.html",
        {
            "attendance": attendance,
            "shift": attendance.shift,
            "opportunity": attendance.shift.opportunity,
            "rating": rating,
            "over": evaluations.is_over(attendance),
            "form": form,
        },
    )


@login_required
def my_evaluations(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    volunteer = request.user
    page = Paginator(evaluations.volunteer_ratings(volunteer=volunteer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "hours/evaluation_mine.html",
        {
            "averages": evaluations.volunteer_averages(volunteer=volunteer),
            "to_rate": list(evaluations.attendances_to_rate(volunteer=volunteer)[:PAGE_SIZE]),
            "page": page,
            "sharing": bool(
                getattr(
                    getattr(volunteer, "volunteer_profile", None),
                    "share_evaluations_with_organizations",
                    False,
                )
            ),
        },
    )


urlpatterns = [
    path(
        "orgs/<int:organization_id>/hours/attendances/<int:attendance_id>/evaluate/",
        attendance_evaluate,
        name="attendance_evaluate",
    ),
    path(
        "orgs/<int:organization_id>/hours/ratings/",
        organization_ratings,
        name="organization_ratings",
    ),
    path(
        "volunteer/attendances/<int:attendance_id>/rate/",
        attendance_rate,
        name="attendance_rate",
    ),
    path("volunteer/evaluations/", my_evaluations, name="my_evaluations"),
]
