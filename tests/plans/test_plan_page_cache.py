"""A public plan's page for logged-in readers: its body comes from the cache (their pages never
come from the page cache), with the editors' links only for editors, an edit shown at once, and a
draft's body never kept.

Transactional: the generations go up when a transaction commits, as on the site."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from municipia.accounts.models import Role
from municipia.plans.models import Objective, Plan
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = "Dashboard"


@pytest.fixture
def plan():
    with transaction.atomic():
        plan = PlanFactory(status=Plan.Status.ADOPTED, is_published=True)
        for _n in range(3):
            ActivityFactory(objective=ObjectiveFactory(plan=plan, title="Clean rivers"))
    return plan


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_reader_gets_the_body_from_the_cache_and_sees_an_edit_at_once(plan):
    reader = _client(UserFactory())
    url = plan.get_absolute_url()
    cache.clear()
    page, built = _get(reader, url)
    again, served = _get(reader, url)
    assert served < built
    assert served <= 6  # session, user, the plan, roles (who may edit), generations
    assert "Clean rivers" in again
    assert "Clean rivers" in page
    assert DASHBOARD not in again

    Objective.objects.filter(plan=plan).update(title="Clean air")
    page, _ = _get(reader, url)
    assert "Clean air" in page
    assert "Clean rivers" not in page


def test_editors_and_readers_never_share_a_body(plan):
    url = plan.get_absolute_url()
    with transaction.atomic():
        editor = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=plan.network).user
    for _n in range(2):
        assert DASHBOARD in _get(_client(editor), url)[0]
        assert DASHBOARD not in _get(_client(UserFactory()), url)[0]
        assert DASHBOARD not in _get(_client(), url)[0]


def test_a_drafts_body_is_never_kept(plan):
    Plan.objects.filter(pk=plan.pk).update(is_published=False, status=Plan.Status.DRAFT)
    with transaction.atomic():
        editor = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=plan.network).user
    client = _client(editor)
    cache.clear()
    _get(client, plan.get_absolute_url())
    _get(client, plan.get_absolute_url())
    assert not [key for key in cache._cache if "fragment:" in key]  # local memory in tests
