"""A newsletter sent by a real Celery worker (Redis) to a real SMTP server (aiosmtpd): the worker is
killed mid-send and started again, and every address has received the issue exactly once, the
unsubscribed and bounced ones nothing (decision 0050; the worker as in tests/core)."""

import sqlite3
import time

import pytest
from django.db import connection

from municipia.communications.services import newsletters
from tests.communications.conftest import active_subscriber, make_post
from tests.communications.smtp_sink import SmtpSink
from tests.core.test_background_redis import (  # noqa: F401 (its fixtures, used by name)
    Worker,
    broker,
    queue,
    redis_client,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

READERS = 40
HOLD_AT = 13  # the worker is killed while the server holds its answer to this message
BATCH = 5


class SendingWorker(Worker):
    def __init__(self, tmp_path, queue_name, smtp_url):
        super().__init__(tmp_path, queue_name)
        self.env |= {"EMAIL_URL": smtp_url, "MUNICIPIA_NEWSLETTER_BATCH": str(BATCH)}

    def job_status(self, job_id: int) -> str:
        if connection.vendor != "sqlite":
            from municipia.core.models import Job

            return Job.objects.get(pk=job_id).status
        with sqlite3.connect(self.database) as db:
            row = db.execute("SELECT status FROM core_job WHERE id = ?", (job_id,)).fetchone()
        return row[0]


def _wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"still waiting after {timeout} s")


def test_a_killed_send_resumes_and_reaches_each_address_once(
    request, tmp_path, network, network_staff
):
    client, queue_name = request.getfixturevalue("redis_client"), request.getfixturevalue("broker")
    make_post(network, network_staff)
    readers = [active_subscriber(f"reader{n}@example.org", network).email for n in range(READERS)]
    gone = active_subscriber("gone@example.org", network)
    newsletters.record_bounce(gone.email, kind="bounce")
    left = active_subscriber("left@example.org", network)
    newsletters.unsubscribe(newsletters.unsubscribe_token(left.pk))
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")

    with SmtpSink(hold_at=HOLD_AT) as smtp:
        job = newsletters.send_issue(issue, by=network_staff)  # queued in Redis at once
        worker = SendingWorker(
            tmp_path, queue_name, smtp.url
        )  # a copy of the database, job included
        worker.start()
        try:
            assert smtp.held.wait(timeout=120), "the worker did not reach the held message"
            worker.kill()
            smtp.release()
            worker.start()
            _wait_for(lambda: worker.job_status(job.pk) == "done", timeout=120)
        finally:
            worker.stop(client)

    assert smtp.messages == READERS
    assert dict(smtp.received) == dict.fromkeys(readers, 1)
    assert "gone@example.org" not in smtp.received
    assert "left@example.org" not in smtp.received
