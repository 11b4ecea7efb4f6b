from django.conf import settings


def broker_status() -> str:
    """'ok' when the task broker answers. The embedded backend's broker is the database itself."""
    if settings.ATAA_TASK_BACKEND != "celery":
        return "ok"
    try:
        import redis

        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception:
        return "error"
    return "ok"
