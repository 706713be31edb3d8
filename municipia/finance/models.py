"""Membership dues: fee schedules and their bands, invoices, payments, waivers, payment plans,
billing contacts and the reminders sent to them.

An invoice keeps its settled amounts (`amount_paid`, `amount_waived`) next to its `amount`, updated
only by `finance.services` under a row lock, so that the balance, arrears and good standing are plain
column arithmetic in one query.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.core.models import TimestampedModel
from municipia.directory.models import Membership
from municipia.finance.currencies import validate_currency

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


class NetworkScopedQuerySet(models.QuerySet):
    network_path = "network"

    def for_network(self, network):
        return self.filter(**{self.network_path: network})

    def visible_to(self, user):
        """Dues are seen by the staff of their network and by superusers, nobody else."""
        if is_superuser(user):
            return self
        return self.filter(
            **{f"{self.network_path}_id__in": network_ids_with_role(user, "network_staff")}
        )


class FeeSchedule(TimestampedModel):
    """What members of one network pay for one year, in one currency, by band."""

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="fee_schedules",
        verbose_name=_("network"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[validate_currency],
        help_text=_("ISO 4217 code, e.g. EUR."),
    )
    due_on = models.DateField(_("due date"))
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=30,
        help_text=_("Days after the due date before an unpaid invoice affects good standing."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = NetworkScopedQuerySet.as_manager()

    class Meta:
        ordering = ["network", "-year"]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year"], name="fee_schedule_one_per_network_year"
            ),
        ]

    def __str__(self):
        return f"{self.network} {self.year}"

    def get_absolute_url(self):
        return reverse("finance:schedule-edit", args=[self.network.slug, self.year])

    def band_for(self, membership: Membership) -> "FeeBand | None":
        """The first band that fits the member's category and population (bands must be prefetched
        or this costs one query)."""
        population = membership.local_government.population if membership.local_government else None
        for band in self.bands.all():
            if band.fits(membership.category, population):
                return band
        return None


class FeeBand(models.Model):
    """One line of a schedule: a category, a population range, or both; the first that fits wins."""

    schedule = models.ForeignKey(
        FeeSchedule, on_delete=models.CASCADE, related_name="bands", verbose_name=_("fee schedule")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=120, blank=True)
    category = models.CharField(
        _("membership category"),
        max_length=20,
        choices=Membership.Category,
        blank=True,
        help_text=_("Leave empty for every category."),
    )
    min_population = models.PositiveBigIntegerField(
        _("population from"), null=True, blank=True, help_text=_("Inclusive; empty for no minimum.")
    )
    max_population = models.PositiveBigIntegerField(
        _("population below"),
        null=True,
        blank=True,
        help_text=_("Exclusive; empty for no maximum."),
    )
    amount = _money(_("amount"), validators=[MinValueValidator(ZERO)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "position", "id"]
        verbose_name = _("fee band")
        verbose_name_plural = _("fee bands")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_band_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(min_population__isnull=True)
                | Q(max_population__isnull=True)
                | Q(min_population__lt=F("max_population")),
                name="fee_band_population_range_ordered",
            ),
        ]

    def __str__(self):
        return self.label or self.describe()

    def describe(self) -> str:
        parts = [self.get_category_display()] if self.category else []
        if self.min_population is not None or self.max_population is not None:
            low = f"{self.min_population:,}" if self.min_population is not None else "0"
            high = f"{self.max_population:,}" if self.max_population is not None else "∞"
            parts.append(f"{low}\N{EN DASH}{high}")
        return " · ".join(str(p) for p in parts) or str(_("Every member"))

    def fits(self, category: str, population: int | None) -> bool:
        if self.category and self.category != category:
            return False
        if self.min_population is None and self.max_population is None:
            return True
        if population is None:
            return False
        if self.min_population is not None and population < self.min_population:
            return False
        return self.max_population is None or population < self.max_population


class InvoiceQuerySet(NetworkScopedQuerySet):
    def open(self):
        return self.filter(status=Invoice.Status.OPEN)

    def with_balance(self):
        return self.annotate(outstanding=F("amount") - F("amount_paid") - F("amount_waived"))

    def _annotate_plan(self, on: datetime.date):
        """Annotate whether an active plan covers the invoice and whether it is kept on `on`."""
        # .order_by() drops the models' default orderings, which would join tables into every
        # correlated subquery for nothing.
        active_plans = PaymentPlan.objects.filter(
            invoice_id=OuterRef("pk"), status=PaymentPlan.Status.ACTIVE
        ).order_by()
        due_so_far = (
            Instalment.objects.filter(
                plan__invoice_id=OuterRef("pk"),
                plan__status=PaymentPlan.Status.ACTIVE,
                overdue_after__lt=on,
            )
            .order_by()
            .values("plan__invoice_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        money = models.DecimalField(**MONEY)
        return self.annotate(
            on_plan=Exists(active_plans),
            plan_settled_before=Coalesce(
                Subquery(active_plans.values("settled_before")[:1]), Value(ZERO), output_field=money
            ),
            plan_due_so_far=Coalesce(Subquery(due_so_far), Value(ZERO), output_field=money),
        )

    def overdue(self, on: datetime.date):
        """Open invoices past their grace period on `on`, unless a plan covers them and every
        instalment due by then (with the same grace) has been paid or waived."""
        return (
            self.open()
            ._annotate_plan(on)
            .annotate(settled=F("amount_paid") + F("amount_waived"))
            .filter(
                Q(on_plan=False, overdue_after__lt=on)
                | Q(on_plan=True, settled__lt=F("plan_settled_before") + F("plan_due_so_far"))
            )
        )

    def past_due(self, on: datetime.date):
        """Open invoices whose due date has passed on `on` (grace period or not), except those
        covered by a plan that is kept: the ones a reminder is about."""
        return (
            self.open()
            ._annotate_plan(on)
            .annotate(settled=F("amount_paid") + F("amount_waived"))
            .filter(
                Q(on_plan=False, due_on__lt=on)
                | Q(on_plan=True, settled__lt=F("plan_settled_before") + F("plan_due_so_far"))
            )
        )


class Invoice(TimestampedModel):
    """The dues of one member for one year: issued once, then paid, waived or cancelled. A member's
    yearly contribution to a network's cooperation fund is an invoice of its own kind, issued,
    paid and reminded of in the same way."""

    class Kind(models.TextChoices):
        DUES = "dues", _("Membership dues")
        FUND_CONTRIBUTION = "fund_contribution", _("Contribution to a cooperation fund")
        EVENT_FEE = "event_fee", _("Event registration fee")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SETTLED = "settled", _("Settled")
        CANCELLED = "cancelled", _("Cancelled")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("network"),
    )
    # Empty for an event fee charged to a participant who is not a member: the payer is named below.
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("membership"),
    )
    payer_name = models.CharField(_("payer's name"), max_length=200, blank=True)
    payer_email = models.EmailField(_("payer's e-mail"), blank=True)
    payer_organisation = models.CharField(_("payer's organisation"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DUES)
    # Empty for contributions, which are priced by the fund rather than by a fee schedule.
    schedule = models.ForeignKey(
        FeeSchedule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("fee schedule"),
    )
    band = models.ForeignKey(
        FeeBand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("band"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=40)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    amount = _money(_("amount"))
    amount_paid = _money(_("paid"), default=ZERO)
    amount_waived = _money(_("waived"), default=ZERO)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    overdue_after = models.DateField(
        _("overdue after"), help_text=_("The due date plus the grace period.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    history = HistoricalRecords()

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["network", "-year", "sequence"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            # the staff lists: newest year first, in number order; the arrears: oldest due first
            models.Index(fields=["network", "-year", "sequence"], name="invoice_network_year_seq"),
            models.Index(fields=["network", "status", "due_on"]),
            models.Index(fields=["membership", "status", "overdue_after"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"],
                condition=Q(kind="dues"),
                name="invoice_once_per_member_and_year",
            ),
            models.CheckConstraint(
                condition=~Q(kind="dues") | Q(schedule__isnull=False),
                name="invoice_dues_have_schedule",
            ),
            models.CheckConstraint(
                condition=Q(membership__isnull=False) | (Q(kind="event_fee") & ~Q(payer_name="")),
                name="invoice_member_or_named_payer",
            ),
            models.UniqueConstraint(
                fields=["network", "year", "sequence"],
                name="invoice_number_sequence_per_network_year",
            ),
            models.UniqueConstraint(
                fields=["network", "number"], name="invoice_number_unique_per_network"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount_paid__gte=0) & Q(amount_waived__gte=0),
                name="invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=F("amount_paid") + F("amount_waived")),
                name="invoice_not_settled_beyond_amount",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("finance:invoice-detail", args=[self.network.slug, self.number])

    @property
    def balance(self) -> Decimal:
        return self.amount - self.amount_paid - self.amount_waived

    @property
    def member(self):
        """The member invoiced, or the named payer of a non-member's event fee."""
        if self.membership_id is None:
            return self.payer_display
        return self.membership.member

    @property
    def payer_display(self) -> str:
        if self.payer_organisation:
            return f"{self.payer_name} ({self.payer_organisation})"
        return self.payer_name

    def days_past_due(self, on: datetime.date) -> int:
        return max((on - self.due_on).days, 0)


class PaymentQuerySet(NetworkScopedQuerySet):
    network_path = "invoice__network"


class Payment(TimestampedModel):
    """Money received for an invoice, possibly in another currency at a recorded rate."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        LOCAL_ACCOUNT = "local_account", _("Deposit to a local account")
        CARD = "card", _("Card")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    received_on = models.DateField(_("received on"))
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    amount = _money(_("amount received"))
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Units of the invoice currency for one unit of the payment currency."),
    )
    amount_credited = _money(_("amount credited"), help_text=_("In the invoice currency."))
    method = models.CharField(
        _("method"), max_length=20, choices=Method, default=Method.BANK_TRANSFER
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "received_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount_credited__gt=0) & Q(exchange_rate__gt=0),
                name="payment_amounts_positive",
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} → {self.invoice}"


class Waiver(TimestampedModel):
    """A part (or all) of an invoice that the network forgives, with the reason and who approved."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="waivers", verbose_name=_("invoice")
    )
    amount = _money(_("amount waived"), help_text=_("In the invoice currency."))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["invoice", "approved_on", "id"]
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="waiver_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount} {self.invoice.currency} · {self.invoice}"


class PaymentPlan(TimestampedModel):
    """Instalments agreed for the balance of an invoice, e.g. for members who cannot transfer money
    abroad in one go. While every instalment due is paid, the invoice does not count as overdue."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="plans", verbose_name=_("invoice")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    settled_before = _money(
        _("settled before the plan"),
        default=ZERO,
        help_text=_("Paid or waived on the invoice when the plan was agreed."),
    )
    note = models.TextField(_("note"), blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed by"),
    )
    agreed_on = models.DateField(_("agreed on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["invoice", "-agreed_on"]
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(status="active"),
                name="payment_plan_one_active_per_invoice",
            ),
        ]

    def __str__(self):
        return str(_("Payment plan for %(invoice)s") % {"invoice": self.invoice})


class Instalment(models.Model):
    plan = models.ForeignKey(
        PaymentPlan,
        on_delete=models.CASCADE,
        related_name="instalments",
        verbose_name=_("payment plan"),
    )
    due_on = models.DateField(_("due on"))
    overdue_after = models.DateField(_("overdue after"))
    amount = _money(_("amount"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "due_on"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.due_on}: {self.amount}"


class BillingContact(TimestampedModel):
    """Who receives a member's invoices and reminders (a treasurer, an international office)."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="billing_contacts",
        verbose_name=_("membership"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Language of the e-mails; empty for the network's first working language."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["membership", "email"]
        verbose_name = _("billing contact")
        verbose_name_plural = _("billing contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "email"], name="billing_contact_unique_email"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class DuesReminder(models.Model):
    """One reminder e-mail sent to a member about its past-due invoices (kept so that a member is
    not reminded again before the interval has passed)."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="dues_reminders",
        verbose_name=_("membership"),
    )
    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    invoices = models.ManyToManyField(Invoice, related_name="reminders", verbose_name=_("invoices"))
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    recipients = models.TextField(_("recipients"))
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("dues reminder")
        verbose_name_plural = _("dues reminders")
        indexes = [models.Index(fields=["membership", "-sent_at"])]

    def __str__(self):
        return f"{self.membership} · {self.sent_at:%Y-%m-%d}"


class BankDetails(TimestampedModel):
    """Where a network's invoices are paid: its account (IBAN and BIC, checked) and, for what an
    account number does not say (a local account, a card link, a reference to quote), instructions
    in each language. Printed on invoices, receipts and the payment e-mails of event fees."""

    network = models.OneToOneField(
        "directory.Network",
        on_delete=models.CASCADE,
        related_name="bank_details",
        verbose_name=_("network"),
    )
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    # {language: text}: instructions for paying, in the languages the network writes them in.
    instructions = models.JSONField(_("payment instructions"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank details")
        verbose_name_plural = _("bank details")

    def __str__(self):
        return f"{self.network}: {self.iban or self.account_holder}"

    @property
    def has_account(self) -> bool:
        return bool(self.iban)

    @property
    def iban_grouped(self) -> str:
        from municipia.finance.banking import grouped

        return grouped(self.iban)

    def instructions_in(self, language: str) -> str:
        """The instructions in `language`, else in English, else in any language given."""
        texts = self.instructions or {}
        base = (language or "").split("-")[0]
        return texts.get(base) or texts.get("en") or next(iter(texts.values()), "")

    def lines(self, language: str) -> list[tuple[str, str]]:
        """(label, value) of what is given, for printing; labels in the active language."""
        from django.utils.translation import gettext

        rows = [
            (gettext("Account holder"), self.account_holder),
            (gettext("IBAN"), self.iban_grouped if self.iban else ""),
            (gettext("BIC"), self.bic),
            (gettext("Bank"), self.bank_name),
            (gettext("How to pay"), self.instructions_in(language)),
        ]
        return [(label, value) for label, value in rows if value]
