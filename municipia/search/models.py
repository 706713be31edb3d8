"""Search entries (one per document: an object's text in one language), their embeddings, and the
version token that tells every process when its in-memory index is stale.

The backends' vendor-specific storage (an FTS5 table on SQLite, a tsvector table on PostgreSQL) is
created by migration 0002, guarded by the database vendor, and kept in step by triggers.
"""

import uuid

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    key = models.CharField(_("key"), max_length=120)
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=60, db_index=True)
    facets = models.JSONField(_("facets"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="search_entry_unique"),
        ]

    def __str__(self):
        return f"{self.key} [{self.language}]"


class Embedding(models.Model):
    """A normalised vector of one entry by one model, stored as float16 bytes."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="embeddings")
    model_name = models.CharField(_("model"), max_length=40)
    digest = models.CharField(_("text digest"), max_length=40)
    vector = models.BinaryField(_("vector"))

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [
            models.UniqueConstraint(fields=["entry", "model_name"], name="embedding_unique"),
        ]
        indexes = [models.Index(fields=["model_name", "entry"])]

    def __str__(self):
        return f"{self.entry_id} · {self.model_name}"


class IndexVersion(models.Model):
    """One row; its token changes with every write to the index (a rolled-back one never recurs).

    `origin` names this database's index once and for all: a shared base file built from another
    database (or from rows since rolled back) names another origin and is never used here."""

    token = models.CharField(max_length=32, default="")
    origin = models.CharField(max_length=32, default="", blank=True)

    class Meta:
        verbose_name = _("index version")

    def __str__(self):
        return self.token

    @classmethod
    def current(cls) -> str:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""

    @classmethod
    def bump(cls, using: str = "default") -> None:
        """A new token. Called first in a write's transaction: on PostgreSQL the row stays locked
        until the write commits, so a base build can wait for writes in flight (see
        `search.store.build`)."""
        token = uuid.uuid4().hex
        with transaction.atomic(using=using):
            if not cls.objects.using(using).filter(pk=1).update(token=token):
                cls.objects.using(using).create(pk=1, token=token, origin=uuid.uuid4().hex)


class IndexChange(models.Model):
    """One entry written or removed: the log that workers apply on top of the shared base
    (docs/decisions/0027-shared-search-index.md). Rows older than the bases still in use are
    pruned after each base build."""

    entry_id = models.BigIntegerField(_("entry"))

    class Meta:
        verbose_name = _("index change")
        verbose_name_plural = _("index changes")

    def __str__(self):
        return f"{self.pk}: {self.entry_id}"
