import pytest
from django.db import transaction

from municipia.core import background
from municipia.core.models import ActivityLog
from municipia.core.tasks import ping

pytestmark = pytest.mark.django_db


def test_enqueue_waits_for_commit(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(background, "_send", lambda name, kwargs: sent.append((name, kwargs)))

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        background.enqueue(ping, payload="x")
        assert sent == []

    assert len(callbacks) == 1
    assert sent == [("municipia.core.tasks.ping", {"payload": "x"})]


def test_eager_mode_runs_the_task_in_process(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        background.enqueue(ping, payload="in-process")

    assert ping.apply(kwargs={"payload": "in-process"}).get() == "in-process"


def test_log_action_records_who_and_what(user, network):
    from municipia.core.log import log_action

    entry = log_action(network, "directory.network.published", user=user, data={"by": "test"})

    assert ActivityLog.objects.get() == entry
    assert (entry.action, entry.user, entry.object_id, entry.data) == (
        "directory.network.published",
        user,
        str(network.pk),
        {"by": "test"},
    )
