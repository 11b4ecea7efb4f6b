"""Forms of the volunteer pages. Cross-field rules (minors, district in city, party size) live
in the services, so the pages and the API refuse the same things with the same messages."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ataa.core.models import City, District
from ataa.volunteers.files import MAX_PROOF_BYTES
from ataa.volunteers.models import (
    AVAILABILITY_SLOTS,
    MAX_PARTY_SIZE,
    ConsentPurpose,
    DayPeriod,
    Gender,
    QualificationKind,
    Skill,
    SpokenLanguage,
    VolunteeringField,
    VolunteerProfile,
    Weekday,
    WorkMode,
    availability_slot,
)

PHONE_REGEX = r"^\+?[0-9 ]{7,20}$"
PHONE_MESSAGE = _("Enter a phone number of digits, optionally starting with +.")

CONSENT_FIELDS = {
    "consent_profile_processing": ConsentPurpose.PROFILE_PROCESSING,
    "consent_contact_by_organizations": ConsentPurpose.CONTACT_BY_ORGANIZATIONS,
    "consent_data_sharing_for_matching": ConsentPurpose.DATA_SHARING_FOR_MATCHING,
}


def phone_field(label, *, required=True):
    return forms.RegexField(
        label=label,
        regex=PHONE_REGEX,
        required=required,
        max_length=32,
        error_messages={"invalid": PHONE_MESSAGE},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )


class VolunteerProfileForm(forms.Form):
    # Identity
    full_name_ar = forms.CharField(
        label=_("Full name in Arabic"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar", "autocomplete": "name"}),
    )
    full_name_latin = forms.CharField(
        label=_("Full name in Latin script"),
        max_length=200,
        required=False,
        help_text=_("As in your passport, if you have one."),
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices])
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("Volunteers under 18 need the consent of a parent or guardian."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    # Contact
    phone = phone_field(_("Mobile phone"))
    # Place
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.all(), empty_label="—")
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Choose a district of the chosen city.")},
    )
    latitude = forms.DecimalField(
        label=_("Latitude of your map point"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        help_text=_("Optional: helps organizations find volunteers near them."),
        widget=forms.NumberInput(attrs={"step": "any", "dir": "ltr"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude of your map point"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "dir": "ltr"}),
    )
    # Skills and interests (rendered grouped by field of volunteering)
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"), queryset=Skill.objects.all(), required=False
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Areas of interest"), queryset=VolunteeringField.objects.all(), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=SpokenLanguage.choices
    )
    # Availability
    availability = forms.MultipleChoiceField(
        label=_("Weekly availability"),
        choices=[(slot, slot) for slot in AVAILABILITY_SLOTS],
        required=False,
    )
    work_mode = forms.ChoiceField(
        label=_("How you like to volunteer"), choices=WorkMode.choices, initial=WorkMode.BOTH
    )
    is_group = forms.BooleanField(label=_("We are a group signing up together"), required=False)
    party_size = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=MAX_PARTY_SIZE,
        initial=1,
        help_text=_("1 for yourself alone; 2 or more for a group."),
    )
    # Accessibility
    needs_wheelchair_access = forms.BooleanField(label=_("I use a wheelchair"), required=False)
    needs_visual_support = forms.BooleanField(
        label=_("I am blind or have low vision"), required=False
    )
    needs_hearing_support = forms.BooleanField(
        label=_("I am deaf or hard of hearing"), required=False
    )
    accessibility_notes = forms.CharField(
        label=_("Other needs organizations should know about"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Emergency contact
    emergency_contact_name = forms.CharField(
        label=_("Emergency contact's name"), max_length=200, required=False
    )
    emergency_contact_phone = phone_field(_("Emergency contact's phone"), required=False)
    # Guardian (minors)
    guardian_name = forms.CharField(
        label=_("Parent's or guardian's name"), max_length=200, required=False
    )
    guardian_phone = phone_field(_("Parent's or guardian's phone"), required=False)
    guardian_consent = forms.BooleanField(
        label=_("My parent or guardian agrees to my volunteering"), required=False
    )
    # Privacy
    share_phone_with_organizations = forms.BooleanField(
        label=_("Organizations I apply to may see my phone number"), required=False
    )
    share_date_of_birth = forms.BooleanField(
        label=_("Organizations I apply to may see my date of birth"), required=False
    )
    share_evaluations_with_organizations = forms.BooleanField(
        label=_(
            "Organizations I apply to may see the averages of the evaluations coordinators "
            "gave me after my shifts"
        ),
        required=False,
    )
    # Consent
    consent_profile_processing = forms.BooleanField(
        label=_("I agree that Ataa keeps and processes my volunteer profile (required)"),
        required=False,
    )
    consent_contact_by_organizations = forms.BooleanField(
        label=_("Organizations may contact me about volunteering"), required=False
    )
    consent_data_sharing_for_matching = forms.BooleanField(
        label=_("Ataa may use my profile to suggest opportunities that fit me"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        city_id = self.data.get("city") if self.is_bound else self.initial.get("city")
        city_id = getattr(city_id, "pk", city_id)
        try:
            city_id = int(city_id)
        except (TypeError, ValueError):
            city_id = None
        self.fields["district"].queryset = (
            District.objects.filter(city_id=city_id).order_by("name_en")
            if city_id
            else District.objects.none()
        )
        self.fields["city"].widget.attrs.update(
            {
                "hx-get": reverse("volunteer_district_options"),
                "hx-target": "#id_district",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )

    @classmethod
    def for_profile(cls, profile: VolunteerProfile | None, data=None):
        if profile is None:
            return cls(data, initial={"consent_profile_processing": False})
        open_purposes = {record.purpose for record in getattr(profile, "open_consents", [])}
        initial = {
            name: getattr(profile, name)
            for name in cls.base_fields
            if hasattr(profile, name)
            and name not in {"skills", "interests", "city", "district", "guardian_consent"}
        }
        initial.update(
            city=profile.city_id,
            district=profile.district_id,
            skills=[skill.pk for skill in profile.skills.all()],
            interests=[field.pk for field in profile.interests.all()],
            guardian_consent=profile.guardian_consent_at is not None,
            **{name: purpose in open_purposes for name, purpose in CONSENT_FIELDS.items()},
        )
        return cls(data, initial=initial)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["consents"] = {
            purpose for name, purpose in CONSENT_FIELDS.items() if data.pop(name, False)
        }
        data["latitude"] = data.get("latitude")
        data["longitude"] = data.get("longitude")
        return data

    # --- What the template needs to render the grouped checkboxes -------------------------

    def _chosen(self, name) -> set[str]:
        value = self[name].value() or []
        return {str(item) for item in value}

    def skill_groups(self, fields):
        chosen = self._chosen("skills")
        return [
            (field, [(skill, str(skill.pk) in chosen) for skill in field.skills.all()])
            for field in fields
        ]

    def interest_choices(self, fields):
        chosen = self._chosen("interests")
        return [(field, str(field.pk) in chosen) for field in fields]

    def language_choices(self):
        chosen = self._chosen("languages")
        return [(code, label, code in chosen) for code, label in SpokenLanguage.choices]

    def availability_rows(self):
        chosen = self._chosen("availability")
        return [
            (
                day_label,
                [
                    (
                        availability_slot(day, period),
                        period_label,
                        f"{day_label} {period_label}",
                        availability_slot(day, period) in chosen,
                    )
                    for period, period_label in DayPeriod.choices
                ],
            )
            for day, day_label in Weekday.choices
        ]


class QualificationForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Kind of qualification"), queryset=QualificationKind.objects.all(), empty_label="—"
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("As printed on the certificate, if it expires."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    proof = forms.FileField(
        label=_("Proof"),
        help_text=_("A PDF, JPEG or PNG file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof and proof.size > MAX_PROOF_BYTES:
            raise forms.ValidationError(_("The proof is larger than 5 MB."))
        return proof

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on < timezone.localdate():
            raise forms.ValidationError(_("This qualification has already expired."))
        return expires_on


class QualificationRemoveForm(forms.Form):
    qualification = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
