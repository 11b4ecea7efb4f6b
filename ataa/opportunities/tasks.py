"""Emails to volunteers about their applications. Tasks take ids, load, send; sending twice is
harmless (an email). Written in the volunteer's preferred language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ataa.core.tasks import task
from ataa.opportunities.models import Application

KINDS = {"received", "accepted", "rejected", "promoted", "cancelled"}


@task("opportunities.send_application_email")
def send_application_email(*, application_id: int, kind: str) -> None:
    application = (
        Application.objects.select_related("volunteer", "opportunity__organization", "shift")
        .filter(pk=application_id)
        .first()
    )
    if application is None or kind not in KINDS or not application.volunteer.email:
        return
    recipient = application.volunteer
    with translation.override(recipient.preferred_language or "ar"):
        context = {
            "application": application,
            "opportunity": application.opportunity,
            "organization": application.opportunity.organization,
            "shift": application.shift,
            "recipient": recipient,
            "kind": kind,
            "link": settings.ATAA_BASE_URL.rstrip("/") + reverse("my_applications"),
        }
        subject = render_to_string("opportunities/email/application_subject.txt", context)
        body = render_to_string("opportunities/email/application.txt", context)
    send_mail(" ".join(subject.split()), body, None, [recipient.email])
