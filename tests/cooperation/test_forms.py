"""The HTML forms of cooperation: what they write, and what they refuse with nothing written."""

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from municipia.cooperation.models import (
    BudgetLine,
    CoFunding,
    Commitment,
    Disbursement,
    Income,
    Milestone,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
    ProjectReport,
)
from municipia.cooperation.services import add_indicator, plan_tranche, submit_report
from tests.factories.directory import LocalGovernmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


def _snapshot():
    """Every row of cooperation, as a comparable value."""
    return {
        model._meta.label: sorted(model.objects.values_list("pk", flat=True))
        for model in apps.get_app_config("cooperation").get_models()
    } | {
        "project_countries": sorted(Project.countries.through.objects.values_list("pk", flat=True))
    }


@pytest.fixture
def staff(network_staff):
    return _client(network_staff)


def _post(client, name, args, data):
    return client.post(reverse(f"cooperation:{name}", args=args), data)


def test_staff_add_a_budget_line(staff, project):
    response = _post(
        staff,
        "budget-line-create",
        [project.slug],
        {"category": "works", "description": "Water pipes", "currency": "XOF", "amount": "1500000"},
    )

    assert response.status_code == 302
    line = BudgetLine.objects.get(project=project)
    assert (line.currency, line.amount, line.description) == ("XOF", 1500000, "Water pipes")


def test_a_budget_line_in_an_unknown_currency_is_refused_and_nothing_written(staff, project):
    before = _snapshot()

    response = _post(
        staff,
        "budget-line-create",
        [project.slug],
        {"category": "works", "description": "Pipes", "currency": "XYZ", "amount": "10"},
    )

    assert response.status_code == 200
    assert "“XYZ” is not an ISO 4217 currency code." in response.content.decode()
    assert _snapshot() == before


def test_a_budget_line_is_refused_in_the_readers_language(staff, project):
    with translation.override("es"):
        url = reverse("cooperation:budget-line-create", args=[project.slug])
    before = _snapshot()

    response = staff.post(
        url, {"category": "works", "description": "Tubos", "currency": "XYZ", "amount": "10"}
    )

    assert response.status_code == 200
    assert "«XYZ» no es un código de moneda ISO 4217." in response.content.decode()
    assert _snapshot() == before


def test_staff_add_partners_with_roles_and_a_partner_twice_is_refused(staff, project):
    other = LocalGovernmentFactory()
    organisation = OrganisationFactory()

    first = _post(
        staff, "partner-create", [project.slug], {"local_government": other.pk, "role": "partner"}
    )
    second = _post(
        staff,
        "partner-create",
        [project.slug],
        {"organisation": organisation.pk, "role": "technical"},
    )
    before = _snapshot()
    again = _post(
        staff, "partner-create", [project.slug], {"local_government": other.pk, "role": "associate"}
    )

    assert (first.status_code, second.status_code, again.status_code) == (302, 302, 200)
    assert "is already a partner of this project" in again.content.decode()
    assert _snapshot() == before
    assert set(project.partners.values_list("role", flat=True)) == {"lead", "partner", "technical"}
    assert other.country in project.countries.all()


def test_a_partner_is_one_party_not_two(staff, project):
    before = _snapshot()

    response = _post(
        staff,
        "partner-create",
        [project.slug],
        {
            "local_government": LocalGovernmentFactory().pk,
            "organisation": OrganisationFactory().pk,
            "role": "partner",
        },
    )

    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert Partner.objects.filter(project=project).count() == 1
    assert _snapshot() == before


def test_staff_add_co_funding_milestones_and_indicators(staff, project):
    donor = OrganisationFactory()

    responses = [
        _post(
            staff,
            "co-funding-create",
            [project.slug],
            {"organisation": donor.pk, "currency": "USD", "amount": "25000", "confirmed": "on"},
        ),
        _post(
            staff,
            "milestone-create",
            [project.slug],
            {"title": "Works tendered", "due_on": "2026-06-30"},
        ),
        _post(
            staff,
            "indicator-create",
            [project.slug],
            {
                "name": "Households connected",
                "unit": "households",
                "baseline": "120",
                "target": "900",
                "target_on": "2027-12-31",
            },
        ),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert CoFunding.objects.get(project=project).confirmed
    assert Milestone.objects.get(project=project).due_on == datetime.date(2026, 6, 30)
    indicator = ProjectIndicator.objects.get(project=project)
    assert (indicator.baseline, indicator.target) == (120, 900)


def test_a_partner_officer_records_a_dated_value_and_a_future_one_is_refused(project, city_officer):
    indicator = add_indicator(project, name="Households", baseline=0, target=100)
    client = _client(city_officer)
    url = reverse("cooperation:indicator-value-create", args=[project.slug, indicator.pk])

    done = client.post(url, {"measured_on": "2025-12-31", "value": "40"})
    before = _snapshot()
    future = client.post(url, {"measured_on": "2999-01-01", "value": "50"})

    assert done.status_code == 302
    assert ProjectIndicatorValue.objects.get(indicator=indicator).value == 40
    assert future.status_code == 200
    assert "cannot be dated in the future" in future.content.decode()
    assert _snapshot() == before


def test_staff_record_income_from_an_organisation(staff, fund, network):
    commission = OrganisationFactory(name="European Commission")

    response = _post(
        staff,
        "income-create",
        [network.slug, fund.slug],
        {
            "source": commission.pk,
            "kind": "grant",
            "year": "2025",
            "received_on": "2025-03-01",
            "currency": "USD",
            "amount": "10000",
            "exchange_rate": "0.9",
        },
    )

    assert response.status_code == 302
    income = Income.objects.get(fund=fund)
    assert (income.source, income.amount_converted) == (commission, 9000)


def test_income_in_a_foreign_currency_without_a_rate_is_refused(staff, fund, network):
    before = _snapshot()

    response = _post(
        staff,
        "income-create",
        [network.slug, fund.slug],
        {
            "source": OrganisationFactory().pk,
            "kind": "grant",
            "year": "2025",
            "received_on": "2025-03-01",
            "currency": "USD",
            "amount": "10000",
        },
    )

    assert response.status_code == 200
    assert "Give the exchange rate" in response.content.decode()
    assert _snapshot() == before


def test_a_commitment_that_takes_the_fund_below_zero_is_refused(staff, funded, project):
    before = _snapshot()

    response = _post(
        staff, "commitment-create", [project.slug], {"amount": "100000.01", "currency": "EUR"}
    )

    assert response.status_code == 302
    assert _snapshot() == before
    assert not Commitment.objects.exists()


def test_a_tranche_above_the_commitment_or_before_its_report_is_accepted_is_refused(
    staff, commitment, project, city_officer
):
    tranche = plan_tranche(
        commitment, label="First", amount="20000", planned_on=datetime.date(2026, 3, 1)
    )
    report = submit_report(
        project, kind="financial", title="Accounts", text="Spent as planned.", by=city_officer
    )
    before = _snapshot()

    above = _post(
        staff,
        "tranche-create",
        [project.slug],
        {
            "commitment": commitment.pk,
            "label": "Second",
            "amount": "10000.01",
            "planned_on": "2026-09-01",
        },
    )
    early = _post(staff, "tranche-release", [project.slug, tranche.pk], {"report": report.pk})

    assert (above.status_code, early.status_code) == (302, 302)
    assert _snapshot() == before
    tranche.refresh_from_db()
    assert tranche.status == Disbursement.Status.PLANNED


def test_a_report_on_a_closed_project_is_refused(project, city_officer):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)
    client = _client(city_officer)
    before = _snapshot()

    response = client.post(
        reverse("cooperation:report-create", args=[project.slug]),
        {"kind": "narrative", "title": "Late", "text": "After the end."},
    )

    assert response.status_code == 200
    assert "takes no more reports" in response.content.decode()
    assert _snapshot() == before
    assert not ProjectReport.objects.exists()
