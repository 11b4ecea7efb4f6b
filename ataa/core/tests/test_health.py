"""/healthz reports the database and the broker of the configured task backend."""

import pytest

from ataa.core.tests.support import closed_port_url

pytestmark = pytest.mark.django_db


def test_with_the_db_backend_the_broker_is_the_database(client, settings):
    settings.ATAA_TASK_BACKEND = "db"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_with_the_celery_backend_and_redis_down_health_is_503(client, settings):
    settings.ATAA_TASK_BACKEND = "celery"
    settings.CELERY_BROKER_URL = closed_port_url()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "broker": "error"}}
    assert response["Cache-Control"].startswith("max-age=0")


def test_with_the_celery_backend_and_redis_up_health_is_ok(client, settings, broker):
    settings.ATAA_TASK_BACKEND = "celery"
    settings.CELERY_BROKER_URL = broker.url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}
