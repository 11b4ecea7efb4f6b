"""Verifiable certificates of volunteering hours, and the keys that sign them.

- `SigningKey`: an Ed25519 key of the platform. The row holds the public half (published in the
  JWK Set at /.well-known/ataa-certificate-keys.json); the private half is a PEM file in
  settings.ATAA_SIGNING_KEY_DIR, never in the database (ataa.certificates.keys). One key is
  current (`retired_at` empty); a rotated key is retired but stays published, so the
  certificates it signed still verify.
- `Certificate`: what a volunteer did at one opportunity (approved hours, first and last day),
  with the short code people type to verify it and `jws`, the signed facts (a JWS compact
  serialization, ataa.certificates.jws). The facts shown anywhere are the signed ones. A
  certificate is never changed after it is issued, only revoked (with who, when and why); there
  is at most one live (not revoked) certificate per volunteer and opportunity.

Later kinds (a transcript across organizations, bulk issuance, Open Badges) are more `kind`s
with their own payload; the PDF uses `language`.

Written only by the services (ataa.certificates.services, ataa.certificates.keys).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ataa.opportunities.models import Opportunity
from ataa.organizations.models import Organization


class SigningKey(models.Model):
    kid = models.CharField(_("key id"), max_length=40, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=16, default="EdDSA", editable=False)
    public_key = models.CharField(
        _("public key"), max_length=64, help_text=_("The raw Ed25519 public key, base64url.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            # One current (signing) key per algorithm.
            models.UniqueConstraint(
                fields=["algorithm"],
                condition=Q(retired_at__isnull=True),
                name="signingkey_one_current",
            ),
        ]

    def __str__(self):
        return self.kid

    @property
    def is_current(self) -> bool:
        return self.retired_at is None


class Certificate(models.Model):
    class Kind(models.TextChoices):
        HOURS = "hours", _("Volunteering hours")

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.HOURS)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("volunteer"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("organization"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("opportunity"),
    )
    minutes = models.PositiveIntegerField(_("approved minutes"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )
    jws = models.TextField(_("signed data"), editable=False)
    key = models.ForeignKey(
        SigningKey,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("signing key"),
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["organization", "issued_at"], name="certificate_org_idx"),
            models.Index(fields=["volunteer", "issued_at"], name="certificate_volunteer_idx"),
        ]
        constraints = [
            # "Never issuing the same certificate twice": one live certificate per volunteer
            # and opportunity; a revoked one may be issued again.
            models.UniqueConstraint(
                fields=["volunteer", "opportunity"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_live_per_opportunity",
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="certificate_days_in_order",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revoked_with_reason",
            ),
        ]

    def __str__(self):
        return f"certificate {self.code}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def display_code(code: str) -> str:
    """The code grouped for reading aloud and typing: "ABCDE-FGHJK"."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))
