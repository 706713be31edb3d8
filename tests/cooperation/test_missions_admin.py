# ruff: noqa: F811 (the fixtures are imported from missions_fixtures)
"""The admin of missions: each list and a mission's page with its delegation, meetings and costs."""

import pytest
from django.urls import reverse

from tests.cooperation.missions_fixtures import destination, public_mission  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["mission", "delegationmember", "meeting", "missioncost", "internationalpage"]
)
def test_the_lists_open(superuser_client, public_mission, model):
    url = reverse(f"admin:cooperation_{model}_changelist")

    assert superuser_client.get(url).status_code == 200


def test_a_missions_page_shows_its_costs(superuser_client, public_mission):
    page = superuser_client.get(
        reverse("admin:cooperation_mission_change", args=[public_mission.pk])
    ).content.decode()

    assert "Public trip to Curitiba" in page
    assert "3000.00" in page  # the accommodation, in BRL
