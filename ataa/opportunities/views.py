"""Opportunity pages: the public list and detail (no login), and the coordinators' pages.

Each staff view fetches through access_organization_by_id, then access_opportunity_by_id, and
calls one service.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.opportunities import selectors, services
from ataa.opportunities.access import (
    MANAGE_ROLES,
    access_managed_opportunity_by_id,
    access_opportunity_by_id,
    access_public_opportunity_by_id,
)
from ataa.opportunities.application_views import apply_context
from ataa.opportunities.forms import (
    OpportunityFilterForm,
    OpportunityForm,
    ShiftForm,
    WeeklyShiftsForm,
)
from ataa.opportunities.models import Opportunity
from ataa.organizations.access import access_organization_by_id

PUBLIC_PAGE_SIZE = 20
STAFF_PAGE_SIZE = 50


# --- Public ---------------------------------------------------------------------------------


def opportunity_public_list(request):
    form = OpportunityFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.OpportunityFilters()
    page = selectors.CountedPaginator(
        selectors.public_opportunity_list(filters),
        PUBLIC_PAGE_SIZE,
        rows=selectors.public_opportunity_cards(),
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "opportunities/opportunity_public_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def detail_context(request, opportunity: Opportunity, *, key: str | None, extras: dict) -> dict:
    """The public page of an opportunity, without the part about applying."""
    url = reverse("opportunity_public_detail", args=[opportunity.pk])
    if opportunity.visibility == Opportunity.Visibility.UNLISTED and key:
        url += f"?key={opportunity.share_token}"
    canonical = request.build_absolute_uri(url)
    return {
        "opportunity": opportunity,
        "canonical_url": canonical,
        "summary": Truncator(strip_tags(opportunity.description)).chars(200),
        "json_ld": json_ld_script(json_ld(opportunity, canonical)),
        "key": key if opportunity.visibility == Opportunity.Visibility.UNLISTED else None,
        **extras,
    }


def opportunity_public_detail(request, opportunity_id):
    key = request.GET.get("key")
    opportunity = access_public_opportunity_by_id(request.user, opportunity_id, key=key)
    extras = selectors.opportunity_detail_extras(opportunity=opportunity)
    context = detail_context(request, opportunity, key=key, extras=extras)
    context.update(
        apply_context(request, opportunity, shifts=extras["shifts"], questions=extras["questions"])
    )
    return render(request, "opportunities/opportunity_public_detail.html", context)


def json_ld(opportunity: Opportunity, url: str) -> dict:
    """schema.org JobPosting of a volunteering opportunity (employmentType VOLUNTEER)."""
    organization = opportunity.organization
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": opportunity.title,
        "description": opportunity.description or opportunity.title,
        "employmentType": "VOLUNTEER",
        "url": url,
        "datePosted": (opportunity.published_at or opportunity.created_at).date().isoformat(),
        "hiringOrganization": {
            "@type": "Organization",
            "name": organization.name,
            "alternateName": organization.name_en
            if organization.name == organization.name_ar
            else organization.name_ar,
        },
        "totalJobOpenings": opportunity.capacity,
        "directApply": True,
    }
    if opportunity.ends_on:
        data["validThrough"] = opportunity.ends_on.isoformat()
    if opportunity.starts_on:
        data["jobStartDate"] = opportunity.starts_on.isoformat()
    if opportunity.work_mode in {Opportunity.WorkMode.REMOTE, Opportunity.WorkMode.HYBRID}:
        data["jobLocationType"] = "TELECOMMUTE"
    if opportunity.city is not None:
        address = {
            "@type": "PostalAddress",
            "addressLocality": opportunity.city.name,
            "addressCountry": opportunity.city.country,
        }
        if opportunity.district is not None:
            address["addressRegion"] = opportunity.district.name
        data["jobLocation"] = {"@type": "Place", "address": address}
    return data


def json_ld_script(data: dict) -> str:
    """JSON safe inside <script>: no "</" can close the element early."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


# --- Staff ----------------------------------------------------------------------------------


@login_required
def opportunity_list(request, organization_id):
    organization = access_organization_by_id(request.user, organization_id)
    page = Paginator(
        selectors.organization_opportunity_list(organization=organization), STAFF_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "opportunities/opportunity_list.html",
        {
            "organization": organization,
            "page": page,
            "can_manage": organization.viewer_role in MANAGE_ROLES,
        },
    )


@login_required
def opportunity_create(request, organization_id):
    organization = access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                organization=organization,
                created_by=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The opportunity is saved as a draft."))
            return redirect("opportunity_edit", organization.pk, opportunity.pk)
    return render(
        request,
        "opportunities/opportunity_form.html",
        {"organization": organization, "form": form, "opportunity": None},
    )


@login_required
def opportunity_edit(request, organization_id, opportunity_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    initial = selectors.opportunity_values(opportunity=opportunity)
    form = OpportunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(
                opportunity=opportunity,
                actor=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The opportunity is saved."))
            return redirect("opportunity_edit", organization.pk, opportunity.pk)
    share_url = None
    if opportunity.visibility == Opportunity.Visibility.UNLISTED:
        share_url = request.build_absolute_uri(
            reverse("opportunity_public_detail", args=[opportunity.pk])
            + f"?key={opportunity.share_token}"
        )
    return render(
        request,
        "opportunities/opportunity_form.html",
        {
            "organization": organization,
            "form": form,
            "opportunity": opportunity,
            "share_url": share_url,
        },
    )


def _state_action(service, success_message):
    @login_required
    @require_POST
    def view(request, organization_id, opportunity_id):
        organization, opportunity = access_managed_opportunity_by_id(
            request.user, organization_id, opportunity_id
        )
        try:
            service(opportunity=opportunity, actor=request.user, ip_address=client_ip(request))
        except ServiceError as error:
            messages.error(request, error.message)
            for problems in error.fields.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, success_message())
        return redirect("opportunity_edit", organization.pk, opportunity.pk)

    view.__name__ = service.__name__
    return view


opportunity_publish = _state_action(
    services.opportunity_publish, lambda: _("The opportunity is published.")
)
opportunity_close = _state_action(
    services.opportunity_close, lambda: _("The opportunity is closed to new volunteers.")
)
opportunity_archive = _state_action(
    services.opportunity_archive, lambda: _("The opportunity is archived.")
)


@login_required
def shift_list(request, organization_id, opportunity_id):
    """The opportunity's shifts; admins and coordinators add one, or generate weekly ones."""
    organization = access_organization_by_id(request.user, organization_id)
    opportunity = access_opportunity_by_id(request.user, organization, opportunity_id)
    can_manage = organization.viewer_role in MANAGE_ROLES
    shift_form = ShiftForm()
    weekly_form = WeeklyShiftsForm(
        initial={"from_date": opportunity.starts_on, "until_date": opportunity.ends_on}
    )
    if request.method == "POST":
        opportunity = access_opportunity_by_id(
            request.user, organization, opportunity_id, roles=MANAGE_ROLES
        )
        if request.POST.get("action") == "weekly":
            weekly_form = WeeklyShiftsForm(request.POST)
            if weekly_form.is_valid():
                try:
                    created = services.shifts_generate_weekly(
                        opportunity=opportunity,
                        created_by=request.user,
                        ip_address=client_ip(request),
                        **weekly_form.cleaned_data,
                    )
                except ServiceError as error:
                    add_service_error(weekly_form, error)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d new shift was added.",
                            "%(count)d new shifts were added.",
                            len(created),
                        )
                        % {"count": len(created)},
                    )
                    return redirect("shift_list", organization.pk, opportunity.pk)
        else:
            shift_form = ShiftForm(request.POST)
            if shift_form.is_valid():
                try:
                    services.shift_create(
                        opportunity=opportunity,
                        created_by=request.user,
                        ip_address=client_ip(request),
                        **shift_form.cleaned_data,
                    )
                except ServiceError as error:
                    add_service_error(shift_form, error)
                else:
                    messages.success(request, _("The shift is added."))
                    return redirect("shift_list", organization.pk, opportunity.pk)
    page = Paginator(selectors.shift_list(opportunity=opportunity), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "opportunities/shift_list.html",
        {
            "organization": organization,
            "opportunity": opportunity,
            "page": page,
            "can_manage": can_manage,
            "shift_form": shift_form,
            "weekly_form": weekly_form,
        },
    )
