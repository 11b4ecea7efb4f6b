"""Writes of notifications: queue notifications, send one delivery, save a person's channels.

`notify` is called by other apps' services inside their transaction: the deliveries and their
tasks commit, or roll back, with the change they tell about. It is part of that service's work
and writes no audit event of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ataa.accounts.models import User
from ataa.core.audit import audit_record
from ataa.core.errors import ServiceError
from ataa.core.tasks import enqueue
from ataa.notifications import kinds
from ataa.notifications.models import (
    MESSAGE_BODY_MAX_LENGTH,
    MESSAGE_SUBJECT_MAX_LENGTH,
    Channel,
    Delivery,
    Message,
    NotificationPreference,
)
from ataa.notifications.selectors import channels_for
from ataa.notifications.sms import SmsError, sms_backend

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.send_delivery"
_BATCH = 500


@dataclass(frozen=True)
class Notice:
    """One notification for one person: what happened (`kind`), about what (`object_id`, and
    the `message` people wrote, if any), and `key`, what makes it unique for that person besides
    the kind (default: the message, else the object: each message is its own notification)."""

    recipient_id: int
    kind: str
    object_id: int | None = None
    message: Message | None = None
    key: str | None = None

    @property
    def dedup_key(self) -> str:
        key = self.key
        if key is None:
            key = f"message-{self.message.pk}" if self.message is not None else self.object_id
        return f"{self.kind}:{key}:{self.recipient_id}"


@transaction.atomic
def notify(notices: Iterable[Notice]) -> list[Delivery]:
    """Queue each notice by the channels its recipient chose, at most once per dedup key and
    channel; return the deliveries created now (a notice queued before creates nothing).

    Each new delivery is sent by the task `notifications.send_delivery(delivery_id)`.
    """
    notices = list(notices)
    for notice in notices:
        if not kinds.is_known(notice.kind):
            raise LookupError(f"No renderer for notification kind {notice.kind!r}.")
    created: list[Delivery] = []
    for start in range(0, len(notices), _BATCH):
        created += _notify_batch(notices[start : start + _BATCH])
    return created


def _notify_batch(notices: list[Notice]) -> list[Delivery]:
    users = User.objects.select_related("notification_preference").in_bulk(
        {notice.recipient_id for notice in notices}
    )
    # Many notices (a reminder run): look up the queued ones at once rather than failing one
    # insert each. One notice (an application's): just insert; the constraint catches a repeat.
    existing: set[tuple[str, str]] = set()
    if len(notices) > 1:
        keys = {notice.dedup_key for notice in notices}
        existing.update(
            Delivery.objects.filter(dedup_key__in=keys).values_list("dedup_key", "channel")
        )
    created = []
    for notice in notices:
        user = users.get(notice.recipient_id)
        if user is None:
            continue
        for channel in channels_for(user=user):
            if (notice.dedup_key, channel) in existing:
                continue
            existing.add((notice.dedup_key, channel))
            try:
                with transaction.atomic():  # a concurrent run queued it first: keep theirs
                    delivery = Delivery.objects.create(
                        recipient=user,
                        kind=notice.kind,
                        object_id=notice.object_id,
                        message=notice.message,
                        channel=channel,
                        dedup_key=notice.dedup_key,
                    )
            except IntegrityError:
                continue
            enqueue(SEND_TASK, delivery_id=delivery.pk)
            created.append(delivery)
    return created


def delivery_send(*, delivery: Delivery) -> Delivery:
    """Send one pending delivery, in the recipient's language; safe to call twice.

    Skipped (not sent) when the person has since turned the channel off or removed the
    address, or when the notification no longer applies. A sending error is counted on the
    row and raised again, so the outbox task retries with its back-off.
    """
    if delivery.status != Delivery.Status.PENDING:
        return delivery
    recipient = delivery.recipient
    if delivery.channel not in channels_for(user=recipient):
        return _finish(delivery, Delivery.Status.SKIPPED, "channel_not_chosen")
    with translation.override(recipient.preferred_language or "ar"):
        content = kinds.render(delivery)
    if content is None:
        return _finish(delivery, Delivery.Status.SKIPPED, "no_longer_applies")
    try:
        if delivery.channel == Channel.EMAIL:
            send_mail(" ".join(content.subject.split()), content.body, None, [recipient.email])
        else:
            sms_backend().send(phone=recipient.phone.strip(), text=content.sms)
    except Exception as exc:
        code = exc.code if isinstance(exc, SmsError) else type(exc).__name__
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            attempts=F("attempts") + 1, detail=code[:64]
        )
        logger.warning(
            "notification %s #%s by %s not sent: %s",
            delivery.kind,
            delivery.pk,
            delivery.channel,
            code,
        )
        raise
    return _finish(delivery, Delivery.Status.SENT, "")


def _finish(delivery: Delivery, status: str, detail: str) -> Delivery:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
        status=status,
        detail=detail,
        attempts=F("attempts") + (1 if status == Delivery.Status.SENT else 0),
        sent_at=now if status == Delivery.Status.SENT else None,
    )
    delivery.refresh_from_db()
    return delivery


# --- Messages people write to a group ---------------------------------------------------------


def message_clean(*, subject: str, body: str) -> tuple[str, str]:
    """The subject and text of a message, stripped; refused (with the field) when empty or too
    long for an email subject and a text message."""
    subject = (subject or "").strip()
    body = (body or "").strip()
    problems: dict[str, list[str]] = {}
    if not subject:
        problems["subject"] = [_("Write a subject.")]
    elif len(subject) > MESSAGE_SUBJECT_MAX_LENGTH:
        problems["subject"] = [
            _("Use at most %(count)d characters.") % {"count": MESSAGE_SUBJECT_MAX_LENGTH}
        ]
    if not body:
        problems["body"] = [_("Write the message.")]
    elif len(body) > MESSAGE_BODY_MAX_LENGTH:
        problems["body"] = [
            _(
                "Use at most %(count)d characters, so that the message fits a text message "
                "(it has %(length)d)."
            )
            % {"count": MESSAGE_BODY_MAX_LENGTH, "length": len(body)}
        ]
    if problems:
        raise ServiceError(
            _("The message cannot be sent as it is."), code="invalid_input", fields=problems
        )
    return subject, body


def message_create(
    *, sender, organization_id: int | None, subject: str, body: str, recipient_count: int
) -> Message:
    """Store the text of a message to a group (the caller notifies its recipients and audits)."""
    subject, body = message_clean(subject=subject, body=body)
    return Message.objects.create(
        sender=sender,
        organization_id=organization_id,
        subject=subject,
        body=body,
        recipient_count=recipient_count,
    )


# --- A person's channels ----------------------------------------------------------------------


@transaction.atomic
def notification_preference_save(
    *, user, email: bool, sms: bool, ip_address: str | None = None
) -> NotificationPreference:
    """Choose the channels. Text messages need a mobile phone number on the account."""
    if sms and not (user.phone or "").strip():
        message = _(
            "Add your mobile phone number in your account settings before you choose text messages."
        )
        raise ServiceError(message, code="phone_required", fields={"sms": [message]})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": bool(email), "sms": bool(sms), "updated_at": timezone.now()}
    )
    audit_record(
        actor=user,
        verb="notifications.preferences_changed",
        target=preference,
        ip_address=ip_address,
        payload={"email": preference.email, "sms": preference.sms},
    )
    user.notification_preference = preference
    return preference
