"""Queue Celery tasks only after the transaction commits, never lose one, and never repeat an effect.

When the broker cannot be reached, the task and its arguments are kept in `DeferredTask` and queued
again by the periodic `requeue_deferred` task (or `python -m municipia requeue_deferred`). What the user
submitted is already committed by then, so an outage delays side effects but loses nothing.

A task may run more than once: its worker can die mid-task, and the broker then delivers it again
(docs/decisions/0018-tasks-survive-a-dead-worker.md). Every task is therefore idempotent: it
rewrites state (an upsert) or performs each effect that must not repeat through `do_once`, keyed by
the task's id, which a redelivery keeps.
"""

import datetime
import logging
from collections.abc import Callable
from typing import TypeVar

from celery.utils import uuid
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from municipia.core.models import DeferredTask, TaskEffect

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, ConnectionError, OSError)
# Redeliveries come within seconds of a worker's death; a week leaves room for a long outage.
EFFECTS_KEPT_FOR = datetime.timedelta(days=7)

T = TypeVar("T")


def enqueue(task, **kwargs) -> None:
    """Send `task` with keyword arguments once the surrounding transaction (if any) commits."""
    task_id = uuid()  # chosen now, so that every later attempt to send it names the same task
    transaction.on_commit(lambda: _send_or_defer(task.name, kwargs, task_id))


def _send(task_name: str, kwargs: dict, task_id: str | None = None) -> None:
    from municipia.celery import app  # imported late: the app reads Django settings when configured

    if app.conf.task_always_eager:
        app.tasks[task_name].apply(kwargs=kwargs, task_id=task_id, throw=True)
    else:
        app.send_task(task_name, kwargs=kwargs, task_id=task_id)


def _send_or_defer(task_name: str, kwargs: dict, task_id: str) -> None:
    try:
        _send(task_name, kwargs, task_id)
    except BROKER_ERRORS as error:
        logger.error("Broker unreachable, deferring %s: %s", task_name, error)
        DeferredTask.objects.create(
            task_name=task_name, task_id=task_id, kwargs=kwargs, error=str(error)[:2000]
        )


def requeue_deferred(limit: int = 500) -> tuple[int, int]:
    """Try every deferred task again, oldest first; return (sent, still deferred).

    Idempotent: each task is sent under the id it was given when first queued, so if this runs
    twice for one row (its worker died between the send and the delete), the task's effects are
    keyed alike and happen once.
    """
    sent = 0
    for deferred in DeferredTask.objects.order_by("created_at")[:limit]:
        try:
            _send(deferred.task_name, deferred.kwargs, deferred.task_id or None)
        except BROKER_ERRORS as error:
            deferred.attempts += 1
            deferred.error = str(error)[:2000]
            deferred.save(update_fields=["attempts", "error"])
            break  # the broker is still down: the rest would fail the same way
        deferred.delete()
        sent += 1
    return sent, DeferredTask.objects.count()


def effect_key(task, *parts) -> str | None:
    """The key of one effect of the running task's delivery, or None where it cannot be delivered
    twice (run in-process, eagerly, or called as a plain function)."""
    request = task.request
    if request.id is None or request.is_eager:
        return None
    return ":".join([task.name, request.id, *map(str, parts)])[:255]


def do_once(key: str | None, effect: Callable[[], T]) -> T | None:
    """Perform `effect` unless an effect with this key was already performed; return its result.

    The key is written in the transaction that performs the effect: if the worker dies before the
    commit, nothing is recorded and a redelivery performs it; once committed, a redelivery skips
    it. A concurrent run with the same key waits on the unique key and then skips. Only the instant
    between an e-mail server accepting a message and the commit remains (a redelivery would send
    that message again). Without a key (see `effect_key`) the effect is simply performed.
    """
    if key is None:
        return effect()
    with transaction.atomic():
        _effect, created = TaskEffect.objects.get_or_create(key=key)
        if not created:
            logger.info("Effect %s already performed; not repeated", key)
            return None
        return effect()


def forget_effects(now=None) -> int:
    """Delete the keys of effects older than any redelivery; return how many."""
    cutoff = (now or timezone.now()) - EFFECTS_KEPT_FOR
    deleted, _detail = TaskEffect.objects.filter(created_at__lt=cutoff).delete()
    return deleted
