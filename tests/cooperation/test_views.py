import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from municipia.calls.models import Call, Decision
from municipia.cooperation.models import (
    Disbursement,
    Partner,
    Project,
    ProjectReport,
)
from municipia.cooperation.services import (
    add_indicator,
    add_partner,
    call_contribution,
    commit_funds,
    plan_tranche,
    record_income,
    record_indicator_value,
    review_report,
    submit_report,
)
from municipia.finance.services import record_payment
from tests.factories.calls import ApplicationFactory
from tests.factories.cooperation import ProjectFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _staff_client(user):
    client = Client()
    client.force_login(user)
    return client


def _projects(network, fund, count):
    for _n in range(count):
        project = ProjectFactory(network=network, fund=fund)
        add_partner(project, role=Partner.Role.LEAD, local_government=LocalGovernmentFactory())
        add_partner(project, role=Partner.Role.PARTNER, local_government=LocalGovernmentFactory())


@pytest.mark.parametrize("count", [1, 4])
def test_project_list_queries_do_not_grow(
    client, network, fund, count, django_assert_max_num_queries
):
    _projects(network, fund, count)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("cooperation:project-list"), {"network": network.slug})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count


def test_project_list_filters_by_country_status_and_year(client, network, fund):
    _projects(network, fund, 2)
    first = Project.objects.order_by("pk").first()
    first.starts_on, first.ends_on = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    first.save()
    country = first.countries.order_by("code").first()

    response = client.get(
        reverse("cooperation:project-list"),
        {"country": country.code, "status": "running", "year": 2024},
    )

    assert [p.pk for p in response.context["page"].object_list] == [first.pk]


def test_project_list_exports_xlsx(client, network, fund):
    _projects(network, fund, 2)

    response = client.get(reverse("cooperation:project-list"), {"format": "xlsx"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "code"
    assert sorted(r[0] for r in rows[1:]) == sorted(Project.objects.values_list("code", flat=True))


@pytest.mark.parametrize("size", [1, 4])
def test_project_page_queries_do_not_grow(client, project, size, django_assert_max_num_queries):
    for n in range(size):
        add_partner(project, role=Partner.Role.PARTNER, local_government=LocalGovernmentFactory())
        indicator = add_indicator(project, name=f"Indicator {n}", baseline="0", target="10")
        for day in range(size):
            record_indicator_value(
                indicator, measured_on=datetime.date(2025, 1, day + 1), value=str(day)
            )

    with django_assert_max_num_queries(16):
        response = client.get(reverse("cooperation:project-detail", args=[project.slug]))

    assert response.status_code == 200
    assert len(response.context["indicators"]) == size
    assert len(response.context["partners"]) == size + 1


@pytest.mark.parametrize("size", [1, 4])
def test_fund_statement_queries_do_not_grow(
    network, funded, donor, network_staff, size, django_assert_max_num_queries
):
    for n in range(size):
        project = ProjectFactory(network=network, fund=funded)
        commitment = commit_funds(funded, project, amount="100", currency="EUR")
        plan_tranche(commitment, label="All", amount="100", planned_on=datetime.date(2025, 6, 1))
        membership = MembershipFactory(network=network)
        call_contribution(
            funded,
            membership,
            year=2024 + n % 2,
            amount="50",
            currency="USD",
            exchange_rate="0.9",
            due_on=datetime.date(2025, 3, 1),
        )
    client = _staff_client(network_staff)

    # A cold read: the statement is built (12) after the generations it is kept under are read (1).
    with django_assert_max_num_queries(13):
        response = client.get(
            reverse("cooperation:fund-statement", args=[network.slug, funded.slug])
        )

    assert response.status_code == 200
    assert response.context["statement"].totals.committed == Decimal(100 * size)


def test_fund_statement_converts_at_recorded_rates(network, funded, donor, network_staff):
    membership = MembershipFactory(network=network)
    contribution = call_contribution(
        funded,
        membership,
        year=2025,
        amount="1000",
        currency="USD",
        exchange_rate="0.9",
        due_on=datetime.date(2025, 3, 1),
        on=datetime.date(2025, 1, 2),
    )
    record_payment(
        contribution.invoice, amount="1000", currency="USD", received_on=datetime.date(2025, 2, 1)
    )
    record_income(
        funded,
        source=donor,
        kind="grant",
        year=2026,
        received_on=datetime.date(2026, 1, 1),
        amount="10000",
        currency="CHF",
        exchange_rate="1.05",
    )
    client = _staff_client(network_staff)

    statement = client.get(
        reverse("cooperation:fund-statement", args=[network.slug, funded.slug])
    ).context["statement"]

    assert [
        (r.year, r.contributions_received, r.other_income, r.balance) for r in statement.years
    ] == [
        (2025, Decimal("900.00"), Decimal("100000.00"), Decimal("100900.00")),
        (2026, Decimal("0"), Decimal("10500.00"), Decimal("111400.00")),
    ]
    assert sorted((r.year, r.currency, r.income) for r in statement.by_currency) == [
        (2025, "EUR", Decimal("100000.00")),
        (2025, "USD", Decimal("1000.00")),
        (2026, "CHF", Decimal("10000.00")),
    ]


def test_fund_statement_pdf_and_xlsx(network, funded, network_staff):
    client = _staff_client(network_staff)
    base = [network.slug, funded.slug]

    pdf = client.get(reverse("cooperation:fund-statement-file", args=[*base, "pdf"]))
    xlsx = client.get(reverse("cooperation:fund-statement-file", args=[*base, "xlsx"]))

    assert pdf.content.startswith(b"%PDF-")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[3][:4] == (2025, 0.0, 0.0, 100000.0)


def test_officer_files_a_report_and_staff_release_the_tranche_it_unlocks(
    project, commitment, city_officer, network_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    tranche = plan_tranche(
        commitment, label="Second", amount="10000", planned_on=datetime.date(2026, 4, 1)
    )
    officer = _staff_client(city_officer)

    response = officer.post(
        reverse("cooperation:report-create", args=[project.slug]),
        {"kind": "narrative", "title": "Six months", "text": "The pipes are laid."},
    )
    report = ProjectReport.objects.get()
    staff = _staff_client(network_staff)
    staff.post(report.get_absolute_url(), {"decision": "accept", "note": ""})
    staff.post(
        reverse("cooperation:tranche-release", args=[project.slug, tranche.pk]),
        {"report": report.pk},
    )

    assert response.status_code == 302
    tranche.refresh_from_db()
    assert (tranche.status, tranche.report_id) == (Disbursement.Status.RELEASED, report.pk)


def test_release_form_refuses_a_report_not_yet_accepted(
    project, commitment, city_officer, network_staff
):
    tranche = plan_tranche(
        commitment, label="Second", amount="10000", planned_on=datetime.date(2026, 4, 1)
    )
    report = submit_report(project, kind="narrative", title="Draft", text="Text.", by=city_officer)

    response = _staff_client(network_staff).post(
        reverse("cooperation:tranche-release", args=[project.slug, tranche.pk]),
        {"report": report.pk},
        follow=True,
    )

    assert "only against an accepted report" in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.status == Disbursement.Status.PLANNED
    assert review_report(report, accept=True, by=network_staff).status == "accepted"


def test_funded_application_becomes_a_project_from_the_decision_page(
    network, funded, network_staff, superuser
):
    partner_city = LocalGovernmentFactory()
    application = ApplicationFactory(
        call__network=network, call__kind=Call.Kind.FUND, call__currency="EUR"
    )
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.FUNDED,
        amount=Decimal("40000"),
        currency="EUR",
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2027, 2, 28),
        decided_by=superuser,
    )
    decision.partner_local_governments.set([partner_city])
    client = _staff_client(network_staff)

    page = client.get(
        reverse("calls:decide", args=[application.call.slug, application.pk])
    ).content.decode()
    response = client.post(reverse("cooperation:project-from-application", args=[application.pk]))
    again = client.post(
        reverse("cooperation:project-from-application", args=[application.pk]), follow=True
    )

    project = Project.objects.get()
    assert reverse("cooperation:project-from-application", args=[application.pk]) in page
    assert response["Location"] == project.get_absolute_url()
    assert (project.status, project.application, project.starts_on) == (
        Project.Status.APPROVED,
        application,
        datetime.date(2026, 3, 1),
    )
    assert sorted((p.role, p.party.pk) for p in project.partners.all()) == sorted(
        [("lead", application.local_government.pk), ("partner", partner_city.pk)]
    )
    assert [c.amount for c in project.commitments.all()] == [Decimal("40000.00")]
    assert "already has its project" in again.content.decode()


def test_city_and_network_pages_show_their_projects(client, project, city, network):
    city_page = client.get(city.get_absolute_url()).content.decode()
    network_page = client.get(network.get_absolute_url()).content.decode()

    assert project.get_absolute_url() in city_page
    assert project.get_absolute_url() in network_page


def test_project_map_lists_partner_cities(client, project, city):
    data = client.get(reverse("cooperation:project-map", args=[project.slug])).json()

    assert data["points"] == [[city.latitude, city.longitude, city.name, city.slug]]
    assert data["countries"] == {city.country.code: 1}
