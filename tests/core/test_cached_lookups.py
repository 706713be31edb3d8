"""A network's and a plan's pages start with the object read from the cache (`network_by_slug`,
`plan_by_slug`): a write to it is seen on the next page, for logged-in readers as for visitors,
and one taken from the public stops being shown at once. Transactional: the generations go up
when a transaction commits, as on the site."""

import pytest
from django.test import Client

from municipia.directory.models import Network
from municipia.plans.models import Plan
from tests.factories.accounts import UserFactory
from tests.factories.directory import NetworkFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_network_renamed_or_unpublished_shows_so_on_the_next_page():
    network = NetworkFactory(name="Cities of the Coast", has_expert_community=True)
    reader = Client()
    reader.force_login(UserFactory())
    url = f"/en/networks/{network.slug}/experts/"
    assert "Cities of the Coast" in reader.get(url).text

    Network.objects.filter(pk=network.pk).update(name="Coastal Cities")
    assert "Coastal Cities" in reader.get(url).text

    Network.objects.filter(pk=network.pk).update(is_published=False)
    assert reader.get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_a_plan_unpublished_is_gone_at_once():
    plan = PlanFactory(title="Green corridors", status=Plan.Status.ADOPTED, is_published=True)
    reader = Client()
    reader.force_login(UserFactory())
    assert "Green corridors" in reader.get(plan.get_absolute_url()).text

    Plan.objects.filter(pk=plan.pk).update(is_published=False)

    assert reader.get(plan.get_absolute_url()).status_code == 404
    assert Client().get(plan.get_absolute_url()).status_code == 404
