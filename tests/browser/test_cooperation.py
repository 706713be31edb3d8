"""An officer of a partner city files a narrative and a financial report with a document; the
network's staff accept the financial one and release the tranche it unlocks, and the fund's cash
balance on its statement goes down by the tranche."""

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from reportlab.pdfgen import canvas

from municipia.accounts.models import Role
from municipia.cooperation.models import Disbursement, Partner, ProjectReport
from municipia.cooperation.services import add_partner, commit_funds, plan_tranche, record_income
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.cooperation import FundFactory, ProjectFactory
from tests.factories.directory import LocalGovernmentFactory, NetworkFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def _user(email, name, **role):
    user = UserFactory(email=email, full_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    RoleFactory(user=user, **role)
    return user


@pytest.fixture
def world():
    """Created inside the test: the live server empties the database around each test."""
    network = NetworkFactory(name="Cities for Water", acronym="C4W", slug="c4w")
    fund = FundFactory(network=network, slug="water-fund", name="Water Fund", currency="EUR")
    record_income(
        fund,
        source=OrganisationFactory(name="European Commission"),
        kind="grant",
        year=2025,
        received_on=datetime.date(2025, 6, 1),
        amount="100000",
        currency="EUR",
    )
    city = LocalGovernmentFactory(name="Saint-Louis")
    project = ProjectFactory(network=network, fund=fund, slug="clean-water", code="C4W-P0001")
    add_partner(project, role=Partner.Role.LEAD, local_government=city)
    commitment = commit_funds(fund, project, amount="30000", currency="EUR")
    tranche = plan_tranche(
        commitment, label="Second tranche", amount="10000", planned_on=datetime.date(2026, 3, 1)
    )
    _user(
        "officer@example.org",
        "Awa Diop",
        kind=Role.Kind.CITY_OFFICER,
        network=None,
        local_government=city,
    )
    _user("staff@example.org", "Marta Puig", kind=Role.Kind.NETWORK_STAFF, network=network)
    return {"project": project, "fund": fund, "tranche": tranche}


def _pdf() -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(72, 720, "Accounts of the first year (fictional).")
    drawing.save()
    return buffer.getvalue()


def _file_report(page, live_url, kind, title, text, document=None):
    page.goto(live_url("/en/cooperation/projects/clean-water/reports/new/"))
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Title").fill(title)
    page.locator("#id_text").fill(text)
    if document:
        page.get_by_label("Document").set_input_files(
            {"name": "accounts.pdf", "mimeType": "application/pdf", "buffer": document}
        )
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_load_state()
    assert page.get_by_text("The report is submitted.").count() == 1


def _cash_balance(page, live_url) -> str:
    page.goto(live_url("/en/cooperation/funds/c4w/water-fund/"))
    return page.locator("table").first.locator("tfoot td").last.inner_text()


def test_officer_reports_and_staff_release_the_tranche_it_unlocks(
    world, page, live_url, browser_login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    browser_login("officer@example.org", PASSWORD)
    _file_report(
        page, live_url, "Narrative report", "First year", "The new pipes reach 400 households."
    )
    _file_report(
        page, live_url, "Financial report", "Accounts, first year", "Spent as budgeted.", _pdf()
    )
    assert "accounts.pdf" in page.content()

    page.context.clear_cookies()
    browser_login("staff@example.org", PASSWORD)
    before = _cash_balance(page, live_url)
    page.goto(live_url("/en/cooperation/projects/clean-water/finances/"))
    page.get_by_role("link", name="Accounts, first year").click()
    page.get_by_label("Decision").select_option(label="Accept")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_load_state()
    assert page.get_by_text("The review is recorded.").count() == 1

    page.goto(live_url("/en/cooperation/projects/clean-water/finances/"))
    page.get_by_label("Against the accepted report").select_option(
        label="C4W-P0001: Accounts, first year"
    )
    page.get_by_role("button", name="Release").click()
    page.wait_for_load_state()
    assert page.get_by_text("The tranche is released.").count() == 1
    after = _cash_balance(page, live_url)

    tranche = Disbursement.objects.get(pk=world["tranche"].pk)
    assert tranche.status == Disbursement.Status.RELEASED
    assert tranche.report == ProjectReport.objects.get(title="Accounts, first year")
    assert tranche.report.documents.count() == 1
    assert "100,000.00" in before
    assert "90,000.00" in after
