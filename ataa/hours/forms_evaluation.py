"""Forms of the evaluations after a shift: the coordinator's evaluation of a volunteer and the
volunteer's rating of the shift. The scores are chosen from a list (a select reads well with a
screen reader and on a small phone); the services check them again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ataa.hours.evaluations import COMMENT_MAX, NOTE_MAX


def _score_choices():
    return [
        ("", _("Choose…")),
        (5, _("5 — excellent")),
        (4, _("4 — good")),
        (3, _("3 — acceptable")),
        (2, _("2 — weak")),
        (1, _("1 — poor")),
    ]


def score_field(label, help_text=""):
    return forms.TypedChoiceField(
        label=label, choices=_score_choices, coerce=int, empty_value=None, help_text=help_text
    )


class EvaluationForm(forms.Form):
    attendance_score = score_field(
        _("Attendance"), _("Came on time, stayed to the end, told you about changes.")
    )
    quality_score = score_field(_("Quality of the work"))
    private_note = forms.CharField(
        label=_("Private note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_(
            "Only your organization's admins and coordinators read it; the volunteer never does."
        ),
    )

    @classmethod
    def for_evaluation(cls, evaluation, data=None):
        if evaluation is None:
            return cls(data)
        return cls(
            data,
            initial={
                "attendance_score": evaluation.attendance_score,
                "quality_score": evaluation.quality_score,
                "private_note": evaluation.private_note,
            },
        )


class RatingForm(forms.Form):
    score = score_field(_("How was this shift for you?"))
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The organization reads your rating and your comment."),
    )
