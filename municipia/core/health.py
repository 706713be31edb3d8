"""Liveness of what the site depends on: the database, the cache and (when configured) the broker."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_broker() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    import redis  # only needed when a broker is configured

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    client.ping()
    return "redis"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def run_checks() -> tuple[bool, dict[str, dict[str, str]]]:
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            results[name] = {"status": "ok", "backend": check()}
        except Exception as error:
            healthy = False
            results[name] = {"status": "down", "error": str(error).splitlines()[0][:200]}
    return healthy, results
