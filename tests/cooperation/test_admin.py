import pytest
from django.contrib import admin
from django.urls import reverse

from municipia.cooperation import models

pytestmark = pytest.mark.django_db

MODELS = [
    m
    for m in (getattr(models, name) for name in dir(models))
    if isinstance(m, type)
    and getattr(m, "_meta", None)
    and m._meta.app_label == "cooperation"
    and not m._meta.abstract
    and not m.__name__.startswith("Historical")
]


def test_every_cooperation_model_has_an_admin():
    assert sorted(m.__name__ for m in MODELS if m not in admin.site._registry) == []


def test_admin_lists_open(superuser_client, project, funded, accepted_report):
    for model in MODELS:
        url = reverse(f"admin:cooperation_{model._meta.model_name}_changelist")

        assert superuser_client.get(url).status_code == 200, url
