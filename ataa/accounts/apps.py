from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ataa.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from ataa.core.audit import register_verbs

        register_verbs(
            {
                "account.profile_updated": _("Account settings changed"),
                "token.created": _("API token created"),
                "token.revoked": _("API token revoked"),
            }
        )
