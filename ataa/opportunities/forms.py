"""Forms of the opportunity pages. Their cleaned_data are the keyword arguments of the services
(and of the selectors' OpportunityFilters); the API validates its input with the same forms."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ataa.core.forms import (
    FastSelect,
    FastSelectMultiple,
    ReferenceChoiceField,
    ReferenceMultipleChoiceField,
)
from ataa.core.models import City, District
from ataa.core.reference import CITIES
from ataa.opportunities.models import Application, Opportunity, Shift
from ataa.opportunities.selectors import OpportunityFilters, Sort
from ataa.volunteers.models import QualificationKind, Skill, VolunteeringField
from ataa.volunteers.reference import FIELDS, SKILLS

WEEKDAYS = [
    (5, _("Saturday")),
    (6, _("Sunday")),
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]


class _NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.city.name} — {obj.name}"


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpportunityForm(forms.Form):
    title_ar = forms.CharField(
        label=_("Title in Arabic"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    title_en = forms.CharField(
        label=_("Title in English"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )
    description_ar = forms.CharField(
        label=_("Description in Arabic"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"dir": "rtl", "lang": "ar", "rows": 5}),
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"dir": "ltr", "lang": "en", "rows": 5}),
    )
    field = _NamedChoiceField(
        label=_("Field of volunteering"), queryset=VolunteeringField.objects.all(), required=False
    )
    work_mode = forms.ChoiceField(
        label=_("Where"), choices=Opportunity.WorkMode.choices, initial="on_site"
    )
    city = _NamedChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        required=False,
        help_text=_("Leave empty for a remote opportunity."),
    )
    district = _DistrictChoiceField(
        label=_("District"), queryset=District.objects.select_related("city"), required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    geofence_radius_m = forms.IntegerField(
        label=_("Check-in radius in metres"),
        required=False,
        min_value=1,
        help_text=_(
            "Optional. Volunteers then check in by the code only within this distance of the "
            "map point (their phone shares its location)."
        ),
    )
    exact_address = forms.CharField(
        label=_("Exact address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown only to accepted volunteers, never on the public page."),
    )
    required_skills = _NamedMultipleChoiceField(
        label=_("Required skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    preferred_skills = _NamedMultipleChoiceField(
        label=_("Preferred skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    required_qualifications = _NamedMultipleChoiceField(
        label=_("Required qualifications"),
        queryset=QualificationKind.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    age_min = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120, required=False)
    age_max = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=120, required=False)
    gender_eligibility = forms.ChoiceField(
        label=_("Who may take part"), choices=Opportunity.Gender.choices, initial="everyone"
    )
    capacity = forms.IntegerField(
        label=_("Volunteers needed"), min_value=1, max_value=100000, initial=1
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=_date_input())
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Opportunity.Visibility.choices, initial="public"
    )
    is_emergency = forms.BooleanField(label=_("Emergency"), required=False)
    suitable_for_disabilities = forms.BooleanField(
        label=_("Suitable for people with disabilities"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choosing a city narrows the districts to that city's (htmx asks for them; without
        # script, or before a city is chosen, every district shows with its city's name).
        city_id = self.data.get("city") if self.is_bound else self.initial.get("city")
        city_id = getattr(city_id, "pk", city_id)
        try:
            city_id = int(city_id)
        except (TypeError, ValueError):
            city_id = None
        if city_id:
            self.fields["district"].queryset = District.objects.filter(
                city_id=city_id
            ).select_related("city")
        self.fields["city"].widget.attrs.update(
            {
                "hx-get": reverse("volunteer_district_options"),
                "hx-target": "#id_district",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    capacity = forms.IntegerField(
        label=_("Volunteers needed"), min_value=1, max_value=100000, initial=1
    )


class WeeklyShiftsForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 7}),
    )
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    from_date = forms.DateField(label=_("First date"), widget=_date_input())
    until_date = forms.DateField(label=_("Last date"), widget=_date_input())
    capacity = forms.IntegerField(
        label=_("Volunteers needed per shift"), min_value=1, max_value=100000, initial=1
    )

    def __init__(self, *args, prefix="weekly", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class OpportunityFilterForm(forms.Form):
    """The public list's filters (GET). A value that does not validate is ignored, not fatal.

    Every public search shows this form, so its lists come from memory (ataa.core.reference)
    and its selects are rendered without a template per option (FastSelect)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    city = ReferenceChoiceField(
        CITIES, label=_("City"), required=False, empty_label=_("All cities")
    )
    field = ReferenceChoiceField(
        FIELDS, label=_("Field of volunteering"), required=False, empty_label=_("All fields")
    )
    work_mode = forms.ChoiceField(
        label=_("Where"),
        choices=[("", _("On site or remote")), *Opportunity.WorkMode.choices],
        required=False,
        widget=FastSelect,
    )
    date_from = forms.DateField(label=_("From date"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("To date"), required=False, widget=_date_input())
    skills = ReferenceMultipleChoiceField(
        SKILLS,
        label=_("Skills"),
        required=False,
        widget=FastSelectMultiple(attrs={"size": 4}),
    )
    gender = forms.ChoiceField(
        label=_("Open to"),
        choices=[
            ("", _("Anyone")),
            (Opportunity.Gender.WOMEN, _("Open to women")),
            (Opportunity.Gender.MEN, _("Open to men")),
        ],
        required=False,
        widget=FastSelect,
    )
    suitable_for_disabilities = forms.BooleanField(
        label=_("Suitable for people with disabilities"), required=False
    )
    emergency = forms.BooleanField(label=_("Emergencies only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            (Sort.NEWEST, _("Newest first")),
            (Sort.SOONEST, _("Starting soonest")),
            (Sort.EMERGENCY, _("Emergencies first")),
        ],
        required=False,
        widget=FastSelect,
    )

    def filters(self) -> OpportunityFilters:
        """The valid filters; a field that does not validate is left out (and shown as an
        error on the form)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return OpportunityFilters(
            q=data.get("q") or "",
            city=data["city"].code if data.get("city") else None,
            field=data["field"].code if data.get("field") else None,
            work_mode=data.get("work_mode") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            skills=tuple(skill.code for skill in data.get("skills") or ()),
            suitable_for_disabilities=data.get("suitable_for_disabilities") or None,
            gender=data.get("gender") or None,
            emergency=data.get("emergency") or None,
            sort=data.get("sort") or Sort.NEWEST,
        )


# --- Applications -----------------------------------------------------------------------------


class _ShiftChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from django.utils import timezone
        from django.utils.formats import date_format

        starts, ends = timezone.localtime(obj.starts_at), timezone.localtime(obj.ends_at)
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": date_format(starts, "DATE_FORMAT"),
            "start": starts.strftime("%H:%M"),
            "end": ends.strftime("%H:%M"),
        }


class ApplyForm(forms.Form):
    """Apply to an opportunity: the shift (if it has shifts) and one field per question, named
    `answer_<question id>` (the names the service's refusals use)."""

    def __init__(self, *args, opportunity, shifts, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if shifts:
            self.fields["shift"] = _ShiftChoiceField(
                label=_("Shift"),
                queryset=Shift.objects.filter(opportunity=opportunity).order_by("starts_at"),
                empty_label=_("Choose a shift"),
            )
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                required=question.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def service_arguments(self) -> dict:
        return {
            "shift": self.cleaned_data.get("shift"),
            "answers": {
                str(question.pk): self.cleaned_data.get(f"answer_{question.pk}", "")
                for question in self.questions
            },
        }


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Application.Status.choices],
    )
    shift = forms.TypedChoiceField(label=_("Shift"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, shifts=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = _ShiftChoiceField(queryset=Shift.objects.none())
        self.fields["shift"].choices = [("", _("All shifts"))] + [
            (shift.pk, field.label_from_instance(shift)) for shift in shifts
        ]


class ApplicationDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("waitlist", _("Waitlist")),
            ("reject", _("Reject")),
            ("no_show", _("Did not come")),
        ]
    )


class ApplicationCancelForm(forms.Form):
    """Cancel an application on the roster: the reason, and a note (required for "other")."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *Application.CancelReason.choices],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for another reason. Kept with the application."),
    )


class QuestionForm(forms.Form):
    """An application question, in Arabic and (optionally) in English."""

    text_ar = forms.CharField(label=_("Question in Arabic"), max_length=300)
    text_en = forms.CharField(
        label=_("Question in English"),
        max_length=300,
        required=False,
        help_text=_("Shown to people who use Ataa in English; the Arabic text otherwise."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
