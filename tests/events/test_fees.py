"""A non-member's fee: invoiced to the participant through finance, told in the confirmation
e-mail and on the event page, confirming a place that waits for payment once paid, and cancelled
with the registration."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from municipia.events.models import EventFee, Registration
from municipia.events.services import cancel_registration, register
from municipia.finance.models import Invoice
from municipia.finance.services import record_payment
from municipia.finance.standing import members_in_good_standing

pytestmark = pytest.mark.django_db


@pytest.fixture
def paying_event(event):
    event.fee_currency = "EUR"
    event.payment_required = True
    event.save()
    EventFee.objects.create(event=event, category="non_member", amount=Decimal("150"))
    EventFee.objects.create(event=event, category="member", amount=Decimal("80"))
    return event


def _register(event, n=1, category="non_member", **kwargs):
    return register(
        event,
        by=None,
        full_name=f"Person {n}",
        email=f"p{n}@example.org",
        language="es",
        category=category,
        **kwargs,
    )


def _pay(invoice, amount):
    return record_payment(invoice, amount=amount, currency="EUR", received_on=timezone.localdate())


def test_a_non_member_is_invoiced_as_a_payer_and_told_how_to_pay(
    paying_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(paying_event)

    invoice = registration.invoice
    assert registration.status == Registration.Status.PENDING
    assert (invoice.membership, invoice.payer_name, invoice.payer_email) == (
        None,
        "Person 1",
        "p1@example.org",
    )
    assert (invoice.kind, invoice.amount, invoice.network) == (
        Invoice.Kind.EVENT_FEE,
        Decimal("150.00"),
        paying_event.network,
    )
    [message] = mail.outbox
    assert invoice.number in message.body
    assert "150,00 EUR" in message.body  # in Spanish


def test_a_member_participant_without_a_member_city_is_invoiced_as_a_payer(paying_event):
    registration = _register(paying_event, category="member")

    assert registration.invoice.membership is None
    assert registration.invoice.amount == Decimal("80.00")


def test_paying_confirms_only_the_registration_that_waited_for_it(
    paying_event, django_capture_on_commit_callbacks
):
    paying_event.capacity = 2
    paying_event.save()
    paid = _register(paying_event, 1)
    unpaid = _register(paying_event, 2)
    waiting = _register(paying_event, 3)
    assert waiting.status == Registration.Status.WAITLISTED
    mail.outbox.clear()

    _pay(paid.invoice, "100")  # part of it: still waiting
    paid.refresh_from_db()
    assert paid.status == Registration.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        _pay(paid.invoice, "50")

    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {
        paid.pk: Registration.Status.CONFIRMED,
        unpaid.pk: Registration.Status.PENDING,
        waiting.pk: Registration.Status.WAITLISTED,
    }
    [message] = mail.outbox
    assert message.to == ["p1@example.org"]
    assert message.attachments  # confirmed: the event for the calendar


def test_paying_does_not_skip_an_approval(paying_event):
    paying_event.requires_approval = True
    paying_event.save()
    registration = _register(paying_event)

    _pay(registration.invoice, "150")

    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_cancelling_cancels_the_open_invoice_and_a_promoted_payer_waits_for_payment(paying_event):
    paying_event.capacity = 1
    paying_event.save()
    first = _register(paying_event, 1)
    second = _register(paying_event, 2)

    cancel_registration(first, by=None)

    first.invoice.refresh_from_db()
    second.refresh_from_db()
    assert first.invoice.status == Invoice.Status.CANCELLED
    assert second.status == Registration.Status.PENDING  # promoted, but the fee is still owed
    assert second.invoice.payer_name == "Person 2"
    assert second.invoice.status == Invoice.Status.OPEN


def test_payer_invoices_leave_the_member_city_in_good_standing(paying_event, member_city):
    _register(paying_event, local_government=member_city)
    later = datetime.date(paying_event.starts_at.year + 1, 12, 31)

    assert (
        members_in_good_standing(paying_event.network, on=later)
        .filter(local_government=member_city)
        .exists()
    )


def test_the_event_page_tells_the_participant_the_fee(client, paying_event, participant):
    registration = register(
        paying_event,
        by=participant,
        user=participant,
        full_name=participant.full_name,
        email=participant.email,
        category="non_member",
    )
    client.force_login(participant)

    page = client.get(paying_event.get_absolute_url()).content.decode()

    assert registration.invoice.number in page
    assert "150.00 EUR" in page
