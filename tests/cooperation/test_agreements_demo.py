"""The agreements demo: seed-network cities on several continents, a renewal due within 60 days,
a framework agreement with an international institution and a private draft."""

import datetime
import io

import pytest

from municipia.accounts.models import Role
from municipia.cooperation.agreements.models import Agreement
from municipia.demo import agreements as demo_agreements
from municipia.demo.accounts import DEMO_EMAIL
from tests.factories.accounts import UserFactory
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, NetworkFactory

pytestmark = pytest.mark.django_db

CITIES = {
    "Montevideo": "UY",
    "Diputació de Barcelona": "ES",
    "Paris": "FR",
    "Phnom Penh": "KH",
    "Dakar": "SN",
    "Québec": "CA",
    "Tunis": "TN",
    "Bamako": "ML",
    "Cotonou": "BJ",
    "Medellín": "CO",
    "Quito": "EC",
    "Lima": "PE",
    "Belo Horizonte": "BR",
}


@pytest.fixture
def demo_world():
    staff = UserFactory(email=DEMO_EMAIL)
    for slug in ("aimf", "al-las"):
        network = NetworkFactory(slug=slug, acronym=slug.upper())
        Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    for name, code in CITIES.items():
        LocalGovernmentFactory(name=name, country=CountryFactory(code=code))
    CountryFactory(code="BE")


def test_demo_agreements_span_continents_with_a_renewal_due_and_a_framework(demo_world):
    today = datetime.date(2026, 12, 4)

    demo_agreements.load(io.StringIO(), today=today)
    demo_agreements.load(io.StringIO(), today=today)  # idempotent

    agreements = Agreement.objects.all()
    assert agreements.count() == 6
    countries = {
        p.party.country.code for a in agreements for p in a.parties.all() if p.party.country
    }
    assert {"UY", "ES", "FR", "KH", "SN", "CA", "TN", "CO"} <= countries
    due = agreements.filter(
        status__in=Agreement.ACTIVE,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=60),
    )
    assert due.count() == 1
    framework = agreements.get(kind="framework")
    assert any(p.organisation and p.organisation.kind == "funder" for p in framework.parties.all())
    assert "Fictional" in framework.summary
    assert agreements.public().count() == 5
    assert agreements.get(status="draft").is_public is False
