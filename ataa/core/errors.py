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
