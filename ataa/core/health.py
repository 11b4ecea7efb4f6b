"""Readiness checks for /healthz: the database and the task broker answer."""

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def broker_status() -> str:
    """'ok' when the broker of the configured task backend answers.

    The db backend's broker is the database itself (the outbox table); the celery backend's is
    CELERY_BROKER_URL, read at call time.
    """
    if settings.ATAA_TASK_BACKEND != "celery":
        return database_status()
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
            try:
                client.ping()
            finally:
                client.close()
        else:
            from kombu import Connection

            with Connection(url, connect_timeout=1) as broker:
                broker.ensure_connection(max_retries=1)
    except Exception:
        return "error"
    return "ok"
