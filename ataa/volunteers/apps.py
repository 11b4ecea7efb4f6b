from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "ataa.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from ataa.core.audit import register_verbs

        register_verbs(
            {
                "volunteer_profile.created": _("Volunteer profile created"),
                "volunteer_profile.updated": _("Volunteer profile changed"),
                "consent.given": _("Consent given"),
                "consent.withdrawn": _("Consent withdrawn"),
                "qualification.added": _("Qualification added"),
                "qualification.removed": _("Qualification removed"),
                "qualification.verified": _("Qualification verified"),
            }
        )
