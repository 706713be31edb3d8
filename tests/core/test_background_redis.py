"""Celery against the real local Redis: a worker process runs queued tasks, after commit only,
and a task whose worker is killed runs again, its effect happening once."""

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import kombu
import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from municipia.celery import app
from municipia.core import background
from municipia.core.models import DeferredTask, TaskEffect
from municipia.core.tasks import ping
from municipia.core.worker import UnackedHeartbeat, heartbeat_interval
from tests.core.worker_tasks import NAME as NOTIFY_THEN_WORK

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

logger = logging.getLogger(__name__)

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="module")
def redis_client():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    return client


def _use_broker(**conf):
    """Reconfigure the app and drop its pooled connections so the next send uses the new broker."""
    app.conf.update(**conf)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def queue():
    return f"municipia-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def broker(redis_client, queue):
    """Point the Celery app at Redis with a queue of our own, restoring eager mode afterwards."""
    saved = {
        k: app.conf[k]
        for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    _use_broker(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        task_default_queue=queue,
    )
    yield queue
    _use_broker(**saved)


class Worker:
    """A prefork worker (the production pool) with one pool process, in a process group of its own,
    with the production settings, a copy of the test database and its e-mails written to files."""

    def __init__(self, tmp_path: Path, queue: str):
        self.queue, self.tmp_path = queue, tmp_path
        self.outbox = tmp_path / "outbox"
        self.database = tmp_path / "worker.sqlite3"
        if connection.vendor == "sqlite":  # the test database lives in memory: copy it to a file
            connection.ensure_connection()
            with sqlite3.connect(self.database) as copy:
                connection.connection.backup(copy)
            database_url = f"sqlite:///{self.database}"
        else:  # PostgreSQL: the worker uses the test database itself
            db = connection.settings_dict
            database_url = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "municipia.settings.base",
            "SECRET_KEY": "worker-test-key",
            "REDIS_URL": REDIS_URL,
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"filemail:///{self.outbox}",
        }
        self.process = None

    def start(self) -> float:
        """Start the worker; return when (time.time()) it was started."""
        started = time.time()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "municipia", "worker"),
                *("--pool=prefork", "--concurrency=1", "-Q", self.queue),
                *("-I", "tests.core.worker_tasks", "-n", f"{self.queue}-{started}@%h"),
                *("--without-mingle", "--without-gossip", "--loglevel=WARNING"),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.tmp_path / "worker.log").open("a"),
            start_new_session=True,  # a process group of its own, killed as one
        )
        return started

    def kill(self) -> None:
        """kill -9 the parent and its pool process at once: nothing is left to put the task back."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, client) -> None:
        """Kill the worker and forget what it left in Redis (quicker than a warm shutdown)."""
        if self.process is not None and self.process.poll() is None:
            self.kill()
        for tag, raw in client.hgetall("unacked").items():
            if json.loads(raw)[2] == self.queue:  # [message, exchange, routing key]
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        for key in client.scan_iter(f"*{self.queue}*"):
            client.delete(key)

    def scores(self, client) -> list[float]:
        """When each message the worker holds unacknowledged was last claimed (`unacked_index`)."""
        tags = [
            t for t, raw in client.hgetall("unacked").items() if json.loads(raw)[2] == self.queue
        ]
        return [client.zscore("unacked_index", tag) for tag in tags]

    def e_mails(self, to: str) -> int:
        return sum(f.read_text().count(f"To: {to}") for f in self.outbox.glob("*.log"))

    def effects(self, task_id: str) -> int:
        """How many effects of the task the worker recorded in its database."""
        if connection.vendor != "sqlite":
            return TaskEffect.objects.filter(key__contains=f":{task_id}:").count()
        with sqlite3.connect(self.database) as db:
            query = "SELECT COUNT(*) FROM core_taskeffect WHERE key LIKE ?"
            return db.execute(query, (f"%:{task_id}:%",)).fetchone()[0]


@pytest.fixture(scope="module")
def worker(redis_client, queue, tmp_path_factory, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        worker = Worker(tmp_path_factory.mktemp("worker"), queue)
    worker.start()
    yield worker
    worker.stop(redis_client)


def _results_with(client, payload, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for key in client.scan_iter("celery-task-meta-*"):
            meta = json.loads(client.get(key) or "{}")
            if meta.get("result") == payload and meta.get("status") == "SUCCESS":
                return meta
        time.sleep(0.2)
    return None


def test_worker_runs_task_queued_after_commit(redis_client, broker, worker):
    payload = f"hello-{uuid.uuid4().hex}"

    with transaction.atomic():
        background.enqueue(ping, payload=payload)
        assert redis_client.llen(broker) == 0  # nothing leaves before the commit

    meta = _results_with(redis_client, payload)
    assert meta is not None, "the worker did not store the task's result"
    assert meta["result"] == payload


def test_rolled_back_transaction_queues_nothing(redis_client, broker):
    def failing_change():
        with transaction.atomic():
            background.enqueue(ping, payload="never")
            raise RuntimeError("the user's change failed")

    with pytest.raises(RuntimeError):
        failing_change()

    assert redis_client.llen(broker) == 0
    assert DeferredTask.objects.count() == 0


def test_broker_down_defers_task_then_requeues_it(redis_client, broker, worker):
    payload = f"deferred-{uuid.uuid4().hex}"
    _use_broker(broker_url="redis://127.0.0.1:1/0")  # nothing listens on port 1

    with transaction.atomic():
        background.enqueue(ping, payload=payload)

    deferred = DeferredTask.objects.get()
    assert (deferred.task_name, deferred.kwargs) == (
        "municipia.core.tasks.ping",
        {"payload": payload},
    )

    _use_broker(broker_url=REDIS_URL)
    assert background.requeue_deferred() == (1, 0)
    meta = _results_with(redis_client, payload)
    assert meta["result"] == payload
    assert meta["task_id"] == deferred.task_id  # sent under the id it was given when queued


# --- A worker killed mid-task: docs/decisions/0018-tasks-survive-a-dead-worker.md ---


def _unacked_message(connection, queue: str):
    """Publish a message and take it as a worker does, without acknowledging it."""
    simple = connection.SimpleQueue(queue)
    simple.put({"task": "x"})
    return simple, simple.get(timeout=5)


def test_live_workers_messages_stay_theirs_and_a_dead_ones_come_back(redis_client):
    """A live worker re-scores the messages it holds, so the sweep that returns a dead worker's
    messages to their queue (after the visibility timeout) leaves them alone."""
    queue = f"municipia-heartbeat-{uuid.uuid4().hex[:8]}"
    with kombu.Connection(REDIS_URL, transport_options={"visibility_timeout": 1}) as broker:
        simple, message = _unacked_message(broker, queue)
        qos = message.channel.qos
        step = UnackedHeartbeat(parent=None)
        step.start(SimpleNamespace(task_consumer=SimpleNamespace(channel=message.channel)))
        try:
            time.sleep(1.5)  # past the timeout, but re-scored every 0.5 s
            qos.restore_visible(num=None, interval=1)
            assert redis_client.llen(queue) == 0  # still the live worker's
        finally:
            step.stop(None)

        time.sleep(1.2)  # no more beats: as if the worker had died
        qos.restore_visible(num=None, interval=1)
        assert redis_client.llen(queue) == 1  # back in the queue for another worker
        simple.close()
    for key in redis_client.scan_iter(f"*{queue}*"):
        redis_client.delete(key)


@pytest.fixture
def task_log(tmp_path):
    """Where each run of the task writes a line when its e-mail is sent and one when it is done."""
    log = tmp_path / "task.log"
    log.touch()
    return log


def _send(worker: Worker, log: Path, to: str) -> str:
    """Queue the task for the worker: an e-mail to `to`, then 30 s of work (to be killed in), or
    half a second when delivered again."""
    task_id = str(uuid.uuid4())
    kwargs = {"to": to, "log": str(log)}
    app.send_task(NOTIFY_THEN_WORK, kwargs=kwargs, task_id=task_id, queue=worker.queue)
    return task_id


def _wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"still waiting after {timeout} s")


def _runs(log: Path, what: str) -> list[tuple[int, float]]:
    """(pid, time) of every "working" or "done" line of the task's log."""
    lines = [line.split() for line in log.read_text().splitlines()]
    return [(int(pid), float(when)) for word, pid, when in lines if word == what]


def _succeeded(redis_client, task_id: str) -> bool:
    meta = json.loads(redis_client.get(f"celery-task-meta-{task_id}") or "{}")
    return meta.get("status") == "SUCCESS"


def test_task_of_a_killed_worker_runs_again_once_it_restarts(
    redis_client, broker, task_log, tmp_path, record_property
):
    log = task_log
    worker = Worker(tmp_path, f"municipia-kill-{uuid.uuid4().hex[:8]}")
    worker.start()
    try:
        task_id = _send(worker, log, "mayor@example.org")
        (_, working_at), *_ = _wait_for(lambda: _runs(log, "working"), timeout=90)
        # The e-mail is sent and the work goes on; the live worker re-scores the message it holds.
        beat = heartbeat_interval(settings.MUNICIPIA_TASK_VISIBILITY_TIMEOUT)
        _wait_for(lambda: worker.scores(redis_client)[0] > working_at, timeout=beat + 5)

        worker.kill()
        restarted_at = worker.start()
        _wait_for(lambda: _succeeded(redis_client, task_id), timeout=90)
    finally:
        worker.stop(redis_client)

    (_killed, _), (_again, again_at) = _runs(log, "working")
    done_in = _runs(log, "done")[0][1] - restarted_at
    logger.info(
        "Redelivered %.1f s after the restart, done in %.1f s", again_at - restarted_at, done_in
    )
    record_property("redelivered_after_restart_s", round(again_at - restarted_at, 1))
    assert done_in < 30
    assert len(_runs(log, "done")) == 1
    assert worker.e_mails("mayor@example.org") == 1  # the redelivered run did not send it again
    assert worker.effects(task_id) == 1


def test_task_of_a_killed_pool_process_is_put_back_at_once(
    redis_client, broker, worker, task_log, record_property
):
    log = task_log
    task_id = _send(worker, log, "clerk@example.org")
    child, _ = _wait_for(lambda: _runs(log, "working"), timeout=90)[0]
    assert child != worker.process.pid

    os.kill(child, signal.SIGKILL)  # the parent survives and sees its pool process lost
    killed_at = time.time()
    _wait_for(lambda: _succeeded(redis_client, task_id), timeout=90)

    (_, _), (again, again_at) = _runs(log, "working")
    logger.info("Run again %.1f s after its pool process was killed", again_at - killed_at)
    record_property("run_again_after_pool_process_killed_s", round(again_at - killed_at, 1))
    assert again != child
    # Put back by the parent (reject on worker lost), not left for the visibility timeout.
    assert again_at - killed_at < settings.MUNICIPIA_TASK_VISIBILITY_TIMEOUT
    assert worker.e_mails("clerk@example.org") == 1
    assert worker.effects(task_id) == 1
