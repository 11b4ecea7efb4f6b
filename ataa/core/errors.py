"""Errors a service raises for a refused action; views and the API turn them into messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused action: `code` is stable for the API, `message` is translated for people."""

    code = "invalid"

    def __init__(self, message, *, code: str | None = None, fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class PermissionRefused(ServiceError):
    code = "forbidden"


def object_id_or_404(value) -> int:
    """An id taken from a URL or a form as an integer; anything else is 'not found'."""
    from django.http import Http404

    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
