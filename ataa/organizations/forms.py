from django import forms
from django.utils.translation import gettext_lazy as _

from ataa.core.models import City
from ataa.organizations.models import Organization, Role

MAX_LOGO_BYTES = 2 * 1024 * 1024


class OrganizationForm(forms.Form):
    name_ar = forms.CharField(
        label=_("Name in Arabic"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    name_en = forms.CharField(
        label=_("Name in English"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )
    kind = forms.ChoiceField(label=_("Kind of organization"), choices=Organization.Kind.choices)
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        empty_label="—",
        error_messages={"invalid_choice": _("Choose one of the cities offered.")},
    )
    registration_number = forms.RegexField(
        label=_("Registration number"),
        regex=r"^[A-Za-z0-9\-/]{1,64}$",
        required=False,
        help_text=_("As on the licence from the ministry or the authority."),
        error_messages={"invalid": _("Use only Latin letters, digits, - and /.")},
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    logo = forms.ImageField(
        label=_("Logo"), required=False, help_text=_("PNG or JPEG, at most 2 MB.")
    )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo is larger than 2 MB."))
        return logo


class OrganizationSettingsForm(OrganizationForm):
    require_staff_mfa = forms.BooleanField(
        label=_("Require two-factor authentication of all members"), required=False
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.COORDINATOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
