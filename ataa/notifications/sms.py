"""Text messages behind one small interface; the backend is chosen by ATAA_SMS_BACKEND.

- "console" (default, the demo): writes the message to standard output; the log line names a
  masked number and the length only.
- "http": POSTs JSON `{"to", "text", "sender"}` to ATAA_SMS_GATEWAY_URL with
  `Authorization: Bearer <ATAA_SMS_GATEWAY_KEY>`. An answer that is not 2xx, a timeout
  (ATAA_SMS_GATEWAY_TIMEOUT seconds) or a network error raises SmsError: the outbox task fails
  and is retried with its back-off.

Neither backend puts the phone number or the text into logs or error messages.
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol, TextIO

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The message was not accepted; `code` is short and carries no personal data."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


def mask_phone(phone: str) -> str:
    """'+966550001122' -> '***22': enough to tell two numbers apart in a log, no more."""
    digits = "".join(character for character in phone if character.isdigit())
    return f"***{digits[-2:]}" if len(digits) >= 2 else "***"


class ConsoleSmsBackend:
    """Prints the message (the demo has no gateway): the number masked, the text in full."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream

    def send(self, *, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        masked = mask_phone(phone)
        stream.write(f"--- SMS to {masked} ---\n{text}\n--- end of SMS ---\n")
        stream.flush()
        logger.info("sms (console) to %s: %s characters", masked, len(text))


class HttpSmsBackend:
    """A real SMS gateway over HTTP (JSON in, any 2xx out)."""

    def __init__(self, *, url: str, key: str, timeout: float, sender: str):
        if not url:
            raise ImproperlyConfigured("ATAA_SMS_BACKEND=http needs ATAA_SMS_GATEWAY_URL.")
        self.url = url
        self.key = key
        self.timeout = timeout
        self.sender = sender

    def send(self, *, phone: str, text: str) -> None:
        headers = {"Accept": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        try:
            response = httpx.post(
                self.url,
                json={"to": phone, "text": text, "sender": self.sender},
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.TimeoutException:
            raise SmsError("gateway_timeout") from None
        except httpx.HTTPError:
            raise SmsError("gateway_unreachable") from None
        if not response.is_success:
            raise SmsError(f"gateway_status_{response.status_code}")
        logger.info(
            "sms (http) to %s accepted by the gateway (%s)",
            mask_phone(phone),
            response.status_code,
        )


def sms_backend() -> SmsBackend:
    """The backend the settings name (read on each call, so tests can override it)."""
    name = settings.ATAA_SMS_BACKEND
    if name == "console":
        return ConsoleSmsBackend()
    if name == "http":
        return HttpSmsBackend(
            url=settings.ATAA_SMS_GATEWAY_URL,
            key=settings.ATAA_SMS_GATEWAY_KEY,
            timeout=settings.ATAA_SMS_GATEWAY_TIMEOUT,
            sender=settings.ATAA_SMS_SENDER,
        )
    raise ImproperlyConfigured(f"Unknown ATAA_SMS_BACKEND {name!r} (console or http).")
