import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from municipia.accounts.models import Role
from municipia.finance.models import FeeSchedule, Invoice, Payment, PaymentPlan, Waiver
from municipia.finance.services import record_payment
from tests.factories.accounts import RoleFactory
from tests.factories.directory import MembershipFactory
from tests.factories.finance import FeeBandFactory, FeeScheduleFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


def _pages(invoice):
    slug, number = invoice.network.slug, invoice.number
    return [
        ("get", reverse("finance:network-dues", args=[slug])),
        ("get", reverse("finance:schedule-create", args=[slug])),
        ("get", reverse("finance:invoice-list", args=[slug])),
        ("get", reverse("finance:invoice-list", args=[slug]) + "?format=csv"),
        ("get", reverse("finance:invoice-detail", args=[slug, number])),
        ("get", reverse("finance:arrears", args=[slug])),
        ("get", reverse("finance:arrears", args=[slug]) + "?format=xlsx"),
        ("get", reverse("finance:bank-details", args=[slug])),
        ("post", reverse("finance:bank-details", args=[slug])),
        ("post", reverse("finance:invoices-issue", args=[slug])),
        ("post", reverse("finance:payment-record", args=[slug, number])),
        ("post", reverse("finance:waiver-create", args=[slug, number])),
        ("post", reverse("finance:plan-create", args=[slug, number])),
        ("post", reverse("finance:invoice-cancel", args=[slug, number])),
    ]


def test_anonymous_is_sent_to_login(client, invoice):
    for method, url in _pages(invoice):
        response = getattr(client, method)(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ["city_officer", "juror", "expert", "user"])
def test_other_roles_are_refused_every_dues_page(login, invoice, request, who):
    client = login(request.getfixturevalue(who))

    for method, url in _pages(invoice):
        assert getattr(client, method)(url, {"reason": "x", "amount": "1"}).status_code == 403, url


def test_staff_of_another_network_cannot_see_or_change_these_dues(login, invoice, other_network):
    outsider = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user
    client = login(outsider)

    for method, url in _pages(invoice):
        data = {"amount": "10", "currency": "EUR", "received_on": "2025-05-01", "method": "cash"}
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Payment.objects.count() == 0


def test_invoice_of_another_network_is_not_found_under_own_network(
    login, network_staff, network, other_network
):
    foreign = InvoiceFactory(membership=MembershipFactory(network=other_network))

    response = login(network_staff).get(
        reverse("finance:invoice-detail", args=[network.slug, foreign.number])
    )

    assert response.status_code == 404


def test_dues_index_lists_nothing_for_a_city_officer(login, city_officer):
    response = login(city_officer).get(reverse("finance:index"))

    assert response.status_code == 200
    assert list(response.context["networks"]) == []


def test_dues_index_sends_single_network_staff_to_their_network(login, network_staff, network):
    response = login(network_staff).get(reverse("finance:index"))

    assert response["Location"] == reverse("finance:network-dues", args=[network.slug])


def test_staff_create_a_fee_schedule_with_bands(login, network_staff, network):
    data = {
        "year": "2026",
        "currency": "EUR",
        "due_on": "2026-03-31",
        "grace_days": "45",
        "notes": "",
        "bands-TOTAL_FORMS": "3",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
        "bands-0-position": "1",
        "bands-0-label": "Small cities",
        "bands-0-max_population": "100000",
        "bands-0-amount": "600",
        "bands-1-position": "2",
        "bands-1-label": "Others",
        "bands-1-amount": "2400",
        "bands-2-position": "0",
    }

    response = login(network_staff).post(
        reverse("finance:schedule-create", args=[network.slug]), data
    )

    assert response.status_code == 302
    schedule = FeeSchedule.objects.get(network=network)
    assert (schedule.year, schedule.grace_days) == (2026, 45)
    assert list(schedule.bands.values_list("label", "amount")) == [
        ("Small cities", Decimal("600.00")),
        ("Others", Decimal("2400.00")),
    ]


def test_fee_schedule_refuses_an_unknown_currency_and_no_bands(login, network_staff, network):
    data = {
        "year": "2026",
        "currency": "XXQ",
        "due_on": "2026-03-31",
        "grace_days": "30",
        "bands-TOTAL_FORMS": "1",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
        "bands-0-position": "0",
    }

    response = login(network_staff).post(
        reverse("finance:schedule-create", args=[network.slug]), data
    )

    assert response.status_code == 200
    assert response.context["form"].errors["currency"] == [
        "“XXQ” is not an ISO 4217 currency code."
    ]
    assert response.context["formset"].non_form_errors() == [
        "A fee schedule needs at least one band."
    ]
    assert FeeSchedule.objects.count() == 0


def test_fee_schedule_refuses_a_second_schedule_for_the_same_year(login, network_staff, network):
    FeeScheduleFactory(network=network, year=2026)
    data = {
        "year": "2026",
        "currency": "EUR",
        "due_on": "2026-03-31",
        "grace_days": "30",
        "bands-TOTAL_FORMS": "1",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
        "bands-0-position": "0",
        "bands-0-amount": "100",
    }

    response = login(network_staff).post(
        reverse("finance:schedule-create", args=[network.slug]), data
    )

    assert response.context["form"].errors["year"] == [
        f"{network} already has a fee schedule for 2026."
    ]
    assert FeeSchedule.objects.count() == 1


def test_staff_edit_a_fee_schedule_of_their_network_only(
    login, network_staff, network, other_network
):
    own = FeeScheduleFactory(network=network, year=2026)
    FeeScheduleFactory(network=other_network, year=2027)
    client = login(network_staff)

    assert (
        client.get(reverse("finance:schedule-edit", args=[network.slug, 2026])).status_code == 200
    )
    assert (
        client.get(reverse("finance:schedule-edit", args=[network.slug, 2027])).status_code == 404
    )
    assert (
        client.get(reverse("finance:schedule-edit", args=[other_network.slug, 2027])).status_code
        == 403
    )
    assert own.get_absolute_url() == reverse("finance:schedule-edit", args=[network.slug, 2026])


def test_staff_issue_invoices_from_the_page(login, network_staff, network):
    schedule = FeeScheduleFactory(network=network, year=2026, due_on=datetime.date(2026, 3, 31))
    FeeBandFactory(schedule=schedule, amount=Decimal("800"))
    MembershipFactory(network=network)
    MembershipFactory(network=network)
    client = login(network_staff)

    client.post(reverse("finance:invoices-issue", args=[network.slug]), {"year": "2026"})
    response = client.post(
        reverse("finance:invoices-issue", args=[network.slug]), {"year": "2026"}, follow=True
    )

    assert Invoice.objects.filter(network=network, year=2026).count() == 2
    assert [str(m) for m in response.context["messages"]][-1] == (
        "0 invoices issued; 2 were already issued, 0 members are exempt and 0 fit no band."
    )


def test_staff_record_a_payment_in_another_currency(login, network_staff, invoice):
    url = reverse("finance:payment-record", args=[invoice.network.slug, invoice.number])
    data = {
        "amount": "100000",
        "currency": "ars",
        "exchange_rate": "0.001",
        "received_on": "2025-05-01",
        "method": "local_account",
    }

    response = login(network_staff).post(url, data)

    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.currency, payment.amount_credited, payment.recorded_by) == (
        "ARS",
        Decimal("100.00"),
        network_staff,
    )


def test_payment_refusal_is_shown_and_nothing_written(login, network_staff, invoice):
    url = reverse("finance:payment-record", args=[invoice.network.slug, invoice.number])
    data = {"amount": "5000", "currency": "EUR", "received_on": "2025-05-01", "method": "cash"}

    response = login(network_staff).post(url, data)

    assert response.status_code == 400
    assert response.context["payment_form"].non_field_errors() == [
        f"This payment (5000.00 EUR) is larger than the balance of invoice {invoice.number} (1000.00 EUR)."
    ]
    assert Payment.objects.count() == 0


def test_staff_waive_plan_and_cancel_from_the_page(login, network_staff, invoice):
    client = login(network_staff)
    base = [invoice.network.slug, invoice.number]

    client.post(
        reverse("finance:waiver-create", args=base), {"amount": "200", "reason": "Hardship."}
    )
    client.post(
        reverse("finance:plan-create", args=base),
        {
            "note": "Two transfers through a local bank.",
            "instalments-TOTAL_FORMS": "4",
            "instalments-INITIAL_FORMS": "0",
            "instalments-MIN_NUM_FORMS": "0",
            "instalments-MAX_NUM_FORMS": "24",
            "instalments-0-due_on": "2025-06-30",
            "instalments-0-amount": "400",
            "instalments-1-due_on": "2025-09-30",
            "instalments-1-amount": "400",
        },
    )

    assert Waiver.objects.get().amount == Decimal("200.00")
    assert list(PaymentPlan.objects.get().instalments.values_list("amount", flat=True)) == [
        Decimal("400.00"),
        Decimal("400.00"),
    ]
    response = client.post(
        reverse("finance:invoice-cancel", args=base), {"reason": "Left the network."}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED


def test_invoice_list_exports_csv(login, network_staff, invoice):
    response = login(network_staff).get(
        reverse("finance:invoice-list", args=[invoice.network.slug]),
        {"format": "csv", "year": "2025"},
    )

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert (
        lines[0]
        == "Invoice,Year,Member,Country,Status,Currency,Amount,Paid,Waived,Balance,Issued on,Due on"
    )
    member = invoice.membership.local_government
    assert lines[1] == (
        f"{invoice.number},2025,{member.name},{member.country.code},Open,EUR,1000.00,0.00,0.00,1000.00,"
        "2025-01-15,2025-03-31"
    )


def test_arrears_report_shows_who_owes_since_when(login, network_staff, network):
    late = InvoiceFactory(
        membership=MembershipFactory(network=network, local_government__name="Rosario")
    )
    paid = InvoiceFactory(membership=MembershipFactory(network=network))
    record_payment(paid, amount="1000", currency="EUR", received_on=datetime.date(2025, 4, 1))

    response = login(network_staff).get(
        reverse("finance:arrears", args=[network.slug]), {"on": "2025-05-15"}
    )

    assert [i.number for i in response.context["page"]] == [late.number]
    [row] = response.context["page"]
    assert (row.days_past_due_on, row.affects_standing, row.outstanding) == (
        45,
        True,
        Decimal("1000.00"),
    )
    assert response.context["totals"] == [
        {
            "currency": "EUR",
            "count": 1,
            "total": Decimal("1000.00"),
            "buckets": [0, Decimal("1000.00"), 0, 0, 0],
        }
    ]


def test_arrears_report_filters_by_bucket_and_exports_xlsx(login, network_staff, network):
    InvoiceFactory(membership=MembershipFactory(network=network, local_government__name="Dakar"))
    url = reverse("finance:arrears", args=[network.slug])
    client = login(network_staff)

    empty = client.get(url, {"on": "2025-05-15", "bucket": "365+"})
    export = client.get(url, {"on": "2025-05-15", "bucket": "31-90", "format": "xlsx"})

    assert list(empty.context["page"]) == []
    rows = list(load_workbook(filename=io.BytesIO(export.content)).active.values)
    assert rows[0][:3] == ("Invoice", "Year", "Member")
    assert rows[1][2:7] == ("Dakar", rows[1][3], "2025-03-31", 45, "31 to 90 days")


@pytest.mark.parametrize("count", [1, 3])
def test_invoice_list_query_count_does_not_grow(
    login, network_staff, network, django_assert_num_queries, count
):
    for _ in range(count):
        InvoiceFactory(membership=MembershipFactory(network=network))
    client = login(network_staff)
    url = reverse("finance:invoice-list", args=[network.slug])

    # session, user, generations, network, roles, count, page of invoices
    with django_assert_num_queries(7):
        client.get(url)


@pytest.mark.parametrize("count", [1, 3])
def test_arrears_report_query_count_does_not_grow(
    login, network_staff, network, django_assert_num_queries, count
):
    for _ in range(count):
        InvoiceFactory(membership=MembershipFactory(network=network))
    client = login(network_staff)
    url = reverse("finance:arrears", args=[network.slug])

    # session, user, generations, roles, network, count, page, totals
    with django_assert_num_queries(8):
        client.get(url, {"on": "2025-06-01"})


@pytest.mark.parametrize("count", [1, 3])
def test_arrears_export_query_count_does_not_grow(
    login, network_staff, network, django_assert_num_queries, count
):
    for _ in range(count):
        InvoiceFactory(membership=MembershipFactory(network=network))
    client = login(network_staff)
    url = reverse("finance:arrears", args=[network.slug])

    # session, user, network, roles, invoices
    with django_assert_num_queries(5):
        response = client.get(url, {"on": "2025-06-01", "format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == count + 1


def test_invoice_detail_shows_payments(login, network_staff, invoice):
    record_payment(invoice, amount="250", currency="EUR", received_on=datetime.date(2025, 4, 2))

    response = login(network_staff).get(invoice.get_absolute_url())

    assert response.status_code == 200
    assert [p.amount for p in response.context["payments"]] == [Decimal("250.00")]
    content = response.content.decode()
    assert "250.00" in content
    assert f'name="received_on" value="{timezone.localdate().isoformat()}"' in content
