"""Calls a network runs (awards, fund calls, hosting candidatures, scholarships) and how they are judged.

`Call` holds the rules: dates in a stated time zone, eligibility, the application form (a
`FormDefinition` of the shared form builder, `municipia.forms`, with its `FormField`s) and the
weighted rubric (`Criterion`). Members apply with an `Application`, whose attachments are
`ApplicationFile`s. A call's jury is its `JuryMember`s; `Conflict`s are declared conflicts of interest;
`Assignment` gives an application to a juror, whose `Review` holds one `Score` per criterion.
`Decision` and `Deliberation` record the outcome, and keep what a funded project needs.
"""

import datetime
import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.core import pagecache, zones
from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel

# FormField: the shared form builder's field, under the name calls has always used.
from municipia.forms.models import AnswerSet, FormDefinition, FormField


def validate_time_zone(value: str) -> None:
    # Kept here, under the name the migrations use.
    zones.validate_time_zone(value)


RESERVED_SLUGS = {"manage", "mine", "applications", "files", "reviews"}


def validate_call_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved; choose another."))


def validate_languages(value) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value or not set(value) <= known:
        raise ValidationError(_("Choose one or more of the site's languages."))


FORM_PURPOSE = "calls.call"


class CallQuerySet(models.QuerySet):
    def for_network(self, network):
        return self.filter(network=network)

    def public(self):
        """Calls anyone may read: everything but drafts."""
        return self.exclude(status=Call.Status.DRAFT)

    def visible_to(self, user):
        # Imported here: permissions imports these models.
        from municipia.accounts.permissions import is_superuser, network_ids_with_role

        if is_superuser(user):
            return self.all()
        staff_networks = network_ids_with_role(user, "network_staff")
        return self.filter(~Q(status=Call.Status.DRAFT) | Q(network_id__in=staff_networks))

    def opening_or_closing_after(self, now):
        """The instants after `now` (give or take a second) at which a published call opens or
        closes: `Call.is_open` compares whole seconds (a call opens at the first whole second at
        or after `opens_at`, and closes one second after the whole second of `closes_at`), and
        lists that compare the exact instants change then too."""
        second = datetime.timedelta(seconds=1)
        rows = self.filter(
            status=Call.Status.OPEN, closes_at__gte=now.replace(microsecond=0)
        ).values_list("opens_at", "closes_at")
        for opens_at, closes_at in rows:
            whole = opens_at.replace(microsecond=0)
            yield from (opens_at, whole if whole == opens_at else whole + second)
            yield from (closes_at, closes_at.replace(microsecond=0) + second)

    def next_opening_or_closing(self):
        """The next instant any published call opens or closes, kept in the cache until then."""
        return pagecache.next_change(
            "calls-open-close", Call.objects.opening_or_closing_after, scopes=["calls"]
        )


class Call(TimestampedModel):
    class Kind(models.TextChoices):
        AWARD = "award", _("Award")
        FUND = "fund", _("Fund call")
        HOSTING = "hosting", _("Hosting candidature")
        SCHOLARSHIP = "scholarship", _("Scholarship")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Published")
        REVIEW = "review", _("In review")
        CLOSED = "closed", _("Closed")

    class Applicants(models.TextChoices):
        LOCAL_GOVERNMENTS = "local_governments", _("Local governments")
        ORGANISATIONS = "organisations", _("Organisations")
        BOTH = "both", _("Local governments and organisations")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("network"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    slug = models.SlugField(
        _("address"), max_length=120, unique=True, validators=[validate_call_slug]
    )
    title = models.JSONField(_("title"), default=dict, help_text=_("Title per language code."))
    description = models.JSONField(_("description"), default=dict, blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        validators=[validate_languages],
        help_text=_("Languages in which applications may be written."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Eligibility
    applicants = models.CharField(
        _("who may apply"),
        max_length=20,
        choices=Applicants,
        default=Applicants.LOCAL_GOVERNMENTS,
    )
    requires_good_standing = models.BooleanField(_("members in good standing only"), default=True)
    categories = models.JSONField(
        _("membership categories"),
        default=list,
        blank=True,
        help_text=_("Membership categories that may apply; empty means any."),
    )
    countries = models.ManyToManyField(
        "directory.Country",
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Countries whose members may apply; empty means any."),
    )
    min_population = models.PositiveBigIntegerField(_("minimum population"), null=True, blank=True)
    max_population = models.PositiveBigIntegerField(_("maximum population"), null=True, blank=True)
    one_per_member = models.BooleanField(_("one application per member"), default=True)
    # Review
    blind_review = models.BooleanField(
        _("blind review"), default=True, help_text=_("Jurors never see who applied.")
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3, validators=[MinValueValidator(1)]
    )
    same_country_conflict = models.BooleanField(
        _("jurors may not review applicants from their own country"), default=False
    )
    max_load = models.PositiveIntegerField(
        _("maximum applications per juror"), null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    form = models.OneToOneField(
        FormDefinition,
        on_delete=models.PROTECT,
        related_name="call",
        verbose_name=_("application form"),
        editable=False,
    )
    assignment_report = models.JSONField(_("last assignment report"), default=dict, blank=True)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["network", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
        ]

    def __str__(self):
        return self.title_text or self.slug

    def get_absolute_url(self):
        return reverse("calls:call-detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if self.form_id is None:
            self.form = FormDefinition.objects.create(purpose=FORM_PURPOSE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        form = self.form
        deleted = super().delete(*args, **kwargs)
        form.delete()
        return deleted

    @property
    def fields(self):
        """The questions of the application form, in order (the form itself is not fetched)."""
        if self._meta.get_field("form").is_cached(self):
            return self.form.fields
        return FormField.objects.filter(definition_id=self.form_id)

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call must close after it opens.")})
        if (
            self.min_population is not None
            and self.max_population is not None
            and self.min_population > self.max_population
        ):
            raise ValidationError(
                {"max_population": _("The maximum population is below the minimum.")}
            )

    @property
    def title_text(self) -> str:
        return translated(self.title)

    @property
    def description_text(self) -> str:
        return translated(self.description)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def accepts_submissions(self, now=None) -> bool:
        """Open, opened, and not past the deadline: the deadline's second itself still counts."""
        now = (now or timezone.now()).replace(microsecond=0)
        return self.status == self.Status.OPEN and self.opens_at <= now <= self.closes_at

    @property
    def is_open(self) -> bool:
        return self.accepts_submissions()

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Criterion(TimestampedModel):
    """One line of the weighted rubric, scored on an integer scale with guidance per level."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    guidance = models.JSONField(
        _("guidance per level"),
        default=dict,
        blank=True,
        help_text=_(
            'What each level means, e.g. {"0": {"en": "absent"}, "10": {"en": "exemplary"}}.'
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_not_empty"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name_text

    @property
    def name_text(self) -> str:
        return translated(self.name, default=f"#{self.pk}")

    @property
    def description_text(self) -> str:
        return translated(self.description)

    def guidance_levels(self) -> list[tuple[str, str]]:
        return sorted(
            ((level, translated(text)) for level, text in self.guidance.items()),
            key=lambda item: int(item[0]) if item[0].lstrip("-").isdigit() else 0,
        )


class OrganisationRepresentative(TimestampedModel):
    """A user who may apply to calls on behalf of an organisation (organisations have no role kind)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="represented_organisations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="representatives"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation representative")
        verbose_name_plural = _("organisation representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_representative_row_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation}"


class ApplicationQuerySet(models.QuerySet):
    def for_call(self, call):
        return self.filter(call=call)

    def submitted(self):
        return self.filter(status=Application.Status.SUBMITTED)

    def active(self):
        return self.exclude(status=Application.Status.WITHDRAWN)

    def owned_by(self, user):
        """Applications the user may act on as applicant: their cities' and organisations'."""
        from municipia.accounts.permissions import local_government_ids_with_role

        if not user.is_authenticated:
            return self.none()
        cities = local_government_ids_with_role(user, "city_officer")
        represented = OrganisationRepresentative.objects.filter(user=user).values("organisation")
        return self.filter(Q(local_government_id__in=cities) | Q(organisation_id__in=represented))

    def visible_to(self, user):
        """Own applications, and every application of calls whose network the user staffs."""
        from municipia.accounts.permissions import is_superuser, network_ids_with_role

        if is_superuser(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        staff_networks = network_ids_with_role(user, "network_staff")
        own = self.owned_by(user).values("pk")
        return self.filter(Q(pk__in=own) | Q(call__network_id__in=staff_networks))


class Application(TimestampedModel, AnswerSet):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for completion")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE = {Status.DRAFT, Status.RETURNED}

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    code = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_applications",
        verbose_name=_("local government"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_applications",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="call_applications",
        verbose_name=_("contact person"),
    )
    title = models.CharField(_("title"), max_length=250)
    # language and answers: AnswerSet
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    returned_note = models.TextField(_("what is missing"), blank=True)
    history = HistoricalRecords(excluded_fields=["answers"])

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["call", "code"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["call", "local_government"]),
            models.Index(fields=["call", "organisation"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(local_government__isnull=False) & Q(organisation__isnull=True))
                | (Q(local_government__isnull=True) & Q(organisation__isnull=False)),
                name="application_has_exactly_one_applicant",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"

    def get_absolute_url(self):
        return reverse("calls:application-edit", args=[self.pk])

    @property
    def applicant(self):
        return self.local_government or self.organisation

    @property
    def applicant_country_id(self):
        return (self.local_government or self.organisation).country_id

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


def _file_path(instance, filename):
    # The stored name says nothing about the applicant or the original file.
    return f"calls/{instance.application.call_id}/{uuid.uuid4().hex}"


class ApplicationFile(TimestampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field = models.ForeignKey(
        FormField, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=_file_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("calls:file-download", args=[self.pk])


class JuryMember(TimestampedModel):
    """A person on one call's jury, with what conflicts of interest and languages are judged on."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_memberships"
    )
    country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city or local government"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    languages = models.JSONField(_("languages read"), default=list, validators=[validate_languages])
    expertise = models.CharField(_("expertise"), max_length=300, blank=True)
    is_chair = models.BooleanField(_("chair"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "user__full_name", "pk"]
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_jury_seat_per_user_per_call")
        ]

    def __str__(self):
        return str(self.user)


class Conflict(TimestampedModel):
    """A declared conflict of interest: with one application, a local government or an organisation."""

    jury_member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False)
                | Q(local_government__isnull=False)
                | Q(organisation__isnull=False),
                name="conflict_names_something",
            )
        ]

    def __str__(self):
        target = self.application or self.local_government or self.organisation
        return f"{self.jury_member} ≠ {target}"


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Assignment.Status.ACTIVE)

    def for_user(self, user):
        return self.filter(juror__user=user) if user.is_authenticated else self.none()


class Assignment(TimestampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Assigned")
        RECUSED = "recused", _("Recused")

    class Method(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MANUAL = "manual", _("Manual")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    method = models.CharField(_("method"), max_length=10, choices=Method, default=Method.AUTOMATIC)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recused_at = models.DateTimeField(_("recused at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["application", "juror"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["juror", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror"], name="one_assignment_per_juror_and_application"
            )
        ]

    def __str__(self):
        return f"{self.application.code} → {self.juror}"

    def get_absolute_url(self):
        return reverse("calls:review", args=[self.pk])


class Review(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return str(self.assignment)


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "criterion__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Deliberation(TimestampedModel):
    """The record of a jury meeting: who took part and what was decided, and why."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="deliberations")
    held_at = models.DateTimeField(_("held at"))
    attendees = models.ManyToManyField(
        JuryMember, blank=True, related_name="+", verbose_name=_("attendees")
    )
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "-held_at"]
        verbose_name = _("deliberation")
        verbose_name_plural = _("deliberations")

    def __str__(self):
        return f"{self.call} · {self.held_at:%Y-%m-%d}"


class Decision(TimestampedModel):
    """The outcome for one application; a funded one keeps what a cooperation project needs."""

    class Outcome(models.TextChoices):
        WINNER = "winner", _("Winner")
        HONOURABLE_MENTION = "mention", _("Honourable mention")
        FUNDED = "funded", _("Funded")
        REJECTED = "rejected", _("Not selected")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount granted"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    partner_local_governments = models.ManyToManyField(
        "directory.LocalGovernment", blank=True, related_name="+", verbose_name=_("partner cities")
    )
    partner_organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("partner organisations"),
    )
    period_start = models.DateField(_("project starts"), null=True, blank=True)
    period_end = models.DateField(_("project ends"), null=True, blank=True)
    note = models.TextField(_("reasons"), blank=True)
    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="funded") | (Q(amount__gt=0) & ~Q(currency="")),
                name="funded_decision_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="decision_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.application.code}: {self.get_outcome_display()}"
