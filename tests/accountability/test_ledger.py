import datetime
from decimal import Decimal

from municipia.accountability.ledger import (
    dues_figures,
    networks_year_accounts,
    year_accounts,
)
from municipia.accountability.models import ExchangeRate
from tests.accountability.conftest import make_books
from tests.factories.directory import NetworkFactory

END = datetime.date(2025, 12, 31)
MID = datetime.date(2025, 7, 1)


def _line(side, code):
    return next(line for line in side.lines if line.account.code == code)


def test_actuals_come_from_what_the_platform_records_by_month(books):
    accounts = year_accounts(books.network, 2025, today=END)
    dues = _line(accounts.income, "70")
    # 1,000 EUR in March, and 500 CHF at 1.05 in May.
    assert dues.months[2] == Decimal("1000.00")
    assert dues.months[4] == Decimal("525.00")
    assert dues.actual == Decimal("1525.00")
    assert dues.budget == Decimal("10000.00")
    assert _line(accounts.income, "74").months[1] == Decimal("1980.00")  # the fund's grant
    assert _line(accounts.income, "75").actual == Decimal("200.00")  # the event fee
    assert _line(accounts.expenditure, "65").months[5] == Decimal("1500.00")  # the tranche
    assert _line(accounts.expenditure, "62").actual == Decimal("420.00")  # 400 CHF by hand
    assert accounts.result_actual == Decimal("3705.00") - Decimal("1920.00")
    assert accounts.missing_rates == []


def test_a_year_over_projects_its_actuals(books):
    accounts = year_accounts(books.network, 2025, today=datetime.date(2026, 2, 1))
    assert accounts.result_projected == accounts.result_actual
    assert not accounts.heads_for_deficit


def test_projection_is_prudent_and_warns_of_a_deficit(db):
    books = make_books(NetworkFactory(), deficit=True)
    accounts = year_accounts(books.network, 2025, today=MID)
    travel = _line(accounts.expenditure, "62")
    assert travel.projected == travel.budget  # expenditure budgeted is expected in full
    dues = _line(accounts.income, "70")
    # Income still missing comes in proportion to the time left (183 of 365 days).
    expected = dues.actual + (dues.budget - dues.actual) * Decimal(183) / Decimal(365)
    assert dues.projected == expected.quantize(Decimal("0.01"))
    assert accounts.result_projected < 0
    assert accounts.heads_for_deficit
    assert accounts.projected_deficit == -accounts.result_projected


def test_an_amount_without_a_rate_is_named_not_counted(books):
    ExchangeRate.objects.filter(network=books.network, currency="CHF").delete()
    accounts = year_accounts(books.network, 2025, today=END)
    assert accounts.missing_rates == ["CHF"]
    assert _line(accounts.income, "70").actual == Decimal("1000.00")


def test_the_year_takes_few_queries_whatever_the_money(books, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        accounts = year_accounts(books.network, 2025, today=END)
    assert accounts.income.actual > 0


def test_many_networks_at_once_take_the_same_queries(books, django_assert_max_num_queries):
    other = make_books(NetworkFactory())
    currencies = {books.network: "EUR", other.network: "EUR"}
    with django_assert_max_num_queries(8):
        figures = networks_year_accounts(currencies, 2025, today=END)
    assert figures[books.network.pk].income.actual == figures[other.network.pk].income.actual


def test_dues_collected_and_outstanding(books):
    figures = dues_figures(books.network, 2025, "EUR")
    # Two invoices of 1,000 (one in CHF at 1.05): 2,050 invoiced, 1,525 collected.
    assert figures.invoiced == Decimal("2050.00")
    assert figures.collected == Decimal("1525.00")
    assert figures.outstanding == Decimal("525.00")


def test_the_workspace_outlook_takes_the_same_queries_for_many_networks(
    books, rf, django_assert_max_num_queries
):
    from municipia.accountability.workspace import budget_outlook
    from tests.factories.accounts import UserFactory

    make_books(NetworkFactory())
    request = rf.get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    with django_assert_max_num_queries(10):
        section = budget_outlook(request)
    assert len(section.entries) == 2
