from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ataa.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from ataa.core.audit import register_verbs

        register_verbs({"notifications.preferences_changed": _("Notification channels changed")})
