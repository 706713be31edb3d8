# ruff: noqa: F811 (the fixtures are imported from missions_fixtures)
"""Every role against every page and endpoint of missions and the international action page.

The world: a city with a public mission and a private one, its network with a private mission of
its own. Status codes: 200 = shown, 302 = sent to log in (or redirected after an allowed POST),
403 = known but not allowed, 404 = not theirs to know about.
"""

import pytest
from django.urls import reverse

from tests.cooperation.missions_fixtures import (  # noqa: F401
    destination,
    network_mission,
    private_mission,
    public_mission,
)
from tests.cooperation.test_access import _client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "city_officer", "other_officer", "staff", "other_staff", "superuser"]
EVERYONE = dict.fromkeys(ROLES, 200)
MANAGERS = {**EVERYONE, "anonymous": 302}  # any officer or staff: their own missions
CITY_PRIVATE = {**dict.fromkeys(ROLES, 404), "city_officer": 200, "superuser": 200}
NETWORK_PRIVATE = {**dict.fromkeys(ROLES, 404), "staff": 200, "superuser": 200}
CITY_EDIT_PUBLIC = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "city_officer": 200,
    "superuser": 200,
}
CITY_EDIT_PRIVATE = {**CITY_PRIVATE, "anonymous": 302}
NETWORK_EDIT_PRIVATE = {**NETWORK_PRIVATE, "anonymous": 302}
CITY_OFFICERS = CITY_EDIT_PUBLIC
CITY_OFFICERS_POST = {**CITY_OFFICERS, "city_officer": 302, "superuser": 302}


@pytest.fixture
def world(
    city,
    public_mission,
    private_mission,
    network_mission,
    city_officer,
    other_officer,
    network_staff,
    other_staff,
    superuser,
):
    return {
        "city": city,
        "public": public_mission,
        "private": private_mission,
        "network": network_mission,
        "users": {
            "anonymous": None,
            "city_officer": city_officer,
            "other_officer": other_officer,
            "staff": network_staff,
            "other_staff": other_staff,
            "superuser": superuser,
        },
    }


def _cases(world):
    public, private, network = world["public"].pk, world["private"].pk, world["network"].pk
    city = world["city"].slug
    return [
        ("get", reverse("cooperation:mission-list"), MANAGERS),
        ("get", reverse("cooperation:mission-list") + "?format=csv", MANAGERS),
        ("get", reverse("cooperation:mission-list") + "?format=xlsx", MANAGERS),
        ("get", reverse("cooperation:mission-create"), MANAGERS),
        ("get", reverse("cooperation:mission-detail", args=[public]), EVERYONE),
        ("get", reverse("cooperation:mission-detail", args=[private]), CITY_PRIVATE),
        ("get", reverse("cooperation:mission-detail", args=[network]), NETWORK_PRIVATE),
        ("get", reverse("cooperation:mission-edit", args=[public]), CITY_EDIT_PUBLIC),
        ("get", reverse("cooperation:mission-edit", args=[private]), CITY_EDIT_PRIVATE),
        ("get", reverse("cooperation:mission-edit", args=[network]), NETWORK_EDIT_PRIVATE),
        # An empty form comes back with its errors (200) to those who may send it.
        ("post", reverse("cooperation:mission-edit", args=[public]), CITY_EDIT_PUBLIC),
        ("post", reverse("cooperation:mission-edit", args=[private]), CITY_EDIT_PRIVATE),
        ("get", reverse("cooperation:international-page", args=[city]), EVERYONE),
        ("get", reverse("cooperation:international-settings", args=[city]), CITY_OFFICERS),
        ("post", reverse("cooperation:international-settings", args=[city]), CITY_OFFICERS_POST),
        ("get", reverse("api:mission-list"), EVERYONE),
        ("get", reverse("api:mission-detail", args=[public]), EVERYONE),
        ("get", reverse("api:mission-detail", args=[private]), CITY_PRIVATE),
        ("get", reverse("api:mission-detail", args=[network]), NETWORK_PRIVATE),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_endpoint_answers_each_role_as_expected(world, role):
    client = _client(world["users"][role])
    found = {}
    expected = {}

    for method, url, answers in _cases(world):
        found[(method, url)] = getattr(client, method)(url).status_code
        expected[(method, url)] = answers[role]

    assert found == expected


def test_a_user_with_no_city_or_network_to_work_for_gets_no_mission_pages(world, user):
    client = _client(user)

    assert client.get(reverse("cooperation:mission-list")).status_code == 403
    assert client.get(reverse("cooperation:mission-create")).status_code == 403


def test_the_work_menu_offers_missions_to_officers_and_staff_only(world, user):
    link = 'href="{}"'.format(reverse("cooperation:mission-list"))

    for role in ("city_officer", "staff", "superuser"):
        assert link in _client(world["users"][role]).get("/en/").content.decode(), role
    assert link not in _client(user).get("/en/").content.decode()
    assert link not in _client(None).get("/en/").content.decode()
