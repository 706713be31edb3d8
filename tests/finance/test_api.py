import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.finance.models import Payment
from municipia.finance.services import cancel_invoice, record_payment
from tests.factories.accounts import RoleFactory
from tests.factories.directory import MembershipFactory
from tests.factories.finance import FeeBandFactory, FeeScheduleFactory, InvoiceFactory

pytestmark = pytest.mark.django_db

PAYMENT = {"amount": "300.00", "currency": "EUR", "received_on": "2025-05-01"}


def _lists(network):
    return [
        reverse("api:fee-schedule-list"),
        reverse("api:invoice-list"),
        reverse("api:payment-list"),
    ]


def test_staff_see_their_network_dues(client, login, network_staff, invoice):
    FeeBandFactory(schedule=invoice.schedule)
    record_payment(invoice, amount="100", currency="EUR", received_on=datetime.date(2025, 4, 1))
    client = login(network_staff)

    schedules = client.get(reverse("api:fee-schedule-list")).json()["results"]
    invoices = client.get(reverse("api:invoice-list")).json()["results"]
    payments = client.get(reverse("api:payment-list")).json()["results"]
    detail = client.get(reverse("api:invoice-detail", args=[invoice.pk])).json()

    assert [(s["year"], s["currency"], len(s["bands"])) for s in schedules] == [(2025, "EUR", 1)]
    assert [(i["number"], i["balance"]) for i in invoices] == [(invoice.number, "900.00")]
    assert [(p["invoice"], p["amount_credited"]) for p in payments] == [(invoice.number, "100.00")]
    assert [p["amount"] for p in detail["payments"]] == ["100.00"]


def test_staff_of_another_network_see_none_of_these_dues(login, invoice, other_network):
    record_payment(invoice, amount="100", currency="EUR", received_on=datetime.date(2025, 4, 1))
    client = login(RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user)

    for url in _lists(invoice.network):
        assert client.get(url).json()["count"] == 0, url
    assert client.get(reverse("api:invoice-detail", args=[invoice.pk])).status_code == 404
    assert (
        client.post(reverse("api:invoice-payments", args=[invoice.pk]), PAYMENT).status_code == 404
    )
    arrears = client.get(reverse("api:arrears-list"), {"network": invoice.network.slug})
    assert arrears.status_code == 403
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("who", ["city_officer", "juror", "expert", "user"])
def test_other_roles_see_no_dues(login, invoice, request, who):
    client = login(request.getfixturevalue(who))

    for url in _lists(invoice.network):
        assert client.get(url).json()["count"] == 0, url
    assert (
        client.post(reverse("api:invoice-payments", args=[invoice.pk]), PAYMENT).status_code == 404
    )
    assert (
        client.get(reverse("api:arrears-list"), {"network": invoice.network.slug}).status_code
        == 403
    )


def test_anonymous_is_refused(client, invoice):
    for url in [*_lists(invoice.network), reverse("api:arrears-list")]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("api:invoice-payments", args=[invoice.pk]), PAYMENT).status_code == 403
    )


def test_superuser_sees_every_network(superuser_client, invoice):
    InvoiceFactory()

    assert superuser_client.get(reverse("api:invoice-list")).json()["count"] == 2


def test_recording_a_payment_calls_the_service(login, network_staff, invoice):
    response = login(network_staff).post(
        reverse("api:invoice-payments", args=[invoice.pk]),
        {
            "amount": "50000",
            "currency": "ARS",
            "exchange_rate": "0.001",
            "received_on": "2025-05-01",
            "method": "local_account",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert (response.json()["amount_credited"], response.json()["exchange_rate"]) == (
        "50.00",
        "0.0010000000",
    )
    invoice.refresh_from_db()
    assert (invoice.amount_paid, Payment.objects.get().recorded_by) == (
        Decimal("50.00"),
        network_staff,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "1000.01", "currency": "EUR"}, "larger than the balance"),
        ({"amount": "10", "currency": "QQQ"}, "“QQQ” is not an ISO 4217 currency code."),
        ({"amount": "10", "currency": "USD"}, "Give the exchange rate"),
        ({"amount": "-10", "currency": "EUR"}, "The amount must be greater than zero."),
    ],
)
def test_payment_refusals_answer_400_with_the_reason(login, network_staff, invoice, data, message):
    response = login(network_staff).post(
        reverse("api:invoice-payments", args=[invoice.pk]),
        {"received_on": "2025-05-01", **data},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert Payment.objects.count() == 0


def test_payment_on_a_cancelled_invoice_answers_400(login, network_staff, invoice):
    cancel_invoice(invoice, reason="Error.", by=network_staff)

    response = login(network_staff).post(
        reverse("api:invoice-payments", args=[invoice.pk]), PAYMENT
    )

    assert (response.status_code, response.json()) == (
        400,
        {"detail": f"Invoice {invoice.number} is cancelled."},
    )


def test_arrears_endpoint_lists_overdue_members(login, network_staff, network):
    late = InvoiceFactory(membership=MembershipFactory(network=network))
    InvoiceFactory(
        membership=MembershipFactory(network=network),
        schedule=FeeScheduleFactory(network=network, year=2026, due_on=datetime.date(2026, 3, 31)),
    )

    response = login(network_staff).get(
        reverse("api:arrears-list"), {"network": network.slug, "on": "2025-06-15"}
    )

    assert [
        (r["number"], r["days_past_due"], r["affects_standing"], r["balance"])
        for r in response.json()["results"]
    ] == [(late.number, 76, True, "1000.00")]


def test_arrears_endpoint_refuses_bad_filters(login, network_staff, network):
    response = login(network_staff).get(
        reverse("api:arrears-list"), {"network": network.slug, "on": "yesterday"}
    )

    assert response.status_code == 400
    assert response.json() == {"on": ["Enter a valid date."]}


@pytest.mark.parametrize("count", [1, 3])
def test_invoice_list_query_count_does_not_grow(
    login, network_staff, network, django_assert_num_queries, count
):
    for _ in range(count):
        InvoiceFactory(membership=MembershipFactory(network=network))
    client = login(network_staff)

    # session, user, roles, count, page
    with django_assert_num_queries(5):
        assert client.get(reverse("api:invoice-list")).json()["count"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_arrears_query_count_does_not_grow(
    login, network_staff, network, django_assert_num_queries, count
):
    for _ in range(count):
        InvoiceFactory(membership=MembershipFactory(network=network))
    client = login(network_staff)

    # session, user, network, roles, count, page
    with django_assert_num_queries(6):
        response = client.get(
            reverse("api:arrears-list"), {"network": network.slug, "on": "2025-06-01"}
        )

    assert response.json()["count"] == count
