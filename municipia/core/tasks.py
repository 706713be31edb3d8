"""Shared tasks. Each may run twice (docs/decisions/0018-tasks-survive-a-dead-worker.md); each
docstring says why that is harmless."""

from celery import shared_task

from municipia.core import background


@shared_task(name="municipia.core.tasks.ping")
def ping(*, payload: str = "pong") -> str:
    """Answered by any live worker; `check_worker` and the Redis tests use it.

    Idempotent: it changes nothing.
    """
    return payload


@shared_task(name="municipia.core.tasks.requeue_deferred")
def requeue_deferred() -> dict:
    """Periodic: queue the tasks deferred during a broker outage.

    Idempotent: a row is deleted once its task is sent, and a task sent twice keeps its first id,
    so its effects' keys match and they happen once (`background.requeue_deferred`).
    """
    sent, remaining = background.requeue_deferred()
    return {"sent": sent, "remaining": remaining}


@shared_task(name="municipia.core.tasks.forget_effects")
def forget_effects() -> int:
    """Daily: drop the keys of task effects older than any redelivery.

    Idempotent: deleting what is already gone deletes nothing.
    """
    return background.forget_effects()
