"""Cooperation: a network's fund and the projects it pays for.

A `Fund` belongs to a network. Its income is the members' yearly `Contribution`s (invoices of
`finance`, issued and paid like dues) and other `Income` from organisations of the directory (a
donor, the European Commission, a foundation). A `Commitment` sets money aside for a `Project`; the
project's `Disbursement`s (tranches) pay it out, each released against an accepted `ProjectReport`.
Every amount is kept in its own currency with the rate to the fund's currency recorded beside it,
so totals are converted at the rate of the day, never at today's.

A `Project` has a lead and `Partner`s (local governments and organisations) with roles, themes,
SDG targets, countries, a period and a status that moves proposed → approved → running → closed (or
cancelled), each move kept as a `ProjectStatusChange`. Its `BudgetLine`s, `CoFunding` sources,
`Milestone`s and `ProjectIndicator`s (the shape that plans share, `core.indicators`) describe the
plan; reports, measured values and results tell what happened.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.cooperation.documents_base import DocumentBase
from municipia.cooperation.parties import ONE_PARTY, PartyMixin, party_constraints
from municipia.core.i18n import best_text
from municipia.core.indicators import IndicatorBase, IndicatorValueBase
from municipia.core.models import TimestampedModel, UploadedImport
from municipia.finance.currencies import validate_currency
from municipia.plans.models import GeographicPriority

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 20, "decimal_places": 10}


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


def _rate():
    return models.DecimalField(
        _("exchange rate"),
        **RATE,
        default=Decimal(1),
        help_text=_("Units of the fund's currency for one unit of this amount's currency."),
    )


def _currency():
    return models.CharField(_("currency"), max_length=3, validators=[validate_currency])


class FundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A fund's finances are seen by its network's staff and by superusers only."""
        if is_superuser(user):
            return self
        return self.filter(network_id__in=network_ids_with_role(user, "network_staff"))


class Fund(TimestampedModel):
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="cooperation_funds",
        verbose_name=_("network"),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=250)
    currency = models.CharField(
        _("currency of the accounts"), max_length=3, validators=[validate_currency]
    )
    established = models.PositiveSmallIntegerField(_("established in"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("cooperation fund")
        verbose_name_plural = _("cooperation funds")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="fund_slug_per_network"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:fund-statement", args=[self.network.slug, self.slug])


class ConvertedQuerySet(models.QuerySet):
    network_path = "fund__network"

    def visible_to(self, user):
        if is_superuser(user):
            return self
        return self.filter(
            **{f"{self.network_path}_id__in": network_ids_with_role(user, "network_staff")}
        )


class Contribution(TimestampedModel):
    """A member's contribution to the fund for a year: its invoice lives in `finance`."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("fund")
    )
    invoice = models.OneToOneField(
        "finance.Invoice",
        on_delete=models.PROTECT,
        related_name="fund_contribution",
        verbose_name=_("invoice"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    exchange_rate = _rate()
    history = HistoricalRecords()

    objects = ConvertedQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "-year", "invoice__sequence"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(exchange_rate__gt=0), name="contribution_rate_positive"
            ),
        ]

    def __str__(self):
        return f"{self.fund} {self.year}: {self.invoice}"


class Income(TimestampedModel):
    """Money the fund receives from outside its members: a grant, a donation, a partnership."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        DONATION = "donation", _("Donation")
        PARTNERSHIP = "partnership", _("Partnership agreement")
        OTHER = "other", _("Other income")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="incomes", verbose_name=_("fund")
    )
    source = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="fund_incomes",
        verbose_name=_("from"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.GRANT)
    year = models.PositiveSmallIntegerField(_("year"))
    received_on = models.DateField(_("received on"))
    currency = _currency()
    amount = _money(_("amount"))
    exchange_rate = _rate()
    amount_converted = _money(_("amount in the fund's currency"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ConvertedQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "-received_on"]
        verbose_name = _("income")
        verbose_name_plural = _("income")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount_converted__gt=0) & Q(exchange_rate__gt=0),
                name="income_amounts_positive",
            ),
        ]

    def __str__(self):
        return f"{self.source}: {self.amount} {self.currency}"


class ProjectQuerySet(models.QuerySet):
    def in_priority_areas(self):
        """Projects one of whose countries is a geographic priority of a plan of the project's
        network or of one of its partner local governments: named as a country, or lying in a
        named UN M49 region (its region, sub-region or intermediate region). One subquery."""
        in_region = (
            Q(region=OuterRef("country__region"))
            | Q(region=OuterRef("country__sub_region"))
            | Q(region=OuterRef("country__intermediate_region"))
        )
        areas = GeographicPriority.objects.filter(
            Q(country_id=OuterRef("country_id")) | (~Q(region="") & in_region)
        ).filter(
            Q(plan__network_id=OuterRef("project__network_id"))
            | Q(
                plan__local_government_id__in=Partner.objects.filter(
                    project_id=OuterRef(OuterRef("project_id")), local_government__isnull=False
                ).values("local_government_id")
            )
        )
        countries = Project.countries.through.objects.filter(Exists(areas))
        return self.filter(pk__in=countries.values("project_id"))

    def public(self):
        return self.filter(is_public=True).exclude(status=Project.Status.PROPOSED)

    def for_network(self, network):
        return self.filter(network=network)

    def visible_to(self, user):
        """Public projects; with them, every project of the networks one staffs and the projects
        whose partner cities one is an officer of (superusers see all)."""
        if is_superuser(user):
            return self
        condition = Q(is_public=True) & ~Q(status=Project.Status.PROPOSED)
        if user is not None and user.is_authenticated:
            networks = network_ids_with_role(user, "network_staff")
            cities = local_government_ids_with_role(user, "city_officer")
            if networks:
                condition |= Q(network_id__in=networks)
            if cities:
                condition |= Q(
                    pk__in=Partner.objects.filter(local_government_id__in=cities).values(
                        "project_id"
                    )
                )
        return self.filter(condition)


class Project(TimestampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # Where each status may go next; closed and cancelled projects stay as they are.
    TRANSITIONS = {
        Status.PROPOSED: (Status.APPROVED, Status.CANCELLED),
        Status.APPROVED: (Status.RUNNING, Status.CANCELLED),
        Status.RUNNING: (Status.CLOSED, Status.CANCELLED),
        Status.CLOSED: (),
        Status.CANCELLED: (),
    }
    ACTIVE = (Status.APPROVED, Status.RUNNING)

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="cooperation_projects",
        verbose_name=_("network"),
    )
    fund = models.ForeignKey(
        Fund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("fund"),
    )
    code = models.CharField(_("reference"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PROPOSED, db_index=True
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    themes = models.ManyToManyField(
        "knowledge.Theme", blank=True, related_name="projects", verbose_name=_("themes")
    )
    sdg_targets = models.ManyToManyField(
        "knowledge.SdgTarget", blank=True, related_name="projects", verbose_name=_("SDG targets")
    )
    countries = models.ManyToManyField(
        "directory.Country",
        blank=True,
        related_name="cooperation_projects",
        verbose_name=_("countries"),
    )
    experiences = models.ManyToManyField(
        "knowledge.Experience",
        blank=True,
        related_name="cooperation_projects",
        verbose_name=_("related experiences"),
    )
    application = models.OneToOneField(
        "calls.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cooperation_project",
        verbose_name=_("application"),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown to everyone, in search and in the open data once approved."),
    )
    # The IATI activity identifier of a project imported from another publisher's file
    # (cooperation.iati_import): importing the file again updates the project.
    iati_identifier = models.CharField(_("IATI identifier"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        indexes = [models.Index(fields=["network", "status", "-starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="project_period_in_order",
            ),
            models.UniqueConstraint(
                fields=["network", "iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="project_iati_identifier_per_network",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"

    def get_absolute_url(self):
        return reverse("cooperation:project-detail", args=[self.slug])

    def get_kind_display(self):
        return _("Cooperation project")

    @property
    def year(self) -> int | None:
        return self.starts_on.year if self.starts_on else None

    def text(self, language: str | None = None):
        """The translation in `language` (the UI language by default), else the original
        (translations prefetched, or one query)."""
        return best_text(self.translations.all(), self.original_language, language)

    @property
    def title(self) -> str:
        text = self.text()
        return text.title if text else self.code

    @property
    def is_open_for_reports(self) -> bool:
        return self.status in self.ACTIVE


class ProjectTranslation(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="translations", verbose_name=_("project")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    results = models.TextField(_("results"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "language"]
        verbose_name = _("project translation")
        verbose_name_plural = _("project translations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "language"], name="project_translation_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


class ProjectStatusChange(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("project")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Project.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Project.Status)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["project", "changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.project}: {self.from_status or '—'} → {self.to_status}"


class Partner(PartyMixin, TimestampedModel):
    """A local government or an organisation taking part in a project, with its role."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        ASSOCIATE = "associate", _("Associate")
        TECHNICAL = "technical", _("Technical partner")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="partners", verbose_name=_("project")
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_partnerships",
        verbose_name=_("local government"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.PARTNER)
    contribution = models.TextField(_("what it brings"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            *party_constraints(
                "project",
                one="partner_is_one_party",
                city_once="partner_city_once_per_project",
                organisation_once="partner_organisation_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(role="lead"), name="project_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"


class BudgetLine(TimestampedModel):
    class Category(models.TextChoices):
        STAFF = "staff", _("Staff")
        WORKS = "works", _("Works")
        EQUIPMENT = "equipment", _("Equipment")
        TRAVEL = "travel", _("Travel")
        SERVICES = "services", _("Services and studies")
        TRAINING = "training", _("Training")
        COMMUNICATION = "communication", _("Communication")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.CharField(_("description"), max_length=300)
    currency = _currency()
    amount = _money(_("amount"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.description}: {self.amount} {self.currency}"


class CoFunding(TimestampedModel):
    """Money for the project from elsewhere than the fund: a partner, a donor, a ministry."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="co_funding", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_co_funding",
        verbose_name=_("organisation"),
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_co_funding",
        verbose_name=_("local government"),
    )
    currency = _currency()
    amount = _money(_("amount"))
    confirmed = models.BooleanField(_("confirmed"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("co-funding source")
        verbose_name_plural = _("co-funding sources")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="co_funding_amount_positive"),
            models.CheckConstraint(condition=ONE_PARTY, name="co_funding_is_one_party"),
        ]

    def __str__(self):
        return f"{self.organisation or self.local_government}: {self.amount} {self.currency}"


class Commitment(TimestampedModel):
    """Money of the fund set aside for a project, in a currency, at a recorded rate."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("fund")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    committed_on = models.DateField(_("committed on"))
    currency = _currency()
    amount = _money(_("amount"))
    exchange_rate = _rate()
    amount_converted = _money(_("amount in the fund's currency"))
    note = models.TextField(_("note"), blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ConvertedQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "-committed_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount_converted__gt=0) & Q(exchange_rate__gt=0),
                name="commitment_amounts_positive",
            ),
        ]

    def __str__(self):
        return f"{self.project.code}: {self.amount} {self.currency}"


class ProjectReport(TimestampedModel):
    class Kind(models.TextChoices):
        NARRATIVE = "narrative", _("Narrative report")
        FINANCIAL = "financial", _("Financial report")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reports", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    title = models.CharField(_("title"), max_length=250)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    text = models.TextField(_("report"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-submitted_at"]
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="project_report_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.project.code}: {self.title}"

    def get_absolute_url(self):
        return reverse("cooperation:report-detail", args=[self.project.slug, self.pk])


def report_document_path(instance, filename: str) -> str:
    return f"cooperation/reports/{instance.report.project_id}/{filename}"


class ReportDocument(DocumentBase):
    report = models.ForeignKey(
        ProjectReport, on_delete=models.CASCADE, related_name="documents", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to=report_document_path, max_length=200)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")


class Disbursement(TimestampedModel):
    """A tranche of a commitment, planned, then released against an accepted report."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RELEASED = "released", _("Released")

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("commitment")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("project")
    )
    label = models.CharField(_("label"), max_length=120)
    planned_on = models.DateField(_("planned for"))
    amount = _money(_("amount"), help_text=_("In the commitment's currency."))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    report = models.OneToOneField(
        ProjectReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tranche",
        verbose_name=_("released against"),
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "planned_on", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="planned")
                | (Q(report__isnull=False) & Q(released_on__isnull=False)),
                name="disbursement_released_against_report",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.amount} {self.commitment.currency}"

    @property
    def currency(self) -> str:
        return self.commitment.currency

    @property
    def amount_converted(self) -> Decimal:
        return (self.amount * self.commitment.exchange_rate).quantize(Decimal("0.01"))


class Milestone(TimestampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=250)
    due_on = models.DateField(_("due on"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class ProjectIndicator(IndicatorBase):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")

    def __str__(self):
        return self.name


class ProjectIndicatorValue(IndicatorValueBase):
    indicator = models.ForeignKey(
        ProjectIndicator,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("indicator"),
    )
    history = HistoricalRecords()

    class Meta(IndicatorValueBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="project_indicator_value_one_per_day"
            ),
        ]


IATI_IDENTIFIER = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,}-[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")


def validate_iati_identifier(value: str) -> None:
    """An IATI organisation identifier: the registration agency's code (country, then agency:
    XM-DAC, GB-COH, XI-IATI) and the number it gave, without spaces or slashes."""
    if not IATI_IDENTIFIER.match(value or ""):
        raise ValidationError(
            _(
                "“%(value)s” is not an IATI organisation identifier: write the registration "
                "agency's code and the organisation's number, like XM-DAC-41114 or "
                "GB-COH-01234567."
            ),
            code="invalid",
            params={"value": value},
        )


class IatiPublisher(TimestampedModel):
    """How a network publishes its projects to IATI: the identifier and type of the reporting
    organisation that every activity of its open-data files names."""

    class OrganisationType(models.TextChoices):
        GOVERNMENT = "10", _("Government")
        LOCAL_GOVERNMENT = "11", _("Local government")
        OTHER_PUBLIC = "15", _("Other public sector")
        INTERNATIONAL_NGO = "21", _("International NGO")
        NATIONAL_NGO = "22", _("National NGO")
        REGIONAL_NGO = "23", _("Regional NGO")
        PARTNER_COUNTRY_NGO = "24", _("Partner country based NGO")
        PUBLIC_PRIVATE = "30", _("Public private partnership")
        MULTILATERAL = "40", _("Multilateral")
        FOUNDATION = "60", _("Foundation")
        PRIVATE_SECTOR = "70", _("Private sector")
        ACADEMIC = "80", _("Academic, training and research")
        OTHER = "90", _("Other")

    network = models.OneToOneField(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="iati_publisher",
        verbose_name=_("network"),
    )
    reporting_org_ref = models.CharField(
        _("reporting organisation identifier"),
        max_length=120,
        unique=True,
        validators=[validate_iati_identifier],
        help_text=_("The network's identifier in the IATI registry, like XM-DAC-41114."),
    )
    reporting_org_type = models.CharField(
        _("reporting organisation type"),
        max_length=2,
        choices=OrganisationType,
        default=OrganisationType.INTERNATIONAL_NGO,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("IATI publisher")
        verbose_name_plural = _("IATI publishers")

    def __str__(self):
        return f"{self.network}: {self.reporting_org_ref}"


class ReportedTransaction(models.Model):
    """Money of a project that another publisher reported in its IATI file (a funder's
    commitments and disbursements): kept beside the fund's own, never counted in its accounts."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        DISBURSEMENT = "disbursement", _("Disbursement")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="reported_transactions",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    transaction_date = models.DateField(_("date"))
    value_date = models.DateField(_("value date"))
    currency = _currency()
    amount = _money(_("amount"))
    provider = models.CharField(_("provided by"), max_length=300, blank=True)
    receiver = models.CharField(_("received by"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["project", "transaction_date", "pk"]
        verbose_name = _("reported transaction")
        verbose_name_plural = _("reported transactions")

    def __str__(self):
        return f"{self.project.code}: {self.get_kind_display()} {self.amount} {self.currency}"


class IatiImport(UploadedImport):
    """An IATI activity file uploaded into a network's projects: read and matched in the
    background (`preview`), then written when its owner confirms (`result`)."""

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="iati_imports",
        verbose_name=_("network"),
    )
    fund = models.ForeignKey(
        Fund,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="iati_imports",
        verbose_name=_("fund"),
    )
    # The activities as read and matched: one dict per activity (see iati_import.preview).
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    # The choice made for each organisation the preview could not settle: key → "lg:<id>" or
    # "org:<id>".
    choices = models.JSONField(_("choices"), default=dict, blank=True)

    class Meta(UploadedImport.Meta):
        verbose_name = _("IATI import")
        verbose_name_plural = _("IATI imports")

    def get_absolute_url(self):
        return reverse("cooperation:iati-import-detail", args=[self.pk])


from municipia.cooperation.agreements.models import *  # noqa: E402, F403  (agreements)
from municipia.cooperation.missions.models import *  # noqa: E402, F403
from municipia.cooperation.opportunities.models import *  # noqa: E402, F403
