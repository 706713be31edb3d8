"""Fixtures of the missions' tests: a city's missions recorded through the service.

Imported by the test modules that use them (`from tests.cooperation.missions_fixtures import …`).
"""

import datetime
import zoneinfo

import pytest

from municipia.cooperation.missions.services import MissionData, save_mission
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, PersonFactory

SAO_PAULO = "America/Sao_Paulo"


def wall(year, month, day, hour=9, minute=0, zone=SAO_PAULO) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


def mission_data(
    *, city=None, network=None, destination, title="Urban mobility study visit", **fields
):
    costs = fields.pop("costs", None)
    if costs is None:
        costs = [
            {"category": "travel", "currency": "EUR", "amount": "1200.00"},
            {
                "category": "accommodation",
                "currency": "BRL",
                "amount": "3000.00",
                "exchange_rate": "0.17",
            },
        ]
    return MissionData(
        fields={
            "local_government": city,
            "network": network,
            "direction": fields.pop("direction", "outgoing"),
            "title": title,
            "purpose": fields.pop("purpose", "Learn how the bus network was redesigned."),
            "time_zone": fields.pop("time_zone", SAO_PAULO),
            "starts_at": fields.pop("starts_at", wall(2026, 3, 9)),
            "ends_at": fields.pop("ends_at", wall(2026, 3, 12, 18)),
            "currency": fields.pop("currency", "EUR"),
            "outcomes": fields.pop("outcomes", "A technical exchange on bus lanes agreed."),
            "is_public": fields.pop("is_public", True),
            "costs_public": fields.pop("costs_public", True),
            **fields,
        },
        destinations=[destination],
        costs=costs,
    )


def make_mission(**kwargs):
    projects = kwargs.pop("projects", [])
    data = mission_data(**kwargs)
    data.projects = projects
    return save_mission(data)


@pytest.fixture
def destination(db):
    # Its own country, named: the factory's next code depends on what the tests before created.
    return LocalGovernmentFactory(
        name="Curitiba (test)", country=CountryFactory(code="BR"), timezone=SAO_PAULO
    )


@pytest.fixture
def public_mission(city, destination):
    return make_mission(city=city, destination=destination, title="Public trip to Curitiba")


@pytest.fixture
def private_mission(city, destination):
    return make_mission(
        city=city,
        destination=destination,
        title="Confidential trip to Curitiba",
        is_public=False,
        costs_public=False,
    )


@pytest.fixture
def hidden_costs_mission(city, destination):
    return make_mission(
        city=city,
        destination=destination,
        title="Trip whose costs stay private",
        costs=[{"category": "per_diem", "currency": "EUR", "amount": "987.65"}],
        costs_public=False,
    )


@pytest.fixture
def network_mission(network, destination):
    return make_mission(
        network=network,
        destination=destination,
        title="Private mission of the network",
        is_public=False,
        costs_public=False,
    )


@pytest.fixture
def delegate(db):
    return PersonFactory(full_name="Ana Exemplo")
