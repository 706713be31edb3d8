"""Rubrics, rounds, assignments, assessments and evaluation methodologies.

A `Rubric` belongs to a network: criteria with a weight and levels (a score and what it means).
Once any assessment uses a rubric it is frozen: a change makes a new version (`revise_rubric`), so
earlier scores keep the meaning they were given under. A `Round` asks for one rubric version at one
phase (baseline or follow-up). An `Assessment` is one filling for one experience: the city's own
(self) or an assigned assessor's (external); once submitted it does not change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel


class Rubric(TimestampedModel):
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="impact_rubrics",
        verbose_name=_("network"),
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("Title per language code."))
    description = models.JSONField(_("description"), default=dict, blank=True)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    min_assessments = models.PositiveSmallIntegerField(
        _("fewest assessments for a public profile"),
        null=True,
        blank=True,
        help_text=_(
            "A profile is public from this many assessments; empty for the site's setting."
        ),
    )

    class Meta:
        ordering = ["network", "-number"]
        verbose_name = _("impact rubric")
        verbose_name_plural = _("impact rubrics")

    def __str__(self):
        return f"{self.title_text} · v{self.number}"

    @property
    def title_text(self) -> str:
        return translated(self.title, original=self.original_language, default=f"#{self.pk}")

    @property
    def description_text(self) -> str:
        return translated(self.description, original=self.original_language)

    @property
    def public_threshold(self) -> int:
        if self.min_assessments is not None:
            return self.min_assessments
        return settings.MUNICIPIA_IMPACT_MIN_ASSESSMENTS


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["rubric", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "code"], name="one_criterion_code_per_rubric"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="impact_criterion_weight_positive"
            ),
        ]

    def __str__(self):
        return self.name_text

    @property
    def name_text(self) -> str:
        return translated(self.name, original=self.rubric.original_language, default=self.code)


class Level(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField(_("score"))
    description = models.JSONField(_("description"), default=dict)

    class Meta:
        ordering = ["criterion", "score"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "score"], name="one_level_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.score} · {self.description_text}"

    @property
    def description_text(self) -> str:
        return translated(self.description, original=self.criterion.rubric.original_language)


class Round(TimestampedModel):
    class Phase(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="rounds")
    name = models.JSONField(_("name"), default=dict)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase, default=Phase.BASELINE)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")

    def __str__(self):
        return self.name_text

    @property
    def name_text(self) -> str:
        return translated(self.name, original=self.rubric.original_language, default=f"#{self.pk}")

    @property
    def network_id(self) -> int:
        return self.rubric.network_id


class Assignment(models.Model):
    """Staff ask one person to assess one experience in one round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    experience = models.ForeignKey(
        "knowledge.Experience", on_delete=models.CASCADE, related_name="impact_assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="impact_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "experience", "assessor"], name="one_assignment_per_assessor"
            )
        ]

    def __str__(self):
        return f"{self.round} · {self.experience_id} · {self.assessor}"


class Assessment(TimestampedModel):
    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        EXTERNAL = "external", _("External assessment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assessments")
    experience = models.ForeignKey(
        "knowledge.Experience", on_delete=models.CASCADE, related_name="impact_assessments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["experience", "status"])]
        constraints = [
            # One self-assessment per experience and round: the city speaks with one voice.
            models.UniqueConstraint(
                fields=["round", "experience"],
                condition=Q(kind="self"),
                name="one_self_assessment_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "experience", "assessor"],
                condition=Q(kind="external"),
                name="one_external_assessment_per_assessor",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.experience_id} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("surveys:impact-assessment", args=[self.pk])


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    # The level's score copied, so that aggregates need no join.
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        indexes = [models.Index(fields=["criterion", "value"])]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_impact_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


def methodology_path(instance, filename: str) -> str:
    return f"impact/methodologies/{instance.experience_id}/{filename}"


class Methodology(TimestampedModel):
    """How a city evaluated its experience: what it did, which indicators it used, a document."""

    experience = models.ForeignKey(
        "knowledge.Experience", on_delete=models.CASCADE, related_name="impact_methodologies"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    indicators = models.TextField(
        _("indicators used"), blank=True, help_text=_("One indicator per line.")
    )
    document = models.FileField(_("document"), upload_to=methodology_path, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["experience", "created_at"]
        verbose_name = _("evaluation methodology")
        verbose_name_plural = _("evaluation methodologies")

    def __str__(self):
        return self.title

    @property
    def indicator_list(self) -> list[str]:
        return [line.strip() for line in self.indicators.splitlines() if line.strip()]
