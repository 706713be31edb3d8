"""The Celery application. Without REDIS_URL every task runs in-process, eagerly."""

import os

from celery import Celery

from municipia.core.worker import UnackedHeartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.base")

app = Celery("municipia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["consumer"].add(UnackedHeartbeat)  # keeps the messages of live workers from moving
