"""Reads of notifications: a person's channels."""

from __future__ import annotations

from ataa.notifications.models import Channel, NotificationPreference


def preference_for(*, user) -> NotificationPreference:
    """The person's choice; an unsaved one with the defaults (email only) if they never chose."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def channels_for(*, user, preference: NotificationPreference | None = None) -> list[str]:
    """The channels that reach this person now: chosen, and with an address to send to."""
    if not user.is_active:
        return []
    preference = preference or preference_for(user=user)
    channels = []
    if preference.email and user.email:
        channels.append(Channel.EMAIL)
    if preference.sms and user.phone.strip():
        channels.append(Channel.SMS)
    return channels
