"""Concurrent requests on rows a unique constraint guards: one wins, the others get the answer a
later request would get, never a server error."""

from collections import Counter

import pytest
from django.urls import reverse

from municipia.directory.models import Membership
from tests.races import clients_for, race, status_codes

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 20


def test_twenty_api_applications_for_one_city_make_one_and_nineteen_400s(
    city, city_officer, network
):
    clients = clients_for(city_officer, RACERS)
    payload = {"network": network.slug, "local_government": city.slug}

    responses = race(RACERS, lambda i: clients[i].post("/api/v1/memberships/", payload))

    assert status_codes(responses) == Counter({201: 1, 400: RACERS - 1})
    refusal = {"detail": f"{city.name} has already applied to {network}."}
    assert all(r.json() == refusal for r in responses if r.status_code == 400)
    assert Membership.objects.filter(network=network, local_government=city).count() == 1


def test_twenty_form_applications_for_one_city_make_one_and_say_why_to_the_others(
    city, city_officer, network
):
    clients = clients_for(city_officer, RACERS)
    url = reverse("directory:membership-apply", args=[city.slug])
    payload = {"network": network.pk, "category": "full", "message": ""}

    responses = race(RACERS, lambda i: clients[i].post(url, payload))

    assert status_codes(responses) == Counter({302: 1, 200: RACERS - 1})
    assert Membership.objects.filter(network=network, local_government=city).count() == 1
