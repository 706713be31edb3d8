import pytest

from municipia.accounts.models import Role
from municipia.directory.models import Membership
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.events import EventFactory


@pytest.fixture
def member_city(network, city):
    MembershipFactory(network=network, local_government=city, status=Membership.Status.ACTIVE)
    return city


@pytest.fixture
def event(network, member_city):
    return EventFactory(network=network, online_url="https://meet.example.org/secret-room")


@pytest.fixture
def other_city(network):
    other = LocalGovernmentFactory()
    MembershipFactory(network=network, local_government=other, status=Membership.Status.ACTIVE)
    return other


@pytest.fixture
def other_officer(other_city):
    return RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=other_city).user


@pytest.fixture
def other_staff(other_network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


@pytest.fixture
def participant(db):
    return UserFactory(full_name="Ana Participant", language="es")
