import os
import uuid

import pytest
import redis

from ataa.core.tests.support import REDIS_URL, Broker, Processes


@pytest.fixture
def task_dir(tmp_path, monkeypatch):
    """Where the test tasks (task_fixtures) record their runs, in this process and in workers."""
    directory = tmp_path / "task-runs"
    directory.mkdir()
    monkeypatch.setenv("ATAA_TEST_TASK_DIR", str(directory))
    return directory


@pytest.fixture
def processes(tmp_path, task_dir):
    started = Processes(tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def broker():
    """The real Redis on 127.0.0.1 (ATAA_TEST_REDIS_URL), with a queue of this test's own.

    Skipped when Redis does not answer, unless ATAA_REQUIRE_REDIS=1.
    """
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis does not answer at {REDIS_URL} ({type(exc).__name__})"
        if os.environ.get("ATAA_REQUIRE_REDIS") == "1":
            pytest.fail(f"ATAA_REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    queue = f"ataa-test-{uuid.uuid4().hex[:12]}"
    broker = Broker(url=REDIS_URL, queue=queue)
    yield broker
    broker.clean(client)
    client.close()
