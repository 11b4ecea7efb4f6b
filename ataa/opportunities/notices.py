"""What volunteers are told, and how it reads: the notification kinds of opportunities.

The services say what happened (`ataa.notifications.services.notify`, inside their
transaction); `ataa.notifications` sends it by the channels each person chose, rendering it here
in the person's language (the sending task activates it). A renderer answers None when the
notification no longer applies, and the delivery is skipped.

Kinds:
- application.received / accepted / promoted / rejected / cancelled: object = the application;
- shift.reminder: object = the application (accepted, its shift starts within 24 hours);
- shift.message: object = the shift, with the Message a coordinator wrote to its volunteers.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ataa.core.dates import dual_date_text
from ataa.notifications.kinds import Content, renderer
from ataa.opportunities.models import Application, Opportunity, Shift

APPLICATION_KINDS = {
    "received": "application.received",
    "accepted": "application.accepted",
    "promoted": "application.promoted",
    "rejected": "application.rejected",
    "cancelled": "application.cancelled",
}
SHIFT_REMINDER = "shift.reminder"
SHIFT_MESSAGE = "shift.message"

TITLE_IN_SMS = 60
ADDRESS_IN_SMS = 120


def _link(name: str) -> str:
    return settings.ATAA_BASE_URL.rstrip("/") + reverse(name)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _short_title(opportunity: Opportunity) -> str:
    return Truncator(opportunity.title).chars(TITLE_IN_SMS)


def shift_times(shift: Shift) -> dict[str, str]:
    """The shift's day (Gregorian and Hijri) and hours in the platform's time zone."""
    starts_at = timezone.localtime(shift.starts_at)
    ends_at = timezone.localtime(shift.ends_at)
    return {
        "day": dual_date_text(starts_at),
        "start": time_format(starts_at, "H:i"),
        "end": time_format(ends_at, "H:i"),
    }


def place_text(opportunity: Opportunity) -> str:
    """Where to go, for an accepted volunteer: the exact address if there is one."""
    if opportunity.work_mode == Opportunity.WorkMode.REMOTE:
        return _("Remote: the organization tells you how to join.")
    if opportunity.exact_address.strip():
        return _one_line(opportunity.exact_address)
    names = [place.name for place in (opportunity.district, opportunity.city) if place]
    return _(", ").join(names)


# --- Applications -------------------------------------------------------------------------------


def _application_sms(kind: str, *, organization: str, title: str) -> str:
    values = {"organization": organization, "title": title}
    if kind == "received":
        return _("Ataa: %(organization)s received your application to “%(title)s”.") % values
    if kind == "accepted":
        return _("Ataa: %(organization)s accepted you for “%(title)s”.") % values
    if kind == "promoted":
        return (
            _("Ataa: a place opened up and %(organization)s accepted you for “%(title)s”.") % values
        )
    if kind == "rejected":
        return (
            _("Ataa: %(organization)s could not accept your application to “%(title)s” this time.")
            % values
        )
    return _("Ataa: %(organization)s cancelled your place in “%(title)s”.") % values


@renderer(*APPLICATION_KINDS.values())
def render_application(delivery) -> Content | None:
    application = (
        Application.objects.select_related("opportunity__organization", "shift")
        .filter(pk=delivery.object_id, volunteer_id=delivery.recipient_id)
        .first()
    )
    if application is None:
        return None
    kind = delivery.kind.split(".", 1)[1]
    opportunity = application.opportunity
    organization = opportunity.organization
    context = {
        "application": application,
        "opportunity": opportunity,
        "organization": organization,
        "shift": application.shift,
        "recipient": delivery.recipient,
        "kind": kind,
        "link": _link("my_applications"),
    }
    sms = _application_sms(kind, organization=organization.name, title=_short_title(opportunity))
    if application.shift is not None:
        sms += " " + _("Shift: %(day)s, %(start)s–%(end)s.") % shift_times(application.shift)
    return Content(
        subject=_one_line(render_to_string("opportunities/email/application_subject.txt", context)),
        body=render_to_string("opportunities/email/application.txt", context),
        sms=sms,
    )


# --- The reminder a day before a shift ----------------------------------------------------------


@renderer(SHIFT_REMINDER)
def render_shift_reminder(delivery) -> Content | None:
    application = (
        Application.objects.select_related(
            "opportunity__organization", "opportunity__city", "opportunity__district", "shift"
        )
        .filter(
            pk=delivery.object_id,
            volunteer_id=delivery.recipient_id,
            status=Application.Status.ACCEPTED,
            shift__isnull=False,
        )
        .first()
    )
    if application is None or application.shift.starts_at <= timezone.now():
        return None  # withdrawn, cancelled, or the shift has begun: no reminder any more
    opportunity = application.opportunity
    times = shift_times(application.shift)
    place = place_text(opportunity)
    context = {
        "title": opportunity.title,
        "organization": opportunity.organization.name,
        "place": place,
        "link": _link("my_applications"),
        **times,
    }
    sms = _("Ataa reminder: “%(title)s” with %(organization)s on %(day)s, %(start)s–%(end)s.") % {
        **context,
        "title": _short_title(opportunity),
    }
    if place:
        sms += " " + Truncator(place).chars(ADDRESS_IN_SMS)
    return Content(
        subject=_one_line(
            render_to_string("notifications/email/shift_reminder_subject.txt", context)
        ),
        body=render_to_string("notifications/email/shift_reminder.txt", context),
        sms=sms,
    )


# --- A coordinator's message to the volunteers of a shift ---------------------------------------


@renderer(SHIFT_MESSAGE)
def render_shift_message(delivery) -> Content | None:
    message = delivery.message
    shift = (
        Shift.objects.select_related("opportunity__organization")
        .filter(pk=delivery.object_id)
        .first()
    )
    if message is None or shift is None:
        return None
    still_accepted = Application.objects.filter(
        shift=shift, volunteer_id=delivery.recipient_id, status=Application.Status.ACCEPTED
    ).exists()
    if not still_accepted:
        return None
    opportunity = shift.opportunity
    context = {
        "subject": message.subject,
        "body": message.body,
        "title": opportunity.title,
        "organization": opportunity.organization.name,
        "link": _link("my_applications"),
        **shift_times(shift),
    }
    return Content(
        subject=_one_line(message.subject),
        body=render_to_string("notifications/email/shift_message.txt", context),
        sms=_("%(organization)s: %(text)s")
        % {"organization": opportunity.organization.name, "text": _one_line(message.body)},
    )
