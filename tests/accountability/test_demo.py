from decimal import Decimal
from io import StringIO

import pytest
from django.urls import reverse

from municipia.accountability.ledger import year_accounts
from municipia.accountability.models import Audit, BudgetVersion, ManualEntry
from municipia.demo import accountability as demo_accountability
from municipia.demo import finance as demo_finance
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aimf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    network = NetworkFactory(slug="aimf", acronym="AIMF", working_languages=["fr"])
    for name in ("Paris", "Lausanne", "Niamey", "Beirut", "Kinshasa"):
        MembershipFactory(
            network=network, local_government=LocalGovernmentFactory(name=name, population=900_000)
        )
    demo_finance.load(StringIO())
    return network


def test_the_demo_books_read_well_and_load_once(client, aimf):
    demo_accountability.load(StringIO())
    demo_accountability.load(StringIO())
    assert BudgetVersion.objects.filter(budget__network=aimf, budget__year=2025).count() == 2
    assert BudgetVersion.objects.filter(budget__network=aimf, budget__year=2026).count() == 1
    entries = ManualEntry.objects.filter(network=aimf)
    assert entries.filter(booked_on__year=2025).count() == len(demo_accountability.ENTRIES)
    accounts = year_accounts(aimf, 2025)
    assert accounts.is_closed
    dues = next(line for line in accounts.income.lines if line.account.code == "70")
    assert dues.actual > 0
    assert dues.budget > 0
    fees = next(line for line in accounts.income.lines if line.account.code == "73")
    assert fees.actual == Decimal("1400.00")
    assert accounts.result_actual != 0
    assert Audit.objects.get(network=aimf).opinion == "unmodified"
    url = reverse("accountability:transparency", args=["aimf"])
    for language, words in (("en", "Membership dues"), ("ca", "Quotes dels membres")):
        page = client.get(url.replace("/en/", f"/{language}/", 1)).content.decode()
        assert words in page
        assert "Bureau de l&#x27;AIMF (démo)" in page
        assert "Lausanne" in page
