"""Invoices to a payer who is not a member (a non-member's event fee): issued, listed, paid and
receipted like any invoice, refused without a named payer, and never counted in a member's
arrears, standing or dues reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from municipia.finance.models import Invoice
from municipia.finance.receipts import receipt_facts, receipt_pdf
from municipia.finance.services import (
    FinanceError,
    issue_invoice,
    record_payment,
    send_dues_reminders,
)
from municipia.finance.standing import members_in_good_standing
from tests.factories.directory import MembershipFactory
from tests.factories.finance import BillingContactFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2025, 1, 15)
DUE = datetime.date(2025, 3, 31)
LATE = datetime.date(2025, 6, 1)


def _payer_invoice(network, name="Ana Libre", **kwargs):
    return issue_invoice(
        None,
        kind=Invoice.Kind.EVENT_FEE,
        year=2025,
        amount="150",
        currency="EUR",
        due_on=DUE,
        on=ISSUED,
        network=network,
        payer_name=name,
        payer_email="ana@example.org",
        payer_organisation="Fundació Exemple",
        **kwargs,
    )


def test_an_event_fee_is_invoiced_to_a_named_payer(network):
    invoice = _payer_invoice(network)

    assert invoice.membership is None
    assert (invoice.payer_name, invoice.payer_email) == ("Ana Libre", "ana@example.org")
    assert invoice.member == "Ana Libre (Fundació Exemple)"
    assert invoice.number.endswith("-2025-00001")


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [
        ("event_fee", "  ", "Give the name of the payer who is not a member."),
        ("fund_contribution", "Ana", "Only an event fee can be invoiced to someone who is not"),
    ],
)
def test_a_payer_invoice_without_a_name_or_of_another_kind_is_refused(network, kind, name, message):
    with pytest.raises(FinanceError, match=message):
        issue_invoice(
            None,
            kind=kind,
            year=2025,
            amount="150",
            currency="EUR",
            due_on=DUE,
            network=network,
            payer_name=name,
        )
    assert not Invoice.objects.exists()


def test_the_database_refuses_an_invoice_with_neither_member_nor_payer(network):
    member_invoice = InvoiceFactory(membership=MembershipFactory(network=network))
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=member_invoice.pk).update(membership=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        # a named payer, but of dues: only an event fee may have no member
        Invoice.objects.filter(pk=member_invoice.pk).update(membership=None, payer_name="Ana")


def test_payer_invoices_leave_members_standing_arrears_and_reminders_alone(network):
    membership = MembershipFactory(network=network)
    BillingContactFactory(membership=membership)
    _payer_invoice(network)  # past due and unpaid on LATE

    assert list(members_in_good_standing(network, on=LATE)) == [membership]
    assert send_dues_reminders(on=LATE).sent == 0
    assert mail.outbox == []


def test_the_staff_list_names_the_payer_and_arrears_leave_it_out(login, network_staff, network):
    member_invoice = InvoiceFactory(membership=MembershipFactory(network=network))
    payer = _payer_invoice(network)
    client = login(network_staff)

    listed = client.get(reverse("finance:invoice-list", args=[network.slug]))
    found = client.get(reverse("finance:invoice-list", args=[network.slug]), {"q": "libre"})
    export = client.get(reverse("finance:invoice-list", args=[network.slug]), {"format": "csv"})
    arrears = client.get(reverse("finance:arrears", args=[network.slug]), {"on": "2025-06-01"})
    detail = client.get(payer.get_absolute_url())

    assert "Ana Libre (Fundació Exemple)" in listed.content.decode()
    assert [i.number for i in found.context["page"]] == [payer.number]
    csv = b"".join(export.streaming_content).decode()
    assert f"{payer.number},2025,Ana Libre," in csv
    assert [i.number for i in arrears.context["page"]] == [member_invoice.number]
    assert "ana@example.org" in detail.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_invoice_list_stays_flat_with_payer_invoices(
    login, network_staff, network, django_assert_num_queries, count
):
    for _ in range(count):
        InvoiceFactory(membership=MembershipFactory(network=network))
    for n in range(count):
        _payer_invoice(network, name=f"Payer {n}")
    client = login(network_staff)
    url = reverse("finance:invoice-list", args=[network.slug])

    # session, user, generations, network, roles, count, page of invoices
    with django_assert_num_queries(7):
        client.get(url)
    # session, user, generations, roles, network, count, page, totals
    with django_assert_num_queries(8):
        client.get(reverse("finance:arrears", args=[network.slug]), {"on": "2025-06-01"})


def test_a_paid_payer_invoice_has_a_receipt_and_shows_in_the_api(login, network_staff, network):
    invoice = _payer_invoice(network)
    record_payment(invoice, amount="150", currency="EUR", received_on=datetime.date(2025, 2, 1))
    invoice.refresh_from_db()

    assert invoice.status == Invoice.Status.SETTLED
    assert ("Received from", "Ana Libre (Fundació Exemple)") in [
        (str(label), value) for label, value in receipt_facts(invoice)
    ]
    assert receipt_pdf(invoice, invoice.payments.all()).startswith(b"%PDF")
    [row] = login(network_staff).get(reverse("api:invoice-list")).json()["results"]
    assert row["member"] is None
    assert row["payer"] == {
        "name": "Ana Libre",
        "email": "ana@example.org",
        "organisation": "Fundació Exemple",
    }
    assert (row["kind"], row["amount_paid"]) == ("event_fee", str(Decimal("150.00")))
