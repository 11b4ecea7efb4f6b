"""A message from the organization to all accepted volunteers of a shift.

The text is stored once (`ataa.notifications.models.Message`); each volunteer gets one delivery
per channel they chose, sent through the outbox with the delivery's id only. The audit event
counts the recipients and never holds the text.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import ServiceError
from ataa.notifications.models import Message
from ataa.notifications.services import Notice, message_clean, message_create, notify
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Application, Shift
from ataa.opportunities.notices import SHIFT_MESSAGE


def shift_recipient_ids(*, shift: Shift) -> QuerySet:
    """The ids of the volunteers accepted for the shift: who a message to it reaches."""
    return (
        Application.objects.filter(shift=shift, status=Application.Status.ACCEPTED)
        .order_by("volunteer_id")
        .values_list("volunteer_id", flat=True)
        .distinct()
    )


@transaction.atomic
def shift_message_send(
    *, shift: Shift, actor, subject: str, body: str, ip_address: str | None = None
) -> Message:
    """Write to every accepted volunteer of the shift, by the channels each one chose.

    For the organization's admins and coordinators. Refused, writing nothing, when the subject
    or the text is empty or too long for a text message, or nobody is accepted for the shift.
    """
    opportunity = shift.opportunity
    require_manager(
        actor=actor,
        organization_id=opportunity.organization_id,
        refusal=_(
            "Only the organization's admins and coordinators can write to the volunteers of a "
            "shift."
        ),
    )
    subject, body = message_clean(subject=subject, body=body)
    recipients = list(shift_recipient_ids(shift=shift))
    if not recipients:
        raise ServiceError(
            _("Nobody is accepted for this shift yet, so there is nobody to write to."),
            code="no_recipients",
        )
    message = message_create(
        sender=actor,
        organization_id=opportunity.organization_id,
        subject=subject,
        body=body,
        recipient_count=len(recipients),
    )
    deliveries = notify(
        Notice(recipient_id=volunteer_id, kind=SHIFT_MESSAGE, object_id=shift.pk, message=message)
        for volunteer_id in recipients
    )
    audit_record(
        actor=actor,
        verb="shift.message_sent",
        organization_id=opportunity.organization_id,
        target=shift,
        ip_address=ip_address,
        payload={
            "opportunity_id": opportunity.pk,
            "message_id": message.pk,
            "recipients": len(recipients),
            "deliveries": len(deliveries),
        },
    )
    return message
