"""Missions: a city's or a network's official trips abroad and the visits it receives.

A `Mission` belongs to one local government or one network (its owner), goes `outgoing` or is
received (`incoming`), and happens in named places of the gazetteer between two instants read on
the wall clock of its `time_zone` (the destination's, decision 0017). Its `DelegationMember`s are
people of the directory with their role, its `Meeting`s say with whom it met, and its
`MissionCost`s are kept in their own currency with the rate to the mission's currency recorded
beside them (decision 0034). The owner's officers decide what the public sees: the mission
(`is_public`) and, separately, its costs (`costs_public`); `InternationalPage` holds the rest of
what they publish on their international action page (decision 0036).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.core.models import TimestampedModel
from municipia.core.zones import in_zone, validate_time_zone
from municipia.finance.currencies import validate_currency

__all__ = ["DelegationMember", "InternationalPage", "Meeting", "Mission", "MissionCost"]

MONEY = {"max_digits": 14, "decimal_places": 2}


class MissionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def managed_by(self, user):
        """Missions of the cities one is an officer of and of the networks one staffs."""
        if is_superuser(user):
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(local_government_id__in=local_government_ids_with_role(user, "city_officer"))
            | Q(network_id__in=network_ids_with_role(user, "network_staff"))
        )

    def visible_to(self, user):
        if is_superuser(user):
            return self
        if user is None or not user.is_authenticated:
            return self.public()
        return self.filter(
            Q(is_public=True)
            | Q(local_government_id__in=local_government_ids_with_role(user, "city_officer"))
            | Q(network_id__in=network_ids_with_role(user, "network_staff"))
        )


class Mission(TimestampedModel):
    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Trip abroad")
        INCOMING = "incoming", _("Visit received")

    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.OUTGOING
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("local government"),
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("network"),
    )
    title = models.CharField(_("title"), max_length=250)
    purpose = models.TextField(_("purpose"))
    destinations = models.ManyToManyField(
        "directory.LocalGovernment",
        related_name="missions_received",
        verbose_name=_("places"),
        help_text=_(
            "Where the delegation goes; for a visit received, where the visitors come from."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Dates and times are read on this clock: the destination's."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The year on the mission's own clock, kept so that pages count and sum by year in SQL.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    currency = models.CharField(
        _("currency of the accounts"),
        max_length=3,
        validators=[validate_currency],
        help_text=_("The currency in which the costs are added up."),
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    projects = models.ManyToManyField(
        "cooperation.Project",
        blank=True,
        related_name="missions",
        verbose_name=_("cooperation projects"),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the international action page.")
    )
    costs_public = models.BooleanField(
        _("costs public"),
        default=False,
        help_text=_("The costs are shown with the mission, once it is public."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        indexes = [
            models.Index(fields=["local_government", "year"], name="mission_city_year"),
            models.Index(fields=["network", "year"], name="mission_network_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(local_government__isnull=False) & Q(network__isnull=True))
                | (Q(local_government__isnull=True) & Q(network__isnull=False)),
                name="mission_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="mission_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.year = in_zone(self.starts_at, self.time_zone).year
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"starts_at", "time_zone"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "year"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperation:mission-detail", args=[self.pk])

    @property
    def owner(self):
        return self.local_government or self.network

    @property
    def shows_costs(self) -> bool:
        """Whether the public sees the costs."""
        return self.is_public and self.costs_public


class DelegationMember(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="delegation", verbose_name=_("mission")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="missions",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role in the delegation"), max_length=200, blank=True)

    class Meta:
        ordering = ["mission", "pk"]
        verbose_name = _("member of the delegation")
        verbose_name_plural = _("delegation")
        constraints = [
            models.UniqueConstraint(fields=["mission", "person"], name="mission_person_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.role})" if self.role else str(self.person)


class Meeting(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("mission")
    )
    held_on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=250)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mission_meetings",
        verbose_name=_("organisation"),
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mission_meetings",
        verbose_name=_("local government"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["mission", "held_on", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.held_on}: {self.with_whom}"


class MissionCost(models.Model):
    class Category(models.TextChoices):
        TRAVEL = "travel", _("Travel")
        ACCOMMODATION = "accommodation", _("Accommodation")
        PER_DIEM = "per_diem", _("Per diem")
        INTERPRETATION = "interpretation", _("Interpretation")
        OTHER = "other", _("Other")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="costs", verbose_name=_("mission")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.CharField(_("description"), max_length=250, blank=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    amount = models.DecimalField(_("amount"), **MONEY)
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=20,
        decimal_places=10,
        default=1,
        help_text=_("Units of the mission's currency for one unit of this cost's currency."),
    )
    amount_converted = models.DecimalField(_("amount in the mission's currency"), **MONEY)

    class Meta:
        ordering = ["mission", "category", "pk"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount_converted__gt=0) & Q(exchange_rate__gt=0),
                name="mission_cost_amounts_positive",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount} {self.currency}"


class InternationalPage(TimestampedModel):
    """What a local government's officers publish on its international action page, beside the
    missions they mark public one by one."""

    local_government = models.OneToOneField(
        "directory.LocalGovernment",
        on_delete=models.CASCADE,
        related_name="international_page",
        verbose_name=_("local government"),
    )
    show_dues = models.BooleanField(
        _("show the dues paid to networks"),
        default=False,
        help_text=_("The amounts paid each year to the networks it belongs to."),
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A few words for citizens on the city's international action."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("international action page")
        verbose_name_plural = _("international action pages")

    def __str__(self):
        return str(self.local_government)
