"""A network with books for 2025: EUR accounts, dues paid in EUR and CHF, a fund with a grant and
a released tranche, an event fee, a budget approved by the general assembly."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from municipia.accountability import services
from municipia.accountability.models import ExchangeRate
from municipia.accounts.models import Role
from municipia.cooperation.models import Commitment, Disbursement, Income, ProjectReport
from municipia.events.governance.models import Body, Decision, Meeting
from municipia.events.models import Event
from municipia.finance.models import Invoice, Payment
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.cooperation import FundFactory, ProjectFactory
from tests.factories.directory import MembershipFactory, NetworkFactory, OrganisationFactory
from tests.factories.events import EventFactory
from tests.factories.finance import InvoiceFactory
from tests.logins import logged_in

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date(2025, 7, 1)


def pdf_file(name="proof.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pay(invoice, amount, on, currency="EUR", rate=Decimal(1)):
    Payment.objects.create(
        invoice=invoice,
        received_on=on,
        currency=currency,
        amount=amount,
        exchange_rate=rate,
        amount_credited=amount,
    )
    invoice.amount_paid += amount
    invoice.save(update_fields=["amount_paid"])


def decision_of(network, text="The general assembly adopts the budget."):
    body = Body.objects.create(
        network=network, kind="general_assembly", name="General assembly", voting_weights={}
    )
    event = EventFactory(
        network=network,
        kind=Event.Kind.GENERAL_ASSEMBLY,
        starts_at=datetime.datetime(2024, 11, 20, 10, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2024, 11, 20, 18, tzinfo=datetime.UTC),
    )
    meeting = Meeting.objects.create(event=event, body=body)
    return Decision.objects.create(meeting=meeting, text=text)


def make_books(network, *, deficit=False):
    services.set_accounting_currency(network, "EUR")
    ExchangeRate.objects.create(
        network=network, currency="CHF", valid_from=datetime.date(2025, 1, 1), rate="1.05"
    )
    accounts = {
        "dues": services.save_account(
            network, code="70", kind="income", name={"en": "Dues", "ca": "Quotes"}, source="dues"
        ),
        "grants": services.save_account(
            network,
            code="74",
            kind="income",
            name={"en": "Grants", "ca": "Subvencions"},
            source="fund_income",
        ),
        "events": services.save_account(
            network,
            code="75",
            kind="income",
            name={"en": "Event fees", "ca": "Inscripcions"},
            source="event_fees",
        ),
        "projects": services.save_account(
            network,
            code="65",
            kind="expenditure",
            name={"en": "Projects", "ca": "Projectes"},
            source="fund_disbursements",
        ),
        "travel": services.save_account(
            network, code="62", kind="expenditure", name={"en": "Travel", "ca": "Viatges"}
        ),
    }
    decision = decision_of(network)
    services.approve_budget(
        network,
        2025,
        amounts={
            accounts["dues"]: 10000,
            accounts["grants"]: 5000,
            accounts["events"]: 1000,
            accounts["projects"]: 8000,
            accounts["travel"]: 9000 if deficit else 3000,
        },
        decision=decision,
    )
    # Dues: 1,000 EUR paid in March; 500 EUR in May by a Swiss member paying an invoice in CHF.
    dues = InvoiceFactory(membership=MembershipFactory(network=network))
    _pay(dues, Decimal("1000.00"), datetime.date(2025, 3, 10))
    swiss = InvoiceFactory(membership=MembershipFactory(network=network), currency="CHF")
    _pay(swiss, Decimal("500.00"), datetime.date(2025, 5, 2), currency="CHF")
    fee = Invoice.objects.create(
        network=network,
        payer_name="Ada Visitor",
        kind=Invoice.Kind.EVENT_FEE,
        year=2025,
        sequence=900,
        number=f"EV-{network.pk}-1",
        currency="EUR",
        amount=Decimal("200.00"),
        issued_on=datetime.date(2025, 4, 1),
        due_on=datetime.date(2025, 4, 30),
        overdue_after=datetime.date(2025, 4, 30),
    )
    _pay(fee, Decimal("200.00"), datetime.date(2025, 4, 20))
    fund = FundFactory(network=network, currency="EUR")
    Income.objects.create(
        fund=fund,
        source=OrganisationFactory(),
        year=2025,
        received_on=datetime.date(2025, 2, 14),
        currency="USD",
        amount=Decimal("2200.00"),
        exchange_rate=Decimal("0.9"),
        amount_converted=Decimal("1980.00"),
    )
    project = ProjectFactory(network=network, fund=fund)
    commitment = Commitment.objects.create(
        fund=fund,
        project=project,
        year=2025,
        committed_on=datetime.date(2025, 2, 1),
        currency="EUR",
        amount=Decimal("4000.00"),
        amount_converted=Decimal("4000.00"),
    )
    report = ProjectReport.objects.create(
        project=project,
        kind="narrative",
        title="First report",
        text="Wells dug.",
        status="accepted",
        submitted_at=datetime.datetime(2025, 5, 30, tzinfo=datetime.UTC),
    )
    Disbursement.objects.create(
        report=report,
        commitment=commitment,
        project=project,
        label="First tranche",
        planned_on=datetime.date(2025, 6, 1),
        amount=Decimal("1500.00"),
        status=Disbursement.Status.RELEASED,
        released_on=datetime.date(2025, 6, 3),
    )
    services.record_manual_entry(
        network,
        account=accounts["travel"],
        booked_on=datetime.date(2025, 6, 20),
        description="Train tickets to the executive committee",
        currency="CHF",
        amount="400",
        file=pdf_file(),
    )
    return SimpleNamespace(network=network, accounts=accounts, decision=decision, fund=fund)


@pytest.fixture
def books(db):
    network = NetworkFactory(working_languages=["ca", "en"])
    return make_books(network)


@pytest.fixture
def staff(books):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=books.network).user


@pytest.fixture
def other_staff(db):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=NetworkFactory()).user


@pytest.fixture
def superuser_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def client_for(client, user):
    return logged_in(client, user)
