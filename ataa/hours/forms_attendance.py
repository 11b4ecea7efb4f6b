"""Forms of the check-in pages: the code a volunteer types (or the QR code fills in), and the
coordinator's check-in and check-out by hand."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ataa.hours.services import REASON_MAX


class CheckInForm(forms.Form):
    """The code on the coordinator's screen, and where the phone is when the opportunity asks."""

    code = forms.CharField(
        label=_("Code on the coordinator's screen"),
        max_length=32,
        help_text=_("Eight letters and digits, as the screen shows them."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
                "class": "check-in-code",
            }
        ),
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )

    def clean(self):
        cleaned = super().clean()
        # A place is both numbers or neither.
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned


class _ManualForm(forms.Form):
    at = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("For example: the volunteer's phone has no battery."),
    )

    def __init__(self, *args, shift=None, **kwargs):
        kwargs.setdefault("initial", {"at": timezone.localtime().strftime("%H:%M")})
        super().__init__(*args, **kwargs)
        self.shift = shift

    def moment(self) -> dt.datetime:
        """The chosen time of day on the shift's day (the next day for a shift that runs past
        midnight, when the time falls before the shift's check-in opens)."""
        at = self.cleaned_data["at"]
        starts = timezone.localtime(self.shift.starts_at)
        zone = timezone.get_current_timezone()
        moment = dt.datetime.combine(starts.date(), at, tzinfo=zone)
        if moment < starts - dt.timedelta(hours=1) and (
            timezone.localtime(self.shift.ends_at).date() > starts.date()
        ):
            moment += dt.timedelta(days=1)
        return moment


class ManualCheckInForm(_ManualForm):
    pass


class ManualCheckOutForm(_ManualForm):
    pass
