"""System checks that name the setting to fix when a configured service cannot be reached."""

from django.conf import settings
from django.core.checks import Error, register


@register("municipia", deploy=True)
def check_redis_reachable(app_configs, **kwargs):
    if not settings.REDIS_URL:
        return []
    import redis  # only when configured

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return [
            Error(f"REDIS_URL is set but Redis cannot be reached: {error}", id="municipia.E001")
        ]
    return []
