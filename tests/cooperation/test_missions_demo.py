"""The missions demo: Montréal's international action page reads well (networks and dues,
projects, missions with costs and outcomes, a visit received) and its private trip stays off it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from municipia.cooperation.missions.models import Mission
from municipia.cooperation.models import Partner
from municipia.cooperation.services import add_partner
from municipia.demo import missions as demo_missions
from municipia.finance.models import Invoice
from tests.factories.cooperation import ProjectFactory
from tests.factories.directory import (
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
    NetworkFactory,
)
from tests.factories.finance import InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def montreal():
    city = LocalGovernmentFactory(
        name="Montréal", country=CountryFactory(code="CA"), timezone="America/Toronto"
    )
    for name, code, zone in (
        ("Bamako", "ML", "Africa/Bamako"),
        ("Dakar", "SN", "Africa/Dakar"),
        ("Phnom Penh", "KH", "Asia/Phnom_Penh"),
        ("Paris", "FR", "Europe/Paris"),
    ):
        LocalGovernmentFactory(name=name, country=CountryFactory(code=code), timezone=zone)
    network = NetworkFactory(slug="aimf", name="Association internationale des maires francophones")
    membership = MembershipFactory(network=network, local_government=city)
    InvoiceFactory(
        membership=membership,
        amount=Decimal("2500.00"),
        amount_paid=Decimal("2500.00"),
        status=Invoice.Status.SETTLED,
    )
    project = ProjectFactory(network=network)
    add_partner(project, role=Partner.Role.PARTNER, local_government=city)
    return city


def test_demo_gives_montreal_a_page_that_reads_well(montreal):
    out = io.StringIO()
    demo_missions.load(out, today=datetime.date(2026, 6, 1))
    demo_missions.load(out, today=datetime.date(2026, 6, 1))  # idempotent

    missions = {m.title: m for m in Mission.objects.all()}
    assert len(missions) == 3, out.getvalue()
    technical = next(m for m in missions.values() if "Bamako" in m.title)
    assert technical.costs.count() == 4
    assert technical.delegation.count() == 2
    assert technical.meetings.count() == 2
    assert technical.projects.count() == 1
    assert {m.direction for m in missions.values()} == {"outgoing", "incoming"}

    page = Client().get(reverse("cooperation:international-page", args=[montreal.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert technical.title in text
    assert "Délégation de Phnom Penh" in text
    assert "non publiée" not in text
    assert "Association internationale des maires francophones" in text
    assert "2,500.00" in text  # the dues, shown by the city's choice
    assert page.context["page"].totals["projects"] == 1
    assert technical.outcomes[:40] in text
