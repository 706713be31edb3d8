"""Every public page and API list costs as many queries with three times the data.

Each page is counted built from an empty cache (the first visit after a write: page, figures and
fragments built again), served from the cache to the public, and for a logged-in member of staff
(never from the page cache). Then every kind of thing the pages list is tripled, and no count may
go up (django_assert_max_num_queries with the first count).

Transactional: pages are kept only once their data is committed, as on the site.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipia.accounts.models import Role
from tests.factories.accounts import RoleFactory
from tests.factories.calls import ApplicationFactory, CallFactory
from tests.factories.directory import (
    ConsentFactory,
    MembershipFactory,
    NetworkFactory,
    PositionFactory,
)
from tests.factories.knowledge import PublicationFactory, PublishedExperienceFactory
from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Whatever the data, no page is built with more than this many queries.
MOST_QUERIES_BUILT = 16


def _world():
    with transaction.atomic():
        network = NetworkFactory(slug="bank", has_expert_community=True)
        member = MembershipFactory(network=network, local_government__name="San Origin")
        plan = PlanFactory(network=network, status="adopted", is_published=True)
        results = CallFactory(
            network=network,
            status="closed",
            opens_at=timezone.now() - datetime.timedelta(days=30),
            closes_at=timezone.now() - datetime.timedelta(days=10),
            results_published_at=timezone.now(),
        )
        experience = PublishedExperienceFactory(network=network, city=member.local_government)
        publication = PublicationFactory(network=network)
        expert = ConsentFactory(scope="expert_directory", network=network).person
        PositionFactory(person=expert, local_government=member.local_government)
    return {
        "network": network,
        "plan": plan,
        "results": results,
        "experience": experience,
        "publication": publication,
        "expert": expert,
        "place": member.local_government,
    }


def _grow(world, count: int) -> None:
    """`count` more of everything the pages list, committed."""
    network, plan = world["network"], world["plan"]
    with transaction.atomic():
        for n in range(count):
            member = MembershipFactory(network=network, local_government__name=f"San Place {n}")
            PublishedExperienceFactory(network=network, city=member.local_government)
            PublicationFactory(network=network)
            PlanFactory(network=network, status="adopted", is_published=True)
            objective = ObjectiveFactory(plan=plan)
            ActivityFactory(objective=objective)
            CallFactory(network=network)
            ApplicationFactory(call=world["results"], status="submitted")
            person = ConsentFactory(scope="expert_directory", network=network).person
            PositionFactory(person=person, local_government=world["place"])
            NetworkFactory()


def _urls(world) -> list[str]:
    network = world["network"].slug
    return [
        "/en/",
        "/en/networks/",
        f"/en/networks/{network}/",
        f"/en/networks/{network}/members/",
        f"/en/networks/{network}/members/?q=san",
        f"/en/networks/{network}/map.json",
        f"/en/networks/{network}/experts/",
        "/en/places/",
        world["place"].get_absolute_url(),
        world["expert"].get_absolute_url(),
        "/en/bank/",
        world["experience"].get_absolute_url(),
        "/en/publications/",
        world["publication"].get_absolute_url(),
        "/en/plans/",
        world["plan"].get_absolute_url(),
        world["plan"].get_absolute_url() + "history/",
        "/en/calls/",
        world["results"].get_absolute_url(),
        f"/en/calls/{world['results'].slug}/results/",
        "/en/search/?q=practice",
        "/api/v1/networks/",
        f"/api/v1/memberships/?network={network}",
        "/api/v1/experiences/",
        "/api/v1/publications/",
        f"/api/v1/local-governments/?network={network}",
        "/api/v1/countries/",
        "/api/v1/people/",
        "/api/v1/plans/",
        "/api/v1/calls/",
        "/api/v1/search/?q=practice",
    ]


def _built(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_every_public_page_and_api_list_is_built_in_as_many_queries_with_more_data(
    django_assert_max_num_queries,
):
    world = _world()
    _grow(world, 2)
    client = Client()
    urls = _urls(world)
    counts = {url: _built(client, url) for url in urls}

    _grow(world, 4)

    for url in urls:
        with django_assert_max_num_queries(counts[url], info=url):
            cache.clear()
            assert client.get(url).status_code == 200, url
    assert {url: n for url, n in counts.items() if n > MOST_QUERIES_BUILT} == {}


def test_every_public_page_and_api_list_is_served_from_the_cache_in_one_query():
    world = _world()
    _grow(world, 3)
    client = Client()
    served = {}
    for url in _urls(world):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        served[url] = len(captured)

    # Calls and plans in the API, which say whether each is open now, too: their entries end at
    # the next opening or closing (tests/api/test_clock_bound_lists.py).
    assert {url: n for url, n in served.items() if n > 1} == {}


def test_logged_in_pages_and_api_lists_cost_as_many_queries_with_more_data(
    django_assert_max_num_queries,
):
    world = _world()
    _grow(world, 2)
    client = Client()
    client.force_login(RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=world["network"]).user)
    urls = _urls(world)
    counts = {}
    for url in urls:
        client.get(url)  # figures and shared fragments are cached, as they are after one visit
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured)

    _grow(world, 4)

    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(counts[url], info=url):
            client.get(url)
