"""A network's budget and accounts, its audits and its transparency page.

The chart of accounts is the network's own: each account is income or expenditure, and may take
what the platform records of one kind (dues paid, fund income, tranches released, event fees),
besides manual entries with their document. A year's budget is kept as versions: each approval
or revision is a new version with its lines and the governing body's decision behind it. Amounts
are in the network's accounting currency; other currencies are converted at the rates recorded
here (`ExchangeRate`), or at the rate recorded with the money itself where the platform keeps one.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.cooperation.documents_base import DocumentBase
from municipia.core.i18n import translated
from municipia.core.models import TimestampedModel
from municipia.finance.currencies import validate_currency

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


class AccountingSettings(TimestampedModel):
    """The currency a network keeps its books in."""

    network = models.OneToOneField(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="accounting",
        verbose_name=_("network"),
    )
    currency = models.CharField(
        _("accounting currency"), max_length=3, validators=[validate_currency]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accounting settings")
        verbose_name_plural = _("accounting settings")

    def __str__(self):
        return f"{self.network} · {self.currency}"


class ExchangeRate(TimestampedModel):
    """Units of the accounting currency for one unit of `currency`, from `valid_from` on."""

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="exchange_rates",
        verbose_name=_("network"),
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    valid_from = models.DateField(_("valid from"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Units of the accounting currency for one unit of this currency."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "currency", "valid_from"], name="exchange_rate_once_per_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self):
        return f"{self.currency} {self.valid_from}: {self.rate}"


class Account(TimestampedModel):
    """A line of the network's chart of accounts."""

    class Kind(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENDITURE = "expenditure", _("Expenditure")

    class Source(models.TextChoices):
        """What the platform records that the account takes, besides manual entries."""

        DUES = "dues", _("Membership dues paid")
        FUND_CONTRIBUTIONS = "fund_contributions", _("Contributions to the cooperation fund paid")
        FUND_INCOME = "fund_income", _("Grants and other income of the cooperation fund")
        EVENT_FEES = "event_fees", _("Event fees paid")
        FUND_DISBURSEMENTS = "fund_disbursements", _("Tranches released to funded projects")

    INCOME_SOURCES = (Source.DUES, Source.FUND_CONTRIBUTIONS, Source.FUND_INCOME, Source.EVENT_FEES)

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="accounts",
        verbose_name=_("network"),
    )
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    name = models.JSONField(
        _("name"), default=dict, help_text=_("The account's name in each language.")
    )
    source = models.CharField(
        _("takes from the platform"), max_length=20, choices=Source, blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "kind", "position", "code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="account_code_per_network"),
            models.UniqueConstraint(
                fields=["network", "source"],
                condition=~Q(source=""),
                name="account_source_once_per_network",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.display_name()}"

    def display_name(self, language: str | None = None) -> str:
        return translated(self.name, language, default=self.code)


class Budget(TimestampedModel):
    """A network's budget for a year: its versions hold the lines; closing the year freezes it."""

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("network"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    closed_on = models.DateField(_("year closed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "-year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="budget_once_per_year"),
        ]

    def __str__(self):
        return f"{self.network} {self.year}"

    def get_absolute_url(self):
        return reverse("accountability:budget", args=[self.network.slug, self.year])

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class BudgetVersion(models.Model):
    """One approval (number 1) or revision of a budget, with the decision that adopted it."""

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="versions", verbose_name=_("budget")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    decision = models.ForeignKey(
        "events.Decision",
        on_delete=models.PROTECT,
        related_name="budget_versions",
        verbose_name=_("approving decision"),
    )
    approved_on = models.DateField(_("approved on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["budget", "-number"]
        verbose_name = _("budget version")
        verbose_name_plural = _("budget versions")
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budget_version_number"),
        ]

    def __str__(self):
        return f"{self.budget} v{self.number}"


class BudgetLine(models.Model):
    version = models.ForeignKey(
        BudgetVersion, on_delete=models.CASCADE, related_name="lines", verbose_name=_("version")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("account")
    )
    amount = _money(_("amount"), validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["version", "account__kind", "account__position"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["version", "account"], name="budget_line_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self):
        return f"{self.account}: {self.amount}"


def entry_document_path(instance, filename: str) -> str:
    return f"accountability/entries/{instance.network_id}/{filename}"


def audit_document_path(instance, filename: str) -> str:
    return f"accountability/audits/{instance.network_id}/{filename}"


def published_document_path(instance, filename: str) -> str:
    return f"accountability/documents/{instance.network_id}/{filename}"


class ManualEntry(DocumentBase):
    """Income or expenditure the platform does not record, entered by staff with its document."""

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="manual_entries",
        verbose_name=_("network"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    booked_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    amount = _money(_("amount"))
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Units of the accounting currency for one unit of this currency."),
    )
    amount_converted = _money(_("amount in the accounting currency"))
    file = models.FileField(_("document"), upload_to=entry_document_path, max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "-booked_on", "-pk"]
        verbose_name = _("manual entry")
        verbose_name_plural = _("manual entries")
        indexes = [models.Index(fields=["network", "booked_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount_converted__gt=0) & Q(exchange_rate__gt=0),
                name="manual_entry_amounts_positive",
            ),
        ]

    def __str__(self):
        return f"{self.booked_on} {self.description}"


class Audit(TimestampedModel):
    """An audit engagement: who audits which period and what, and the opinion they gave."""

    class Opinion(models.TextChoices):
        UNMODIFIED = "unmodified", _("Unmodified (clean) opinion")
        QUALIFIED = "qualified", _("Qualified opinion")
        ADVERSE = "adverse", _("Adverse opinion")
        DISCLAIMER = "disclaimer", _("Disclaimer of opinion")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="audits",
        verbose_name=_("network"),
    )
    auditor = models.CharField(_("auditor"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    scope = models.TextField(_("scope"))
    opinion = models.CharField(_("opinion"), max_length=12, choices=Opinion, blank=True)
    opinion_text = models.TextField(_("opinion as worded"), blank=True)
    opinion_on = models.DateField(_("opinion given on"), null=True, blank=True)
    report_name = models.CharField(_("report file name"), max_length=255, blank=True)
    report = models.FileField(
        _("audit report"), upload_to=audit_document_path, max_length=200, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "-period_end"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        indexes = [models.Index(fields=["network", "-period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="audit_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.auditor} · {self.period_start.year}"

    def get_absolute_url(self):
        return reverse("accountability:audit", args=[self.network.slug, self.pk])

    @property
    def year(self) -> int:
        return self.period_end.year


class Finding(TimestampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("Being followed up")
        RESOLVED = "resolved", _("Resolved")

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("audit")
    )
    title = models.CharField(_("finding"), max_length=300)
    recommendation = models.TextField(_("recommendation"), blank=True)
    status = models.CharField(_("follow-up"), max_length=12, choices=Status, default=Status.OPEN)
    follow_up = models.TextField(_("follow-up notes"), blank=True)
    activity = models.ForeignKey(
        "plans.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_findings",
        verbose_name=_("plan activity answering it"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return self.title


class TransparencySection(models.TextChoices):
    BODIES = "bodies", _("Governing bodies and their members")
    STATUTES = "statutes", _("Statutes and rules")
    PLAN = "plan", _("Adopted plan and its accountability")
    BUDGET = "budget", _("Budget and actuals")
    AUDITS = "audits", _("Audits")
    REPORTS = "reports", _("Activity and financial reports")
    MINUTES = "minutes", _("Minutes and decisions")
    COOPERATION = "cooperation", _("Agreements and funded projects")


class TransparencyPage(TimestampedModel):
    """What a network publishes on its transparency page (the sections staff choose)."""

    network = models.OneToOneField(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="transparency",
        verbose_name=_("network"),
    )
    sections = models.JSONField(_("published sections"), default=list, blank=True)
    introduction = models.JSONField(
        _("introduction"), default=dict, blank=True, help_text=_("A short text in each language.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transparency page")
        verbose_name_plural = _("transparency pages")

    def __str__(self):
        return str(self.network)

    def get_absolute_url(self):
        return reverse("accountability:transparency", args=[self.network.slug])

    def publishes(self, section: str) -> bool:
        return section in self.sections


class PublishedDocument(DocumentBase):
    """A statute, rule or other founding text the network publishes."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", _("Statutes")
        RULES = "rules", _("Rules of procedure")
        FINANCIAL_RULES = "financial_rules", _("Financial rules")
        OTHER = "other", _("Other document")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="published_documents",
        verbose_name=_("network"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    adopted_on = models.DateField(_("adopted on"))
    file = models.FileField(_("file"), upload_to=published_document_path, max_length=200)

    class Meta:
        ordering = ["network", "kind", "-adopted_on"]
        verbose_name = _("published document")
        verbose_name_plural = _("published documents")


class TransparencyChange(models.Model):
    """One line of the transparency page's change history."""

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="transparency_changes",
        verbose_name=_("network"),
    )

    class Event(models.TextChoices):
        PUBLISHED = "published", _("Section published")
        WITHDRAWN = "withdrawn", _("Section withdrawn")
        BUDGET_APPROVED = "budget_approved", _("Budget approved")
        BUDGET_REVISED = "budget_revised", _("Budget revised")
        YEAR_CLOSED = "year_closed", _("Accounts of the year closed")
        AUDIT_OPINION = "audit_opinion", _("Audit opinion recorded")
        DOCUMENT_ADDED = "document_added", _("Document added")

    section = models.CharField(_("section"), max_length=20, choices=TransparencySection)
    event = models.CharField(_("what changed"), max_length=20, choices=Event)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["network", "-changed_at", "-pk"]
        verbose_name = _("transparency change")
        verbose_name_plural = _("transparency changes")
        indexes = [models.Index(fields=["network", "-changed_at"])]

    def __str__(self):
        return f"{self.network} · {self.section} · {self.changed_at:%Y-%m-%d}"
