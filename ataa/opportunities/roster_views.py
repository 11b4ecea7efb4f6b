"""Roster pages: the roster of a shift (or of an opportunity without shifts), its CSV and XLSX
exports, and the per-row actions (did not come, cancel with a reason).

Admins and coordinators only, like the applications list: a roster carries names, answers and
the phone numbers volunteers chose to share. Case workers and auditors get 403 (auditors see
the exports in the audit log, not the personal data). Every fetch goes through
access_organization_by_id, access_opportunity_by_id, then access_shift_by_id /
access_application_by_id; each action calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.opportunities import services
from ataa.opportunities.access import (
    access_application_by_id,
    access_managed_opportunity_by_id,
    access_shift_by_id,
)
from ataa.opportunities.forms import ApplicationCancelForm
from ataa.opportunities.roster import ExportFormat, roster_export, roster_for


def _roster_url(organization, opportunity, shift) -> str:
    if shift is not None:
        return reverse("shift_roster", args=[organization.pk, opportunity.pk, shift.pk])
    return reverse("opportunity_roster", args=[organization.pk, opportunity.pk])


def _render(request, organization, opportunity, shift):
    roster = roster_for(opportunity=opportunity, shift=shift)
    for row in roster.rows:
        row.cancel_form = ApplicationCancelForm(auto_id=f"cancel-{row.application.pk}-%s")
    base = _roster_url(organization, opportunity, shift)
    return render(
        request,
        "opportunities/roster.html",
        {
            "organization": organization,
            "opportunity": opportunity,
            "shift": shift,
            "roster": roster,
            "can_manage": True,
            "csv_url": f"{base}export/?format={ExportFormat.CSV}",
            "xlsx_url": f"{base}export/?format={ExportFormat.XLSX}",
        },
    )


@login_required
def shift_roster(request, organization_id, opportunity_id, shift_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    shift = access_shift_by_id(opportunity, shift_id)
    return _render(request, organization, opportunity, shift)


@login_required
def opportunity_roster(request, organization_id, opportunity_id):
    """The roster of the applications without a shift (an opportunity without shifts)."""
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    return _render(request, organization, opportunity, None)


def _export(request, organization, opportunity, shift):
    fmt = request.GET.get("format", ExportFormat.CSV)
    if fmt not in ExportFormat.ALL:
        messages.error(request, _("Choose a file format: CSV or Excel (XLSX)."))
        return redirect(_roster_url(organization, opportunity, shift))
    roster = roster_for(opportunity=opportunity, shift=shift)
    try:
        content, content_type, filename = roster_export(
            roster=roster, fmt=fmt, actor=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_roster_url(organization, opportunity, shift))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def shift_roster_export(request, organization_id, opportunity_id, shift_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    shift = access_shift_by_id(opportunity, shift_id)
    return _export(request, organization, opportunity, shift)


@login_required
def opportunity_roster_export(request, organization_id, opportunity_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    return _export(request, organization, opportunity, None)


@login_required
@require_POST
def roster_cancel(request, organization_id, opportunity_id, application_id):
    """Cancel an application from the roster, with the reason; back to the roster."""
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    application = access_application_by_id(organization, opportunity, application_id)
    back = _roster_url(organization, opportunity, application.shift)
    form = ApplicationCancelForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect(back)
    try:
        services.application_cancel(
            application=application,
            decided_by=request.user,
            ip_address=client_ip(request),
            **form.cleaned_data,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        for problems in error.fields.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The application is cancelled and the volunteer is told."))
    return redirect(back)


@login_required
@require_POST
def roster_no_show(request, organization_id, opportunity_id, application_id):
    """Mark an accepted volunteer as not having come (once the shift has started)."""
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    application = access_application_by_id(organization, opportunity, application_id)
    try:
        services.application_mark_no_show(
            application=application, decided_by=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The volunteer is marked as not having come."))
    return redirect(_roster_url(organization, opportunity, application.shift))
