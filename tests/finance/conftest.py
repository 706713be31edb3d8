import datetime

import pytest

from tests.factories.directory import MembershipFactory
from tests.factories.finance import InvoiceFactory

DUE = datetime.date(2025, 3, 31)
OVERDUE_AFTER = datetime.date(2025, 4, 30)


@pytest.fixture
def membership(network, city):
    return MembershipFactory(network=network, local_government=city)


@pytest.fixture
def invoice(membership):
    return InvoiceFactory(membership=membership)


@pytest.fixture
def superuser_client(login, superuser):
    """A superuser's client past the TOTP step (the middleware trusts the session flag)."""
    client = login(superuser)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client
