"""Search-as-you-type endpoints of the forms: who may ask, what they get, bad input, the throttle."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from municipia.directory.models import Consent
from tests.factories.directory import (
    ConsentFactory,
    LocalGovernmentFactory,
    NetworkFactory,
    PersonFactory,
    PositionFactory,
)
from tests.factories.knowledge import ExperienceFactory, PublishedExperienceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PLACES = "/api/v1/autocomplete/places/"
PEOPLE = "/api/v1/autocomplete/people/"
TARGETS = "/api/v1/autocomplete/sdg-targets/"
THEMES = "/api/v1/autocomplete/themes/"
EXPERIENCES = "/api/v1/autocomplete/experiences/"
ENDPOINTS = [PLACES, PEOPLE, TARGETS, THEMES, EXPERIENCES]
ROLES = ["city_officer", "network_staff", "juror", "expert"]


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_visitors_are_refused(url):
    response = _client().get(url, {"q": "wa"})

    assert response.status_code == 403


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_may_ask(request, url, role, network):
    user = request.getfixturevalue(role)

    response = _client(user).get(url, {"q": "wa", "network": [network.pk]})

    assert response.status_code == 200
    assert set(response.json()) == {"results", "groups"}


def test_places_match_a_name_in_any_language_with_their_country(city_officer):
    geneva = LocalGovernmentFactory(name="Geneva", searchable=[("Genf", "de"), ("Ginebra", "es")])
    LocalGovernmentFactory(name="Lyon")

    response = _client(city_officer).get(PLACES, {"q": "ginebr"})

    assert response.json()["results"] == [{"id": str(geneva.pk), "text": geneva.full_name}]


def test_people_are_only_those_in_office_listed_as_experts_or_oneself(city_officer, network):
    mayor = PositionFactory(person__full_name="Ana Mayor").person
    listed = ConsentFactory(
        person__full_name="Ana Expert", scope=Consent.Scope.EXPERT_DIRECTORY, network=network
    ).person
    PersonFactory(full_name="Ana Private")  # no office, no consent to be listed
    ConsentFactory(person__full_name="Ana Contact")  # contact consent only: not a listing
    oneself = PersonFactory(full_name="Ana Oneself", user=city_officer)

    response = _client(city_officer).get(PEOPLE, {"q": "ana"})

    assert _ids(response) == [str(p.pk) for p in (listed, mayor, oneself)]


def test_a_withdrawn_consent_hides_the_person_at_once(city_officer, network):
    ConsentFactory(
        person__full_name="Bea Expert",
        scope=Consent.Scope.EXPERT_DIRECTORY,
        network=network,
        withdrawn_at=timezone.now(),
    )

    response = _client(city_officer).get(PEOPLE, {"q": "bea"})

    assert _ids(response) == []


def test_an_officer_typing_a_city_gets_places_never_people(city_officer):
    city = LocalGovernmentFactory(name="Valencia")
    PersonFactory(full_name="Valencia Person")

    places = _client(city_officer).get(PLACES, {"q": "valen"})

    assert _ids(places) == [str(city.pk)]
    assert "Person" not in str(places.json())


def test_sdg_targets_by_code_are_grouped_by_goal_with_its_colour(city_officer):
    response = _client(city_officer).get(TARGETS, {"q": "11.2"})

    data = response.json()
    assert [row["text"][:4] for row in data["results"]] == ["11.2"]
    assert data["results"][0]["group"] == "11"
    assert data["results"][0]["colour"] == "11"
    assert data["groups"][0]["value"] == "11"


def test_sdg_targets_by_words_follow_the_page_language(city_officer):
    english = _client(city_officer).get(TARGETS, {"q": "road traffic accidents"}).json()
    spanish = _client(city_officer).get(TARGETS, {"q": "tráfico", "lang": "es"}).json()

    assert [row["text"][:5] for row in english["results"]] == ["3.6 ·"]
    assert "3.6 · " in [row["text"][:6] for row in spanish["results"]]


def test_themes_are_those_of_the_chosen_networks_only(city_officer, network, other_network):
    mobility = ThemeFactory(network=network, names={"en": "Mobility"})
    ThemeFactory(network=other_network, names={"en": "Mobile money"})

    response = _client(city_officer).get(THEMES, {"q": "mob", "network": [network.pk]})

    assert _ids(response) == [str(mobility.pk)]
    assert response.json()["groups"] == [{"value": str(network.pk), "label": network.name}]


def test_themes_of_an_unpublished_network_stay_hidden(city_officer):
    hidden = NetworkFactory(is_published=False)
    ThemeFactory(network=hidden, names={"en": "Secret theme"})

    response = _client(city_officer).get(THEMES, {"q": "", "network": [hidden.pk]})

    assert _ids(response) == []


def test_themes_without_a_network_give_nothing(city_officer, network):
    ThemeFactory(network=network, names={"en": "Mobility"})

    response = _client(city_officer).get(THEMES, {"q": "mob"})

    assert _ids(response) == []


def test_experiences_are_published_ones_matched_in_any_of_their_languages(city_officer):
    gardens = PublishedExperienceFactory(
        texts={"fr": ("Jardins scolaires partagés", "Résumé", "<p>Corps</p>")},
        original_language="fr",
    )
    PublishedExperienceFactory(texts={"en": ("Street lighting", "Summary", "<p>Body</p>")})
    ExperienceFactory(texts={"en": ("Jardins draft", "Summary", "<p>Body</p>")})

    response = _client(city_officer).get(EXPERIENCES, {"q": "jardins scol"})

    assert response.json()["results"] == [
        {"id": str(gardens.pk), "text": f"Jardins scolaires partagés ({gardens.city.name})"}
    ]


def test_a_query_shorter_than_two_letters_gives_nothing(city_officer):
    LocalGovernmentFactory(name="Ypres")

    response = _client(city_officer).get(PLACES, {"q": " y "})

    assert response.json() == {"results": [], "groups": []}


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (PLACES, {"q": "x" * 101}, "q"),
        (PEOPLE, {"q": "a\x00b"}, "q"),
        (THEMES, {"q": "mo", "network": ["one"]}, "network"),
        (THEMES, {"q": "mo", "network": ["0"]}, "network"),
        (TARGETS, {"q": "11", "lang": "xx"}, "lang"),
    ],
)
def test_bad_input_is_refused_with_a_message(city_officer, url, params, field):
    response = _client(city_officer).get(url, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_refusal_is_in_the_users_language(city_officer):
    response = _client(city_officer).get(PLACES, {"q": "x" * 101}, HTTP_ACCEPT_LANGUAGE="ca")

    assert response.json() == {"q": ["Escriviu com a màxim 100 caràcters."]}


def test_answers_are_throttled(monkeypatch, city_officer):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"autocomplete": "3/minute"})
    client = _client(city_officer)

    codes = [client.get(PLACES, {"q": "pa"}).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize("count", [1, 3])
def test_queries_do_not_grow_with_the_results(
    count, city_officer, network, django_assert_max_num_queries
):
    for n in range(count):
        LocalGovernmentFactory(name=f"Porto {n}")
        ThemeFactory(network=network, names={"en": f"Port {n}"})
        PositionFactory(person__full_name=f"Porter {n}")
        PublishedExperienceFactory(texts={"en": (f"Port works {n}", "Summary", "<p>Body</p>")})
    client = _client(city_officer)

    with django_assert_max_num_queries(6):
        assert len(_ids(client.get(PLACES, {"q": "porto"}))) == count
    with django_assert_max_num_queries(6):
        assert len(_ids(client.get(THEMES, {"q": "port", "network": [network.pk]}))) == count
    with django_assert_max_num_queries(6):
        assert len(_ids(client.get(PEOPLE, {"q": "porter"}))) == count
    with django_assert_max_num_queries(6):
        assert len(_ids(client.get(EXPERIENCES, {"q": "port works"}))) == count
