"""The shared directory: countries, local governments, organisations, networks and memberships."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel


class Country(models.Model):
    code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("Name per language code."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self.names, default=self.code)


class LocalGovernment(TimestampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        METROPOLITAN_AREA = "metropolitan_area", _("Metropolitan area")
        REGION = "region", _("Region or province")
        FEDERATED_STATE = "federated_state", _("Federated state")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MUNICIPALITY)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="local_governments",
        verbose_name=_("country"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("local government")
        verbose_name_plural = _("local governments")
        indexes = [models.Index(fields=["country", "name"])]

    def __str__(self):
        return self.name


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        ASSOCIATION = "association", _("Association of local governments")
        UNIVERSITY = "university", _("University or research centre")
        NGO = "ngo", _("NGO")
        FUNDER = "funder", _("Funder")
        NATIONAL_BODY = "national_body", _("National body")

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=260, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Network(TimestampedModel):
    """A network of local governments; a sub-network has a parent (territorial or thematic)."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        TERRITORIAL = "territorial", _("Territorial sub-network")
        THEMATIC = "thematic", _("Thematic sub-network")

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=260, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NETWORK)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_networks",
        verbose_name=_("parent network"),
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="network"
    )
    description = models.JSONField(_("description"), default=dict, blank=True)
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    founded = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.acronym or self.name

    def get_absolute_url(self):
        return reverse("directory:network-detail", args=[self.slug])

    @property
    def description_text(self) -> str:
        return translated(self.description)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def for_network(self, network):
        return self.filter(network=network)


class Membership(TimestampedModel):
    """A local government or an organisation belonging to a network."""

    class Category(models.TextChoices):
        FULL = "full", _("Full member")
        ASSOCIATE = "associate", _("Associate member")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")
        REFUSED = "refused", _("Refused")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("network")
    )
    local_government = models.ForeignKey(
        LocalGovernment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("local government"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.FULL
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.APPLICANT)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network", "-joined_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["network", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(local_government__isnull=False) & Q(organisation__isnull=True))
                | (Q(local_government__isnull=True) & Q(organisation__isnull=False)),
                name="membership_has_exactly_one_member",
            ),
            models.UniqueConstraint(
                fields=["network", "local_government"],
                condition=Q(local_government__isnull=False),
                name="membership_one_per_local_government",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(organisation__isnull=False),
                name="membership_one_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.network}"

    @property
    def member(self):
        return self.local_government or self.organisation
