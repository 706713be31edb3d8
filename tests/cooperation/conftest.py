import datetime
from decimal import Decimal

import pytest

from municipia.accounts.models import Role
from municipia.cooperation.models import Partner, Project
from municipia.cooperation.services import (
    add_partner,
    commit_funds,
    record_income,
    review_report,
    submit_report,
)
from tests.factories.accounts import RoleFactory
from tests.factories.cooperation import FundFactory, ProjectFactory
from tests.factories.directory import LocalGovernmentFactory, OrganisationFactory

TODAY = datetime.date(2026, 1, 15)


@pytest.fixture
def fund(network):
    return FundFactory(network=network)


@pytest.fixture
def donor(db):
    return OrganisationFactory(name="European Commission (test)")


@pytest.fixture
def funded(fund, donor, network_staff):
    """The fund with 100,000 EUR of income."""
    record_income(
        fund,
        source=donor,
        kind="grant",
        year=2025,
        received_on=datetime.date(2025, 6, 1),
        amount=Decimal("100000"),
        currency="EUR",
        by=network_staff,
    )
    return fund


@pytest.fixture
def project(network, city, fund):
    project = ProjectFactory(network=network, fund=fund)
    add_partner(project, role=Partner.Role.LEAD, local_government=city)
    return project


@pytest.fixture
def private_project(network, city, fund):
    project = ProjectFactory(network=network, fund=fund, is_public=False)
    add_partner(project, role=Partner.Role.LEAD, local_government=city)
    return project


@pytest.fixture
def commitment(funded, project, network_staff):
    return commit_funds(funded, project, amount="30000", currency="EUR", by=network_staff)


@pytest.fixture
def accepted_report(project, city_officer, network_staff):
    report = submit_report(
        project, kind="narrative", title="First report", text="Works started.", by=city_officer
    )
    return review_report(report, accept=True, by=network_staff)


@pytest.fixture
def other_officer(db):
    return RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    ).user


@pytest.fixture
def other_staff(other_network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


def running(project: Project) -> Project:
    project.status = Project.Status.RUNNING
    project.save(update_fields=["status"])
    return project


@pytest.fixture
def superuser_client(login, superuser):
    """A superuser's client past the TOTP step (the middleware trusts the session flag)."""
    client = login(superuser)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


# --- Agreements ----------------------------------------------------------------------------------


@pytest.fixture
def twin_city(db):
    return LocalGovernmentFactory(name="Twin town (test)")


@pytest.fixture
def agreement_values():
    return {
        "kind": "twinning",
        "title": "Twinning of two test cities",
        "summary": "Exchanges of schools and of city staff.",
        "signed_on": datetime.date(2024, 5, 10),
        "starts_on": datetime.date(2024, 6, 1),
        "ends_on": datetime.date(2028, 5, 31),
        "is_public": True,
    }


@pytest.fixture
def agreement(network, city, twin_city, network_staff, agreement_values):
    from municipia.cooperation.agreements.services import save_agreement

    return save_agreement(
        network,
        by=network_staff,
        values=agreement_values,
        parties=[city, twin_city],
        status="in_force",
    )


@pytest.fixture
def private_agreement(network, city, donor, network_staff, agreement_values):
    from municipia.cooperation.agreements.services import save_agreement

    return save_agreement(
        network,
        by=network_staff,
        values={
            **agreement_values,
            "title": "Confidential memorandum",
            "kind": "mou",
            "is_public": False,
        },
        parties=[city, donor],
        status="in_force",
    )
