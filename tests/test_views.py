import pytest

from tests.factories.directory import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "es", "fr", "ca", "pt"])
def test_home_page_in_every_language(client, language):
    NetworkFactory(name="Xarxa de prova")

    response = client.get(f"/{language}/")

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert "Xarxa de prova" in response.content.decode()


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ca")

    assert (response.status_code, response["Location"]) == (302, "/ca/")


@pytest.mark.parametrize("count", [1, 4])
def test_home_query_count_does_not_grow_with_networks(client, count, django_assert_max_num_queries):
    for _ in range(count):
        MembershipFactory(network=NetworkFactory())

    # Nothing cached yet: generations, networks, member counts, experiences per network, and
    # the site's three figures; each counted once per change of what it counts.
    with django_assert_max_num_queries(7):
        response = client.get("/en/")

    assert response.status_code == 200


def test_unpublished_network_is_not_on_the_home_page(client):
    NetworkFactory(name="Secret network", is_published=False)

    assert "Secret network" not in client.get("/en/").content.decode()
