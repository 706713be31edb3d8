"""Translated texts of content that keeps one language per field (plans, publications), and the
record of every machine translation made (experiences too), keyed by the source text's digest.

One row per object, field and language. A machine row remembers the digest of the text it was made
from: while that text is unchanged it is never translated again, and the same text elsewhere
reuses it. A human row always wins: machine translation never writes over it.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def source_digest(text: str, *, html: bool = False) -> str:
    return hashlib.sha256(f"{'html' if html else 'text'}\n{text}".encode()).hexdigest()


class TextTranslation(models.Model):
    class Origin(models.TextChoices):
        HUMAN = "human", _("Human translation")
        MACHINE = "machine", _("Machine translation")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=40)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # The object whose page shows the text ("plans.plan:12"): one query reads a whole plan's texts.
    group = models.CharField(max_length=80, db_index=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin)
    source_language = models.CharField(
        _("translated from"), max_length=10, choices=settings.LANGUAGES
    )
    source_digest = models.CharField(max_length=64)
    backend = models.CharField(_("translated by"), max_length=40, blank=True)
    text = models.TextField(_("text"))
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translator"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("translated text")
        verbose_name_plural = _("translated texts")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translated_text_per_field_and_language",
            ),
        ]
        indexes = [
            models.Index(
                fields=["source_digest", "source_language", "language"],
                name="translation_by_source",
            ),
            models.Index(fields=["group", "language"], name="translation_by_group"),
        ]

    def __str__(self):
        return f"{self.content_type.model}:{self.object_id}.{self.field} [{self.language}]"

    @property
    def is_machine(self) -> bool:
        return self.origin == self.Origin.MACHINE
