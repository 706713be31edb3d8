"""What runs inside a Celery worker: it keeps the claim on the messages it holds fresh.

With Redis, a message delivered to a worker but not yet acknowledged waits in the `unacked_index`
sorted set, scored with the time of its delivery. Every worker regularly puts back in their queue
the messages whose score is older than the transport's `visibility_timeout`: that is how a task
whose worker was killed runs again. A short timeout brings it back quickly, but would also hand a
task that is still running (or waiting in a live worker's prefetch, or for its ETA) to a second
worker. So a live worker re-scores the messages it holds every few seconds: only those of a dead
worker grow old. See docs/decisions/0018-tasks-survive-a-dead-worker.md.
"""

import logging
import threading
import time

from celery import bootsteps

logger = logging.getLogger(__name__)


class UnackedHeartbeat(bootsteps.StartStopStep):
    """A consumer step: a thread re-scores this worker's unacknowledged messages in Redis."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self._stop = threading.Event()
        self._thread = None

    def start(self, consumer):
        qos = getattr(getattr(consumer.task_consumer, "channel", None), "qos", None)
        if not (hasattr(qos, "unacked_index_key") and hasattr(qos, "_delivered")):
            return  # not the Redis transport: nothing to keep fresh
        interval = heartbeat_interval(qos.visibility_timeout)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            args=(qos, interval, self._stop),
            name="unacked-heartbeat",
            daemon=True,
        )
        self._thread.start()

    def stop(self, consumer):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    shutdown = stop

    @staticmethod
    def _run(qos, interval: float, stop: threading.Event) -> None:
        while not stop.wait(interval):
            try:
                refresh(qos)
            except Exception:  # a Redis hiccup: the next beat tries again
                logger.warning("Could not refresh the unacknowledged messages", exc_info=True)


def heartbeat_interval(visibility_timeout: float) -> float:
    """Four beats per visibility timeout: a live worker misses three before its tasks move."""
    return max(0.5, visibility_timeout / 4)


def refresh(qos) -> int:
    """Re-score the messages this worker holds and has not acknowledged; return how many.

    `ZADD XX` only updates members still present: a message acknowledged (or restored) meanwhile
    is not brought back.
    """
    try:
        tags = list(qos._delivered)
    except RuntimeError:  # changed while being copied: try at the next beat
        return 0
    if not tags:
        return 0
    now = time.time()
    with qos.pipe_or_acquire() as pipe:
        pipe.zadd(qos.unacked_index_key, dict.fromkeys(tags, now), xx=True).execute()
    return len(tags)
