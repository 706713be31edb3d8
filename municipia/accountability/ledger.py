"""A year's budget against its actuals, by account and month, with the projected year-end result.

Actuals come from what the platform records, each kind of money mapped to the account that takes
it (`Account.source`): payments of dues, fund contributions and event fees (finance), the fund's
other income and the tranches it released (cooperation), plus the staff's manual entries. Each is
summed per month and currency in the database, then converted to the accounting currency at the
rate in force on the first day of the month (`ExchangeRate`). A fixed number of grouped queries
builds the year, however much money moved.

Projection, prudently (docs/decisions/0051): an expenditure line ends the year at its budget, or
above it where more is already spent; an income line ends at what came in, plus the part of its
budget still missing in proportion to the time left. A closed or past year ends at its actuals.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from municipia.accountability.models import (
    ZERO,
    Account,
    AccountingSettings,
    BudgetLine,
    BudgetVersion,
    ExchangeRate,
    ManualEntry,
)
from municipia.cooperation.models import Disbursement, Income
from municipia.finance.currencies import quantize
from municipia.finance.models import Invoice, Payment

MONTHS = range(1, 13)
CENT = Decimal("0.01")
_RATE = DecimalField(max_digits=30, decimal_places=10)
# Which account source takes the payments of each kind of invoice.
INVOICE_SOURCES = {
    Invoice.Kind.DUES: Account.Source.DUES,
    Invoice.Kind.FUND_CONTRIBUTION: Account.Source.FUND_CONTRIBUTIONS,
    Invoice.Kind.EVENT_FEE: Account.Source.EVENT_FEES,
}


class Rates:
    """A network's recorded rates, looked up by currency and day. `Rates.load` reads those of
    many networks in one query."""

    def __init__(self, network, currency: str, *, load: bool = False):
        self.network_id = getattr(network, "pk", network)
        self.currency = currency
        self._by_currency: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
        self.missing: set[str] = set()
        if load:
            Rates.load({self.network_id: self})

    @staticmethod
    def load(books: dict) -> None:
        """Fill each `Rates` of {network id: Rates} with its network's rates, in one query."""
        for network_id, code, valid_from, rate in (
            ExchangeRate.objects.filter(network_id__in=list(books))
            .order_by("network_id", "currency", "valid_from")
            .values_list("network_id", "currency", "valid_from", "rate")
        ):
            books[network_id]._by_currency[code].append((valid_from, rate))

    def rate(self, currency: str, on: datetime.date) -> Decimal | None:
        if currency == self.currency:
            return Decimal(1)
        rates = self._by_currency.get(currency, [])
        index = bisect.bisect_right([day for day, _rate in rates], on) - 1
        if index < 0:
            # Before the first recorded rate, the first one is the best there is.
            return rates[0][1] if rates else None
        return rates[index][1]

    def convert(self, amount, currency: str, on: datetime.date) -> Decimal:
        """`amount` in the accounting currency; zero, and the currency noted, without a rate."""
        rate = self.rate(currency, on)
        if rate is None:
            self.missing.add(currency)
            return ZERO
        return quantize(Decimal(str(amount or 0)) * rate, self.currency)


@dataclass
class Line:
    account: Account
    budget: Decimal = ZERO
    months: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    projected: Decimal = ZERO

    @property
    def actual(self) -> Decimal:
        return sum(self.months, ZERO)

    @property
    def variance(self) -> Decimal:
        return self.actual - self.budget

    @property
    def realised(self) -> int | None:
        """The share of the budget realised so far, in percent."""
        if not self.budget:
            return None
        return round(self.actual * 100 / self.budget)


@dataclass
class Side:
    """The income or the expenditure of the year: its lines and their totals."""

    lines: list[Line]

    @property
    def budget(self) -> Decimal:
        return sum((line.budget for line in self.lines), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((line.actual for line in self.lines), ZERO)

    @property
    def projected(self) -> Decimal:
        return sum((line.projected for line in self.lines), ZERO)

    @property
    def months(self) -> list[Decimal]:
        return [sum((line.months[m] for line in self.lines), ZERO) for m in range(12)]


@dataclass
class YearAccounts:
    network: object
    year: int
    currency: str
    version: BudgetVersion | None
    income: Side
    expenditure: Side
    as_of: datetime.date
    missing_rates: list[str]

    @property
    def result_budget(self) -> Decimal:
        return self.income.budget - self.expenditure.budget

    @property
    def result_actual(self) -> Decimal:
        return self.income.actual - self.expenditure.actual

    @property
    def result_projected(self) -> Decimal:
        return self.income.projected - self.expenditure.projected

    @property
    def projected_deficit(self) -> Decimal:
        return max(-self.result_projected, ZERO)

    @property
    def is_closed(self) -> bool:
        return bool(self.version and self.version.budget.closed_on)

    @property
    def heads_for_deficit(self) -> bool:
        """Whether an open year is projected to end with expenditure above income."""
        return not self.is_closed and self.year >= self.as_of.year and self.result_projected < 0

    @property
    def monthly_result(self) -> list[Decimal]:
        return [i - e for i, e in zip(self.income.months, self.expenditure.months, strict=True)]


def accounting_currency(network) -> str | None:
    return (
        AccountingSettings.objects.filter(network=network)
        .values_list("currency", flat=True)
        .first()
    )


def _time_left(year: int, today: datetime.date) -> Decimal:
    """The fraction of `year` still to come on `today`: 1 before it starts, 0 once it is over."""
    if year < today.year:
        return Decimal(0)
    if year > today.year:
        return Decimal(1)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Decimal((end - today).days) / Decimal((end - start).days + 1)


def _project(line: Line, left: Decimal, closed: bool) -> Decimal:
    if closed or left == 0:
        return line.actual
    if line.account.kind == Account.Kind.EXPENDITURE:
        return max(line.actual, line.budget)
    missing = max(line.budget - line.actual, ZERO)
    return (line.actual + missing * left).quantize(Decimal("0.01"))


def year_accounts(
    network, year: int, *, currency: str | None = None, today: datetime.date | None = None
) -> YearAccounts | None:
    """Budget against actuals for `year`, or None while the network has no accounting currency.
    Eight queries (`networks_year_accounts`), nine without `currency`."""
    currency = currency or accounting_currency(network)
    if currency is None:
        return None
    return networks_year_accounts({network: currency}, year, today=today)[network.pk]


def networks_year_accounts(
    currencies: dict, year: int, *, today: datetime.date | None = None
) -> dict[int, YearAccounts]:
    """`YearAccounts` of several networks at once ({network: accounting currency}), by network
    id, in eight queries however many networks: the workspace warns of every deficit with it."""
    today = today or timezone.localdate()
    networks = {network.pk: network for network in currencies}
    ids = list(networks)
    lines: dict[int, dict[int, Line]] = {pk: {} for pk in ids}
    by_source: dict[int, dict[str, Line]] = {pk: {} for pk in ids}
    for account in Account.objects.filter(network_id__in=ids):
        line = lines[account.network_id][account.pk] = Line(account=account)
        if account.source:
            by_source[account.network_id][account.source] = line
    rates = {pk: Rates(pk, currencies[networks[pk]]) for pk in ids}
    Rates.load(rates)

    versions: dict[int, BudgetVersion] = {}
    for version in (
        BudgetVersion.objects.filter(budget__network_id__in=ids, budget__year=year)
        .select_related("budget", "decision__meeting__event")
        .order_by("budget__network_id", "-number")
    ):
        versions.setdefault(version.budget.network_id, version)
    for network_id, account_id, amount in BudgetLine.objects.filter(
        version__in=[v.pk for v in versions.values()]
    ).values_list("version__budget__network_id", "account_id", "amount"):
        if account_id in lines[network_id]:
            lines[network_id][account_id].budget = amount

    def add(network_id, source, month: int, amount, money: str) -> None:
        line = by_source[network_id].get(source)
        if line is not None and amount:
            line.months[month - 1] += rates[network_id].convert(
                amount, money, datetime.date(year, month, 1)
            )

    payments = (
        Payment.objects.filter(invoice__network_id__in=ids, received_on__year=year)
        .order_by()
        .values(
            "invoice__network_id",
            "invoice__kind",
            "invoice__currency",
            month=ExtractMonth("received_on"),
        )
        .annotate(total=Sum("amount_credited"))
    )
    for row in payments:
        add(
            row["invoice__network_id"],
            INVOICE_SOURCES.get(row["invoice__kind"]),
            row["month"],
            row["total"],
            row["invoice__currency"],
        )
    incomes = (
        Income.objects.filter(fund__network_id__in=ids, received_on__year=year)
        .order_by()
        .values("fund__network_id", "fund__currency", month=ExtractMonth("received_on"))
        .annotate(total=Sum("amount_converted"))
    )
    for row in incomes:
        add(
            row["fund__network_id"],
            Account.Source.FUND_INCOME,
            row["month"],
            row["total"],
            row["fund__currency"],
        )
    tranches = (
        Disbursement.objects.filter(
            commitment__fund__network_id__in=ids,
            status=Disbursement.Status.RELEASED,
            released_on__year=year,
        )
        .order_by()
        .values(
            "commitment__fund__network_id",
            "commitment__fund__currency",
            month=ExtractMonth("released_on"),
        )
        .annotate(
            total=Sum(
                ExpressionWrapper(F("amount") * F("commitment__exchange_rate"), output_field=_RATE)
            )
        )
    )
    for row in tranches:
        add(
            row["commitment__fund__network_id"],
            Account.Source.FUND_DISBURSEMENTS,
            row["month"],
            row["total"],
            row["commitment__fund__currency"],
        )
    # Manual entries carry their own converted amount, at the rate recorded with them.
    entries = (
        ManualEntry.objects.filter(network_id__in=ids, booked_on__year=year)
        .order_by()
        .values("network_id", "account_id", month=ExtractMonth("booked_on"))
        .annotate(total=Sum("amount_converted"))
    )
    for row in entries:
        line = lines[row["network_id"]].get(row["account_id"])
        if line is not None:
            line.months[row["month"] - 1] += Decimal(str(row["total"])).quantize(CENT)

    left = _time_left(year, today)
    out = {}
    for pk in ids:
        version = versions.get(pk)
        closed = bool(version and version.budget.closed_on)
        for line in lines[pk].values():
            line.projected = _project(line, left, closed)
        ordered = sorted(lines[pk].values(), key=lambda x: (x.account.position, x.account.code))
        out[pk] = YearAccounts(
            network=networks[pk],
            year=year,
            currency=currencies[networks[pk]],
            version=version,
            income=Side([x for x in ordered if x.account.kind == Account.Kind.INCOME]),
            expenditure=Side([x for x in ordered if x.account.kind == Account.Kind.EXPENDITURE]),
            as_of=today,
            missing_rates=sorted(rates[pk].missing),
        )
    return out


@dataclass
class DuesFigures:
    invoiced: Decimal = ZERO
    collected: Decimal = ZERO
    waived: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.collected - self.waived


def dues_figures(network, year: int, currency: str) -> DuesFigures:
    """The year's dues invoiced, collected, waived and still outstanding, converted. Two queries."""
    rates = Rates(network, currency, load=True)
    figures = DuesFigures()
    on = datetime.date(year, 12, 31)
    rows = (
        Invoice.objects.filter(network=network, year=year, kind=Invoice.Kind.DUES)
        .exclude(status=Invoice.Status.CANCELLED)
        .order_by()
        .values("currency")
        .annotate(amount=Sum("amount"), paid=Sum("amount_paid"), waived=Sum("amount_waived"))
    )
    for row in rows:
        figures.invoiced += rates.convert(row["amount"], row["currency"], on)
        figures.collected += rates.convert(row["paid"], row["currency"], on)
        figures.waived += rates.convert(row["waived"], row["currency"], on)
    return figures
