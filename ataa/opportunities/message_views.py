"""The coordinators' page to write to all accepted volunteers of a shift."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.notifications.models import MESSAGE_BODY_MAX_LENGTH, MESSAGE_SUBJECT_MAX_LENGTH
from ataa.opportunities.access import (
    access_managed_opportunity_by_id,
    access_shift_by_id,
)
from ataa.opportunities.messages import shift_message_send, shift_recipient_ids


class ShiftMessageForm(forms.Form):
    """The page's form; the API validates its input with the same fields."""

    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=MESSAGE_SUBJECT_MAX_LENGTH,
        help_text=gettext_lazy("The subject line of the email."),
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=MESSAGE_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "At most %(count)d characters: volunteers who chose text messages get it by SMS."
        ) % {"count": MESSAGE_BODY_MAX_LENGTH}


@login_required
def shift_message(request, organization_id, opportunity_id, shift_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    shift = access_shift_by_id(opportunity, shift_id)
    form = ShiftMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = shift_message_send(
                shift=shift,
                actor=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            count = message.recipient_count
            messages.success(
                request,
                ngettext(
                    "Your message is on its way to %(count)d volunteer of this shift.",
                    "Your message is on its way to %(count)d volunteers of this shift.",
                    count,
                )
                % {"count": count},
            )
            return redirect("shift_list", organization.pk, opportunity.pk)
    return render(
        request,
        "opportunities/shift_message.html",
        {
            "organization": organization,
            "opportunity": opportunity,
            "shift": shift,
            "form": form,
            "recipients": shift_recipient_ids(shift=shift).count(),
            "can_manage": True,
        },
    )
