"""Demo dues for AICE and AIMF, 2025 and 2026. Every amount, rate and e-mail address is fictional.

It shows each case staff meet: members paid in full, a partial payment, a payment in another currency,
a waiver, Rosario paying in pesos on a payment plan (the AICE action plan mentions Argentine cities'
difficulty with transfers abroad) and Dakar in arrears. Idempotent: schedules are looked up by network
and year, invoices are issued only where missing, and money is recorded only on untouched invoices.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from municipia.accounts.models import User
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Membership, Network
from municipia.finance.models import BillingContact, FeeBand, FeeSchedule, Invoice
from municipia.finance.receipts import RECEIPT_KIND
from municipia.finance.services import (
    agree_payment_plan,
    issue_invoices,
    record_payment,
    waive_invoice,
)
from municipia.verification.services import issue_code

NOTE = "Demo figures: fictional amounts, not the network's real fees."

SCHEDULES = {
    "aice": {
        "currency": "EUR",
        "grace_days": 60,
        "bands": [
            ("Observers and partners", "observer", None, None, "0"),
            ("Partners", "partner", None, None, "0"),
            ("Under 100,000 inhabitants", "", None, 100_000, "600"),
            ("100,000 to 500,000", "", 100_000, 500_000, "1500"),
            ("500,000 to 1 million", "", 500_000, 1_000_000, "2800"),
            ("Over 1 million", "", 1_000_000, None, "4200"),
        ],
    },
    "aimf": {
        "currency": "EUR",
        "grace_days": 90,
        "bands": [
            ("Under 500,000 inhabitants", "", None, 500_000, "1000"),
            ("500,000 to 2 million", "", 500_000, 2_000_000, "2500"),
            ("Over 2 million", "", 2_000_000, None, "5000"),
        ],
    },
}

# (network, city, year): what happened to the invoice.
PAID_LATE = {("aice", "Porto", 2026), ("aimf", "Bamako", 2026), ("aimf", "Yaoundé", 2026)}
PARTIAL = {("aice", "Porto", 2025): Decimal("0.5"), ("aimf", "Lomé", 2026): Decimal("0.4")}
UNPAID = {
    ("aice", "Dakar", 2025),
    ("aice", "Dakar", 2026),
    ("aimf", "Kinshasa", 2025),
    ("aimf", "Kinshasa", 2026),
    ("aimf", "Cotonou", 2026),
    ("aice", "Changwon", 2026),
}
WAIVED = {
    ("aimf", "Niamey", 2025): (
        Decimal("0.5"),
        "Half waived after the 2024 floods (executive committee decision).",
    ),
    ("aimf", "Beirut", 2026): (
        None,
        "Waived in full: solidarity decision of the 2025 general assembly.",
    ),
}
FOREIGN = {
    ("aimf", "Lausanne", 2025): ("CHF", Decimal("1.0625")),
    ("aimf", "Québec", 2026): ("CAD", Decimal("0.625")),
    ("aimf", "Montréal", 2026): ("CAD", Decimal("0.625")),
}
# Rosario pays in Argentine pesos into a local account, in instalments (rates fictional).
ROSARIO_PLANS = {
    2025: [
        (datetime.date(2025, 6, 30), Decimal("0.0008")),
        (datetime.date(2025, 9, 30), Decimal("0.0007")),
        (datetime.date(2025, 12, 31), Decimal("0.000625")),
    ],
    2026: [
        (datetime.date(2026, 6, 30), Decimal("0.0005")),
        (datetime.date(2026, 9, 30), Decimal("0.0004")),
        (datetime.date(2026, 12, 31), None),
    ],
}
CONTACTS = [
    ("aice", "Rosario", "Tesorería (ficticia)", "tesoreria@rosario.example", "es"),
    ("aice", "Dakar", "Service financier (fictif)", "finances@dakar.example", "fr"),
    ("aice", "Porto", "Tesouraria (fictícia)", "tesouraria@porto.example", "pt"),
    ("aimf", "Kinshasa", "Trésorerie (fictive)", "tresorerie@kinshasa.example", "fr"),
]


def _membership(network: Network, city: str) -> Membership | None:
    return (
        Membership.objects.filter(network=network, local_government__name=city)
        .select_related("local_government")
        .first()
    )


def _schedule(network: Network, year: int, spec: dict) -> FeeSchedule:
    schedule, created = FeeSchedule.objects.get_or_create(
        network=network,
        year=year,
        defaults={
            "currency": spec["currency"],
            "due_on": datetime.date(year, 3, 31),
            "grace_days": spec["grace_days"],
            "notes": NOTE,
        },
    )
    if created:
        FeeBand.objects.bulk_create(
            FeeBand(
                schedule=schedule,
                position=position,
                label=label,
                category=category,
                min_population=low,
                max_population=high,
                amount=Decimal(amount),
            )
            for position, (label, category, low, high, amount) in enumerate(spec["bands"])
        )
    return schedule


def _settle(invoice: Invoice, key: tuple, by) -> None:
    year = invoice.year
    if key in UNPAID or datetime.date(year, 7, 20) > timezone.localdate():
        return
    if key in WAIVED:
        share, reason = WAIVED[key]
        amount = None if share is None else (invoice.amount * share).quantize(Decimal("0.01"))
        waive_invoice(invoice, amount=amount, reason=reason, by=by, on=datetime.date(year, 2, 20))
        if share is not None:
            record_payment(
                invoice,
                amount=invoice.amount - amount,
                currency=invoice.currency,
                received_on=datetime.date(year, 4, 10),
                by=by,
                reference=f"DEMO-{invoice.number}",
            )
        return
    if key in FOREIGN:
        currency, rate = FOREIGN[key]
        record_payment(
            invoice,
            amount=(invoice.amount / rate).quantize(Decimal("0.01")),
            currency=currency,
            exchange_rate=rate,
            received_on=datetime.date(year, 3, 12),
            by=by,
            reference=f"DEMO-{invoice.number}",
        )
        return
    share = PARTIAL.get(key, Decimal(1))
    received_on = datetime.date(year, 7, 20) if key in PAID_LATE else datetime.date(year, 3, 5)
    record_payment(
        invoice,
        amount=(invoice.amount * share).quantize(Decimal("0.01")),
        currency=invoice.currency,
        received_on=received_on,
        by=by,
        reference=f"DEMO-{invoice.number}",
    )


def _rosario_plan(invoice: Invoice, by, today: datetime.date) -> None:
    schedule = ROSARIO_PLANS[invoice.year]
    share = (invoice.amount / len(schedule)).quantize(Decimal("0.01"))
    amounts = [share] * (len(schedule) - 1) + [invoice.amount - share * (len(schedule) - 1)]
    agree_payment_plan(
        invoice,
        instalments=[
            (due_on, amount) for (due_on, _rate), amount in zip(schedule, amounts, strict=True)
        ],
        by=by,
        note="Transfers abroad are restricted: pays in pesos into the network's local account.",
        on=datetime.date(invoice.year, 2, 15),
    )
    for (due_on, rate), amount in zip(schedule, amounts, strict=True):
        if rate is None or due_on > today:
            continue
        record_payment(
            invoice,
            amount=(amount / rate).quantize(Decimal("0.01")),
            currency="ARS",
            exchange_rate=rate,
            received_on=due_on - datetime.timedelta(days=3),
            by=by,
            method="local_account",
            reference=f"DEMO-{invoice.number}-{due_on:%m}",
        )


def load(stdout) -> None:
    by = User.objects.filter(email=DEMO_EMAIL).first()
    today = timezone.localdate()
    for slug, spec in SCHEDULES.items():
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            continue
        for year in (2025, 2026):
            _schedule(network, year, spec)
            issue_invoices(network, year, by=by, on=datetime.date(year, 1, 15))
            invoices = (
                Invoice.objects.for_network(network)
                .filter(year=year, status=Invoice.Status.OPEN, amount_paid=0, amount_waived=0)
                .exclude(plans__isnull=False)
                .exclude(membership__isnull=True)  # a non-member's event fee is no member's dues
                .select_related("membership__local_government")
            )
            for invoice in invoices:
                city = invoice.membership.local_government
                key = (slug, city.name if city else "", year)
                if key[:2] == ("aice", "Rosario"):
                    _rosario_plan(invoice, by, today)
                else:
                    _settle(invoice, key, by)
        for network_slug, city, name, email, language in CONTACTS:
            if network_slug == slug and (membership := _membership(network, city)):
                BillingContact.objects.get_or_create(
                    membership=membership,
                    email=email,
                    defaults={"name": name, "language": language},
                )
        # Receipts of paid invoices carry their verification code, as if members had opened them.
        settled = Invoice.objects.for_network(network).filter(
            status=Invoice.Status.SETTLED, amount_paid__gt=0
        )
        for invoice_id in settled.values_list("pk", flat=True):
            issue_code(RECEIPT_KIND, invoice_id, by=by)
        open_count = Invoice.objects.for_network(network).open().count()
        stdout.write(f"  {network}: dues 2025-2026, {open_count} invoices open")
