"""Notifications: the caller's channels, and messages to the accepted volunteers of a shift.

The same services as the pages: `notification_preference_save` (account/notifications/) and
`shift_message_send` (the coordinators' shift message page), whose input is validated by the
same form fields.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from ataa.api.v1.fields import form_field
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.notifications import services
from ataa.notifications.selectors import preference_for
from ataa.opportunities.access import MANAGE_ROLES, access_opportunity_by_id, access_shift_by_id
from ataa.opportunities.message_views import ShiftMessageForm
from ataa.opportunities.messages import shift_message_send

router = Router(tags=["notifications"])


class NotificationPreferenceOut(Schema):
    email: bool = Field(description="Notifications by email.")
    sms: bool = Field(description="Notifications by text message to the account's phone.")
    has_phone: bool = Field(description="Whether the account has a mobile phone number.")


class NotificationPreferenceIn(InputSchema):
    email: bool
    sms: bool = Field(description="Needs a mobile phone number on the account (PATCH /me).")


def _preference_out(user) -> dict:
    preference = preference_for(user=user)
    return {
        "email": preference.email,
        "sms": preference.sms,
        "has_phone": bool((user.phone or "").strip()),
    }


@router.get("/me/notifications", response=NotificationPreferenceOut)
def my_notifications_get(request):
    """How you are told about your applications and shifts (email only until you choose)."""
    return _preference_out(request.auth)


@router.put("/me/notifications", response=NotificationPreferenceOut)
def my_notifications_put(request, payload: NotificationPreferenceIn):
    """Choose your channels. Text messages without a phone number on the account are refused
    (`phone_required`)."""
    services.notification_preference_save(
        user=request.auth, email=payload.email, sms=payload.sms, ip_address=client_ip(request)
    )
    return _preference_out(request.auth)


Subject = form_field(ShiftMessageForm, "subject")
Body = form_field(
    ShiftMessageForm, "body", description="Sent by email, and by SMS to those who chose it."
)


class ShiftMessageIn(InputSchema):
    subject: Subject
    body: Body


class ShiftMessageOut(Schema):
    id: int
    shift_id: int
    recipients: int = Field(description="Accepted volunteers the message goes to.")
    created_at: dt.datetime


@router.post(
    "/organizations/{organization_id}/opportunities/{opportunity_id}/shifts/{shift_id}/messages",
    response={201: ShiftMessageOut},
)
@organization_scoped(roles=MANAGE_ROLES)
def shift_message_create(
    request, organization_id: int, opportunity_id: int, shift_id: int, payload: ShiftMessageIn
):
    """Write to every accepted volunteer of the shift, each by the channels they chose (admins
    and coordinators). Refused when nobody is accepted (`no_recipients`)."""
    opportunity = access_opportunity_by_id(
        request.auth, scoped_organization(request), opportunity_id, roles=MANAGE_ROLES
    )
    shift = access_shift_by_id(opportunity, shift_id)
    message = shift_message_send(
        shift=shift,
        actor=request.auth,
        subject=payload.subject,
        body=payload.body,
        ip_address=client_ip(request),
    )
    return {
        "id": message.pk,
        "shift_id": shift.pk,
        "recipients": message.recipient_count,
        "created_at": message.created_at,
    }
