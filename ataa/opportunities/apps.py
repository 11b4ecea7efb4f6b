from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "ataa.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        from ataa.core.audit import register_verbs
        from ataa.opportunities import receivers  # noqa: F401 (connects the receivers)

        register_verbs(
            {
                "opportunity.created": _("Opportunity created"),
                "opportunity.updated": _("Opportunity changed"),
                "opportunity.published": _("Opportunity published"),
                "opportunity.closed": _("Opportunity closed"),
                "opportunity.archived": _("Opportunity archived"),
                "shift.created": _("Shift added"),
                "shift.generated": _("Weekly shifts generated"),
                "application.submitted": _("Application submitted"),
                "application.accepted": _("Application accepted"),
                "application.promoted": _("Application accepted from the waitlist"),
                "application.waitlisted": _("Application put on the waitlist"),
                "application.rejected": _("Application rejected"),
                "application.withdrawn": _("Application withdrawn"),
                "application.cancelled": _("Application cancelled"),
                "application.no_show": _("Volunteer did not come"),
                "roster.exported": _("Roster exported"),
                "question.created": _("Application question added"),
                "question.updated": _("Application question changed"),
                "question.removed": _("Application question removed"),
                "questions.reordered": _("Application questions reordered"),
                "qualification.proof_viewed": _("Proof of a qualification opened"),
                "shift.message_sent": _("Message sent to the volunteers of a shift"),
                "calendar_feed.created": _("Calendar link made"),
                "calendar_feed.renewed": _("Calendar link replaced by a new one"),
                "calendar_feed.revoked": _("Calendar link turned off"),
            }
        )
