"""What people thought of a suggestion: useful, or not relevant (hidden from them from then on).
The marks are kept with the rank the suggestion had, so that the figures say how often the first
suggestions help (bench/matching.py and the network's graph page print them)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.core.models import TimestampedModel


class SuggestionMark(TimestampedModel):
    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partner")
        MENTOR = "mentor", _("Mentor")
        EXPERT = "expert", _("Expert")

    class Verdict(models.TextChoices):
        USEFUL = "useful", _("Useful")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suggestion_marks",
        verbose_name=_("marked by"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # Whom the suggestions were for: the city (partners), the new member (mentors), the network
    # (experts).
    asked_for = models.CharField(_("asked for"), max_length=40)
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
    )
    suggested_city = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested local government"),
    )
    suggested_person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested expert"),
    )
    rank = models.PositiveSmallIntegerField(_("rank when marked"))
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict)

    class Meta:
        verbose_name = _("suggestion mark")
        verbose_name_plural = _("suggestion marks")
        constraints = [
            models.CheckConstraint(
                condition=Q(suggested_city__isnull=False, suggested_person__isnull=True)
                | Q(suggested_city__isnull=True, suggested_person__isnull=False),
                name="suggestion_mark_one_suggestion",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "asked_for", "suggested_city"],
                condition=Q(suggested_city__isnull=False),
                name="suggestion_mark_city_once",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "asked_for", "suggested_person"],
                condition=Q(suggested_person__isnull=False),
                name="suggestion_mark_person_once",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "asked_for"])]

    def __str__(self):
        suggested = self.suggested_city or self.suggested_person
        return f"{self.get_kind_display()} {suggested}: {self.get_verdict_display()}"
