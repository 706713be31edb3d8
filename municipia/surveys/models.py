"""Questionnaires: what participants thought of an activity.

A `Questionnaire` belongs to a network and may be attached to something people took part in (an
event, a session, a plan activity, a call's jury: `targets.py`) or sent to a list of members. Its
questions are a form of the shared builder (`municipia/forms`), one `FormDefinition` per
`QuestionnaireVersion`: once answers exist, a change makes a new version, and results keep
versions apart. People are admitted by an `Invitation` (a personal link) or, where staff allow it,
by the public link. A `Response` keeps one person's answers as typed (the builder's `AnswerSet`)
and its `Answer` rows, one per question (per item of a matrix or ranking, per option chosen), that
results aggregate in the database.

Anonymity (docs/decisions/0047-questionnaires.md): for an anonymous questionnaire a response keeps
no person, no invitation, no language and only the day it was given; its key is random, so rows
carry no order; the invitation keeps only whether it was used. Nothing here keeps history.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel
from municipia.forms.models import AnswerSet


def new_public_key() -> str:
    return secrets.token_urlsafe(16)


class QuestionnaireQuerySet(models.QuerySet):
    def for_networks(self, network_ids):
        return self.filter(network_id__in=network_ids)

    def templates(self):
        return self.filter(is_template=True)


class Questionnaire(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("network"),
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("Title per language code."))
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    is_template = models.BooleanField(
        _("template"), default=False, help_text=_("A model the network copies, not sent itself.")
    )
    template = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("made from"),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("No one can tell who gave an answer; the choice is fixed once sent."),
    )
    public = models.BooleanField(
        _("public link"), default=False, help_text=_("Anyone with the public link may answer.")
    )
    public_key = models.CharField(max_length=40, unique=True, default=new_public_key)
    min_results = models.PositiveSmallIntegerField(
        _("fewest answers for results"),
        null=True,
        blank=True,
        help_text=_("Results are shown from this many answers; empty for the site's setting."),
    )
    # What it is about: a key of `targets.TARGETS` and the object's id; empty for a list of members.
    target_kind = models.CharField(_("about"), max_length=30, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        indexes = [models.Index(fields=["target_kind", "target_id"])]

    def __str__(self):
        return self.title_text

    def get_absolute_url(self):
        return reverse("surveys:questionnaire-detail", args=[self.pk])

    @property
    def title_text(self) -> str:
        return translated(self.title, original=self.original_language, default=f"#{self.pk}")

    @property
    def intro_text(self) -> str:
        return translated(self.intro, original=self.original_language)

    @property
    def results_threshold(self) -> int:
        if self.min_results is not None:
            return self.min_results
        return settings.MUNICIPIA_SURVEYS_MIN_RESULTS


class QuestionnaireVersion(models.Model):
    """The questions as they were while some answers were given."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    form = models.OneToOneField(
        "forms.FormDefinition", on_delete=models.PROTECT, related_name="questionnaire_version"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="one_version_number_per_questionnaire"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire} · v{self.number}"


class Invitation(models.Model):
    """One person's admission to a questionnaire, by the personal link sent to them. Only days are
    kept, and only whether it was used: never when, never which answer."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaire_invitations",
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    used = models.BooleanField(_("answered"), default=False)

    class Meta:
        ordering = ["questionnaire", "email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "email"], name="one_invitation_per_address"
            )
        ]

    def __str__(self):
        return self.email


class Response(AnswerSet):
    """One person's answers. For an anonymous questionnaire: no person, no invitation, no
    language, and the day only."""

    class Via(models.TextChoices):
        PERSONAL = "personal", _("Personal link")
        PUBLIC = "public", _("Public link")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    submitted_on = models.DateField(_("answered on"))
    via = models.CharField(_("through"), max_length=10, choices=Via)
    # Kept only when the questionnaire is not anonymous.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["version", "submitted_on"])]

    def __str__(self):
        return f"{self.version} · {self.submitted_on}"


class Answer(models.Model):
    """One answer of a response, in the shape results count: one row per question, per item of a
    matrix or ranking, and per option chosen; points and numbers in `number`, free text in
    `text`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="rows")
    field = models.ForeignKey("forms.FormField", on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=100, blank=True)
    number = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["field", "item", "value"]),
            # Free texts are chosen in the order of their response's random key: a question's
            # first ones are read from here, never its thousands of texts sorted.
            models.Index(fields=["field", "response"], name="surveys_answer_field_response"),
        ]

    def __str__(self):
        return f"{self.field_id}: {self.value or self.text[:40]}"


class Tally(models.Model):
    """A running count of a version's answers, kept up to date as each response is stored, so
    that results read a few hundred rows instead of every answer.

    An `answer` row counts the `Answer` rows of one (question, item, value), with the sum of their
    numbers; the `question` row of a question (item and value empty) counts the responses that
    answered it. Responses are never deleted (erasure only unlinks the person), so counts only
    grow; `services.rebuild_tallies` computes them again from the answers."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answers of one value")
        QUESTION = "question", _("Responses to the question")

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey("forms.FormField", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.ANSWER)
    item = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=100, blank=True)
    count = models.PositiveBigIntegerField(default=0)
    total = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("tally of answers")
        verbose_name_plural = _("tallies of answers")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "field", "kind", "item", "value"], name="one_tally_per_value"
            )
        ]

    def __str__(self):
        return f"{self.field_id} {self.item}={self.value}: {self.count}"


# Impact evaluation lives in its own subpackage; importing it here puts its models in this app.
from municipia.surveys.impact.models import (  # noqa: E402, F401
    Assessment,
    Assignment,
    Criterion,
    Level,
    Methodology,
    Round,
    Rubric,
    Score,
)
