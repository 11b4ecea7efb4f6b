from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationPreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("By email"),
        required=False,
        help_text=_("Sent to the email address you sign in with."),
    )
    sms = forms.BooleanField(
        label=_("By text message (SMS)"),
        required=False,
        help_text=_("Sent to the mobile phone number in your account settings."),
    )
