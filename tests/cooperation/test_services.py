import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from municipia.cooperation.models import (
    BudgetLine,
    Commitment,
    Contribution,
    Disbursement,
    Partner,
    Project,
    ProjectReport,
    ProjectStatusChange,
    ReportDocument,
)
from municipia.cooperation.services import (
    CooperationError,
    add_budget_line,
    add_indicator,
    add_partner,
    call_contribution,
    change_project_status,
    commit_funds,
    create_project,
    fund_available,
    plan_tranche,
    record_income,
    record_indicator_value,
    release_tranche,
    submit_report,
)
from municipia.finance.models import Invoice
from municipia.finance.services import issue_invoices, record_payment
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.finance import FeeBandFactory, FeeScheduleFactory

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Commitment.objects.count(),
        Disbursement.objects.filter(status="released").count(),
        BudgetLine.objects.count(),
        Partner.objects.count(),
        ProjectReport.objects.count(),
        ReportDocument.objects.count(),
        Invoice.objects.count(),
        Contribution.objects.count(),
    )


def test_contribution_is_a_finance_invoice_of_its_kind(fund, network, network_staff):
    membership = MembershipFactory(network=network)

    contribution = call_contribution(
        fund,
        membership,
        year=2025,
        amount="5000",
        currency="EUR",
        due_on=datetime.date(2025, 3, 31),
        by=network_staff,
        on=datetime.date(2025, 1, 10),
    )

    invoice = contribution.invoice
    assert (invoice.kind, invoice.amount, invoice.currency, invoice.membership) == (
        Invoice.Kind.FUND_CONTRIBUTION,
        Decimal("5000.00"),
        "EUR",
        membership,
    )
    assert fund_available(fund) == Decimal("0")
    record_payment(invoice, amount="5000", currency="EUR", received_on=datetime.date(2025, 2, 1))
    assert fund_available(fund) == Decimal("5000.00")


def test_contribution_in_another_currency_needs_its_rate(fund, network, network_staff):
    membership = MembershipFactory(network=network)
    before = _counts()

    with pytest.raises(CooperationError, match="exchange rate"):
        call_contribution(
            fund,
            membership,
            year=2025,
            amount="1000000",
            currency="XOF",
            due_on=datetime.date(2025, 3, 31),
            by=network_staff,
        )

    assert _counts() == before


def test_contribution_twice_in_a_year_is_refused(fund, network, network_staff):
    membership = MembershipFactory(network=network)
    kwargs = {
        "year": 2025,
        "amount": "100",
        "currency": "EUR",
        "due_on": datetime.date(2025, 3, 31),
    }
    call_contribution(fund, membership, by=network_staff, **kwargs)
    before = _counts()

    with pytest.raises(CooperationError, match="already has a contribution"):
        call_contribution(fund, membership, by=network_staff, **kwargs)

    assert _counts() == before


def test_dues_of_the_same_year_are_still_issued_beside_a_contribution(fund, network, network_staff):
    membership = MembershipFactory(network=network)
    call_contribution(
        fund,
        membership,
        year=2025,
        amount="100",
        currency="EUR",
        due_on=datetime.date(2025, 3, 31),
    )
    FeeBandFactory(schedule=FeeScheduleFactory(network=network, year=2025))

    result = issue_invoices(network, 2025, on=datetime.date(2025, 1, 5))

    assert result.created == 1
    assert sorted(Invoice.objects.values_list("kind", flat=True)) == [
        "dues",
        "fund_contribution",
    ]


def test_commitment_that_takes_the_fund_below_zero_is_refused(funded, project, network_staff):
    before = _counts()

    with pytest.raises(CooperationError, match="below zero"):
        commit_funds(funded, project, amount="100000.01", currency="EUR", by=network_staff)

    assert _counts() == before
    assert fund_available(funded) == Decimal("100000.00")


def test_commitment_in_another_currency_is_converted_at_its_rate(funded, project, network_staff):
    commitment = commit_funds(
        funded, project, amount="1000000", currency="XOF", exchange_rate="0.0015", by=network_staff
    )

    assert commitment.amount_converted == Decimal("1500.00")
    assert fund_available(funded) == Decimal("98500.00")


def test_commitment_to_a_proposed_project_is_refused(funded, network, network_staff):
    project = create_project(
        network, language="en", title="Wells", summary="Two wells.", by=network_staff
    )

    with pytest.raises(CooperationError, match="approved or running"):
        commit_funds(funded, project, amount="10", currency="EUR", by=network_staff)

    assert Commitment.objects.count() == 0


def test_tranche_above_the_commitment_is_refused(commitment, network_staff):
    plan_tranche(
        commitment,
        label="First",
        amount="20000",
        planned_on=datetime.date(2026, 2, 1),
        by=network_staff,
    )

    with pytest.raises(CooperationError, match="more than the"):
        plan_tranche(
            commitment,
            label="Second",
            amount="10000.01",
            planned_on=datetime.date(2026, 6, 1),
            by=network_staff,
        )

    assert Disbursement.objects.count() == 1


def test_tranche_before_its_report_is_accepted_is_refused(
    commitment, project, city_officer, network_staff
):
    tranche = plan_tranche(
        commitment, label="First", amount="10000", planned_on=datetime.date(2026, 2, 1)
    )
    report = submit_report(
        project, kind="financial", title="Accounts", text="Receipts.", by=city_officer
    )
    before = _counts()

    with pytest.raises(CooperationError, match="not accepted yet"):
        release_tranche(tranche, report=report, by=network_staff)
    with pytest.raises(CooperationError, match="only against an accepted report"):
        release_tranche(tranche, report=None, by=network_staff)

    assert _counts() == before
    tranche.refresh_from_db()
    assert (tranche.status, tranche.report) == (Disbursement.Status.PLANNED, None)


def test_tranche_is_released_against_an_accepted_report_once(
    commitment, accepted_report, network_staff
):
    first = plan_tranche(
        commitment, label="First", amount="10000", planned_on=datetime.date(2026, 2, 1)
    )
    second = plan_tranche(
        commitment, label="Second", amount="10000", planned_on=datetime.date(2026, 6, 1)
    )

    release_tranche(first, report=accepted_report, by=network_staff)
    with pytest.raises(CooperationError, match="already released against this report"):
        release_tranche(second, report=accepted_report, by=network_staff)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.report, second.status) == (
        Disbursement.Status.RELEASED,
        accepted_report,
        Disbursement.Status.PLANNED,
    )


def test_budget_line_in_an_unknown_currency_is_refused(project, network_staff):
    before = _counts()

    with pytest.raises(CooperationError, match="ISO 4217"):
        add_budget_line(project, category="works", description="Pipes", currency="XYZ", amount="10")

    assert _counts() == before


def test_partner_added_twice_is_refused(project, city):
    before = _counts()

    with pytest.raises(CooperationError, match="already a partner"):
        add_partner(project, role=Partner.Role.PARTNER, local_government=city)

    assert _counts() == before


def test_second_lead_is_refused(project):
    with pytest.raises(CooperationError, match="already has a lead"):
        add_partner(project, role=Partner.Role.LEAD, local_government=LocalGovernmentFactory())

    assert project.partners.count() == 1


def test_report_on_a_closed_project_is_refused(project, city_officer, network_staff, settings):
    change_project_status(project, to=Project.Status.CLOSED, by=network_staff)
    before = _counts()

    with pytest.raises(CooperationError, match="takes no more reports"):
        submit_report(
            project,
            kind="narrative",
            title="Late",
            text="Late news.",
            by=city_officer,
            files=[SimpleUploadedFile("late.pdf", b"%PDF-1.4\n%%EOF\n")],
        )

    assert _counts() == before


def test_report_with_a_refused_file_writes_nothing(project, city_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = _counts()

    with pytest.raises(CooperationError, match=r"evil\.exe"):
        submit_report(
            project,
            kind="narrative",
            title="News",
            text="Some news.",
            by=city_officer,
            files=[SimpleUploadedFile("evil.exe", b"MZ\x90\x00" + b"\x00" * 60)],
        )

    assert _counts() == before


def test_report_keeps_its_document(project, city_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    report = submit_report(
        project,
        kind="narrative",
        title="News",
        text="Some news.",
        by=city_officer,
        files=[SimpleUploadedFile("news.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")],
    )

    assert [(d.original_name, d.content_type) for d in report.documents.all()] == [
        ("news.pdf", "application/pdf")
    ]


def test_status_moves_along_its_workflow_with_history(network, network_staff):
    project = create_project(network, language="fr", title="Puits", summary="Deux puits.")

    change_project_status(project, to=Project.Status.APPROVED, by=network_staff)
    change_project_status(project, to=Project.Status.RUNNING, by=network_staff)
    with pytest.raises(CooperationError, match="cannot become"):
        change_project_status(project, to=Project.Status.PROPOSED, by=network_staff)

    assert list(
        ProjectStatusChange.objects.filter(project=project).values_list("from_status", "to_status")
    ) == [("", "proposed"), ("proposed", "approved"), ("approved", "running")]


def test_income_in_the_future_is_refused(fund, donor):
    with pytest.raises(CooperationError, match="future"):
        record_income(
            fund,
            source=donor,
            kind="grant",
            year=2099,
            received_on=datetime.date(2099, 1, 1),
            amount="10",
            currency="EUR",
        )

    assert fund.incomes.count() == 0


def test_indicator_progress_uses_the_shared_shape(project):
    indicator = add_indicator(project, name="Households served", baseline="100", target="300")

    record_indicator_value(indicator, measured_on=datetime.date(2025, 12, 1), value="200")

    assert indicator.achievement(Decimal("200")) == 50
