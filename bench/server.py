"""gunicorn, started for the benchmark on a free loopback port and stopped at the end."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(
    url: str,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
    *,
    method: str = "GET",
    body: str = "",
) -> int:
    """The status code of one request, without following redirects (a 302 is reported as 302)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        url, headers=headers or {}, method=method, data=body.encode() if body else None
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Gunicorn:
    """`with Gunicorn(...) as server:` starts gunicorn, waits for /healthz, stops it after."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        workers: int,
        threads: int,
        log_path: Path,
        worker_class: str = "gthread",
        health_path: str = "/healthz",
        start_deadline_s: float = 60.0,
    ) -> None:
        self.env = env
        self.workers = workers
        self.threads = threads
        self.worker_class = worker_class
        self.log_path = log_path
        self.health_path = health_path
        self.start_deadline_s = start_deadline_s
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.started_in_s: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            str(GUNICORN),
            "config.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            f"--worker-class={self.worker_class}",
            f"--workers={self.workers}",
            f"--threads={self.threads}",
            "--forwarded-allow-ips=127.0.0.1",
            "--no-control-socket",
            f"--error-logfile={self.log_path}",
            "--log-level=warning",
        ]

    def describe(self) -> str:
        return (
            f"gunicorn, {self.workers} {self.worker_class} workers × {self.threads} threads, "
            "no access log, behind no proxy (the load tool sends `X-Forwarded-Proto: https`)"
        )

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.write_text("", encoding="utf-8")
        started = time.monotonic()
        self.process = subprocess.Popen(
            self.command(),
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = started + self.start_deadline_s
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}; see {self.log_path}:\n"
                    + self.log_tail()
                )
            try:
                status = http_status(self.base_url + self.health_path, timeout=2)
                if status == 200:
                    self.started_in_s = time.monotonic() - started
                    return
                last = f"HTTP {status}"
            except OSError as error:
                last = str(error)
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"{self.health_path} did not answer 200 within {self.start_deadline_s:g} s "
            f"(last: {last}); see {self.log_path}:\n{self.log_tail()}"
        )

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM (gunicorn's graceful shutdown) to our master process; SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
