import datetime

import pytest
from django.db import IntegrityError
from django.utils import translation

from municipia.directory.models import (
    LocalGovernment,
    Membership,
    Network,
    Position,
    normalise_name,
    region_name,
)
from tests.factories.directory import (
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
    NetworkFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def test_normalise_name_folds_case_accents_and_punctuation():
    assert normalise_name("Saint-Étienne") == "saint etienne"
    assert normalise_name("  SÃO   Paulo ") == "sao paulo"
    assert normalise_name("Мехико") == "мехико"
    assert normalise_name("") == ""


def test_search_finds_a_place_by_a_name_in_another_language_or_script():
    geneva = LocalGovernmentFactory(name="Geneva", searchable=[("Ginebra", "es"), ("Женева", "ru")])
    LocalGovernmentFactory(name="Lisbon")

    assert list(LocalGovernment.objects.search("ginebra")) == [geneva]
    assert list(LocalGovernment.objects.search("Женева")) == [geneva]
    assert list(LocalGovernment.objects.search("GENE")) == [geneva]


def test_search_with_nothing_to_search_finds_nothing():
    LocalGovernmentFactory(name="Geneva")

    assert list(LocalGovernment.objects.search(" -- ")) == []


def test_region_name_is_translated_from_cldr():
    assert region_name("419", "es") == "Latinoamérica"
    assert region_name("002", "fr") == "Afrique"
    with translation.override("ca"):
        assert region_name("150") == "Europa"


def test_country_area_is_the_finest_m49_grouping():
    country = CountryFactory(code="AR", region="019", sub_region="419", intermediate_region="005")

    assert country.area == "005"
    assert country.sub_region_name == "Latin America"


def test_membership_transitions_follow_the_workflow():
    membership = MembershipFactory(status=Membership.Status.APPLICANT)

    assert membership.can_become(Membership.Status.ACTIVE) is True
    assert membership.can_become(Membership.Status.REFUSED) is True
    assert membership.can_become(Membership.Status.SUSPENDED) is False
    assert membership.can_become(Membership.Status.LEFT) is False


def test_membership_needs_exactly_one_member():
    network = NetworkFactory()

    with pytest.raises(IntegrityError):
        Membership.objects.create(network=network)


def test_a_city_is_a_member_of_a_network_only_once():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError):
        MembershipFactory(network=membership.network, local_government=membership.local_government)


def test_a_city_can_belong_to_several_sub_networks():
    parent = NetworkFactory()
    city = LocalGovernmentFactory()
    territorial = NetworkFactory(parent=parent, kind=Network.Kind.TERRITORIAL)
    thematic = NetworkFactory(parent=parent, kind=Network.Kind.THEMATIC)

    MembershipFactory(network=territorial, local_government=city)
    MembershipFactory(network=thematic, local_government=city)

    assert set(city.memberships.values_list("network__slug", flat=True)) == {
        territorial.slug,
        thematic.slug,
    }


def test_current_positions_exclude_ended_and_future_ones():
    today = datetime.date(2025, 6, 1)
    current = PositionFactory(started_on=datetime.date(2020, 1, 1))
    PositionFactory(started_on=datetime.date(2010, 1, 1), ended_on=datetime.date(2015, 1, 1))
    PositionFactory(started_on=datetime.date(2026, 1, 1))

    assert list(Position.objects.current(on=today)) == [current]


def test_position_is_held_at_exactly_one_place():
    person = PositionFactory().person

    with pytest.raises(IntegrityError):
        Position.objects.create(
            person=person,
            kind=Position.Kind.MAYOR,
            local_government=LocalGovernmentFactory(),
            network=NetworkFactory(),
        )
