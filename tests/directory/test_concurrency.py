"""Concurrent requests on rows a unique constraint guards: one wins, the others get the answer a
later request would get, never a server error."""

from collections import Counter

import pytest
from django.urls import reverse

from municipia.directory import services
from municipia.directory.models import Consent, Membership
from tests.factories.accounts import UserFactory
from tests.factories.directory import PersonFactory
from tests.races import clients_for, outcomes, race, status_codes

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


def test_concurrent_consents_record_one_and_refuse_the_others():
    person = PersonFactory(user=UserFactory())

    results = race(
        8,
        lambda i: services.record_consent(
            person, Consent.Scope.CONTACT_DETAILS, by=person.user, statement="Yes", evidence="Form"
        ),
    )

    assert outcomes(results) == Counter({"ok": 1, "DirectoryError": 7})
    assert {str(r) for r in results if isinstance(r, Exception)} == {
        "This consent is already recorded."
    }
    assert Consent.objects.count() == 1


def test_places_of_one_name_created_at_once_each_get_their_own_address(network_staff, city):
    results = race(
        8,
        lambda i: services.create_local_government(
            by=network_staff, name="Nova Vila", country=city.country, kind="municipality"
        ),
    )

    assert outcomes(results) == Counter({"ok": 8})
    assert len({place.slug for place in results}) == 8
