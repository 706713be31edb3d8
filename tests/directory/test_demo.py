import io

import pytest
from django.core.management import call_command

from municipia.directory.models import (
    LocalGovernment,
    Membership,
    Mentoring,
    Network,
    Person,
    Position,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_the_seed_networks_with_mapped_members_and_is_idempotent(client):
    call_command("load_demo", stdout=io.StringIO())
    counts = (Network.objects.count(), Membership.objects.count(), LocalGovernment.objects.count())
    call_command("load_demo", stdout=io.StringIO())

    assert (
        Network.objects.count(),
        Membership.objects.count(),
        LocalGovernment.objects.count(),
    ) == counts
    assert set(Network.objects.filter(parent=None).values_list("slug", flat=True)) == {
        "aimf",
        "al-las",
        "aice",
        "metropolis",
    }
    points = client.get("/en/networks/aimf/map.json").json()["points"]
    assert len(points) == Membership.objects.filter(network__slug="aimf", status="active").count()
    hidalgo = Person.objects.get(slug="anne-hidalgo")
    assert set(
        Position.objects.current().filter(person=hidalgo).values_list("kind", flat=True)
    ) == {
        "mayor",
        "president",
    }
    assert Membership.objects.get(status="applicant").local_government.name == "Maputo"
    assert Mentoring.objects.get().mentor.local_government.name == "Lisbon"
    assert Person.objects.experts_of(Network.objects.get(slug="al-las")).count() == 4
    assert "Anne Hidalgo" in client.get("/en/networks/aimf/").content.decode()
