"""External funding: opportunities that outside funders open (EU programmes, development banks,
foundations), kept by a network's staff and matched to its members' work.

An `Opportunity` belongs to a network, names its funder (an `Organisation` of the directory) and
programme, and has a deadline on the wall clock of a named zone (decision 0017). Its texts are an
original plus translations (`OpportunityTranslation`), like projects and experiences. Who may apply
is said by applicant kinds, UN M49 regions and countries (all empty: anyone, anywhere). It is open
until its deadline passes; nothing needs to close it.

`OpportunityMatch` keeps, for each opportunity, the members' experiences and projects nearest to it
in meaning that an eligible member city owns (computed by `matching.py` after each change). A city
officer may follow themes (`ThemeFollow`) and receives a digest of new matching opportunities, each
opportunity once (`DigestDelivery`). `OpportunityImport` holds an uploaded table between its
preview and its writing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.core.i18n import best_text
from municipia.core.models import TimestampedModel
from municipia.directory.models import region_name
from municipia.finance.currencies import validate_currency

__all__ = [
    "ApplicantKind",
    "DigestDelivery",
    "Opportunity",
    "OpportunityImport",
    "OpportunityMatch",
    "OpportunityTranslation",
    "ThemeFollow",
]

MONEY = {"max_digits": 14, "decimal_places": 2}


class ApplicantKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    METROPOLITAN_AREA = "metropolitan_area", _("Metropolitan area")
    REGION = "region", _("Region or province")
    FEDERATED_STATE = "federated_state", _("Federated state")
    ASSOCIATION = "association", _("Association of local governments")
    NETWORK = "network", _("Network")


class OpportunityQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(deadline__gt=now or timezone.now())

    def public(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published opportunities; unpublished ones to their network's staff and superusers."""
        if is_superuser(user):
            return self
        condition = Q(is_published=True)
        if user is not None and user.is_authenticated:
            networks = network_ids_with_role(user, "network_staff")
            if networks:
                condition |= Q(network_id__in=networks)
        return self.filter(condition)


class Opportunity(TimestampedModel):
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="funding_opportunities",
        verbose_name=_("network"),
    )
    funder = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="funding_opportunities",
        verbose_name=_("funder"),
    )
    programme = models.CharField(_("programme"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    time_zone = models.CharField(_("time zone of the deadline"), max_length=64, default="UTC")
    applicant_kinds = models.JSONField(
        _("who may apply"),
        default=list,
        blank=True,
        help_text=_("Kinds of applicant; empty means any."),
    )
    regions = models.JSONField(
        _("regions"),
        default=list,
        blank=True,
        help_text=_("UN M49 codes of the eligible world regions; empty means worldwide."),
    )
    countries = models.ManyToManyField(
        "directory.Country",
        blank=True,
        related_name="funding_opportunities",
        verbose_name=_("eligible countries"),
    )
    themes = models.ManyToManyField(
        "knowledge.Theme",
        blank=True,
        related_name="funding_opportunities",
        verbose_name=_("themes"),
    )
    sdg_targets = models.ManyToManyField(
        "knowledge.SdgTarget",
        blank=True,
        related_name="funding_opportunities",
        verbose_name=_("SDG targets"),
    )
    cofinancing_rate = models.DecimalField(
        _("co-financing rate"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The share of the costs the funder pays, in per cent."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    amount_min = models.DecimalField(_("smallest grant"), **MONEY, null=True, blank=True)
    amount_max = models.DecimalField(_("largest grant"), **MONEY, null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("funding opportunity")
        verbose_name_plural = _("funding opportunities")
        indexes = [models.Index(fields=["network", "is_published", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cofinancing_rate__isnull=True)
                | (Q(cofinancing_rate__gte=0) & Q(cofinancing_rate__lte=100)),
                name="opportunity_rate_in_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_max__gte=models.F("amount_min")),
                name="opportunity_amounts_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:opportunity-detail", args=[self.slug])

    def get_kind_display(self):
        return _("Funding opportunity")

    @property
    def year(self) -> int:
        return self.deadline.year

    @property
    def is_open(self) -> bool:
        return self.deadline > timezone.now()

    @property
    def status_display(self) -> str:
        return _("Open") if self.is_open else _("Closed")

    @property
    def region_names(self) -> list[str]:
        return [region_name(code) for code in self.regions]

    @property
    def applicant_kind_names(self) -> list[str]:
        labels = dict(ApplicantKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.applicant_kinds]

    def text(self, language: str | None = None):
        """The text in `language` (the active one by default), else the original, else any
        (translations prefetched, or one query)."""
        return best_text(self.translations.all(), self.original_language, language)

    @property
    def title(self) -> str:
        text = self.text()
        return text.title if text else self.programme


class OpportunityTranslation(models.Model):
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("funding opportunity"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("description"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["opportunity", "language"]
        verbose_name = _("funding opportunity text")
        verbose_name_plural = _("funding opportunity texts")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "language"], name="opportunity_one_text_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.title} [{self.language}]"


class OpportunityMatch(models.Model):
    """A member city's experience or project near an opportunity in meaning, for which the city
    is eligible: recomputed whenever the opportunity changes."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="matches", verbose_name=_("opportunity")
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.CASCADE,
        related_name="funding_matches",
        verbose_name=_("member"),
    )
    experience = models.ForeignKey(
        "knowledge.Experience",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="funding_matches",
    )
    project = models.ForeignKey(
        "cooperation.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="funding_matches",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("closeness"))

    class Meta:
        ordering = ["opportunity", "rank"]
        verbose_name = _("funding match")
        verbose_name_plural = _("funding matches")
        constraints = [
            models.CheckConstraint(
                condition=(Q(experience__isnull=False) & Q(project__isnull=True))
                | (Q(experience__isnull=True) & Q(project__isnull=False)),
                name="opportunity_match_one_item",
            ),
        ]

    def __str__(self):
        return f"{self.opportunity_id} → {self.item}"

    @property
    def item(self):
        return self.experience or self.project


class ThemeFollow(models.Model):
    """A person who wants to hear of new funding opportunities on a theme."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_funding_themes",
        verbose_name=_("person"),
    )
    theme = models.ForeignKey(
        "knowledge.Theme",
        on_delete=models.CASCADE,
        related_name="funding_followers",
        verbose_name=_("theme"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["user", "theme"]
        verbose_name = _("followed theme")
        verbose_name_plural = _("followed themes")
        constraints = [
            models.UniqueConstraint(fields=["user", "theme"], name="theme_followed_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.theme}"


class DigestDelivery(models.Model):
    """An opportunity sent to a person in a digest: never sent to them again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="deliveries"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "opportunity"], name="opportunity_sent_once"),
        ]

    def __str__(self):
        return f"{self.opportunity_id} → {self.user_id}"


class OpportunityImport(models.Model):
    """An uploaded table of opportunities between its preview and its writing."""

    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    written_at = models.DateTimeField(_("written at"), null=True, blank=True)
    written = models.PositiveIntegerField(_("opportunities written"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opportunity import")
        verbose_name_plural = _("opportunity imports")

    def __str__(self):
        return self.filename
