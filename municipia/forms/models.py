"""Forms that staff build from typed fields, shared by every app that asks people questions.

A `FormDefinition` is one form; its owner (a call today; an event's registration or a questionnaire
next) points to it with a one-to-one key, so the form knows nothing of who owns it. Its `FormField`s
are the ordered, typed questions, with their labels, help and options in each language. Answers are
kept by the owner's own record (`AnswerSet`: an application, a registration) as {field key: text},
the field key being the field's id, so that an answer never loses its question.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel


class FormDefinition(TimestampedModel):
    """One form: the ordered questions an owner asks."""

    purpose = models.CharField(
        _("purpose"),
        max_length=60,
        blank=True,
        help_text=_('What the form is for, e.g. "calls.call"; set by the owning app.'),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self):
        return f"{self.purpose or _('form')} #{self.pk}"


class FormField(TimestampedModel):
    """One typed question of a form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LINE = "line", _("Short text")
        CHOICE = "choice", _("Choice")
        MULTIPLE = "multiple", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        NUMBER = "number", _("Number")
        MONEY = "money", _("Amount of money")
        DATE = "date", _("Date")
        EMAIL = "email", _("E-mail address")
        URL = "url", _("Web address")
        FILE = "file", _("File")
        EXPERIENCE = "experience", _("Link to an experience of the bank")

    CHOICE_KINDS = {Kind.CHOICE, Kind.MULTIPLE}

    definition = models.ForeignKey(
        FormDefinition, on_delete=models.CASCADE, related_name="fields", verbose_name=_("form")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    label = models.JSONField(_("label"), default=dict, help_text=_("Label per language code."))
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Named for calls, its first owner: answers that reviewers (a call's jurors) may read.
    visible_to_jury = models.BooleanField(
        _("shown to jurors"),
        default=True,
        help_text=_("Untick for answers that would tell jurors who applied."),
    )
    word_limits = models.JSONField(
        _("word limits"),
        default=dict,
        blank=True,
        help_text=_('Most words per language, e.g. {"en": 300, "fr": 350}; "*" for any other.'),
    )
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For a choice: [{"value": "a", "label": {"en": "…"}}, …].'),
    )
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["definition", "position", "pk"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        indexes = [models.Index(fields=["definition", "position"])]

    def __str__(self):
        return self.label_text

    @property
    def label_text(self) -> str:
        return translated(self.label, default=f"#{self.pk}")

    @property
    def help(self) -> str:
        return translated(self.help_text)

    @property
    def key(self) -> str:
        """The key of this field's answer in an `AnswerSet`."""
        return str(self.pk)

    def word_limit(self, language: str) -> int | None:
        limit = self.word_limits.get(language, self.word_limits.get("*"))
        return int(limit) if limit else None

    def choice_options(self) -> list[tuple[str, str]]:
        return [(c["value"], translated(c.get("label"), default=c["value"])) for c in self.choices]


class AnswerSet(models.Model):
    """What an owner's record keeps of a filled form: the answers as typed, and their language."""

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        abstract = True
