"""The check-in pages.

- The coordinator's check-in screen of a shift (admins and coordinators, through
  access_managed_opportunity_by_id and access_shift_by_id): the rotating code as a QR image and in
  letters, refreshed by htmx from a fragment, and the accepted volunteers with their state and the
  forms to check them in or out by hand (each POST calls one service).
- The volunteer's check-in page of a shift: the code form (filled from the QR's `?code=`); a POST
  calls `scan_code`. Only a volunteer with an application on the shift gets the page (404 for
  anyone else); one whose place is not accepted sees the service's refusal.
- The volunteer's scanner page: today's accepted shifts, the camera (static/js/qr-scan.js), and
  a form per shift to type the code (works without JavaScript and without a camera).
"""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError, object_id_or_404
from ataa.core.forms import add_service_error
from ataa.hours import codes, selectors, services
from ataa.hours.forms_attendance import CheckInForm, ManualCheckInForm, ManualCheckOutForm
from ataa.hours.models import Attendance
from ataa.opportunities.access import (
    access_application_by_id,
    access_managed_opportunity_by_id,
    access_shift_by_id,
)
from ataa.opportunities.models import Application

# How often the screen asks for the code (the code itself changes every WINDOW_SECONDS, and a
# code stays good for one more window, so a few seconds late is harmless).
CODE_REFRESH_SECONDS = 5


# --- The coordinator's screen -----------------------------------------------------------------


def _access_shift(user, organization_id, opportunity_id, shift_id):
    organization, opportunity = access_managed_opportunity_by_id(
        user, organization_id, opportunity_id
    )
    shift = access_shift_by_id(opportunity, shift_id)
    return organization, opportunity, shift


def _screen_url(organization, opportunity, shift) -> str:
    return reverse("shift_check_in", args=[organization.pk, opportunity.pk, shift.pk])


def _grouped(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


def _code_context(request, shift) -> dict:
    shown = codes.current_code(shift.pk)
    url = request.build_absolute_uri(reverse("check_in", args=[shift.pk])) + f"?code={shown.code}"
    label = _("QR code to check in to this shift. Its code is %(code)s.") % {
        "code": _grouped(shown.code)
    }
    svg = segno.make(url, error="m").svg_inline(
        scale=1, dark="#000", light="#fff", border=4, omitsize=True, svgclass="check-in-qr"
    )
    # An image with a name for screen readers (segno writes no role or label).
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label)}" shape-rendering="crispEdges" ',
        1,
    )
    return {
        "qr_svg": svg,
        "code": shown.code,
        "code_grouped": _grouped(shown.code),
        "expires_at": shown.expires_at,
        "check_in_url": url,
        "refresh_seconds": CODE_REFRESH_SECONDS,
        "code_url": reverse(
            "shift_check_in_code",
            args=[shift.opportunity.organization_id, shift.opportunity_id, shift.pk],
        ),
    }


class _Row:
    def __init__(self, application: Application):
        self.application = application
        try:
            self.attendance = application.attendance
        except Attendance.DoesNotExist:
            self.attendance = None
        profile = getattr(application.volunteer, "volunteer_profile", None)
        self.name = (
            profile.full_name_ar if profile is not None else application.volunteer.full_name
        ) or _("Volunteer")
        self.name_latin = profile.full_name_latin if profile is not None else ""
        pk = application.pk
        if self.attendance is None:
            self.check_in_form = ManualCheckInForm(auto_id=f"in-{pk}-%s")
        elif self.attendance.is_open:
            self.check_out_form = ManualCheckOutForm(auto_id=f"out-{pk}-%s")

    @property
    def state(self) -> str:
        if self.attendance is None:
            return "waiting"
        if self.attendance.is_open:
            return "in"
        if self.attendance.closed_automatically:
            return "closed"
        return "out"


def _rows(shift) -> list[_Row]:
    return [_Row(application) for application in selectors.shift_attendance_rows(shift=shift)]


def _only_get(request):
    """405 for other methods, once access is checked (an outsider gets 404 whatever the
    method)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


@login_required
def shift_check_in(request, organization_id, opportunity_id, shift_id):
    organization, opportunity, shift = _access_shift(
        request.user, organization_id, opportunity_id, shift_id
    )
    if refused := _only_get(request):
        return refused
    rows = _rows(shift)
    return render(
        request,
        "hours/check_in_screen.html",
        {
            "organization": organization,
            "opportunity": opportunity,
            "shift": shift,
            "rows": rows,
            "checked_in": sum(1 for row in rows if row.state == "in"),
            "window_seconds": codes.WINDOW_SECONDS,
            **_code_context(request, shift),
        },
    )


@login_required
def shift_check_in_code(request, organization_id, opportunity_id, shift_id):
    """The code part of the screen, which htmx asks for every few seconds."""
    _organization, _opportunity, shift = _access_shift(
        request.user, organization_id, opportunity_id, shift_id
    )
    if refused := _only_get(request):
        return refused
    response = render(request, "hours/_attendance_code.html", _code_context(request, shift))
    response["Cache-Control"] = "no-store"
    return response


def _report_problems(request, form=None, error: ServiceError | None = None) -> None:
    if error is not None:
        messages.error(request, error.message)
        for problems in error.fields.values():
            for problem in problems:
                if problem != error.message:
                    messages.error(request, problem)
    if form is not None:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)


def _shift_application(organization, opportunity, shift, application_id) -> Application:
    application = access_application_by_id(organization, opportunity, application_id)
    if application.shift_id != shift.pk:
        raise Http404
    return application


def _record_by_hand(request, ids, *, form_class, record, success) -> object:
    """The two by-hand forms of the screen: check the form, call the service (`record`, given
    the application and the form), show its refusal or `success` (a message from the
    attendance), and go back to the screen."""
    organization, opportunity, shift = _access_shift(request.user, *ids[:3])
    application = _shift_application(organization, opportunity, shift, ids[3])
    back = _screen_url(organization, opportunity, shift)
    form = form_class(request.POST, shift=shift)
    if not form.is_valid():
        _report_problems(request, form)
        return redirect(back)
    try:
        attendance = record(application, form)
    except ServiceError as error:
        _report_problems(request, error=error)
    else:
        messages.success(request, success(attendance))
    return redirect(back)


@login_required
@require_POST
def shift_manual_check_in(request, organization_id, opportunity_id, shift_id, application_id):
    def record(application, form):
        return services.manual_check_in(
            actor=request.user,
            application=application,
            at=form.moment(),
            reason=form.cleaned_data["reason"],
            ip_address=client_ip(request),
        )

    return _record_by_hand(
        request,
        (organization_id, opportunity_id, shift_id, application_id),
        form_class=ManualCheckInForm,
        record=record,
        success=lambda attendance: (
            _("Checked in by hand at %(time)s.") % {"time": _local_time(attendance.checked_in_at)}
        ),
    )


@login_required
@require_POST
def shift_manual_check_out(request, organization_id, opportunity_id, shift_id, application_id):
    def record(application, form):
        attendance = Attendance.objects.filter(application=application).first()
        if attendance is None:
            raise Http404
        return services.manual_check_out(
            actor=request.user,
            attendance=attendance,
            at=form.moment(),
            reason=form.cleaned_data["reason"],
            ip_address=client_ip(request),
        )

    return _record_by_hand(
        request,
        (organization_id, opportunity_id, shift_id, application_id),
        form_class=ManualCheckOutForm,
        record=record,
        success=lambda attendance: (
            _("Checked out by hand at %(time)s.") % {"time": _local_time(attendance.checked_out_at)}
        ),
    )


# --- The volunteer's pages --------------------------------------------------------------------


def _local_time(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i")


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    hours_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if not hours:
        return minutes_text
    if not rest:
        return hours_text
    # Translators: a duration, e.g. "2 hours 57 minutes"; add a word between them if needed.
    return _("%(hours)s %(minutes)s") % {"hours": hours_text, "minutes": minutes_text}


def _own_application(user, shift_id) -> Application:
    """The signed-in person's own application to this shift (of any status); 404 for a shift
    they did not apply to, so the page tells nothing about other people's shifts."""
    applications = Application.objects.select_related("shift", "opportunity__organization").filter(
        volunteer=user, shift_id=object_id_or_404(shift_id)
    )
    # The accepted one if there is one (a volunteer may have applied again after withdrawing).
    found = (
        applications.filter(status=Application.Status.ACCEPTED).first()
        or applications.order_by("-pk").first()
    )
    if found is None:
        raise Http404
    return found


def _geofence_radius(opportunity) -> int | None:
    """The check-in radius in metres when the opportunity checks the phone's location (a radius
    and a map point), else None: then the page does not ask for the location."""
    radius = getattr(opportunity, "geofence_radius_m", None)
    if radius and opportunity.latitude is not None and opportunity.longitude is not None:
        return radius
    return None


def _success_message(attendance: Attendance, action: str) -> str:
    if action == "checked_in":
        return _("Checked in at %(time)s.") % {"time": _local_time(attendance.checked_in_at)}
    minutes = int((attendance.checked_out_at - attendance.checked_in_at).total_seconds() // 60)
    if minutes < 1:
        return _("Checked out at %(time)s.") % {"time": _local_time(attendance.checked_out_at)}
    return _("Checked out at %(time)s: %(duration)s recorded, waiting for approval.") % {
        "time": _local_time(attendance.checked_out_at),
        "duration": _duration(minutes),
    }


@login_required
def check_in(request, shift_id):
    application = _own_application(request.user, shift_id)
    shift = application.shift
    opportunity = application.opportunity
    accepted = application.status == Application.Status.ACCEPTED
    refusal = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                attendance, action = services.scan_code(
                    volunteer=request.user,
                    shift_id=shift.pk,
                    code=form.cleaned_data["code"],
                    latitude=form.cleaned_data.get("latitude"),
                    longitude=form.cleaned_data.get("longitude"),
                    ip_address=client_ip(request),
                )
            except ServiceError as error:
                add_service_error(form, error)
                refusal = error
            else:
                messages.success(request, _success_message(attendance, action))
                return redirect("check_in", shift.pk)
    else:
        form = CheckInForm(initial={"code": (request.GET.get("code") or "")[:32]})
    if not accepted and refusal is None:
        refusal = ServiceError(
            _("You do not have an accepted place on this shift, so you cannot check in to it."),
            code="not_accepted",
        )
    attendance = Attendance.objects.filter(application=application).first() if accepted else None
    return render(
        request,
        "hours/check_in_volunteer.html",
        {
            "application": application,
            "shift": shift,
            "opportunity": opportunity,
            "accepted": accepted,
            "attendance": attendance,
            "form": form,
            "refusal": refusal,
            "geofence_radius_m": _geofence_radius(opportunity),
        },
    )


def _todays_applications(user):
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    day_starts = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    day_ends = day_starts + dt.timedelta(days=1)
    return (
        Application.objects.filter(
            volunteer=user,
            status=Application.Status.ACCEPTED,
            shift__starts_at__lt=day_ends,
            shift__ends_at__gt=day_starts,
        )
        .select_related("shift", "opportunity__organization", "attendance")
        .order_by("shift__starts_at", "pk")
    )


@login_required
@require_GET
def check_in_scan(request):
    rows = []
    for application in _todays_applications(request.user):
        try:
            attendance = application.attendance
        except Attendance.DoesNotExist:
            attendance = None
        rows.append(
            {
                "application": application,
                "shift": application.shift,
                "opportunity": application.opportunity,
                "attendance": attendance,
                "geofence_radius_m": _geofence_radius(application.opportunity),
                "form": CheckInForm(auto_id=f"shift-{application.shift_id}-%s"),
            }
        )
    return render(
        request,
        "hours/check_in_scan.html",
        {"rows": rows, "check_in_prefix": request.build_absolute_uri("/check-in/")},
    )


SHIFT = "orgs/<int:organization_id>/opportunities/<int:opportunity_id>/shifts/<int:shift_id>/"

urlpatterns = [
    path(SHIFT + "check-in/", shift_check_in, name="shift_check_in"),
    path(SHIFT + "check-in/code/", shift_check_in_code, name="shift_check_in_code"),
    path(
        SHIFT + "check-in/<int:application_id>/in/",
        shift_manual_check_in,
        name="shift_manual_check_in",
    ),
    path(
        SHIFT + "check-in/<int:application_id>/out/",
        shift_manual_check_out,
        name="shift_manual_check_out",
    ),
    path("check-in/<int:shift_id>/", check_in, name="check_in"),
    path("volunteer/check-in/", check_in_scan, name="check_in_scan"),
]
