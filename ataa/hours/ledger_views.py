"""The pages of the hours ledger.

- My hours (`volunteer/hours/`): a volunteer's totals (across every organization, and per
  organization), their entries, and — when they are accepted on a remote or hybrid opportunity —
  the form to submit hours with an optional evidence file. Their own evidence downloads from
  `volunteer/hours/<entry_id>/evidence/` (404 for anyone else's).
- The organization's hours (`orgs/<organization_id>/hours/`): admins and coordinators (the
  roles the ledger services accept; case workers and auditors get 403, outsiders 404) filter
  the entries, approve several at once, reject one with a note, correct one (a small page), and
  download a volunteer's evidence (audited: `hours.evidence_viewed`, ids only).

Every fetch goes through access_organization_by_id, then an entry of that organization; each
action calls one service of ataa.hours.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ataa.core.audit import audit_record, client_ip
from ataa.core.errors import ServiceError, object_id_or_404
from ataa.core.forms import add_service_error
from ataa.hours import evaluations, selectors, services
from ataa.hours.access import access_hour_entry_by_id, access_own_hour_entry_by_id
from ataa.hours.forms_ledger import (
    CorrectHoursForm,
    RejectHoursForm,
    RemoteHoursForm,
    StatusFilterForm,
)
from ataa.hours.models import HourEntry
from ataa.opportunities.access import MANAGE_ROLES, require_manager
from ataa.organizations.access import access_organization_by_id

PAGE_SIZE = 25
MAX_BULK = 200
EVIDENCE_CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def duration_text(minutes: int) -> str:
    """ "2 h 05 min": hours and minutes of a number of minutes."""
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


# --- Evidence files -----------------------------------------------------------------------------


def _evidence_extension(entry: HourEntry) -> str:
    name = entry.evidence.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in EVIDENCE_CONTENT_TYPES else "bin"


def _evidence_response(entry: HourEntry, handle) -> FileResponse:
    """The file as a download: never shown inline, never sniffed, never cached; its name holds
    no personal data."""
    extension = _evidence_extension(entry)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"hours-{entry.pk}.{extension}",
        content_type=EVIDENCE_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _open_evidence(entry: HourEntry):
    if not entry.evidence.name:
        raise Http404
    try:
        return entry.evidence.storage.open(entry.evidence.name, "rb")
    except FileNotFoundError:
        raise Http404 from None


@transaction.atomic
def hour_evidence_open(*, entry: HourEntry, actor, ip_address: str | None = None):
    """Open an entry's evidence for an admin or coordinator of its organization, and record the
    read (`hours.evidence_viewed`: the entry and volunteer ids). Raises Http404 if none."""
    require_manager(
        actor=actor,
        organization_id=entry.organization_id,
        refusal=_("Only the organization's admins and coordinators can open evidence."),
    )
    handle = _open_evidence(entry)
    audit_record(
        actor=actor,
        verb="hours.evidence_viewed",
        organization_id=entry.organization_id,
        target=entry,
        ip_address=ip_address,
        payload={"volunteer_id": entry.volunteer_id},
    )
    return handle


# --- My hours -----------------------------------------------------------------------------------


def _organization_totals(volunteer) -> list[dict]:
    english = (get_language() or "ar").startswith("en")
    rows = []
    for row in selectors.volunteer_totals_by_organization(volunteer=volunteer):
        name_ar, name_en = row["organization__name_ar"], row["organization__name_en"]
        rows.append(
            {
                "name": (name_en or name_ar) if english else (name_ar or name_en),
                "duration": duration_text(row["approved_minutes"]),
            }
        )
    return rows


@login_required
def my_hours(request):
    volunteer = request.user
    applications = selectors.remote_applications(volunteer=volunteer)
    can_submit = applications.exists()
    form = None
    if can_submit:
        form = RemoteHoursForm(
            request.POST or None,
            request.FILES or None,
            applications=applications,
            initial={"day": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_remote_hours(
                    volunteer=volunteer,
                    application=data["application"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    description=data["description"],
                    evidence=data["evidence"],
                    ip_address=client_ip(request),
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("Your hours are recorded. They wait for a coordinator's approval.")
                )
                return redirect("my_hours")
    elif request.method == "POST":
        messages.error(
            request,
            _("You can submit hours only for remote or hybrid opportunities you are accepted on."),
        )
        return redirect("my_hours")
    totals = selectors.volunteer_totals(volunteer=volunteer)
    page = Paginator(selectors.volunteer_entries(volunteer=volunteer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for entry in page:
        entry.duration = duration_text(entry.minutes)
    return render(
        request,
        "hours/hours_mine.html",
        {
            "form": form,
            "page": page,
            "approved": duration_text(totals.approved_minutes),
            "pending": duration_text(totals.pending_minutes),
            "by_organization": _organization_totals(volunteer),
        },
    )


@login_required
def my_hours_evidence(request, entry_id):
    entry = access_own_hour_entry_by_id(request.user, entry_id)
    if not entry.evidence:
        raise Http404
    return _evidence_response(entry, _open_evidence(entry))


# --- The organization's hours -------------------------------------------------------------------


def _organization(request, organization_id):
    return access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)


def _back(request, organization):
    """Back to the list, keeping its filter (sent as `status` and `opportunity` by the forms)."""
    url = reverse("org_hours", args=[organization.pk])
    params = {}
    status = request.POST.get("status", "")
    if status in HourEntry.Status.values or status == StatusFilterForm.ALL:
        params["status"] = status
    opportunity = request.POST.get("opportunity", "")
    if opportunity.isdigit():
        params["opportunity"] = int(opportunity)
    return redirect(f"{url}?{urlencode(params)}" if params else url)


@login_required
def org_hours(request, organization_id):
    organization = _organization(request, organization_id)
    opportunities = list(selectors.organization_hour_opportunities(organization=organization))
    filter_form = StatusFilterForm(request.GET or None, opportunities=opportunities)
    status, opportunity_id = filter_form.filters()
    if not filter_form.is_bound:
        filter_form = StatusFilterForm(
            initial={"status": HourEntry.Status.PENDING}, opportunities=opportunities
        )
    entries = selectors.organization_entries(
        organization=organization, status=status, opportunity_id=opportunity_id
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    # The volunteers' evaluation averages, where they share them with organizations (one query).
    averages = evaluations.shared_averages_by_volunteer(
        volunteer_ids={entry.volunteer_id for entry in page}
    )
    for entry in page:
        entry.duration = duration_text(entry.minutes)
        entry.reject_form = RejectHoursForm(auto_id=f"reject-{entry.pk}-%s")
        entry.volunteer_averages = averages.get(entry.volunteer_id)
    query = urlencode(
        {
            "status": status or StatusFilterForm.ALL,
            **({"opportunity": opportunity_id} if opportunity_id else {}),
        }
    )
    totals = selectors.organization_totals(organization=organization)
    return render(
        request,
        "hours/hours_organization.html",
        {
            "organization": organization,
            "filter_form": filter_form,
            "page": page,
            "query": query,
            "status_value": status or StatusFilterForm.ALL,
            "opportunity_value": opportunity_id or "",
            "can_approve": status in (HourEntry.Status.PENDING, None),
            "approved": duration_text(totals.approved_minutes),
            "pending": duration_text(totals.pending_minutes),
            "entry_count": totals.entries,
        },
    )


@login_required
@require_POST
def org_hours_approve(request, organization_id):
    organization = _organization(request, organization_id)
    ids = [object_id_or_404(pk) for pk in request.POST.getlist("entry")[:MAX_BULK]]
    if not ids:
        messages.error(request, _("Tick the hours to approve."))
        return _back(request, organization)
    try:
        count = services.approve_hours(
            actor=request.user,
            organization_id=organization.pk,
            entry_ids=ids,
            ip_address=client_ip(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d entry of hours is approved.",
                "%(count)d entries of hours are approved.",
                count,
            )
            % {"count": count},
        )
    return _back(request, organization)


@login_required
@require_POST
def org_hours_reject(request, organization_id, entry_id):
    organization = _organization(request, organization_id)
    entry = access_hour_entry_by_id(organization, entry_id)
    form = RejectHoursForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return _back(request, organization)
    try:
        services.reject_hours(
            actor=request.user,
            entry=entry,
            note=form.cleaned_data["note"],
            ip_address=client_ip(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        for problems in error.fields.values():
            for problem in problems:
                if problem != error.message:
                    messages.error(request, problem)
    else:
        messages.success(request, _("The hours are rejected and the volunteer sees your note."))
    return _back(request, organization)


@login_required
def org_hours_correct(request, organization_id, entry_id):
    """A small page: the right date and times of an entry, and the reason."""
    organization = _organization(request, organization_id)
    entry = access_hour_entry_by_id(organization, entry_id)
    if request.method == "POST":
        form = CorrectHoursForm(request.POST)
        if form.is_valid():
            try:
                services.correct_hours(
                    actor=request.user,
                    entry=entry,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    reason=form.cleaned_data["reason"],
                    ip_address=client_ip(request),
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The hours are corrected. The corrected entry is approved.")
                )
                return redirect("org_hours", organization.pk)
    else:
        form = CorrectHoursForm.for_entry(entry)
    entry.duration = duration_text(entry.minutes)
    return render(
        request,
        "hours/hours_correct.html",
        {
            "organization": organization,
            "entry": entry,
            "form": form,
            "correctable": entry.status in HourEntry.LIVE_STATUSES,
        },
    )


@login_required
def org_hours_evidence(request, organization_id, entry_id):
    organization = _organization(request, organization_id)
    entry = access_hour_entry_by_id(organization, entry_id)
    try:
        handle = hour_evidence_open(entry=entry, actor=request.user, ip_address=client_ip(request))
    except ServiceError:
        raise Http404 from None
    return _evidence_response(entry, handle)


urlpatterns = [
    path("volunteer/hours/", my_hours, name="my_hours"),
    path(
        "volunteer/hours/<int:entry_id>/evidence/",
        my_hours_evidence,
        name="my_hours_evidence",
    ),
    path("orgs/<int:organization_id>/hours/", org_hours, name="org_hours"),
    path(
        "orgs/<int:organization_id>/hours/approve/",
        org_hours_approve,
        name="org_hours_approve",
    ),
    path(
        "orgs/<int:organization_id>/hours/<int:entry_id>/reject/",
        org_hours_reject,
        name="org_hours_reject",
    ),
    path(
        "orgs/<int:organization_id>/hours/<int:entry_id>/correct/",
        org_hours_correct,
        name="org_hours_correct",
    ),
    path(
        "orgs/<int:organization_id>/hours/<int:entry_id>/evidence/",
        org_hours_evidence,
        name="org_hours_evidence",
    ),
]
