"""Notifications: what each person chose to receive, the messages people write to a group, and
one delivery row per (notification, channel) so each is sent at most once.

Other apps say *what* happened (`services.notify`, with a kind such as "application.accepted"
and the id of the object); they also register how each kind reads (`kinds.renderer`). This app
decides *how* it reaches the person: by the channels they chose, in their language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A message to a group goes by email and by text message: the body must fit a (long) SMS.
MESSAGE_SUBJECT_MAX_LENGTH = 120
MESSAGE_BODY_MAX_LENGTH = 480


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")


class NotificationPreference(models.Model):
    """The channels a person chose. Without a row: email only (the defaults below)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(
        _("by text message (SMS)"),
        default=False,
        help_text=_("Sent to the mobile phone number of the account."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"notification preference of {self.user_id}"


class Message(models.Model):
    """Text a person wrote to a group of people (the accepted volunteers of a shift).

    The text lives here, so the deliveries and their tasks carry ids only.
    """

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sender"),
    )
    # A plain id, not a foreign key: notifications sits beside organizations, not above it.
    organization_id = models.BigIntegerField(_("organization"), null=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=MESSAGE_SUBJECT_MAX_LENGTH)
    body = models.TextField(_("message"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"message {self.pk}"


class Delivery(models.Model):
    """One notification to one person by one channel; sent by the task
    `notifications.send_delivery(delivery_id)`.

    `dedup_key` is "<kind>:<what>:<recipient id>"; with the channel it is unique, so the same
    notification is never queued twice (a reminder task that runs twice sends once).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("message"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    dedup_key = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # A short code: why it was not sent, or the last sending error. Never personal data.
    detail = models.CharField(_("detail"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="delivery_recipient_idx"),
            # "Has this object's notification gone out?" (the reminder run skips those).
            models.Index(fields=["kind", "object_id"], name="delivery_kind_object_idx"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} by {self.channel} ({self.status})"
