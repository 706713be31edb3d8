import pytest
from django.contrib import admin
from django.urls import reverse

from municipia.events import models
from municipia.events.services import register
from tests.factories.events import SpeakerFactory

pytestmark = pytest.mark.django_db

MODELS = [
    m
    for m in (getattr(models, name) for name in dir(models))
    if isinstance(m, type)
    and getattr(m, "_meta", None)
    and m._meta.app_label == "events"
    and not m._meta.abstract
    and not m.__name__.startswith("Historical")
]


def test_every_events_model_has_an_admin():
    assert sorted(m.__name__ for m in MODELS if m not in admin.site._registry) == []


def test_admin_lists_and_event_page_open(client, superuser, event):
    SpeakerFactory(session__event=event)
    register(event, by=None, full_name="Ana", email="ana@example.org", category="non_member")
    client.force_login(superuser)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    for model in MODELS:
        url = reverse(f"admin:events_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:events_event_change", args=[event.pk])).status_code == 200
