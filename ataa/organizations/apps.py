from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "ataa.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from ataa.core.audit import register_verbs

        register_verbs(
            {
                "organization.registered": _("Organization registered"),
                "organization.updated": _("Organization details changed"),
                "organization.approved": _("Organization approved"),
                "organization.rejected": _("Organization rejected"),
                "membership.role_changed": _("Member's role changed"),
                "membership.removed": _("Member removed"),
                "invitation.created": _("Invitation sent"),
                "invitation.revoked": _("Invitation withdrawn"),
                "invitation.accepted": _("Invitation accepted"),
            }
        )
