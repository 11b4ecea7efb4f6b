"""The volunteer's own pages: the profile and the qualifications. No ids in these URLs: each
person only ever sees their own; a qualification to remove is fetched through access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.volunteers import selectors, services
from ataa.volunteers.access import access_qualification_by_id
from ataa.volunteers.forms import QualificationForm, QualificationRemoveForm, VolunteerProfileForm


@login_required
def profile_edit(request):
    profile = selectors.profile_for_user(user=request.user)
    form = VolunteerProfileForm.for_profile(profile, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_profile_save(
                user=request.user, ip_address=client_ip(request), **form.service_kwargs()
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteer_profile")
    fields = selectors.field_list_with_skills()
    return render(
        request,
        "volunteers/volunteerprofile_edit.html",
        {
            "form": form,
            "profile": profile,
            "skill_groups": form.skill_groups(fields),
            "interest_choices": form.interest_choices(fields),
            "language_choices": form.language_choices(),
            "availability_rows": form.availability_rows(),
            "open_consents": {
                record.purpose: record for record in getattr(profile, "open_consents", [])
            },
        },
    )


@login_required
@require_GET
def district_options(request):
    """The <option>s of a city's districts (htmx swaps them into the district select)."""
    return render(
        request,
        "volunteers/_district_options.html",
        {"districts": selectors.district_list(city_id=request.GET.get("city"))},
    )


@login_required
def qualification_list(request):
    profile = selectors.profile_for_user(user=request.user)
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_add(
                user=request.user, ip_address=client_ip(request), **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The qualification is added. A coordinator will verify the proof.")
            )
            return redirect("volunteer_qualifications")
    return render(
        request,
        "volunteers/qualification_list.html",
        {
            "form": form,
            "profile": profile,
            "qualifications": selectors.qualification_list(user=request.user),
        },
    )


@login_required
@require_POST
def qualification_remove(request):
    form = QualificationRemoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    qualification = access_qualification_by_id(request.user, form.cleaned_data["qualification"])
    services.qualification_remove(
        qualification=qualification, actor=request.user, ip_address=client_ip(request)
    )
    messages.success(request, _("The qualification is removed."))
    return redirect("volunteer_qualifications")
