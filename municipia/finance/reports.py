"""The arrears report: who owes what since when, aged in buckets of days past the due date.

Buckets are turned into ranges of due dates, so filtering and totals stay in SQL on any database.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from municipia.finance.models import Invoice


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    low: int  # days past due, inclusive
    high: int | None  # inclusive; None for no limit

    def condition(self, on: datetime.date) -> Q:
        condition = Q(due_on__lte=on - datetime.timedelta(days=self.low))
        if self.high is not None:
            condition &= Q(due_on__gte=on - datetime.timedelta(days=self.high))
        return condition


BUCKETS = [
    Bucket("1-30", _("1 to 30 days"), 1, 30),
    Bucket("31-90", _("31 to 90 days"), 31, 90),
    Bucket("91-180", _("91 to 180 days"), 91, 180),
    Bucket("181-365", _("181 to 365 days"), 181, 365),
    Bucket("365+", _("Over a year"), 366, None),
]
BUCKETS_BY_KEY = {bucket.key: bucket for bucket in BUCKETS}


def bucket_for(days: int) -> Bucket | None:
    return next((b for b in BUCKETS if days >= b.low and (b.high is None or days <= b.high)), None)


def arrears(
    network,
    *,
    on: datetime.date,
    year: int | None = None,
    bucket: str | None = None,
    country: str | None = None,
    currency: str | None = None,
    search: str | None = None,
    affecting_standing: bool = False,
):
    """Open invoices of `network` with a balance, past their due date on `on`, oldest first."""
    # Members' arrears only: a non-member's event fee is followed with the event's registrations.
    invoices = (
        Invoice.objects.for_network(network)
        .filter(membership__isnull=False)
        .past_due(on)
        .with_balance()
        .select_related(
            "network",
            "membership__local_government__country",
            "membership__organisation__country",
        )
    )
    if year:
        invoices = invoices.filter(year=year)
    if bucket in BUCKETS_BY_KEY:
        invoices = invoices.filter(BUCKETS_BY_KEY[bucket].condition(on))
    if country:
        invoices = invoices.filter(
            Q(membership__local_government__country__code=country)
            | Q(membership__organisation__country__code=country)
        )
    if currency:
        invoices = invoices.filter(currency=currency)
    if search:
        invoices = invoices.filter(
            Q(membership__local_government__name__icontains=search)
            | Q(membership__organisation__name__icontains=search)
            | Q(number__icontains=search)
        )
    if affecting_standing:
        invoices = invoices.filter(pk__in=Invoice.objects.overdue(on).values("pk"))
    # due date then id (issue order): the (network, status, due_on) index yields that order as it is
    return invoices.order_by("due_on", "pk")


def arrears_totals(invoices, *, on: datetime.date) -> list[dict]:
    """Per currency: the number of invoices, the total owed, and the total per bucket (one query)."""
    aggregates = {
        f"bucket_{i}": Sum("outstanding", filter=bucket.condition(on))
        for i, bucket in enumerate(BUCKETS)
    }
    rows = (
        invoices.order_by()
        .values("currency")
        .annotate(count=Count("pk"), total=Sum("outstanding"), **aggregates)
        .order_by("currency")
    )
    return [
        {
            "currency": row["currency"],
            "count": row["count"],
            "total": row["total"],
            "buckets": [row[f"bucket_{i}"] or 0 for i in range(len(BUCKETS))],
        }
        for row in rows
    ]


def affects_standing(invoice: Invoice, on: datetime.date) -> bool:
    """From the annotations of `past_due`: the same rule as `Invoice.objects.overdue`."""
    if invoice.on_plan:
        return invoice.settled < invoice.plan_settled_before + invoice.plan_due_so_far
    return invoice.overdue_after < on


ARREARS_HEADERS = [
    _("Invoice"),
    _("Year"),
    _("Member"),
    _("Country"),
    _("Due on"),
    _("Days past due"),
    _("Aging"),
    _("Currency"),
    _("Amount"),
    _("Paid"),
    _("Waived"),
    _("Balance"),
    _("On a payment plan"),
    _("Affects good standing"),
]


def arrears_rows(invoices, *, on: datetime.date) -> Iterator[list]:
    """Export rows from plain values: tens of thousands of rows without building model objects."""
    yes, no = str(_("yes")), str(_("no"))
    labels = {bucket.key: str(bucket.label) for bucket in BUCKETS}
    values = invoices.values_list(
        "number",
        "year",
        "membership__local_government__name",
        "membership__organisation__name",
        "membership__local_government__country__code",
        "membership__organisation__country__code",
        "due_on",
        "overdue_after",
        "currency",
        "amount",
        "amount_paid",
        "amount_waived",
        "outstanding",
        "on_plan",
        "settled",
        "plan_settled_before",
        "plan_due_so_far",
    )
    for (
        number,
        year,
        city,
        organisation,
        city_country,
        organisation_country,
        due_on,
        overdue_after,
        currency,
        amount,
        paid,
        waived,
        balance,
        on_plan,
        settled,
        settled_before,
        due_so_far,
    ) in values.iterator(chunk_size=2000):
        days = max((on - due_on).days, 0)
        bucket = bucket_for(days)
        affects = settled < settled_before + due_so_far if on_plan else overdue_after < on
        yield [
            number,
            year,
            city or organisation,
            city_country or organisation_country or "",
            due_on.isoformat(),
            days,
            labels[bucket.key] if bucket else "",
            currency,
            amount,
            paid,
            waived,
            balance,
            yes if on_plan else no,
            yes if affects else no,
        ]
