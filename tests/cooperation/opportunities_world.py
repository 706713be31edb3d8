"""Fixtures shared by the funding opportunities' tests (imported by each test module)."""

import datetime

import pytest
from django.utils import timezone

from municipia.cooperation.opportunities.services import create_opportunity
from municipia.directory.models import Country, Membership
from tests.factories.directory import (
    MembershipFactory,
    OrganisationFactory,
)
from tests.factories.knowledge import ThemeFactory

__all__ = [
    "africa",
    "europe",
    "funder",
    "hidden_opportunity",
    "member_city",
    "opportunity",
    "water",
]


def deadline(days: int = 30) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)


@pytest.fixture
def funder(db):
    return OrganisationFactory(name="European Urban Fund (fictional)", kind="funder")


@pytest.fixture
def water(network):
    return ThemeFactory(network=network, slug="water", names={"en": "Water", "fr": "Eau"})


@pytest.fixture
def europe(db):
    country, _created = Country.objects.update_or_create(
        code="PT", defaults={"names": {"en": "Portugal"}, "region": "150", "sub_region": "039"}
    )
    return country


@pytest.fixture
def africa(db):
    country, _created = Country.objects.update_or_create(
        code="SN", defaults={"names": {"en": "Senegal"}, "region": "002", "sub_region": "202"}
    )
    return country


@pytest.fixture
def member_city(city, network, europe):
    """The officer's city: a member of the network, in Europe."""
    city.country = europe
    city.save(update_fields=["country"])
    MembershipFactory(network=network, local_government=city, status=Membership.Status.ACTIVE)
    return city


@pytest.fixture
def opportunity(network, funder, water, network_staff):
    return create_opportunity(
        network,
        language="en",
        title="Clean water for small towns",
        summary="Grants for drinking water networks and sanitation in towns.",
        funder=funder,
        programme="Urban Water Facility",
        deadline=deadline(),
        time_zone="Europe/Brussels",
        regions=["150"],
        themes=[water],
        cofinancing_rate="80",
        currency="EUR",
        amount_min="50000",
        amount_max="500000",
        url="https://funder.example.org/water",
        by=network_staff,
    )


@pytest.fixture
def hidden_opportunity(network, funder, network_staff):
    return create_opportunity(
        network,
        language="fr",
        title="Appel non publié",
        summary="Un appel que seul le secrétariat voit.",
        funder=funder,
        programme="Programme interne",
        deadline=deadline(),
        is_published=False,
        by=network_staff,
    )
