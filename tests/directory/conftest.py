import pytest
from django.core.cache import cache

from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, NetworkFactory


@pytest.fixture
def other_city(city):
    return LocalGovernmentFactory(country=city.country)


@pytest.fixture
def other_city_officer(other_city):
    return RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=other_city).user


@pytest.fixture
def other_network_staff(other_network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


@pytest.fixture
def sub_network(network):
    return NetworkFactory(parent=network, kind="territorial")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Network figures and map data are cached; each test starts from nothing."""
    cache.clear()
