"""Requests a person makes about their personal data, and the copies of it made for them."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.core.models import TimestampedModel


def response_due(received: datetime.datetime) -> datetime.date:
    """The legal deadline to answer (one month under the GDPR, art. 12(3))."""
    return timezone.localdate(received) + datetime.timedelta(
        days=settings.MUNICIPIA_PRIVACY_RESPONSE_DAYS
    )


class PrivacyRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PrivacyRequest.Status.OPEN)

    def overdue(self, today=None):
        return self.pending().filter(due_on__lt=today or timezone.localdate())


class PrivacyRequest(TimestampedModel):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Access to my data")
        RECTIFICATION = "rectification", _("Correction of my data")
        ERASURE = "erasure", _("Erasure of my data")
        OBJECTION = "objection", _("Objection to a use of my data")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Answered")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_requests",
        verbose_name=_("person"),
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
        help_text=_("The secretariat that answers; none: the platform's administrators."),
    )
    kind = models.CharField(_("request"), max_length=20, choices=Kind)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        # The staff queue filters by status (and network), ordered by the deadline.
        indexes = [models.Index(fields=["status", "network", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):
        if self.due_on is None:
            self.due_on = response_due(self.received_at)
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


def export_path(instance, filename: str) -> str:
    return f"privacy/exports/{instance.user_id}/{filename}"


class DataExport(models.Model):
    """A copy of everything the platform holds about a person, as JSON and PDF files."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    request = models.ForeignKey(
        PrivacyRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("request"),
    )
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    json_file = models.FileField(_("JSON file"), upload_to=export_path, blank=True)
    pdf_file = models.FileField(_("PDF file"), upload_to=export_path, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")

    def __str__(self):
        return f"{self.user_id} · {self.created_at:%Y-%m-%d}"

    @property
    def is_ready(self) -> bool:
        return bool(self.json_file and self.pdf_file)
