import pytest

from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.knowledge import ExperienceFactory


@pytest.fixture
def member_city(city, network):
    MembershipFactory(network=network, local_government=city)
    return city


@pytest.fixture
def draft(member_city, network):
    return ExperienceFactory(city=member_city, network=network)


@pytest.fixture
def officer_elsewhere(db):
    return RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    ).user


@pytest.fixture
def other_staff(other_network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
