"""The experience bank: experiences (good practices) and publications, their themes and the SDGs.

Long texts are kept as translation rows, one per language including the original (STYLE.md §8,
pattern B), so that each row is one search document analysed in its own language. Short labels
(theme names, SDG titles) are `{"en": …, "fr": …}` dictionaries (pattern A).
"""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel


class SdgGoal(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    short_names = models.JSONField(_("short names"), default=dict)
    titles = models.JSONField(_("titles"), default=dict)
    colour = models.CharField(_("official colour"), max_length=7)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")

    def __str__(self):
        return f"{self.number}. {self.short_name}"

    @property
    def short_name(self) -> str:
        return translated(self.short_names)

    @property
    def title(self) -> str:
        return translated(self.titles)


class SdgTarget(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    goal = models.ForeignKey(
        SdgGoal, on_delete=models.CASCADE, related_name="targets", verbose_name=_("goal")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        ordering = ["goal", "position"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return f"{self.code} {self.title[:80]}"

    @property
    def title(self) -> str:
        return translated(self.titles)


class SdgIndicator(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    target = models.ForeignKey(
        SdgTarget, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("target")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        ordering = ["target", "position"]
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")

    def __str__(self):
        return f"{self.code} {self.title[:80]}"

    @property
    def title(self) -> str:
        return translated(self.titles)


class Theme(TimestampedModel):
    """A node of a network's own taxonomy of themes (a theme may have sub-themes)."""

    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="themes"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("broader theme"),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language code."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="theme_unique_slug"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self.names, default=self.slug)

    @property
    def facet_value(self) -> str:
        return f"{self.network_id}:{self.slug}"


class ExperienceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Experience.Status.PUBLISHED)

    def for_network(self, network):
        return self.filter(networks=network)

    def visible_to(self, user):
        """Published ones for everyone; drafts to their city's officers and their networks' staff."""
        if is_superuser(user):
            return self.all()
        visible = Q(status=Experience.Status.PUBLISHED)
        cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
        staff_networks = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        if cities:
            visible |= Q(city__in=cities)
        if staff_networks:
            reviewable = Experience.objects.filter(
                networks__in=staff_networks,
                status__in=[Experience.Status.SUBMITTED, Experience.Status.RETURNED],
            )
            visible |= Q(pk__in=reviewable.values("pk"))
        return self.filter(visible)


class Experience(TimestampedModel):
    """A good practice of a local government (possibly with partner cities), shared in networks."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned with comments")
        PUBLISHED = "published", _("Published")

    city = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        related_name="experiences",
        verbose_name=_("local government"),
    )
    partner_cities = models.ManyToManyField(
        "directory.LocalGovernment",
        related_name="partner_experiences",
        blank=True,
        verbose_name=_("partner local governments"),
    )
    networks = models.ManyToManyField(
        "directory.Network",
        related_name="experiences",
        verbose_name=_("shared in networks"),
    )
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    themes = models.ManyToManyField(
        Theme, related_name="experiences", blank=True, verbose_name=_("themes")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, related_name="experiences", blank=True, verbose_name=_("SDG targets")
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    funders = models.CharField(_("funders"), max_length=500, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    review_comment = models.TextField(_("review comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords(m2m_fields=[themes, sdg_targets, networks])

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        # The API's order, newest first and the unpublished last, has an index of its own made
        # per database (migration 0003: SQLite refuses NULLS LAST in an index).
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="experience_period_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:experience-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def text(self, language: str | None = None) -> "ExperienceTranslation | None":
        """The best text: the requested (or active) language, then the original, then any."""
        by_language = {t.language: t for t in self.translations.all()}  # prefetch-friendly
        language = (language or get_language() or "en").split("-")[0]
        return (
            by_language.get(language)
            or by_language.get(self.original_language)
            or next(iter(by_language.values()), None)
        )

    @property
    def title(self) -> str:
        text = self.text()
        return text.title if text else f"#{self.pk}"

    @property
    def year(self) -> int | None:
        return self.started_on.year if self.started_on else None

    def sdg_goals(self) -> list[SdgGoal]:
        goals = {target.goal_id: target.goal for target in self.sdg_targets.all()}
        return [goals[number] for number in sorted(goals)]


class ExperienceTranslation(models.Model):
    class Origin(models.TextChoices):
        ORIGINAL = "original", _("Original")
        HUMAN = "human", _("Human translation")
        MACHINE = "machine", _("Machine translation")

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin, default=Origin.ORIGINAL)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("description"), help_text=_("Formatted text; links allowed."))
    results = models.TextField(_("results"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["experience", "language"]
        verbose_name = _("experience text")
        verbose_name_plural = _("experience texts")
        constraints = [
            models.UniqueConstraint(
                fields=["experience", "language"], name="experience_one_text_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.title} [{self.language}]"


def attachment_path(instance, filename: str) -> str:
    # The stored name is chosen by the service (random, safe extension); never the uploader's.
    return f"experiences/{instance.experience_id}/{PurePath(filename).name}"


class Attachment(models.Model):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("knowledge:attachment-download", args=[self.experience_id, self.pk])


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        if is_superuser(user):
            return self.all()
        return self.filter(
            Q(is_published=True)
            | Q(network__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))
        )


class Publication(TimestampedModel):
    """A report, monograph or guide published by a network."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        MONOGRAPH = "monograph", _("Monograph")
        GUIDE = "guide", _("Guide")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("network"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.REPORT)
    year = models.PositiveSmallIntegerField(_("year"))
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    themes = models.ManyToManyField(
        Theme, related_name="publications", blank=True, verbose_name=_("themes")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, related_name="publications", blank=True, verbose_name=_("SDG targets")
    )
    link = models.URLField(_("link"), blank=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    history = HistoricalRecords()

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:publication-detail", args=[self.pk])

    def text(self, language: str | None = None) -> "PublicationTranslation | None":
        by_language = {t.language: t for t in self.translations.all()}
        language = (language or get_language() or "en").split("-")[0]
        return (
            by_language.get(language)
            or by_language.get(self.original_language)
            or next(iter(by_language.values()), None)
        )

    @property
    def title(self) -> str:
        text = self.text()
        return text.title if text else f"#{self.pk}"


class PublicationTranslation(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["publication", "language"]
        verbose_name = _("publication text")
        verbose_name_plural = _("publication texts")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "language"], name="publication_one_text_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.title} [{self.language}]"
