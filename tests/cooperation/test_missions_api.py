# ruff: noqa: F811 (the fixtures are imported from missions_fixtures)
"""Missions through the API: public ones only to the public, costs only where they are public or
for those who manage the mission, dates with the offset of the mission's zone, and the schema."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cooperation.missions_fixtures import (  # noqa: F401
    destination,
    hidden_costs_mission,
    make_mission,
    network_mission,
    private_mission,
    public_mission,
)

pytestmark = pytest.mark.django_db


def _results(client, **params):
    response = client.get(reverse("api:mission-list"), params)
    assert response.status_code == 200
    return {m["title"]: m for m in response.json()["results"]}


def test_the_public_gets_public_missions_and_public_costs_only(
    public_mission, private_mission, hidden_costs_mission, network_mission
):
    missions = _results(Client())

    assert set(missions) == {public_mission.title, hidden_costs_mission.title}
    shown = missions[public_mission.title]
    assert shown["cost_total"] == "1710.00"
    assert {c["category"] for c in shown["costs"]} == {"travel", "accommodation"}
    hidden = missions[hidden_costs_mission.title]
    assert hidden["costs"] is None
    assert hidden["cost_total"] is None
    assert "987.65" not in str(hidden)


def test_the_owners_officer_sees_every_mission_and_cost_of_the_city(
    client, city_officer, private_mission, hidden_costs_mission, network_mission
):
    client.force_login(city_officer)

    missions = _results(client)

    assert set(missions) == {private_mission.title, hidden_costs_mission.title}
    assert missions[hidden_costs_mission.title]["cost_total"] == "987.65"


def test_another_citys_officer_and_another_networks_staff_see_no_hidden_cost(
    client, other_officer, other_staff, hidden_costs_mission, private_mission
):
    for user in (other_officer, other_staff):
        client.force_login(user)
        missions = _results(client)
        assert set(missions) == {hidden_costs_mission.title}
        assert missions[hidden_costs_mission.title]["costs"] is None


def test_the_networks_staff_see_its_missions_but_not_a_citys_private_ones(
    client, network_staff, network_mission, private_mission
):
    client.force_login(network_staff)

    assert set(_results(client)) == {network_mission.title}


def test_dates_carry_the_offset_of_the_missions_zone(public_mission):
    mission = _results(Client())[public_mission.title]

    assert mission["time_zone"] == "America/Sao_Paulo"
    assert mission["starts_at"] == "2026-03-09T09:00:00-03:00"
    assert mission["year"] == 2026


def test_filters(public_mission, hidden_costs_mission, city):
    client = Client()

    assert set(_results(client, direction="incoming")) == set()
    assert len(_results(client, local_government=city.slug)) == 2
    assert len(_results(client, year=2025)) == 0


def _queries(client, url) -> int:
    client.get(url)  # renews the caches that the writes before it invalidated
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_answers_in_queries_that_do_not_grow(public_mission, city, destination):
    client = Client()
    url = reverse("api:mission-list")
    few = _queries(client, url)

    for n in range(5):
        make_mission(city=city, destination=destination, title=f"Trip {n}")

    assert _queries(client, url) == few


def test_the_schema_documents_the_endpoint_and_its_nullable_costs(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()

    assert "/api/v1/cooperation/missions/" in schema["paths"]
    mission = schema["components"]["schemas"]["Mission"]["properties"]
    assert mission["costs"]["nullable"] is True
    assert mission["costs"]["items"]["$ref"].endswith("/MissionCost")
    assert mission["cost_total"]["nullable"] is True
