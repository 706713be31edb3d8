"""Query counts that stay the same when the data triples: the project list (filtered, paged), a
project page, the fund statement (HTML and XLSX) and the network's IATI file."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.cooperation import iati
from municipia.cooperation.models import Partner
from municipia.cooperation.services import (
    add_budget_line,
    add_indicator,
    add_partner,
    call_contribution,
    commit_funds,
    plan_tranche,
    record_indicator_value,
    release_tranche,
    review_report,
    submit_report,
)
from tests.factories.cooperation import ProjectFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _grow(project, size: int, fund, by) -> None:
    """`size` of everything a project page and the open data show."""
    for n in range(size):
        add_partner(project, role=Partner.Role.PARTNER, local_government=LocalGovernmentFactory())
        add_partner(project, role=Partner.Role.TECHNICAL, organisation=OrganisationFactory())
        add_budget_line(
            project, category="works", description=f"Works {n}", currency="EUR", amount="100"
        )
        indicator = add_indicator(project, name=f"Indicator {n}", baseline="0", target="10")
        for day in range(size):
            record_indicator_value(
                indicator, measured_on=datetime.date(2025, 1, day + 1), value=str(day)
            )
        commitment = commit_funds(fund, project, amount="100", currency="EUR", by=by)
        tranche = plan_tranche(
            commitment, label=f"Tranche {n}", amount="50", planned_on=datetime.date(2025, 6, 1)
        )
        report = submit_report(project, kind="financial", title=f"Report {n}", text="Done.", by=by)
        release_tranche(tranche, report=review_report(report, accept=True, by=by), by=by)


def _projects(network, fund, count, by) -> list:
    projects = []
    for _n in range(count):
        project = ProjectFactory(network=network, fund=fund)
        add_partner(project, role=Partner.Role.LEAD, local_government=LocalGovernmentFactory())
        _grow(project, 1, fund, by)
        projects.append(project)
    return projects


def test_project_list_keeps_its_queries_when_the_projects_triple(
    client, network, funded, network_staff
):
    url = reverse("cooperation:project-list")
    params = {"network": network.slug, "status": "running"}
    counts = []
    for count in (4, 8):  # 4 then 12 projects
        _projects(network, funded, count, network_staff)
        counts.append(_queries(lambda: client.get(url, params)))
        assert client.get(url, {**params, "page": 1}).status_code == 200

    assert counts[0] == counts[1]


def test_project_page_keeps_its_queries_when_its_rows_triple(
    client, project, funded, network_staff
):
    url = reverse("cooperation:project-detail", args=[project.slug])
    _grow(project, 1, funded, network_staff)
    before = _queries(lambda: client.get(url))
    _grow(project, 2, funded, network_staff)  # three of everything, nine values an indicator

    assert _queries(lambda: client.get(url)) == before
    client.force_login(network_staff)  # the staff see the finances too
    client.get(url)  # the session and the shared figures, once
    staff = _queries(lambda: client.get(url))
    _grow(project, 6, funded, network_staff)
    assert _queries(lambda: client.get(url)) == staff


@pytest.mark.parametrize("fmt", [None, "xlsx"])
def test_fund_statement_keeps_its_queries_when_the_money_triples(
    client, network, funded, network_staff, fmt
):
    client.force_login(network_staff)
    args = [network.slug, funded.slug]
    url = (
        reverse("cooperation:fund-statement-file", args=[*args, fmt])
        if fmt
        else reverse("cooperation:fund-statement", args=args)
    )
    counts = []
    for count in (1, 2):  # 1 then 3 projects and contributions, over two years
        for n in range(count):
            _projects(network, funded, 1, network_staff)
            call_contribution(
                funded,
                MembershipFactory(network=network),
                year=2024 + n % 2,
                amount="50",
                currency="USD",
                exchange_rate="0.9",
                due_on=datetime.date(2025, 3, 1),
            )
        response = client.get(url)
        assert response.status_code == 200
        counts.append(_queries(lambda: client.get(url)))

    assert counts[0] == counts[1]
    assert funded.commitments.count() == 3


def test_iati_export_queries_do_not_grow_with_the_projects(
    network, funded, network_staff, monkeypatch
):
    """The network's file is read in batches of a fixed number of queries: three batches of
    projects cost three times one, whatever each project holds."""
    monkeypatch.setattr(iati, "BATCH", 2)
    _projects(network, funded, 2, network_staff)

    def export():
        "".join(iati.activities_stream(iati.published_projects(network)))

    one_batch = _queries(export)
    projects = _projects(network, funded, 4, network_staff)
    for project in projects:
        _grow(project, 2, funded, network_staff)
    three_batches = _queries(export)

    # Each batch costs the same; the last, empty read is one query.
    assert three_batches - 1 == 3 * (one_batch - 1)
    body = "".join(iati.activities_stream(iati.published_projects(network)))
    assert body.count("<iati-activity ") == 6
    assert Decimal(funded.commitments.count()) == 6 + 4 * 2
