"""The signed-in person's notification channels."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.notifications import services
from ataa.notifications.forms import NotificationPreferenceForm
from ataa.notifications.selectors import preference_for
from ataa.notifications.sms import mask_phone


@login_required
def notification_settings(request):
    preference = preference_for(user=request.user)
    form = NotificationPreferenceForm(
        request.POST or None, initial={"email": preference.email, "sms": preference.sms}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preference_save(
                user=request.user, ip_address=client_ip(request), **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notification_settings")
    phone = (request.user.phone or "").strip()
    return render(
        request,
        "notifications/notification_settings.html",
        {"form": form, "phone_hint": mask_phone(phone) if phone else ""},
    )
