"""Forms of the hours ledger pages: the volunteer's remote hours (with an optional evidence file),
and the coordinator's filter, rejection and correction.

Times are read as local times of a day; when the end is not after the start, the work went past
midnight and the end counts on the next day. The services check the period itself (not in the
future, at most 24 hours, no overlap).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ataa.core.errors import ServiceError
from ataa.core.forms import FastSelect
from ataa.hours.models import HourEntry
from ataa.hours.services import DESCRIPTION_MAX, REASON_MAX
from ataa.volunteers.files import proof_format

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# What the browser may say the file is, by extension; the content decides in the end.
EVIDENCE_TYPES = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg", "image/pjpeg"},
    "jpeg": {"image/jpeg", "image/pjpeg"},
    "png": {"image/png"},
}
EVIDENCE_HELP = _("Optional: a PDF, JPEG or PNG file of at most 5 MB.")
NOT_EVIDENCE = _("The evidence must be a PDF, JPEG or PNG file; this file is none of them.")

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MIDNIGHT_HELP = _("If the work went past midnight, the end counts on the next day.")


def _period(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    starts_at = dt.datetime.combine(day, start, tzinfo=zone)
    ends_at = dt.datetime.combine(day, end, tzinfo=zone)
    if ends_at <= starts_at:
        ends_at += dt.timedelta(days=1)
    return starts_at, ends_at


class PeriodMixin:
    """`day`, `starts_at` and `ends_at` fields → aware datetimes in cleaned_data (the names the
    services give their field errors)."""

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("starts_at"), data.get("ends_at")
        if day and start and end:
            data["starts_at"], data["ends_at"] = _period(day, start, end)
        return data


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, application):
        opportunity = application.opportunity
        return f"{opportunity.title} — {opportunity.organization.name}"


class RemoteHoursForm(PeriodMixin, forms.Form):
    application = ApplicationChoiceField(
        label=_("Opportunity"), queryset=None, empty_label=None, widget=FastSelect
    )
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("From"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("To"), widget=TIME_WIDGET, help_text=MIDNIGHT_HELP)
    description = forms.CharField(
        label=_("What you did"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=EVIDENCE_HELP,
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The evidence is larger than 5 MB."))
        name = upload.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
        if extension not in EVIDENCE_TYPES or content_type not in EVIDENCE_TYPES[extension]:
            raise forms.ValidationError(NOT_EVIDENCE)
        try:
            detected = proof_format(upload)  # the signature, and that the file opens
        except ServiceError:
            raise forms.ValidationError(NOT_EVIDENCE) from None
        if detected != ("jpg" if extension == "jpeg" else extension):
            raise forms.ValidationError(NOT_EVIDENCE)
        upload.name = f"evidence.{detected}"  # no personal data in stored names
        return upload


class StatusFilterForm(forms.Form):
    ALL = "all"

    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    opportunity = forms.TypedChoiceField(
        label=_("Opportunity"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args, opportunities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            *HourEntry.Status.choices,
            (self.ALL, _("All")),
        ]
        self.fields["opportunity"].choices = [
            ("", _("All opportunities")),
            *((opportunity.pk, opportunity.title) for opportunity in opportunities),
        ]

    def filters(self) -> tuple[str | None, int | None]:
        """(status or None for all, opportunity id or None); waiting for approval by default."""
        if not self.is_valid():
            return HourEntry.Status.PENDING, None
        status = self.cleaned_data.get("status") or HourEntry.Status.PENDING
        return (None if status == self.ALL else status), self.cleaned_data.get("opportunity")


class RejectHoursForm(forms.Form):
    note = forms.CharField(
        label=_("Why these hours are not approved"),
        max_length=DESCRIPTION_MAX,
        help_text=_("The volunteer sees this note."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectHoursForm(PeriodMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("From"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("To"), widget=TIME_WIDGET, help_text=MIDNIGHT_HELP)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def for_entry(cls, entry: HourEntry) -> CorrectHoursForm:
        starts = timezone.localtime(entry.starts_at)
        ends = timezone.localtime(entry.ends_at)
        return cls(
            initial={
                "day": starts.date(),
                "starts_at": starts.time().replace(second=0, microsecond=0),
                "ends_at": ends.time().replace(second=0, microsecond=0),
            }
        )
