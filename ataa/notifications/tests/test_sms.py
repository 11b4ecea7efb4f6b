"""Text messages: the console adapter of the demo, and the HTTP gateway adapter against a real
HTTP server started by the test (http.server in a thread)."""

from __future__ import annotations

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from ataa.notifications.sms import (
    ConsoleSmsBackend,
    HttpSmsBackend,
    SmsError,
    mask_phone,
    sms_backend,
)

PHONE = "+966550001122"
TEXT = "عطاء: تذكير بمناوبتك غدًا الساعة 16:00."


class Gateway:
    """A real HTTP server on 127.0.0.1 that records each request and answers `status`.

    With `hold` set, it does not answer until the test releases it (a gateway that hangs)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 202
        self.hold = False
        self.release = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                gateway.requests.append(
                    {
                        "path": self.path,
                        "headers": {key.lower(): value for key, value in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                if gateway.hold:
                    gateway.release.wait(timeout=10)
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id": "msg-1"}')

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def gateway():
    with Gateway() as running:
        yield running


def backend_for(gateway, **overrides) -> HttpSmsBackend:
    values = {"url": gateway.url, "key": "gw-secret-key", "timeout": 5.0, "sender": "Ataa"}
    values.update(overrides)
    return HttpSmsBackend(**values)


def test_the_http_adapter_posts_json_with_the_key_to_the_gateway(gateway, caplog):
    caplog.set_level(logging.DEBUG)
    backend_for(gateway).send(phone=PHONE, text=TEXT)
    [request] = gateway.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["authorization"] == "Bearer gw-secret-key"
    assert request["headers"]["content-type"] == "application/json"
    assert json.loads(request["body"]) == {"to": PHONE, "text": TEXT, "sender": "Ataa"}
    # The log names a masked number, never the number, the text or the key.
    assert PHONE not in caplog.text and "1122" not in caplog.text
    assert TEXT not in caplog.text and "gw-secret-key" not in caplog.text
    assert "***22" in caplog.text


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_an_answer_that_is_not_2xx_is_a_failure_with_a_code(gateway, status):
    gateway.status = status
    with pytest.raises(SmsError) as error:
        backend_for(gateway).send(phone=PHONE, text=TEXT)
    assert error.value.code == f"gateway_status_{status}"
    assert PHONE not in str(error.value) and len(gateway.requests) == 1


def test_a_gateway_that_does_not_answer_in_time_is_a_failure(gateway):
    gateway.hold = True
    with pytest.raises(SmsError) as error:
        backend_for(gateway, timeout=0.3).send(phone=PHONE, text=TEXT)
    assert error.value.code == "gateway_timeout"
    assert error.value.__cause__ is None and error.value.__suppress_context__


def test_a_gateway_that_is_down_is_a_failure():
    with socket.socket() as probe:  # a local port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = HttpSmsBackend(url=f"http://127.0.0.1:{port}/", key="k", timeout=2.0, sender="Ataa")
    with pytest.raises(SmsError) as error:
        backend.send(phone=PHONE, text=TEXT)
    assert error.value.code == "gateway_unreachable"


def test_the_console_adapter_prints_the_text_with_the_number_masked(capsys, caplog):
    caplog.set_level(logging.DEBUG)
    ConsoleSmsBackend().send(phone=PHONE, text=TEXT)
    printed = capsys.readouterr().out
    assert TEXT in printed and "***22" in printed and PHONE not in printed
    assert TEXT not in caplog.text and PHONE not in caplog.text


def test_the_backend_is_chosen_by_the_settings(settings, gateway):
    settings.ATAA_SMS_BACKEND = "console"
    assert isinstance(sms_backend(), ConsoleSmsBackend)
    settings.ATAA_SMS_BACKEND = "http"
    settings.ATAA_SMS_GATEWAY_URL = gateway.url
    settings.ATAA_SMS_GATEWAY_KEY = "from-settings"
    settings.ATAA_SMS_GATEWAY_TIMEOUT = 3.5
    backend = sms_backend()
    assert isinstance(backend, HttpSmsBackend)
    assert (backend.url, backend.key, backend.timeout) == (gateway.url, "from-settings", 3.5)
    backend.send(phone=PHONE, text="x")
    assert gateway.requests[0]["headers"]["authorization"] == "Bearer from-settings"
    settings.ATAA_SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured):
        sms_backend()
    settings.ATAA_SMS_BACKEND = "pigeon"
    with pytest.raises(ImproperlyConfigured):
        sms_backend()


@pytest.mark.parametrize(
    ("phone", "masked"), [(PHONE, "***22"), ("0501234567", "***67"), ("", "***"), ("+", "***")]
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked
