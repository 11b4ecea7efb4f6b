from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "ataa.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from ataa.core.audit import register_verbs

        register_verbs(
            {
                "certificate.issued": _("Certificate issued"),
                "certificate.revoked": _("Certificate revoked"),
                "certificates.key_rotated": _("Certificate signing key rotated"),
            }
        )
