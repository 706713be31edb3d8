import datetime

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from municipia.core import background
from municipia.core.models import ActivityLog, TaskEffect
from municipia.core.tasks import forget_effects, ping
from tests.delivery import deliver

pytestmark = pytest.mark.django_db


@shared_task(bind=True, name="tests.key_of_delivery")
def _key_of_delivery(self, *, part):
    return background.effect_key(self, part)


def test_enqueue_waits_for_commit(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(background, "_send", lambda *args: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        background.enqueue(ping, payload="x")
        background.enqueue(ping, payload="y")
        assert sent == []

    assert len(callbacks) == 2
    assert [(name, kwargs) for name, kwargs, _id in sent] == [
        ("municipia.core.tasks.ping", {"payload": "x"}),
        ("municipia.core.tasks.ping", {"payload": "y"}),
    ]
    assert len({task_id for *_rest, task_id in sent}) == 2  # each task has its own id


def test_do_once_performs_each_keyed_effect_once():
    effects = []

    results = [background.do_once(key, lambda: effects.append(1) or "done") for key in "aab"]

    assert results == ["done", None, "done"]
    assert len(effects) == 2
    assert sorted(TaskEffect.objects.values_list("key", flat=True)) == ["a", "b"]


def test_effect_that_fails_is_performed_again():
    def failing():
        raise ConnectionError("the mail server hung up")

    with pytest.raises(ConnectionError):
        background.do_once("receipt", failing)

    assert not TaskEffect.objects.exists()
    assert background.do_once("receipt", lambda: "sent") == "sent"


def test_effect_key_names_the_delivery_and_none_in_process():
    assert deliver(_key_of_delivery, "id-1", part="to-7") == "tests.key_of_delivery:id-1:to-7"
    assert _key_of_delivery.apply(kwargs={"part": "x"}).get() is None  # eager: never redelivered
    assert _key_of_delivery(part="x") is None  # a plain call


def test_forget_effects_drops_only_old_keys():
    now = timezone.now()
    old = TaskEffect.objects.create(key="old")
    TaskEffect.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=8))
    TaskEffect.objects.create(key="recent")

    assert forget_effects.apply().get() == 1
    assert list(TaskEffect.objects.values_list("key", flat=True)) == ["recent"]


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
