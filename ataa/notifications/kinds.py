"""How each kind of notification reads: renderers registered by the apps that own the kinds.

    @renderer("application.accepted")
    def render(delivery: Delivery) -> Content | None: ...

A renderer loads what it needs from `delivery.object_id` (and `delivery.message`) and returns the
email subject and body and the short text message, in the active language (the sending task
activates the recipient's). It returns None when the notification no longer applies (the
volunteer withdrew before the reminder went out): the delivery is then skipped, not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ataa.notifications.models import Delivery


@dataclass(frozen=True)
class Content:
    subject: str
    body: str
    sms: str


Renderer = Callable[["Delivery"], Content | None]

_RENDERERS: dict[str, Renderer] = {}


def renderer(*kinds: str):
    """Register a function as the renderer of one or more kinds."""

    def decorator(func: Renderer) -> Renderer:
        for kind in kinds:
            if kind in _RENDERERS and _RENDERERS[kind] is not func:
                raise ValueError(f"Notification kind {kind!r} has two renderers.")
            _RENDERERS[kind] = func
        return func

    return decorator


def is_known(kind: str) -> bool:
    return kind in _RENDERERS


def render(delivery: Delivery) -> Content | None:
    try:
        func = _RENDERERS[delivery.kind]
    except KeyError:
        raise LookupError(f"No renderer for notification kind {delivery.kind!r}.") from None
    return func(delivery)
