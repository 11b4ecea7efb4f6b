from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from ataa.accounts.models import Language, User


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=r"^\+?[0-9 ]{7,20}$",
        required=False,
        error_messages={
            "invalid": _("Enter a phone number of digits, optionally starting with +.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    @classmethod
    def for_user(cls, user: User, data=None):
        return cls(
            data,
            initial={
                "full_name": user.full_name,
                "phone": user.phone,
                "preferred_language": user.preferred_language,
            },
        )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, so you recognise it later."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year")), (0, _("never"))],
        initial=90,
    )
