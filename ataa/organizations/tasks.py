"""Organization emails. Tasks take ids, load, send; sending twice is harmless (an email)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ataa.core.tasks import task
from ataa.organizations.models import Invitation, Organization


def _absolute(path: str) -> str:
    return settings.ATAA_BASE_URL.rstrip("/") + path


@task("organizations.send_invitation_email")
def send_invitation_email(*, invitation_id: int) -> None:
    from ataa.organizations.services import invitation_token

    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return
    link = _absolute(reverse("invitation_accept", args=[invitation_token(invitation)]))
    # The invited person may have no account yet, so the email carries both languages.
    parts = []
    for language in ("ar", "en"):
        with translation.override(language):
            parts.append(
                render_to_string(
                    "organizations/email/invitation.txt",
                    {
                        "invitation": invitation,
                        "organization": invitation.organization,
                        "link": link,
                    },
                )
            )
    with translation.override("ar"):
        subject_ar = render_to_string(
            "organizations/email/invitation_subject.txt", {"organization": invitation.organization}
        ).strip()
    with translation.override("en"):
        subject_en = render_to_string(
            "organizations/email/invitation_subject.txt", {"organization": invitation.organization}
        ).strip()
    send_mail(
        f"{subject_ar} | {subject_en}",
        "\n\n———\n\n".join(parts),
        None,
        [invitation.email],
    )


@task("organizations.send_decision_email")
def send_decision_email(*, organization_id: int) -> None:
    organization = (
        Organization.objects.select_related("created_by").filter(pk=organization_id).first()
    )
    if organization is None or organization.created_by is None:
        return
    recipient = organization.created_by
    with translation.override(recipient.preferred_language):
        context = {
            "organization": organization,
            "recipient": recipient,
            "link": _absolute(reverse("organization_dashboard", args=[organization.pk])),
        }
        subject = render_to_string("organizations/email/decision_subject.txt", context).strip()
        body = render_to_string("organizations/email/decision.txt", context)
    send_mail(subject, body, None, [recipient.email])
