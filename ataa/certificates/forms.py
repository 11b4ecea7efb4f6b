"""Forms of the certificate pages: the code to verify, the certificate to get, the revocation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ataa.certificates.models import Certificate
from ataa.certificates.services import REASON_MAX


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed on the certificate, for example ABCDE-FGHJK."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
                "inputmode": "text",
            }
        ),
    )


class IssueForm(forms.Form):
    opportunity = forms.IntegerField(widget=forms.HiddenInput)
    language = forms.ChoiceField(
        label=_("Language of the certificate"),
        choices=Certificate.Language.choices,
        initial=Certificate.Language.ARABIC,
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=REASON_MAX,
        help_text=_(
            "Kept for your organization; the public page only says that the certificate was "
            "revoked and when."
        ),
        widget=forms.TextInput,
    )
