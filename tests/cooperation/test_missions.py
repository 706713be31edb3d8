# ruff: noqa: F811 (the fixtures are imported from missions_fixtures)
"""Missions: recording them (service and form), refusing bad input whole, the list, its export and
its query count."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.cooperation.missions.models import DelegationMember, Meeting, Mission, MissionCost
from municipia.cooperation.missions.services import save_mission
from municipia.cooperation.services import CooperationError
from tests.cooperation.missions_fixtures import (  # noqa: F401
    SAO_PAULO,
    delegate,
    destination,
    hidden_costs_mission,
    make_mission,
    mission_data,
    network_mission,
    private_mission,
    public_mission,
    wall,
)
from tests.factories.directory import CountryFactory, LocalGovernmentFactory

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Mission.objects.count(),
        MissionCost.objects.count(),
        DelegationMember.objects.count(),
        Meeting.objects.count(),
    )


# --- The service ---------------------------------------------------------------------------------


def test_costs_are_kept_in_their_currency_and_converted_at_the_recorded_rate(city, destination):
    mission = make_mission(city=city, destination=destination)

    costs = {c.category: c for c in mission.costs.all()}
    assert costs["travel"].amount_converted == Decimal("1200.00")
    assert costs["accommodation"].currency == "BRL"
    assert costs["accommodation"].amount == Decimal("3000.00")
    assert costs["accommodation"].exchange_rate == Decimal("0.17")
    assert costs["accommodation"].amount_converted == Decimal("510.00")


def test_the_year_is_read_on_the_destinations_clock(city, destination):
    # 31 December, 23:30 in São Paulo is already 1 January in UTC.
    mission = make_mission(
        city=city,
        destination=destination,
        starts_at=wall(2026, 12, 31, 23, 30),
        ends_at=wall(2027, 1, 2, 12),
    )

    assert mission.starts_at.astimezone(datetime.UTC).year == 2027
    assert mission.year == 2026


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": wall(2026, 3, 8)}, "end before it starts"),
        (
            {"costs": [{"category": "travel", "currency": "EUR", "amount": "-10"}]},
            "greater than zero",
        ),
        (
            {"costs": [{"category": "travel", "currency": "XYZ", "amount": "10"}]},
            "not an ISO 4217 currency code",
        ),
        (
            {"costs": [{"category": "travel", "currency": "BRL", "amount": "10"}]},
            "Give the exchange rate",
        ),
        (
            {
                "costs": [
                    {"category": "travel", "currency": "BRL", "amount": "10", "exchange_rate": "0"}
                ]
            },
            "exchange rate must be greater than zero",
        ),
        ({"time_zone": "Mars/Olympus"}, "not a known time zone"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(city, destination, change, message):
    before = _counts()

    with pytest.raises(CooperationError, match=message):
        save_mission(mission_data(city=city, destination=destination, **change))

    assert _counts() == before


def test_a_refused_edit_leaves_the_mission_as_it_was(public_mission, city, destination):
    data = mission_data(
        city=city,
        destination=destination,
        title="Renamed",
        costs=[{"category": "other", "currency": "EUR", "amount": "-1"}],
    )

    with pytest.raises(CooperationError):
        save_mission(data, mission=Mission.objects.get(pk=public_mission.pk))

    public_mission.refresh_from_db()
    assert public_mission.title == "Public trip to Curitiba"
    assert public_mission.costs.count() == 2


def test_a_mission_belongs_to_one_owner(city, network, destination):
    with pytest.raises(CooperationError, match="one local government or to one network"):
        save_mission(mission_data(city=city, network=network, destination=destination))
    assert not Mission.objects.exists()


def test_a_person_is_once_in_the_delegation(city, destination, delegate):
    data = mission_data(city=city, destination=destination)
    data.delegation = [{"person": delegate, "role": "Mayor"}, {"person": delegate, "role": "x"}]

    with pytest.raises(CooperationError, match="twice in the delegation"):
        save_mission(data)
    assert not Mission.objects.exists()


def test_an_edit_replaces_the_parts(public_mission, city, destination, delegate):
    data = mission_data(
        city=city,
        destination=destination,
        costs=[{"category": "interpretation", "currency": "EUR", "amount": "400"}],
    )
    data.delegation = [{"person": delegate, "role": "Deputy mayor"}]
    data.meetings = [{"held_on": datetime.date(2026, 3, 10), "with_whom": "Transport secretary"}]

    save_mission(data, mission=public_mission)

    assert [c.category for c in public_mission.costs.all()] == ["interpretation"]
    assert public_mission.delegation.get().role == "Deputy mayor"
    assert public_mission.meetings.get().with_whom == "Transport secretary"


# --- The form ------------------------------------------------------------------------------------


def _post(city, destination, **overrides):
    data = {
        "local_government": city.pk,
        "network": "",
        "direction": "outgoing",
        "title": "Study visit on water",
        "purpose": "See the treatment plant.",
        "destinations": [destination.pk],
        "time_zone": "",
        "starts_at": "2026-05-04T09:00",
        "ends_at": "2026-05-06T18:00",
        "outcomes": "",
        "currency": "EUR",
        "is_public": "on",
        "costs_public": "on",
    }
    for prefix, rows in (("people", 0), ("meetings", 0), ("costs", 1)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": rows,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(
        {
            "costs-0-category": "travel",
            "costs-0-description": "Flights",
            "costs-0-currency": "BRL",
            "costs-0-amount": "1000",
            "costs-0-exchange_rate": "0.2",
        }
    )
    data.update(overrides)
    return data


def test_an_officer_records_a_mission_with_its_costs(client, city_officer, city, destination):
    client.force_login(city_officer)

    response = client.post(reverse("cooperation:mission-create"), _post(city, destination))

    mission = Mission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == mission.get_absolute_url()
    assert mission.local_government == city
    assert mission.time_zone == SAO_PAULO  # the destination's, when none is chosen
    assert mission.starts_at == wall(2026, 5, 4, 9)
    assert mission.costs.get().amount_converted == Decimal("200.00")
    assert mission.created_by == city_officer


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2026-05-01T09:00"}, "The mission cannot end before it starts."),
        ({"costs-0-amount": "-5"}, "The amount of a cost must be greater than zero."),
        ({"costs-0-currency": "XYZ"}, "is not an ISO 4217 currency code."),
        ({"costs-0-exchange_rate": ""}, "Give the exchange rate"),
        ({"local_government": ""}, "Choose the local government or the network"),
    ],
)
def test_the_form_refuses_bad_input_and_writes_nothing(
    client, city_officer, city, destination, overrides, message
):
    client.force_login(city_officer)

    response = client.post(
        reverse("cooperation:mission-create"), _post(city, destination, **overrides)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _counts() == (0, 0, 0, 0)


def test_an_officer_cannot_record_a_mission_for_another_city(client, city_officer, destination):
    client.force_login(city_officer)
    other = LocalGovernmentFactory()

    response = client.post(reverse("cooperation:mission-create"), _post(other, destination))

    assert response.status_code == 200
    assert not Mission.objects.exists()


def test_the_edit_form_shows_the_dates_on_the_missions_clock(client, city_officer, public_mission):
    client.force_login(city_officer)

    page = client.get(reverse("cooperation:mission-edit", args=[public_mission.pk])).content

    assert b'value="2026-03-09T09:00:00"' in page


def test_the_page_shows_dates_on_the_destinations_clock_with_its_name(client, public_mission):
    page = client.get(public_mission.get_absolute_url()).content.decode()

    assert "March 9, 2026, 9 a.m." in page
    assert SAO_PAULO in page


# --- The list and its export ---------------------------------------------------------------------


def test_the_list_filters_by_year_direction_and_country(
    client, city_officer, city, destination, public_mission
):
    elsewhere = LocalGovernmentFactory(country=CountryFactory(code="SN"), timezone="Africa/Dakar")
    make_mission(
        city=city,
        destination=elsewhere,
        title="Visit from Dakar",
        direction="incoming",
        time_zone="Africa/Dakar",
        starts_at=wall(2025, 6, 1, zone="Africa/Dakar"),
        ends_at=wall(2025, 6, 2, zone="Africa/Dakar"),
    )
    client.force_login(city_officer)
    url = reverse("cooperation:mission-list")

    def titles(query):
        return [m.title for m in client.get(url + query).context["page"]]

    assert titles("") == ["Public trip to Curitiba", "Visit from Dakar"]
    assert titles("?year=2025") == ["Visit from Dakar"]
    assert titles("?direction=outgoing") == ["Public trip to Curitiba"]
    assert titles(f"?country={destination.country.code}") == ["Public trip to Curitiba"]
    assert titles("?country=SN") == ["Visit from Dakar"]


def test_the_list_holds_only_the_missions_one_manages(
    client, city_officer, public_mission, network_mission
):
    client.force_login(city_officer)

    page = client.get(reverse("cooperation:mission-list")).context["page"]

    assert [m.pk for m in page] == [public_mission.pk]


def test_the_export_gives_the_costs_by_category(client, city_officer, public_mission):
    client.force_login(city_officer)

    response = client.get(reverse("cooperation:mission-list") + "?format=csv")
    lines = b"".join(response.streaming_content).decode().splitlines()

    assert lines[0].startswith("Title,Direction,")
    assert "Travel,Accommodation,Per diem,Interpretation,Other,Total cost" in lines[0]
    assert "Public trip to Curitiba" in lines[1]
    assert ",1200.00,510.00,,,,1710.00," in lines[1]


def test_the_xlsx_export_is_a_workbook(client, city_officer, public_mission):
    client.force_login(city_officer)

    response = client.get(reverse("cooperation:mission-list") + "?format=xlsx")

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def _queries(client, url) -> int:
    """Queries of one request, after a first one has renewed the caches that writes invalidate
    (the map of place names in the reader's language)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_its_export_answer_in_queries_that_do_not_grow(
    client, city_officer, city, destination
):
    client.force_login(city_officer)
    make_mission(city=city, destination=destination)
    pages = [
        reverse("cooperation:mission-list"),
        reverse("cooperation:mission-list") + "?format=csv",
    ]
    few = [_queries(client, url) for url in pages]

    for n in range(8):
        make_mission(
            city=city, destination=LocalGovernmentFactory(timezone=SAO_PAULO), title=f"Trip {n}"
        )
    many = [_queries(client, url) for url in pages]

    assert many == few
