"""The page cache on the real local Redis, as in production."""

import os
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.directory import NetworkFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
    }
    yield cache
    cache.clear()


def test_a_page_kept_in_redis_is_served_from_it_until_a_write(client, redis_cache):
    network = NetworkFactory(name="Network in Redis")
    client.get("/en/")

    with CaptureQueriesContext(connection) as captured:
        cached = client.get("/en/")
    queries = len(captured)  # counted now: the next request empties the log
    network.name = "Renamed in Redis"
    network.save()
    renamed = client.get("/en/").content.decode()

    assert queries == 1  # the generations; the page came from Redis
    assert "Network in Redis" in cached.content.decode()
    assert "Renamed in Redis" in renamed
