import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from municipia.core.models import ActivityLog
from municipia.directory.models import Membership
from municipia.finance.models import Instalment, Invoice, Payment, PaymentPlan, Waiver
from municipia.finance.services import (
    FinanceError,
    agree_payment_plan,
    cancel_invoice,
    cancel_payment_plan,
    issue_invoices,
    record_payment,
    waive_invoice,
)
from tests.factories.directory import (
    LocalGovernmentFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
)
from tests.factories.finance import FeeBandFactory, FeeScheduleFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

RECEIVED = datetime.date(2025, 5, 2)


def _schedule_with_bands(network):
    schedule = FeeScheduleFactory(network=network, year=2025)
    FeeBandFactory(schedule=schedule, position=0, category="observer", amount=Decimal("0"))
    FeeBandFactory(schedule=schedule, position=1, max_population=100_000, amount=Decimal("500"))
    FeeBandFactory(
        schedule=schedule,
        position=2,
        min_population=100_000,
        max_population=1_000_000,
        amount=Decimal("1500"),
    )
    FeeBandFactory(schedule=schedule, position=3, min_population=1_000_000, amount=Decimal("4000"))
    return schedule


def test_issue_invoices_prices_each_member_by_band_and_numbers_them():
    network = NetworkFactory(acronym="AICE")
    _schedule_with_bands(network)
    small = MembershipFactory(
        network=network, local_government__name="A", local_government__population=50_000
    )
    middle = MembershipFactory(
        network=network, local_government__name="B", local_government__population=250_000
    )
    large = MembershipFactory(
        network=network, local_government__name="C", local_government__population=3_000_000
    )
    MembershipFactory(
        network=network, local_government__name="D", category=Membership.Category.OBSERVER
    )
    MembershipFactory(
        network=network, local_government__name="E", status=Membership.Status.APPLICANT
    )

    result = issue_invoices(network, 2025, on=datetime.date(2025, 1, 10))

    invoices = list(
        Invoice.objects.order_by("sequence").values_list("membership", "number", "amount")
    )
    assert invoices == [
        (small.pk, "AICE-2025-00001", Decimal("500.00")),
        (middle.pk, "AICE-2025-00002", Decimal("1500.00")),
        (large.pk, "AICE-2025-00003", Decimal("4000.00")),
    ]
    assert (result.created, result.already_issued, result.exempt, result.without_band) == (
        3,
        0,
        1,
        [],
    )
    invoice = Invoice.objects.get(membership=small)
    assert (invoice.due_on, invoice.overdue_after, invoice.currency) == (
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 30),
        "EUR",
    )
    assert invoice.history.count() == 1


def test_issue_invoices_twice_issues_only_new_members():
    network = NetworkFactory(acronym="AIMF")
    _schedule_with_bands(network)
    first = MembershipFactory(network=network, local_government__population=50_000)
    issue_invoices(network, 2025)
    newcomer = MembershipFactory(network=network, local_government__population=50_000)

    result = issue_invoices(network, 2025)

    assert (result.created, result.already_issued) == (1, 1)
    assert list(Invoice.objects.order_by("sequence").values_list("membership", "sequence")) == [
        (first.pk, 1),
        (newcomer.pk, 2),
    ]


def test_issue_invoices_reports_members_without_a_band():
    network = NetworkFactory()
    schedule = FeeScheduleFactory(network=network)
    FeeBandFactory(schedule=schedule, min_population=10, amount=Decimal("10"))
    organisation = OrganisationFactory(name="Fondo Andaluz")
    MembershipFactory(network=network, local_government=None, organisation=organisation)

    result = issue_invoices(network, 2025)

    assert (result.created, result.without_band) == (0, ["Fondo Andaluz"])


def test_issue_invoices_refuses_a_year_without_schedule():
    network = NetworkFactory(name="Red")
    MembershipFactory(network=network)

    with pytest.raises(FinanceError, match="Red has no fee schedule for 2031"):
        issue_invoices(network, 2031)

    assert Invoice.objects.count() == 0


def test_issue_invoices_logs_the_run():
    network = NetworkFactory()
    schedule = _schedule_with_bands(network)
    MembershipFactory(network=network, local_government__population=5)

    issue_invoices(network, 2025)

    entry = ActivityLog.objects.get()
    assert (entry.action, entry.object_id, entry.data["created"]) == (
        "finance.invoices.issued",
        str(schedule.pk),
        1,
    )


def test_invoice_unique_per_member_and_year_is_enforced_by_the_database(invoice):
    duplicate = InvoiceFactory.build(
        membership=invoice.membership, schedule=invoice.schedule, year=invoice.year, sequence=999
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.bulk_create([duplicate])

    assert Invoice.objects.count() == 1


def test_record_payment_partial_keeps_invoice_open(invoice, user):
    payment = record_payment(
        invoice, amount="400", currency="EUR", received_on=RECEIVED, by=user, reference="TR-1"
    )

    invoice.refresh_from_db()
    assert (payment.amount_credited, payment.exchange_rate) == (Decimal("400.00"), Decimal(1))
    assert (invoice.amount_paid, invoice.balance, invoice.status) == (
        Decimal("400.00"),
        Decimal("600.00"),
        Invoice.Status.OPEN,
    )


def test_record_payment_of_the_balance_settles_the_invoice(invoice):
    record_payment(invoice, amount=Decimal("1000.00"), currency="EUR", received_on=RECEIVED)

    invoice.refresh_from_db()
    assert (invoice.balance, invoice.status) == (Decimal("0.00"), Invoice.Status.SETTLED)


def test_record_payment_in_another_currency_credits_at_the_recorded_rate(invoice):
    payment = record_payment(
        invoice,
        amount=Decimal("250000"),
        currency="ars",
        exchange_rate=Decimal("0.00095"),
        received_on=RECEIVED,
        method=Payment.Method.LOCAL_ACCOUNT,
    )

    invoice.refresh_from_db()
    assert (payment.currency, payment.amount, payment.exchange_rate, payment.amount_credited) == (
        "ARS",
        Decimal("250000.00"),
        Decimal("0.0009500000"),
        Decimal("237.50"),
    )
    assert invoice.amount_paid == Decimal("237.50")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "1000.01", "currency": "EUR"}, "larger than the balance"),
        ({"amount": "10", "currency": "XYZ"}, "“XYZ” is not an ISO 4217 currency code."),
        ({"amount": "0", "currency": "EUR"}, "The amount must be greater than zero."),
        ({"amount": "-5", "currency": "EUR"}, "The amount must be greater than zero."),
        ({"amount": "10", "currency": "USD"}, "Give the exchange rate"),
        ({"amount": "10", "currency": "USD", "exchange_rate": "0"}, "greater than zero"),
        (
            {"amount": "10", "currency": "EUR", "exchange_rate": "1.1"},
            "no exchange rate other than 1",
        ),
        ({"amount": "10.005", "currency": "EUR"}, "at most 2 decimal places"),
        ({"amount": "2000", "currency": "USD", "exchange_rate": "0.9"}, "larger than the balance"),
        (
            {"amount": "10", "currency": "EUR", "received_on": datetime.date(2099, 1, 1)},
            "cannot be received in the future",
        ),
    ],
)
def test_record_payment_refuses_bad_input_and_writes_nothing(invoice, kwargs, message):
    kwargs = {"received_on": RECEIVED, **kwargs}

    with pytest.raises(FinanceError, match=message):
        record_payment(invoice, **kwargs)

    invoice.refresh_from_db()
    assert (Payment.objects.count(), invoice.amount_paid, ActivityLog.objects.count()) == (
        0,
        Decimal("0.00"),
        0,
    )


def test_record_payment_refuses_a_cancelled_invoice(invoice, user):
    cancel_invoice(invoice, reason="Issued twice by mistake.", by=user)

    with pytest.raises(FinanceError, match="is cancelled"):
        record_payment(invoice, amount="10", currency="EUR", received_on=RECEIVED)

    assert Payment.objects.count() == 0


def test_record_payment_refuses_a_paid_invoice(invoice):
    record_payment(invoice, amount="1000", currency="EUR", received_on=RECEIVED)

    with pytest.raises(FinanceError, match="already paid in full"):
        record_payment(invoice, amount="1", currency="EUR", received_on=RECEIVED)

    assert Payment.objects.count() == 1


def test_record_payment_uses_the_stored_balance_not_a_stale_copy(invoice):
    stale = Invoice.objects.get(pk=invoice.pk)
    record_payment(invoice, amount="900", currency="EUR", received_on=RECEIVED)

    with pytest.raises(FinanceError, match="larger than the balance"):
        record_payment(stale, amount="200", currency="EUR", received_on=RECEIVED)

    assert Invoice.objects.get(pk=invoice.pk).amount_paid == Decimal("900.00")


def test_waive_invoice_in_full_settles_it_with_reason_and_approver(invoice, user):
    waiver = waive_invoice(invoice, reason="Earthquake relief decided by the board.", by=user)

    invoice.refresh_from_db()
    assert (waiver.amount, waiver.approved_by, invoice.status, invoice.amount_waived) == (
        Decimal("1000.00"),
        user,
        Invoice.Status.SETTLED,
        Decimal("1000.00"),
    )


def test_waive_invoice_partially_leaves_the_rest_open(invoice, user):
    waive_invoice(invoice, amount="250", reason="Joined in October.", by=user)

    invoice.refresh_from_db()
    assert (invoice.balance, invoice.status) == (Decimal("750.00"), Invoice.Status.OPEN)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": "  "}, "Give the reason for the waiver."),
        ({"reason": "x", "amount": "1000.50"}, "larger than the balance"),
        ({"reason": "x", "amount": "0"}, "greater than zero"),
    ],
)
def test_waive_invoice_refuses_bad_input(invoice, user, kwargs, message):
    with pytest.raises(FinanceError, match=message):
        waive_invoice(invoice, by=user, **kwargs)

    assert Waiver.objects.count() == 0


def test_agree_payment_plan_records_instalments_with_the_invoice_grace(invoice, user):
    record_payment(invoice, amount="100", currency="EUR", received_on=RECEIVED)

    plan = agree_payment_plan(
        invoice,
        instalments=[
            (datetime.date(2025, 6, 30), Decimal("450")),
            (datetime.date(2025, 9, 30), "450"),
        ],
        by=user,
        note="Transfers abroad are limited; pays through a local account.",
    )

    assert plan.settled_before == Decimal("100.00")
    assert list(plan.instalments.values_list("due_on", "overdue_after", "amount")) == [
        (datetime.date(2025, 6, 30), datetime.date(2025, 7, 30), Decimal("450.00")),
        (datetime.date(2025, 9, 30), datetime.date(2025, 10, 30), Decimal("450.00")),
    ]


@pytest.mark.parametrize(
    ("instalments", "message"),
    [
        ([], "at least one instalment"),
        ([(datetime.date(2025, 6, 30), "500")], "add up to 500.00 but the balance is 1000.00 EUR"),
        (
            [(datetime.date(2025, 9, 30), "500"), (datetime.date(2025, 6, 30), "500")],
            "different and in order",
        ),
        (
            [(datetime.date(2025, 6, 30), "1000"), (datetime.date(2025, 7, 30), "0")],
            "greater than zero",
        ),
    ],
)
def test_agree_payment_plan_refuses_bad_instalments(invoice, user, instalments, message):
    with pytest.raises(FinanceError, match=message):
        agree_payment_plan(invoice, instalments=instalments, by=user)

    assert (PaymentPlan.objects.count(), Instalment.objects.count()) == (0, 0)


def test_agree_payment_plan_refuses_a_second_active_plan(invoice, user):
    agree_payment_plan(invoice, instalments=[(datetime.date(2025, 6, 30), "1000")], by=user)

    with pytest.raises(FinanceError, match="already has a payment plan"):
        agree_payment_plan(invoice, instalments=[(datetime.date(2025, 7, 30), "1000")], by=user)

    assert PaymentPlan.objects.count() == 1


def test_cancel_payment_plan_allows_a_new_one(invoice, user):
    plan = agree_payment_plan(invoice, instalments=[(datetime.date(2025, 6, 30), "1000")], by=user)

    cancel_payment_plan(plan, by=user)
    agree_payment_plan(invoice, instalments=[(datetime.date(2025, 8, 30), "1000")], by=user)

    assert list(PaymentPlan.objects.order_by("pk").values_list("status", flat=True)) == [
        "cancelled",
        "active",
    ]


def test_cancel_invoice_records_reason_and_who(invoice, user):
    cancel_invoice(invoice, reason="The city left the network in January.", by=user)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.cancelled_by, invoice.cancellation_reason) == (
        Invoice.Status.CANCELLED,
        user,
        "The city left the network in January.",
    )


def test_cancel_invoice_refuses_without_reason_or_with_payments(invoice, user):
    with pytest.raises(FinanceError, match="Give the reason"):
        cancel_invoice(invoice, reason="", by=user)
    record_payment(invoice, amount="10", currency="EUR", received_on=RECEIVED)

    with pytest.raises(FinanceError, match="has payments recorded"):
        cancel_invoice(invoice, reason="Mistake.", by=user)

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.OPEN


def test_cancel_invoice_refuses_twice(invoice, user):
    cancel_invoice(invoice, reason="Mistake.", by=user)

    with pytest.raises(FinanceError, match="already cancelled"):
        cancel_invoice(invoice, reason="Again.", by=user)


def test_members_of_other_networks_are_not_invoiced():
    network, other = NetworkFactory(), NetworkFactory()
    _schedule_with_bands(network)
    city = LocalGovernmentFactory(population=10)
    MembershipFactory(network=other, local_government=city)

    result = issue_invoices(network, 2025)

    assert (result.created, Invoice.objects.count()) == (0, 0)
