from celery import shared_task

from municipia.core import background


@shared_task(name="municipia.core.tasks.ping")
def ping(*, payload: str = "pong") -> str:
    """Answered by any live worker; `check_worker` and the Redis tests use it."""
    return payload


@shared_task(name="municipia.core.tasks.requeue_deferred")
def requeue_deferred() -> dict:
    sent, remaining = background.requeue_deferred()
    return {"sent": sent, "remaining": remaining}
