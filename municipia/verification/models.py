"""A verification code given to one document (a receipt, a certificate), and its revocation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipia.core.models import TimestampedModel
from municipia.verification import codes, registry


class VerificationCode(TimestampedModel):
    code = models.CharField(_("code"), max_length=codes.LENGTH, unique=True, editable=False)
    kind = models.CharField(_("kind of document"), max_length=60)
    object_id = models.CharField(_("document"), max_length=64)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_code_per_document")
        ]

    def __str__(self):
        return self.shown

    @property
    def shown(self) -> str:
        return codes.shown(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def document_kind(self) -> registry.DocumentKind | None:
        return registry.get_kind(self.kind)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("verification:verify-code", args=[self.shown])

    def public_url(self) -> str:
        """The language-neutral address printed on documents and in their QR code."""
        return f"{settings.MUNICIPIA_SITE_URL.rstrip('/')}/verify/{self.shown}/"
