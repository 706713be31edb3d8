"""A task for the Redis tests' worker (`celery worker -I tests.core.worker_tasks`).

It does what a real task does: one effect that must not repeat (an e-mail, through `do_once`),
then some work: `seconds` at the first delivery, long enough to kill its worker in the middle, and
`redelivered_seconds` when delivered again, to keep the tests quick. Each run appends
"working <pid> <time>" once the effect is committed, and "done <pid> <time>" at the end, to `log`.
"""

import os
import time
from functools import partial
from pathlib import Path

from celery import shared_task
from django.core.mail import send_mail

from municipia.core.background import do_once, effect_key

NAME = "tests.core.worker_tasks.notify_then_work"


def _log(path: str, what: str) -> None:
    with Path(path).open("a") as log:
        log.write(f"{what} {os.getpid()} {time.time():.3f}\n")


@shared_task(bind=True, name=NAME)
def notify_then_work(
    self, *, to: str, log: str, seconds: float = 30, redelivered_seconds: float = 0.5
) -> str:
    """Idempotent like the real e-mail tasks: the e-mail is keyed by the task's id."""
    do_once(effect_key(self, to), partial(send_mail, "Report ready", "It is ready.", None, [to]))
    _log(log, "working")
    time.sleep(redelivered_seconds if self.request.delivery_info.get("redelivered") else seconds)
    _log(log, "done")
    return "done"
