"""The fund statement is read from the cache and built again after every kind of write it shows:
other income, a commitment, a released tranche, a member's contribution called and paid (the
finance app), a priority area named by a plan (the plans app) and a change made outside the
services (the admin, a bulk update).

Transactional: the generations go up when a transaction commits, as on the site."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipia.cooperation.models import Income, Partner
from municipia.cooperation.services import (
    add_partner,
    call_contribution,
    commit_funds,
    plan_tranche,
    record_income,
    release_tranche,
    review_report,
    submit_report,
)
from municipia.cooperation.statements import cached_fund_statement
from municipia.finance.services import record_payment
from municipia.plans.models import GeographicPriority
from tests.factories.cooperation import FundFactory, ProjectFactory
from tests.factories.directory import MembershipFactory, OrganisationFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = timezone.localdate().year


def _statement(fund):
    with CaptureQueriesContext(connection) as queries:
        statement = cached_fund_statement(fund)
    return statement, len(queries)


def _year(statement, year=YEAR):
    return next(row for row in statement.years if row.year == year)


@pytest.fixture
def world(network, city, network_staff, city_officer):
    with transaction.atomic():
        fund = FundFactory(network=network)
        project = ProjectFactory(network=network, fund=fund)
        add_partner(project, role=Partner.Role.LEAD, local_government=city)
        donor = OrganisationFactory(name="European Commission (test)")
    return {"fund": fund, "project": project, "donor": donor, "country": city.country}


def test_each_kind_of_write_shows_at_once_and_reading_again_costs_one_query(
    world, network, network_staff, city_officer
):
    fund, project = world["fund"], world["project"]
    cache.clear()
    built, built_queries = _statement(fund)
    kept, kept_queries = _statement(fund)
    assert kept.years == built.years == []
    assert kept_queries == 1 < built_queries  # the generations only

    record_income(
        fund,
        source=world["donor"],
        kind="grant",
        year=YEAR,
        received_on=timezone.localdate(),
        amount=Decimal("100000"),
        currency="EUR",
        by=network_staff,
    )
    assert _year(_statement(fund)[0]).other_income == Decimal("100000")

    commitment = commit_funds(fund, project, amount="30000", currency="EUR", by=network_staff)
    assert _year(_statement(fund)[0]).committed == Decimal("30000")

    report = submit_report(
        project, kind="narrative", title="First report", text="Works started.", by=city_officer
    )
    review_report(report, accept=True, by=network_staff)
    tranche = plan_tranche(
        commitment, label="First", amount="10000", planned_on=timezone.localdate()
    )
    assert _year(_statement(fund)[0]).disbursed == Decimal("0")
    release_tranche(tranche, report=report, by=network_staff, on=timezone.localdate())
    assert _year(_statement(fund)[0]).disbursed == Decimal("10000")

    contribution = call_contribution(
        fund,
        MembershipFactory(network=network),
        year=YEAR,
        amount="5000",
        currency="EUR",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        by=network_staff,
    )
    row = _year(_statement(fund)[0])
    assert (row.contributions_called, row.contributions_received) == (Decimal("5000"), 0)
    record_payment(
        contribution.invoice, amount="5000", currency="EUR", received_on=timezone.localdate()
    )
    assert _year(_statement(fund)[0]).contributions_received == Decimal("5000")

    assert _year(_statement(fund)[0]).priority_committed == 0
    GeographicPriority.objects.create(plan=PlanFactory(network=network), country=world["country"])
    statement = _statement(fund)[0]
    assert _year(statement).priority_committed == Decimal("30000")
    assert statement.priority_areas == [world["country"].name]

    Income.objects.filter(fund=fund).update(amount_converted=Decimal("90000"))
    assert _year(_statement(fund)[0]).other_income == Decimal("90000")


def test_the_page_and_the_files_read_the_kept_statement(world, network, network_staff):
    fund = world["fund"]
    record_income(
        fund,
        source=world["donor"],
        kind="grant",
        year=YEAR,
        received_on=timezone.localdate(),
        amount=Decimal("2500"),
        currency="EUR",
        by=network_staff,
    )
    client = Client()
    client.force_login(network_staff)
    url = reverse("cooperation:fund-statement", args=[network.slug, fund.slug])
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        page = client.get(url)
    assert len(second) < len(first)
    assert page.context["statement"].fund == fund
    assert "2,500.00" in page.content.decode()
    workbook = client.get(
        reverse("cooperation:fund-statement-file", args=[network.slug, fund.slug, "xlsx"])
    )
    assert workbook.status_code == 200
