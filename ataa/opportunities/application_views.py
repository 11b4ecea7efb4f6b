"""Application pages: applying (on the public opportunity page), the volunteer's own
applications, and the coordinators' applications list with its decisions.

The volunteer's pages fetch through ataa.opportunities.access (the public visibility rules, or
the person's own applications); the coordinators' pages through access_organization_by_id, then
access_opportunity_by_id, then access_application_by_id. Each calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.opportunities import selectors, services
from ataa.opportunities.access import (
    access_application_by_id,
    access_managed_opportunity_by_id,
    access_own_application_by_id,
    access_public_opportunity_by_id,
)
from ataa.opportunities.forms import ApplicationDecisionForm, ApplicationFilterForm, ApplyForm
from ataa.opportunities.models import Application, ApplicationQuestion, Opportunity
from ataa.volunteers.access import access_own_profile

PAGE_SIZE = 50
MAX_BULK = 100


# --- Applying -------------------------------------------------------------------------------


def apply_context(request, opportunity: Opportunity, *, shifts, questions, form=None) -> dict:
    """What the public opportunity page shows about applying, for the person looking at it."""
    user = request.user
    if not user.is_authenticated:
        return {"apply_state": "anonymous"}
    if access_own_profile(user) is None:
        return {"apply_state": "no_profile"}
    mine = list(
        selectors.my_application_list(user=user)
        .filter(opportunity=opportunity, status__in=Application.ACTIVE_STATUSES)
        .select_related("shift")
    )
    form = form or ApplyForm(opportunity=opportunity, shifts=shifts, questions=questions)
    return {"apply_state": "volunteer", "apply_form": form, "my_applications": mine}


@login_required
@require_POST
def application_apply(request, opportunity_id):
    key = request.POST.get("key") or None
    opportunity = access_public_opportunity_by_id(request.user, opportunity_id, key=key)
    if access_own_profile(request.user) is None:
        messages.info(request, _("Create your volunteer profile first; then you can apply."))
        return redirect("volunteer_profile")
    extras = selectors.opportunity_detail_extras(opportunity=opportunity)
    form = ApplyForm(
        request.POST,
        opportunity=opportunity,
        shifts=extras["shifts"],
        questions=extras["questions"],
    )
    if form.is_valid():
        try:
            services.application_submit(
                volunteer=request.user,
                opportunity=opportunity,
                ip_address=client_ip(request),
                **form.service_arguments(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Your application is sent. The organization will tell you its decision.")
            )
            return redirect("my_applications")
    from ataa.opportunities.views import detail_context

    context = detail_context(request, opportunity, key=key, extras=extras)
    context.update(
        apply_context(
            request, opportunity, shifts=extras["shifts"], questions=extras["questions"], form=form
        )
    )
    return render(request, "opportunities/opportunity_public_detail.html", context, status=400)


# --- The volunteer's own applications --------------------------------------------------------


@login_required
def my_applications(request):
    upcoming = list(selectors.my_application_list(user=request.user, upcoming=True)[:200])
    past = Paginator(
        selectors.my_application_list(user=request.user, upcoming=False), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "opportunities/application_my_list.html",
        {"upcoming": upcoming, "page": past, "current": "applications"},
    )


@login_required
@require_POST
def my_application_withdraw(request, application_id):
    application = access_own_application_by_id(request.user, application_id)
    try:
        services.application_withdraw(
            application=application, volunteer=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("my_applications")


# --- The coordinators' pages ----------------------------------------------------------------


@login_required
def application_list(request, organization_id, opportunity_id):
    """The opportunity's applications with a status and shift filter, the places taken of the
    opportunity and of each shift, per-row decisions and bulk accept."""
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    places = selectors.application_places(opportunity=opportunity)
    form = ApplicationFilterForm(request.GET or None, shifts=places["shifts"])
    status = shift_id = None
    if form.is_valid():
        status = form.cleaned_data["status"] or None
        shift_id = form.cleaned_data["shift"]
    page = Paginator(
        selectors.opportunity_application_list(
            opportunity=opportunity, status=status, shift_id=shift_id
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    questions = list(ApplicationQuestion.objects.filter(opportunity=opportunity))
    for application in page:
        application.answer_rows = [
            (question.text, application.answers[str(question.pk)])
            for question in questions
            if str(question.pk) in application.answers
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "opportunities/application_list.html",
        {
            "organization": organization,
            "opportunity": opportunity,
            "can_manage": True,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "places": places,
            "roster_shift": next(
                (shift for shift in places["shifts"] if shift.pk == shift_id), None
            ),
        },
    )


DECISIONS = {
    "accept": (services.application_accept, lambda: _("The application is accepted.")),
    "waitlist": (
        services.application_waitlist,
        lambda: _("The application is on the waitlist."),
    ),
    "reject": (services.application_reject, lambda: _("The application is rejected.")),
    "no_show": (
        services.application_mark_no_show,
        lambda: _("The volunteer is marked as not having come."),
    ),
}


def _back(request, organization, opportunity):
    url = reverse("application_list", args=[organization.pk, opportunity.pk])
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}" if query and "\n" not in query else url)


@login_required
@require_POST
def application_decide(request, organization_id, opportunity_id, application_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    application = access_application_by_id(organization, opportunity, application_id)
    form = ApplicationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the application."))
        return _back(request, organization, opportunity)
    service, success = DECISIONS[form.cleaned_data["action"]]
    try:
        service(application=application, decided_by=request.user, ip_address=client_ip(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success())
    return _back(request, organization, opportunity)


@login_required
@require_POST
def application_bulk_accept(request, organization_id, opportunity_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    ids = request.POST.getlist("application")[:MAX_BULK]
    if not ids:
        messages.error(request, _("Tick the applications to accept."))
        return _back(request, organization, opportunity)
    chosen = [access_application_by_id(organization, opportunity, pk) for pk in ids]
    chosen.sort(key=lambda application: (application.created_at, application.pk))
    try:
        accepted, refused = services.applications_bulk_accept(
            applications=chosen, decided_by=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _back(request, organization, opportunity)
    if accepted:
        messages.success(
            request,
            ngettext(
                "%(count)d application is accepted.",
                "%(count)d applications are accepted.",
                len(accepted),
            )
            % {"count": len(accepted)},
        )
    if refused:
        messages.error(
            request,
            ngettext(
                "%(count)d application could not be accepted: %(reason)s",
                "%(count)d applications could not be accepted; the first reason: %(reason)s",
                len(refused),
            )
            % {"count": len(refused), "reason": refused[0][1].message},
        )
    return _back(request, organization, opportunity)
