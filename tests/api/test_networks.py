import pytest
from rest_framework.test import APIClient

from tests.factories.directory import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 3])
def test_network_list_query_count_does_not_grow(count, django_assert_num_queries):
    for _ in range(count):
        MembershipFactory(network=NetworkFactory())

    # Generations (the ETag), count, page, and the member counts (kept until the directory changes).
    with django_assert_num_queries(4):
        response = APIClient().get("/api/v1/networks/")

    assert response.json()["count"] == count


def test_unpublished_network_is_hidden():
    NetworkFactory(is_published=False, slug="hidden")

    assert APIClient().get("/api/v1/networks/hidden/").status_code == 404


def test_network_is_read_only_through_the_api(network_staff, network):
    api = APIClient()
    api.force_authenticate(network_staff)

    assert api.delete(f"/api/v1/networks/{network.slug}/").status_code == 405


def test_page_size_is_capped():
    NetworkFactory.create_batch(3)

    body = APIClient().get("/api/v1/networks/?page_size=100000").json()

    assert body["count"] == 3
