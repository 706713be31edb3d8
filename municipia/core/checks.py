"""System checks that name the setting to fix when a configured service cannot be reached."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


def _redis_error(setting: str, url: str, check_id: str) -> list[Error]:
    import redis  # only when configured

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return [Error(f"{setting} is set but Redis cannot be reached: {error}", id=check_id)]
    return []


@register("municipia", deploy=True)
def check_redis_reachable(app_configs, **kwargs):
    if not settings.REDIS_URL:
        return []
    return _redis_error("REDIS_URL", settings.REDIS_URL, "municipia.E001")


@register("municipia", deploy=True)
def check_cache_reachable(app_configs, **kwargs):
    if not urlsplit(settings.CACHE_URL).scheme.startswith("redis"):
        return []
    return _redis_error("CACHE_URL", settings.CACHE_URL, "municipia.E002")
