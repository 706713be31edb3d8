import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.plans.models import Plan
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def plan(network):
    """A draft plan of `network` with one objective and one activity."""
    plan = PlanFactory(network=network)
    ActivityFactory(objective=ObjectiveFactory(plan=plan))
    return plan


@pytest.fixture
def adopted_plan(plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def published_plan(adopted_plan):
    Plan.objects.filter(pk=adopted_plan.pk).update(is_published=True)
    adopted_plan.refresh_from_db()
    return adopted_plan


@pytest.fixture
def consultation_plan(plan):
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.CONSULTATION,
        consultation_opens_at=now - datetime.timedelta(days=1),
        consultation_closes_at=now + datetime.timedelta(days=10),
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def closed_consultation_plan(consultation_plan):
    Plan.objects.filter(pk=consultation_plan.pk).update(
        consultation_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    consultation_plan.refresh_from_db()
    return consultation_plan


@pytest.fixture
def city_plan(city):
    plan = PlanFactory(network=None, local_government=city)
    ActivityFactory(objective=ObjectiveFactory(plan=plan))
    return plan


@pytest.fixture
def other_staff(other_network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


@pytest.fixture
def other_city_officer(db):
    """An officer of another local government than `city`."""
    return RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    ).user


@pytest.fixture
def citizen(db):
    return UserFactory(full_name="Ana Citizen")


@pytest.fixture
def fixture_file():
    def _read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return _read
