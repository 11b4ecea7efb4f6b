"""Helpers for tests that start real worker processes (db worker, outbox relay, Celery worker)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from django.conf import settings
from django.db import connection

T = TypeVar("T")
TASK_MODULE = "ataa.core.tests.task_fixtures"
REDIS_URL = os.environ.get("ATAA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def wait_until(predicate: Callable[[], T], *, timeout: float = 20, what: str = "") -> T:
    """Poll `predicate` until it returns something true, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what or predicate}.")
        time.sleep(0.05)


def subprocess_database_url() -> str:
    """The URL of the test database this process uses, for DATABASE_URL in subprocesses."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def closed_port_url() -> str:
    """A Redis URL on a local port where nothing listens (a broker that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/15"


@dataclass
class Broker:
    """A real Redis, with a queue of its own so that parallel test runs do not collide."""

    url: str
    queue: str

    def env(self) -> dict[str, str]:
        return {
            "ATAA_TASK_BACKEND": "celery",
            "CELERY_BROKER_URL": self.url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
        }

    def clean(self, client) -> None:
        for key in client.scan_iter(match=f"*{self.queue}*"):
            client.delete(key)
        # Messages of killed workers wait in the transport's "unacked" hash: drop ours.
        for tag, payload in client.hscan_iter("unacked"):
            if self.queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


class Processes:
    """Starts worker processes against the test database, and stops those still running."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[subprocess.Popen] = []

    def env(self, **extra) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=subprocess_database_url(),
            ATAA_TEST_SQLITE_NAME=str(connection.settings_dict["NAME"]),
            ATAA_TASK_EXTRA_MODULES=TASK_MODULE,
            ATAA_TASK_BACKEND="db",
            # Only the tests of periodic tasks turn them on: elsewhere their rows would mix with
            # the tasks under test (ataa/core/tests/test_periodic.py).
            ATAA_PERIODIC_TASKS="false",
            ATAA_LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def start(self, name: str, argv: list[str], **env) -> subprocess.Popen:
        log_path = self.log_dir / f"{name}-{len(self.started)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv,
                cwd=settings.BASE_DIR,
                env=self.env(**env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        self.started.append(process)
        return process

    def worker(self, *args: str, name: str = "run_worker", **env) -> subprocess.Popen:
        """`manage.py run_worker`: the db worker, or the outbox relay with the celery backend."""
        return self.start(name, [sys.executable, "manage.py", "run_worker", *args], **env)

    def celery_worker(self, broker: Broker, *, name: str = "celery", **env) -> subprocess.Popen:
        argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
        argv += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
        argv += ["--loglevel=INFO", "-n", f"{name}-{uuid.uuid4().hex[:8]}@%h"]
        return self.start(name, argv, **broker.env(), **env)

    def python(self, name: str, code: str, **env) -> subprocess.Popen:
        return self.start(name, [sys.executable, "-c", code], **env)

    def wait(self, process: subprocess.Popen, timeout: float = 30) -> int:
        """Wait for a process to exit; fail with the end of its log if it does not."""
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"{process.args[:4]} still running after {timeout} s:\n{self.log(process)}"
            ) from None

    def log(self, process: subprocess.Popen) -> str:
        return process.log_path.read_text(errors="replace")[-3000:]

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
