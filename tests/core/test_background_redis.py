"""Celery against the real local Redis: a worker process runs queued tasks, after commit only."""

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.db import transaction

from municipia.celery import app
from municipia.core import background
from municipia.core.models import DeferredTask
from municipia.core.tasks import ping

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

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


@pytest.fixture(scope="module")
def worker(queue, tmp_path_factory):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "municipia.settings.base",
        "SECRET_KEY": "worker-test-key",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('worker') / 'worker.sqlite3'}",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "municipia",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


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
    assert _results_with(redis_client, payload)["result"] == payload
