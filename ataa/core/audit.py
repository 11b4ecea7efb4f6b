"""The one way services write audit events."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ataa.core.models import AuditEvent

_ALLOWED_PAYLOAD_TYPES = (int, float, bool, type(None))

# Verb code -> a translatable description, registered by each app (see its apps.ready()).
_VERB_LABELS: dict[str, Any] = {}


def register_verbs(labels: dict[str, Any]) -> None:
    _VERB_LABELS.update(labels)


def verb_label(verb: str):
    return _VERB_LABELS.get(verb, verb)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    verb: str,
    organization_id: int | None = None,
    target=None,
    target_type: str = "",
    target_id: Any = "",
    ip_address: str | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event. `payload` holds ids, numbers and codes only, never personal data.

    Strings are refused in the payload except short machine codes (role names, statuses), so a
    name or a phone number cannot slip in by accident.
    """
    payload = payload or {}
    for key, value in payload.items():
        if isinstance(value, str):
            if (
                len(value) > 40
                or not value.replace("_", "").replace("-", "").isalnum()
                or not value.isascii()
            ):
                raise ValueError(f"Audit payload field {key!r} must be a code, an id or a number.")
        elif not isinstance(value, _ALLOWED_PAYLOAD_TYPES):
            raise ValueError(f"Audit payload field {key!r} must be a code, an id or a number.")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target.pk
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organization_id=organization_id,
        verb=verb,
        target_type=target_type,
        target_id=str(target_id) if target_id != "" else "",
        ip_address=ip_address,
        payload=payload,
    )
