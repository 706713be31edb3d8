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


class UploadedImport(TimestampedModel):
    """A file someone uploaded to be read in the background and written once they confirm: the
    bytes, who sent them, and what the writing did (`result`)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("imported by"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"), editable=False)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} → {self.network}"


class TabularImport(UploadedImport):
    """An uploaded table: where its column names are, which field each column holds, and what the
    preview found."""

    # The row number of the column names; None until the preview detects it, 0 for "no heading".
    heading_row = models.PositiveIntegerField(_("heading row"), null=True, blank=True)
    # One field name (or "") per column of the file, in order; empty until known.
    columns = models.JSONField(_("columns"), default=list, blank=True)
    summary = models.JSONField(_("preview summary"), default=dict, blank=True)

    class Meta(UploadedImport.Meta):
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


class Job(models.Model):
    """A piece of background work a person started and watches: its state and progress.

    What it works on is named generically (`subject`: any object, usually the one the owning app
    keeps the work's details in), so that core knows no app. Only its owner (and superusers) see it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("owner"),
    )
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True
    )
    subject_id = models.CharField(max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # Where the owner reads the outcome; the progress bar sends them there when the job ends.
    result_url = models.CharField(_("result page"), max_length=500, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-created_at"])]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0


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


class FormDraft(models.Model):
    """What a person typed into a long form not yet saved (core.drafts): one per form and person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts"
    )
    key = models.CharField(_("form"), max_length=100)  # "knowledge.experience:new", "…:42"
    data = models.JSONField(_("fields"), default=dict)  # {name: [value, …]} as the form sent them
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("form draft")
        verbose_name_plural = _("form drafts")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="formdraft_one_per_user_and_form")
        ]

    def __str__(self):
        return f"{self.key} ({self.user_id})"
