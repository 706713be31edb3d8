"""Queue Celery tasks only after the transaction commits, and never lose one to a broker outage.

When the broker cannot be reached, the task and its arguments are kept in `DeferredTask` and queued
again by the periodic `requeue_deferred` task (or `python -m municipia requeue_deferred`). What the user
submitted is already committed by then, so an outage delays side effects but loses nothing.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from municipia.core.models import DeferredTask

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, ConnectionError, OSError)


def enqueue(task, **kwargs) -> None:
    """Send `task` with keyword arguments once the surrounding transaction (if any) commits."""
    transaction.on_commit(lambda: _send_or_defer(task.name, kwargs))


def _send(task_name: str, kwargs: dict) -> None:
    from municipia.celery import app  # imported late: the app reads Django settings when configured

    if app.conf.task_always_eager:
        app.tasks[task_name].apply(kwargs=kwargs, throw=True)
    else:
        app.send_task(task_name, kwargs=kwargs)


def _send_or_defer(task_name: str, kwargs: dict) -> None:
    try:
        _send(task_name, kwargs)
    except BROKER_ERRORS as error:
        logger.error("Broker unreachable, deferring %s: %s", task_name, error)
        DeferredTask.objects.create(task_name=task_name, kwargs=kwargs, error=str(error)[:2000])


def requeue_deferred(limit: int = 500) -> tuple[int, int]:
    """Try every deferred task again, oldest first; return (sent, still deferred)."""
    sent = 0
    for deferred in DeferredTask.objects.order_by("created_at")[:limit]:
        try:
            _send(deferred.task_name, deferred.kwargs)
        except BROKER_ERRORS as error:
            deferred.attempts += 1
            deferred.error = str(error)[:2000]
            deferred.save(update_fields=["attempts", "error"])
            break  # the broker is still down: the rest would fail the same way
        deferred.delete()
        sent += 1
    return sent, DeferredTask.objects.count()
