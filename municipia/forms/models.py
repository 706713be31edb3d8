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
    # The language the questions were written in: shown where a translation is missing.
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, blank=True
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
        SECTION = "section", _("Section heading")
        SCALE = "scale", _("Rating scale")
        NPS = "nps", _("Recommendation from 0 to 10")
        MATRIX = "matrix", _("Several items on one scale")
        RANKING = "ranking", _("Ranking")

    CHOICE_KINDS = {Kind.CHOICE, Kind.MULTIPLE}
    # Kinds whose answer is an integer on a scale of points, and the kinds asking for items.
    SCALE_KINDS = {Kind.SCALE, Kind.NPS}
    ITEM_KINDS = {Kind.MATRIX, Kind.RANKING}
    # Kinds whose options are written by staff.
    OPTION_KINDS = {Kind.CHOICE, Kind.MULTIPLE, Kind.RANKING}

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
    allow_other = models.BooleanField(
        _('offer "other"'),
        default=False,
        db_default=False,
        help_text=_("For a choice: people may write an answer of their own."),
    )
    items = models.JSONField(
        _("items"),
        default=list,
        db_default=[],
        blank=True,
        help_text=_('For a matrix: the rows rated, [{"value": "a", "label": {"en": "…"}}, …].'),
    )
    # Shown only when an earlier question's answer is one of some values:
    # {"field": <earlier field id>, "values": ["a", "b"]}; empty when always shown.
    # Defaults in the database too, so rows written by older migrations' models stay valid.
    condition = models.JSONField(_("condition"), default=dict, db_default={}, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["definition", "position", "pk"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        indexes = [models.Index(fields=["definition", "position"])]

    def __str__(self):
        return self.label_text

    @property
    def original_language(self) -> str:
        """The form's original language when the form is at hand (no query otherwise)."""
        if FormField.definition.is_cached(self):
            return self.definition.original_language
        return ""

    def _text(self, values, default=""):
        return translated(values, default=default, original=self.original_language)

    @property
    def label_text(self) -> str:
        return self._text(self.label, default=f"#{self.pk}")

    @property
    def help(self) -> str:
        return self._text(self.help_text)

    @property
    def key(self) -> str:
        """The key of this field's answer in an `AnswerSet`."""
        return str(self.pk)

    def word_limit(self, language: str) -> int | None:
        limit = self.word_limits.get(language, self.word_limits.get("*"))
        return int(limit) if limit else None

    def choice_options(self) -> list[tuple[str, str]]:
        return [(c["value"], self._text(c.get("label"), default=c["value"])) for c in self.choices]

    def item_options(self) -> list[tuple[str, str]]:
        return [(i["value"], self._text(i.get("label"), default=i["value"])) for i in self.items]

    def scale_points(self) -> list[tuple[str, str]]:
        """The points of a scale (a matrix's too), with their labels where staff wrote some: a
        net promoter score runs from 0 to 10; another scale from its minimum to its maximum (1 to
        5 unless said)."""
        if self.kind == FormField.Kind.NPS:
            low, high = 0, 10
        else:
            low = int(self.min_value) if self.min_value is not None else 1
            high = int(self.max_value) if self.max_value is not None else 5
        labels = dict(self.choice_options()) if self.kind != FormField.Kind.RANKING else {}
        return [(str(point), labels.get(str(point), str(point))) for point in range(low, high + 1)]

    @property
    def asks(self) -> bool:
        """Whether the field asks for an answer (a section heading does not)."""
        return self.kind != FormField.Kind.SECTION


class AnswerSet(models.Model):
    """What an owner's record keeps of a filled form: the answers as typed, and their language."""

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        abstract = True
