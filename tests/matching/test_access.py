"""Every page and endpoint of matching, asked by every role: officers for their own city only,
staff for the member cities of their network, the graph and the pairing for staff only."""

import pytest
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.directory.models import Mentoring
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import NetworkFactory

ROLES = ["anonymous", "user", "officer", "other_officer", "staff", "other_staff", "superuser"]


@pytest.fixture
def people(world):
    return {
        "anonymous": None,
        "user": UserFactory(),
        "officer": world.officer,
        "other_officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=world.lonely
        ).user,
        "staff": world.staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=NetworkFactory()).user,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }


def _client(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client


def _pages(w):
    mentee = w.newcomer_membership.pk
    return {
        "index": reverse("matching:city-list"),
        "partners": reverse("matching:partner-suggestions", args=[w.home.slug]),
        "study-visits": reverse("matching:study-visits", args=[w.home.slug]) + "?need=compost",
        "mentors": reverse("matching:mentor-suggestions", args=[mentee]),
        "experts": reverse("matching:expert-search", args=[w.network.slug]) + "?q=waste",
        "graph": reverse("matching:network-graph", args=[w.network.slug]),
        "graph-graphml": reverse("matching:network-graph", args=[w.network.slug])
        + "?format=graphml",
        "graph-csv": reverse("matching:network-graph", args=[w.network.slug]) + "?format=csv",
        "api-partners": reverse("api:matching-partners") + f"?city={w.home.slug}",
        "api-mentors": reverse("api:matching-mentors") + f"?membership={mentee}",
        "api-experts": reverse("api:matching-experts") + f"?network={w.network.slug}&q=waste",
        "api-graph": reverse("api:matching-graph", args=[w.network.slug]),
    }


OK, LOGIN, NO = 200, "login", 403
API_NO = (401, 403)
EXPECTED = {
    #                 anonymous user officer other_officer staff other_staff superuser
    "index": (LOGIN, OK, OK, OK, OK, OK, OK),
    "partners": (LOGIN, NO, OK, NO, OK, NO, OK),
    "study-visits": (LOGIN, NO, OK, NO, OK, NO, OK),
    "mentors": (LOGIN, NO, NO, NO, OK, NO, OK),
    "experts": (OK, OK, OK, OK, OK, OK, OK),
    "graph": (LOGIN, NO, NO, NO, OK, NO, OK),
    "graph-graphml": (LOGIN, NO, NO, NO, OK, NO, OK),
    "graph-csv": (LOGIN, NO, NO, NO, OK, NO, OK),
    "api-partners": (API_NO, NO, OK, NO, OK, NO, OK),
    "api-mentors": (API_NO, NO, NO, NO, OK, NO, OK),
    "api-experts": (OK, OK, OK, OK, OK, OK, OK),
    "api-graph": (API_NO, NO, NO, NO, OK, NO, OK),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_endpoint_for_every_role(client, world, people, role):
    client = _client(client, people, role)
    for name, url in _pages(world).items():
        expected = EXPECTED[name][ROLES.index(role)]
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if expected == LOGIN:
            assert response.status_code == 302, name
            assert "login" in response["Location"], name
        elif isinstance(expected, tuple):
            assert response.status_code in expected, name
        else:
            assert response.status_code == expected, (name, response.status_code)


@pytest.mark.parametrize("role", ["officer", "other_staff", "user"])
def test_only_staff_pair(client, world, people, role):
    client = _client(client, people, role)
    url = reverse(
        "matching:mentor-pair", args=[world.newcomer_membership.pk, world.recife_membership.pk]
    )
    assert client.post(url).status_code == 403
    assert not Mentoring.objects.exists()


def test_api_refuses_bad_input_with_a_message(client, world):
    client.force_login(world.officer)
    url = reverse("api:matching-partners")
    assert client.get(url).status_code == 400  # no city
    response = client.get(url + f"?city={world.home.slug}&theme=999999")
    assert response.status_code == 400
    assert "theme" in response.json()
    response = client.get(url + f"?city={world.home.slug}&sdg=99")
    assert response.status_code == 400
    response = client.get(url + f"?city={world.home.slug}&need=" + "x" * 6000)
    assert response.status_code == 400
    ok = client.get(url + f"?city={world.home.slug}&need=compostage")
    assert ok.status_code == 200
    assert ok.json()["suggestions"][0]["reasons"]


def test_the_page_shows_reasons_and_refuses_an_unknown_theme(client, world):
    client.force_login(world.officer)
    url = reverse("matching:partner-suggestions", args=[world.home.slug])
    page = client.get(url, {"need": "compostage des déchets"})
    assert "Lyon" in page.content.decode()
    assert "Zéro déchet" in page.content.decode()
    refused = client.get(url, {"theme": "999999"})
    assert refused.status_code == 200
    assert refused.context["answer"] is None
    assert refused.context["form"].errors
