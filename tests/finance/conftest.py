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
