"""What every app shares: timestamps, the audit log of business actions, deferred tasks and the
effects of tasks that must happen once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ActivityLog(models.Model):
    """A business event ("calls.application.submitted") on any object, written by services."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("action"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")

    def __str__(self):
        return f"{self.action} {self.content_type.model}:{self.object_id}"


class DeferredTask(models.Model):
    """A task that could not reach the broker; it is queued again by `requeue_deferred`."""

    task_name = models.CharField(max_length=200)
    # Sent again under the same id, so that a task that did reach the broker before the error is
    # recognised by its effects' keys (see `TaskEffect`) and not repeated.
    task_id = models.CharField(max_length=64, blank=True)
    kwargs = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("deferred task")
        verbose_name_plural = _("deferred tasks")

    def __str__(self):
        return self.task_name


class TaskEffect(models.Model):
    """An effect of a background task that must happen once (an e-mail sent, tasks queued).

    Its key names the task's delivery (the task id) and the effect; it is written in the
    transaction that performs the effect, so a task delivered again after its worker died finds
    it and skips that effect. See `background.do_once`.
    """

    key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("task effect")
        verbose_name_plural = _("task effects")

    def __str__(self):
        return self.key


class CacheGeneration(models.Model):
    """How many times the tables of one scope (an app, or its private part) have been written.

    Cached pages and figures carry the generations they were built from in their keys, so a
    write makes them unreachable at once, in every process (municipia.core.generations)."""

    scope = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self):
        return f"{self.scope}: {self.value}"
