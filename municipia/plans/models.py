"""Strategies and action plans: what a network or a city promised, did, and reports.

A `Plan` (owned by a network or by a local government) has `Objective`s, each with `Activity`s.
Plans deeper than that (axis → line → programme → objective → action) group their objectives in a
tree of `Section`s; `Plan.levels` names every level, top to leaves, in the plan's own words
(see docs/decisions/0023-plans-of-any-depth.md).
`ActivityLink` points an activity at whatever carries it out (an event, a project, a call, a
publication), `Indicator`s measure objectives or activities with dated `IndicatorValue`s, and
`ProgressUpdate`s tell what happened. A draft plan can be opened for consultation, where registered
people leave `ConsultationComment`s (comments and proposals) and `CommentSupport`.
"""

import re
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.core import pagecache
from municipia.core.i18n import translated
from municipia.core.indicators import IndicatorBase, IndicatorValueBase
from municipia.core.models import TimestampedModel
from municipia.directory.models import region_name

SDG_TARGET_PATTERN = re.compile(r"^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-c])$")


def validate_sdg_targets(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("SDG targets must be a list of codes such as 4.7 or 11.a."))
    wrong = [v for v in value if not SDG_TARGET_PATTERN.match(v)]
    if wrong:
        raise ValidationError(
            _("These are not SDG target codes: %(codes)s.") % {"codes": ", ".join(wrong)}
        )


def validate_languages(value) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value or not all(v in known for v in value):
        raise ValidationError(
            _("Choose one or more of the site's languages: %(codes)s.")
            % {"codes": ", ".join(sorted(known))}
        )


MAX_LEVELS = 8


def _translated_text(node, field: str) -> str:
    """The field in the reader's language where a translation was given to the node
    (`translated_texts`, set by `municipia.translation.services.apply_texts`), else as written."""
    row = getattr(node, "translated_texts", {}).get(field)
    return row.text if row is not None else getattr(node, field)


def _display_title(node, primary: str, language: str | None = None) -> str:
    """The title the editors wrote in the reader's language, else its translation, else the
    title in English or as written."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    titles = {primary: node.title, **(node.title_translations or {})}
    if not titles.get(language):
        row = getattr(node, "translated_texts", {}).get("title")
        if row is not None and row.language == language:
            return row.text
    return translated(titles, language)


# The names of the two levels every plan has, in the site's languages; stored on each plan so that
# a plan can rename them ("Línia / Acció") and keep its own names when the site's catalogue changes.
DEFAULT_LEVELS = [
    {"en": "Objective", "es": "Objetivo", "fr": "Objectif", "ca": "Objectiu", "pt": "Objetivo"},
    {"en": "Activity", "es": "Actividad", "fr": "Activité", "ca": "Activitat", "pt": "Atividade"},
]


def default_levels() -> list[dict]:
    return [dict(level) for level in DEFAULT_LEVELS]


def validate_levels(value) -> None:
    if (
        not isinstance(value, list)
        or not 2 <= len(value) <= MAX_LEVELS
        or not all(
            isinstance(level, dict)
            and level
            and all(
                isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in level.items()
            )
            for level in value
        )
    ):
        raise ValidationError(
            _(
                "A plan has from 2 to %(max)s levels, each named in one or more languages, such "
                'as {"ca": "Eix"}.'
            )
            % {"max": MAX_LEVELS}
        )


class PlanQuerySet(models.QuerySet):
    def public(self):
        """Plans anyone may read: published ones and those open to (or back from) consultation."""
        return self.filter(Q(is_published=True) | Q(status=Plan.Status.CONSULTATION))

    def visible_to(self, user):
        if is_superuser(user):
            return self.all()
        return self.filter(
            Q(is_published=True)
            | Q(status=Plan.Status.CONSULTATION)
            | Q(network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))
            | Q(
                local_government_id__in=local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
            )
        )

    def for_network(self, network):
        return self.filter(network=network)

    def consultations_opening_or_closing_after(self, now):
        """The instants after `now` at which a consultation opens or closes
        (`Plan.is_consultation_open`)."""
        rows = self.filter(
            Q(consultation_opens_at__gt=now) | Q(consultation_closes_at__gt=now),
            status=Plan.Status.CONSULTATION,
        ).values_list("consultation_opens_at", "consultation_closes_at")
        for moments in rows:
            yield from (moment for moment in moments if moment is not None)

    def next_consultation_change(self):
        """The next instant a consultation opens or closes, kept in the cache until then."""
        return pagecache.next_change(
            "plans-consultations",
            Plan.objects.consultations_opening_or_closing_after,
            scopes=["plans"],
        )


class Plan(TimestampedModel):
    class Kind(models.TextChoices):
        STRATEGY = "strategy", _("Strategy")
        MASTER_PLAN = "master_plan", _("Master plan")
        ACTION_PLAN = "action_plan", _("Annual action plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTATION = "consultation", _("In consultation")
        ADOPTED = "adopted", _("Adopted")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=300)
    title_translations = models.JSONField(
        _("title in other languages"),
        default=dict,
        blank=True,
        help_text=_("Title per language code."),
    )
    slug = models.SlugField(_("slug"), max_length=320, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ACTION_PLAN)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("network"),
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("local government"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    languages = models.JSONField(
        _("languages"),
        default=list,
        validators=[validate_languages],
        help_text=_("Language codes the plan is written and reported in."),
    )
    levels = models.JSONField(
        _("levels"),
        default=default_levels,
        validators=[validate_levels],
        help_text=_(
            "The names of the plan's levels, from the top to the activities, each per language "
            "code: for example Axis / Line / Objective / Action."
        ),
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO code of the budgets: EUR, MXN…")
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    consultation_opens_at = models.DateTimeField(_("consultation opens at"), null=True, blank=True)
    consultation_closes_at = models.DateTimeField(
        _("consultation closes at"), null=True, blank=True
    )
    translated_languages = models.JSONField(
        _("translated into"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Languages with translated texts of the plan (machine or human)."),
    )
    last_committee_on = models.DateField(
        _("last executive committee on"),
        null=True,
        blank=True,
        help_text=_("The dashboard lists what changed since this date."),
    )
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["local_government", "status"]),
            models.Index(fields=["is_published", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(network__isnull=False) & Q(local_government__isnull=True))
                | (Q(network__isnull=True) & Q(local_government__isnull=False)),
                name="plan_has_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status__in=["adopted", "closed"]),
                name="plan_published_only_when_adopted",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan-detail", args=[self.slug])

    def clean(self):
        if bool(self.network_id) == bool(self.local_government_id):
            raise ValidationError(_("A plan belongs to one network or to one local government."))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})

    @property
    def owner(self):
        return self.network or self.local_government

    @property
    def display_title(self) -> str:
        return _display_title(self, self.primary_language)

    @property
    def display_summary(self) -> str:
        return _translated_text(self, "summary")

    @property
    def primary_language(self) -> str:
        return self.languages[0] if self.languages else settings.LANGUAGE_CODE

    @property
    def section_depth(self) -> int:
        """How many levels of sections stand above the objectives."""
        return max(len(self.levels or DEFAULT_LEVELS) - 2, 0)

    def level_label(self, index: int, language: str | None = None) -> str:
        """The name of level `index` (0 is the top; -1 the activities) in `language`."""
        levels = self.levels or DEFAULT_LEVELS
        return translated(levels[index], language)

    @property
    def level_labels(self) -> list[str]:
        return [translated(level) for level in (self.levels or DEFAULT_LEVELS)]

    @property
    def objective_label(self) -> str:
        return self.level_label(-2)

    @property
    def activity_label(self) -> str:
        return self.level_label(-1)

    @property
    def is_public(self) -> bool:
        return self.is_published or self.status == self.Status.CONSULTATION

    @property
    def is_consultation_open(self) -> bool:
        if self.status != self.Status.CONSULTATION:
            return False
        now = timezone.now()
        opens, closes = self.consultation_opens_at, self.consultation_closes_at
        return (opens is None or opens <= now) and (closes is None or now < closes)

    @property
    def is_consultation_over(self) -> bool:
        """The consultation ran and has ended: proposals can be answered."""
        return bool(self.consultation_closes_at and self.consultation_closes_at <= timezone.now())


class Section(TimestampedModel):
    """A level above the objectives (an axis, a line, a programme…): a tree, one row per node.

    `level` is the node's depth (0 for the top), kept so that a level's nodes are read in one query;
    `parent` is empty at level 0. Objectives hang from the sections of the deepest level.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.TextField(_("title"))
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "level", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        indexes = [models.Index(fields=["plan", "level", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level=0) & Q(parent__isnull=True))
                | (Q(level__gt=0) & Q(parent__isnull=False)),
                name="section_top_level_has_no_parent",
            ),
        ]

    def __str__(self):
        return self.title

    def display_title(self, language: str | None = None) -> str:
        return _display_title(self, self.plan.primary_language, language)

    @property
    def display_description(self) -> str:
        return _translated_text(self, "description")


class Objective(TimestampedModel):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("plan")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("section"),
        help_text=_("The part of the plan the objective belongs to, when the plan has sections."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.TextField(_("title"))
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.title

    def display_title(self, language: str | None = None) -> str:
        return _display_title(self, self.plan.primary_language, language)

    @property
    def display_description(self) -> str:
        return _translated_text(self, "description")


ACTIVITY_TITLE_WORDS = 20  # an activity has a description only: its start names it in lists


def short_title(description: str) -> str:
    """The first words of an activity's description, on one line, as the title of a result."""
    return Truncator(" ".join((description or "").split())).words(ACTIVITY_TITLE_WORDS)[:300]


class ActivityQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(objective__plan=plan)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(ends_on__lt=today).exclude(
            status__in=[Activity.Status.DONE, Activity.Status.DROPPED]
        )


class Activity(TimestampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="activities", verbose_name=_("objective")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    description = models.TextField(_("description"))
    responsible = models.CharField(
        _("responsible"),
        max_length=200,
        blank=True,
        help_text=_("A person or a team."),
    )
    responsible_network = models.ForeignKey(
        "directory.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_activities",
        verbose_name=_("responsible sub-network"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    sdg_targets = models.JSONField(
        _("SDG targets"), default=list, blank=True, validators=[validate_sdg_targets]
    )
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["status", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""),
                name="activity_dropped_has_reason",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="activity_progress_max"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="activity_period_in_order",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("plans:activity-detail", args=[self.objective.plan.slug, self.pk])

    @property
    def display_description(self) -> str:
        return _translated_text(self, "description")

    def text(self, language: str | None = None) -> SimpleNamespace:
        """The activity as a search result or a suggestion shows it (`.title`, `.summary`,
        `.language`): in `language` (else the reader's) where its description was translated and
        the translations were loaded (`search_texts`, set by `plans.documents`), else as written."""
        texts = getattr(self, "search_texts", None) or {}
        language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language not in texts:
            language = self.objective.plan.primary_language
        description = texts.get(language) or self.description
        return SimpleNamespace(
            language=language, title=short_title(description), summary=description
        )

    @property
    def title(self) -> str:
        return self.text().title

    def clean(self):
        if self.status == self.Status.DROPPED and not self.drop_reason.strip():
            raise ValidationError({"drop_reason": _("Say why the activity was dropped.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The activity cannot end before it starts.")})

    @property
    def plan(self):
        return self.objective.plan

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.ends_on
            and self.ends_on < today
            and self.status not in (self.Status.DONE, self.Status.DROPPED)
        )

    @property
    def effective_progress(self) -> int:
        return 100 if self.status == self.Status.DONE else self.progress


class ActivityLink(TimestampedModel):
    """What carries an activity out: a row of another app (by content type) or a web address.

    The events, cooperation, calls and knowledge apps point here by content type and object id,
    so this app never imports them; a plain URL covers anything outside the platform.
    """

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        PROJECT = "project", _("Project")
        CALL = "call", _("Call")
        PUBLICATION = "publication", _("Publication")
        OTHER = "other", _("Other")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="links", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("web address"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "kind", "title"]
        verbose_name = _("activity link")
        verbose_name_plural = _("activity links")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(content_type__isnull=False) & ~Q(object_id=""))
                | (Q(content_type__isnull=True) & Q(object_id="") & ~Q(url="")),
                name="activity_link_has_target",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def target(self):
        if self.content_type_id is None:
            return None
        return self.content_type.get_all_objects_for_this_type(pk=self.object_id).first()

    @property
    def href(self) -> str:
        if self.url:
            return self.url
        target = self.target
        return target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""


class Indicator(IndicatorBase):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("activity"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(Q(objective__isnull=False) & Q(activity__isnull=True))
                | (Q(objective__isnull=True) & Q(activity__isnull=False)),
                name="indicator_on_objective_or_activity",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if bool(self.objective_id) == bool(self.activity_id):
            raise ValidationError(_("An indicator measures one objective or one activity."))

    @property
    def subject(self):
        return self.activity or self.objective


class IndicatorValue(IndicatorValueBase):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    history = HistoricalRecords()

    class Meta(IndicatorValueBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="indicator_value_one_per_day"
            ),
        ]


class IndicatorFeed(TimestampedModel):
    """An indicator whose values come from a questionnaire's results rather than by hand: the mean
    (or the net promoter score) of one rating, recommendation or number question.

    The question is the one of the version it was chosen in; later versions are read at the same
    place with the same kind, as results compare runs. `municipia.surveys.feeds` checks the link
    and records the values; `responses` is how many answers the last value counted."""

    class Measure(models.TextChoices):
        MEAN = "mean", _("Mean of the answers")
        NPS = "nps", _("Net promoter score")

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="feed", verbose_name=_("indicator")
    )
    questionnaire = models.ForeignKey(
        "surveys.Questionnaire",
        on_delete=models.CASCADE,
        related_name="indicator_feeds",
        verbose_name=_("questionnaire"),
    )
    question = models.ForeignKey(
        "forms.FormField", on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )
    measure = models.CharField(_("measure"), max_length=10, choices=Measure, default=Measure.MEAN)
    responses = models.PositiveIntegerField(_("answers counted"), default=0)
    fed_on = models.DateField(_("last fed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["indicator"]
        verbose_name = _("indicator fed by a questionnaire")
        verbose_name_plural = _("indicators fed by questionnaires")

    def __str__(self):
        return f"{self.indicator} ← {self.questionnaire}"


def evidence_path(instance, filename: str) -> str:
    return f"plans/evidence/{instance.activity.objective.plan_id}/{filename}"


class ProgressUpdate(TimestampedModel):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="updates", verbose_name=_("activity")
    )
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    percentage = models.PositiveSmallIntegerField(_("progress (%)"))
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    evidence_file = models.FileField(_("evidence (file)"), upload_to=evidence_path, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_updates",
        verbose_name=_("author"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["activity", "-reported_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__lte=100), name="progress_update_percentage_max"
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.reported_on}"

    @property
    def plan(self):
        return self.activity.objective.plan


class ConsultationCommentQuerySet(models.QuerySet):
    def proposals(self):
        return self.filter(kind=ConsultationComment.Kind.PROPOSAL)

    def shown(self):
        return self.filter(is_hidden=False)


class ConsultationComment(TimestampedModel):
    """A comment on an objective, or a proposed activity, left during a plan's consultation."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PROPOSAL = "proposal", _("Proposed activity")

    class Answer(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted into the plan")
        MERGED = "merged", _("Merged into an activity")
        REJECTED = "rejected", _("Rejected")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan")
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("objective"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="plan_comments",
        verbose_name=_("author"),
    )
    on_behalf_of = models.CharField(
        _("on behalf of"),
        max_length=200,
        blank=True,
        help_text=_("The organisation you speak for, if any."),
    )
    text = models.TextField(_("text"))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer, default=Answer.PENDING)
    answer_text = models.TextField(_("answer text"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("activity in the plan"),
        help_text=_("The activity a proposal was accepted as or merged into."),
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    history = HistoricalRecords()

    objects = ConsultationCommentQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "created_at", "pk"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        indexes = [models.Index(fields=["plan", "kind", "is_hidden"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(answer="rejected") | ~Q(answer_text=""),
                name="comment_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.author}"


class CommentSupport(models.Model):
    comment = models.ForeignKey(
        ConsultationComment, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_support_per_user"),
        ]

    def __str__(self):
        return f"{self.user} → {self.comment_id}"


class GeographicPriority(TimestampedModel):
    """A country or a world region (UN M49) the plan names as a priority for cooperation."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="geographic_priorities",
        verbose_name=_("plan"),
    )
    country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    region = models.CharField(
        _("world region"), max_length=3, blank=True, help_text=_("A UN M49 code: 419, 002, 015…")
    )

    class Meta:
        ordering = ["plan", "region", "country__code"]
        verbose_name = _("geographic priority")
        verbose_name_plural = _("geographic priorities")
        constraints = [
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(region=""))
                | (Q(country__isnull=True) & ~Q(region="")),
                name="geographic_priority_one_area",
            ),
            models.UniqueConstraint(
                fields=["plan", "country"],
                condition=Q(country__isnull=False),
                name="geographic_priority_country_once",
            ),
            models.UniqueConstraint(
                fields=["plan", "region"],
                condition=~Q(region=""),
                name="geographic_priority_region_once",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The area's name in the active language."""
        return self.country.name if self.country_id else region_name(self.region)
