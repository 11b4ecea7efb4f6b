from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HoursConfig(AppConfig):
    name = "ataa.hours"
    label = "hours"
    verbose_name = _("Attendance and hours")

    def ready(self):
        from ataa.core.audit import register_verbs
        from ataa.hours import tasks  # noqa: F401 (registers the periodic task)

        register_verbs(
            {
                "attendance.checked_in": _("Volunteer checked in"),
                "attendance.checked_out": _("Volunteer checked out"),
                "attendance.closed_automatically": _(
                    "Forgotten check-out closed at the shift's end"
                ),
                "hours.submitted": _("Hours submitted"),
                "hours.approved": _("Hours approved"),
                "hours.rejected": pgettext_lazy("hours", "Hours rejected"),
                "hours.corrected": _("Hours corrected"),
                "hours.evidence_viewed": _("Evidence of hours opened"),
                "evaluation.recorded": _("Volunteer evaluated after a shift"),
                "evaluation.changed": _("Evaluation of a volunteer changed"),
                "rating.submitted": _("Volunteer rated a shift"),
            }
        )
