from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ataa.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Register every app's tasks (ataa.core.tasks.task) so workers know them by name.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        # Modules named by ATAA_TASK_EXTRA_MODULES register more tasks (the tests' workers).
        from importlib import import_module

        from django.conf import settings

        for module in settings.ATAA_TASK_EXTRA_MODULES:
            import_module(module)
