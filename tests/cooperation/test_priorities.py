"""Geographic priorities of plans, as the project list and the fund statement read them."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from municipia.cooperation.models import Partner, Project
from municipia.cooperation.services import (
    add_partner,
    commit_funds,
    plan_tranche,
    release_tranche,
    review_report,
    submit_report,
)
from municipia.cooperation.statements import fund_statement
from municipia.plans.models import GeographicPriority
from tests.factories.cooperation import ProjectFactory
from tests.factories.directory import CountryFactory, LocalGovernmentFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def senegal(db):
    return CountryFactory(code="SN", region="002", sub_region="202", intermediate_region="011")


@pytest.fixture
def brazil(db):
    return CountryFactory(code="BR", region="019", sub_region="419", intermediate_region="005")


@pytest.fixture
def canada(db):
    return CountryFactory(code="CA", region="019", sub_region="021", intermediate_region="")


def _project(network, fund, country, **kwargs):
    project = ProjectFactory(network=network, fund=fund, **kwargs)
    city = LocalGovernmentFactory(country=country)
    add_partner(project, role=Partner.Role.LEAD, local_government=city)
    return project


def test_a_project_is_in_a_priority_area_by_country_or_region_of_its_networks_plans(
    network, fund, senegal, brazil, canada
):
    plan = PlanFactory(network=network)
    GeographicPriority.objects.create(plan=plan, country=senegal)
    GeographicPriority.objects.create(plan=plan, region="419")
    in_senegal = _project(network, fund, senegal)
    in_brazil = _project(network, fund, brazil)
    _project(network, fund, canada)

    assert set(Project.objects.in_priority_areas()) == {in_senegal, in_brazil}


def test_a_partner_citys_plan_counts_and_another_networks_plan_does_not(
    network, other_network, fund, senegal, canada
):
    project = _project(network, fund, canada)
    GeographicPriority.objects.create(plan=PlanFactory(network=other_network), country=canada)

    assert not Project.objects.in_priority_areas().exists()

    lead = project.partners.get().local_government
    city_plan = PlanFactory(network=None, local_government=lead)
    GeographicPriority.objects.create(plan=city_plan, country=canada)

    assert list(Project.objects.in_priority_areas()) == [project]


@pytest.mark.parametrize("count", [1, 4])
def test_the_project_list_filters_on_priority_areas_in_flat_queries(
    client, network, fund, senegal, canada, count, django_assert_max_num_queries
):
    GeographicPriority.objects.create(plan=PlanFactory(network=network), country=senegal)
    expected = {_project(network, fund, senegal).pk for _n in range(count)}
    _project(network, fund, canada)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("cooperation:project-list"), {"priority": "on"})

    assert {p.pk for p in response.context["page"].object_list} == expected


def _money_to(project, funded, staff, officer, amount):
    commitment = commit_funds(funded, project, amount=amount, currency="EUR", by=staff)
    tranche = plan_tranche(
        commitment, label="All", amount=amount, planned_on=datetime.date(2026, 1, 1)
    )
    report = submit_report(project, kind="financial", title="Spent", text="All.", by=officer)
    review_report(report, accept=True, by=staff)
    release_tranche(tranche, report=report, by=staff, on=datetime.date(2026, 2, 1))


@pytest.mark.parametrize("count", [1, 3])
def test_the_fund_statement_shows_what_went_to_priority_areas_in_flat_queries(
    network,
    funded,
    senegal,
    canada,
    network_staff,
    city_officer,
    count,
    django_assert_max_num_queries,
):
    GeographicPriority.objects.create(plan=PlanFactory(network=network), country=senegal)
    for _n in range(count):
        _money_to(_project(network, funded, senegal), funded, network_staff, city_officer, "1000")
        _money_to(_project(network, funded, canada), funded, network_staff, city_officer, "500")
    client = Client()
    client.force_login(network_staff)

    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("cooperation:fund-statement", args=[network.slug, funded.slug])
        )

    statement = response.context["statement"]
    this_year = next(r for r in statement.years if r.year == timezone.localdate().year)
    released = next(r for r in statement.years if r.year == 2026)
    assert this_year.priority_committed == Decimal(1000 * count)
    assert released.priority_disbursed == Decimal(1000 * count)
    assert statement.priority_areas == ["Country SN"]
    assert "Country SN" in response.content.decode()


def test_priority_area_names_follow_the_language(network, funded, senegal):
    senegal.names = {"en": "Senegal", "fr": "Sénégal"}
    senegal.save()
    plan = PlanFactory(network=network)
    GeographicPriority.objects.create(plan=plan, country=senegal)
    GeographicPriority.objects.create(plan=plan, region="002")

    with translation.override("fr"):
        names = fund_statement(funded).priority_areas

    assert names == ["Afrique", "Sénégal"]


def test_the_api_filters_projects_on_priority_areas(client, network, fund, senegal, canada):
    GeographicPriority.objects.create(plan=PlanFactory(network=network), country=senegal)
    inside = _project(network, fund, senegal)
    outside = _project(network, fund, canada)

    def slugs(value):
        response = client.get(reverse("api:project-list"), {"priority": value})
        return [p["slug"] for p in response.json()["results"]]

    assert slugs("true") == [inside.slug]
    assert slugs("false") == [outside.slug]
