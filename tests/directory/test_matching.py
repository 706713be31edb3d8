import pytest

from municipia.directory.matching import PlaceMatcher, distance_km, region_matches
from tests.factories.directory import CountryFactory, LocalGovernmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spain():
    return CountryFactory(code="ES", alpha3="ESP", names={"en": "Spain", "es": "España"})


def _place(country, name, **fields):
    fields.setdefault("population", 1000)
    return LocalGovernmentFactory(name=name, country=country, **fields)


def _find(name, code="ES", **query):
    return PlaceMatcher([(code, name)]).find(name, code, **query)


def test_a_single_namesake_is_certain(spain):
    girona = _place(spain, "Girona", admin1="Catalonia", admin2="Girona", population=103369)

    found = _find("girona")

    assert [(c.local_government, c.is_certain) for c in found] == [(girona, True)]
    assert found[0].reasons == [
        "The only place named girona in Spain: in Girona, Catalonia; 103,369 inhabitants"
    ]


def test_namesakes_are_shown_with_their_province_and_population(spain):
    lleida = _place(spain, "Sant Pere", admin1="Catalonia", admin2="Lleida", population=900)
    girona = _place(spain, "Sant Pere", admin1="Catalonia", admin2="Girona", population=312)

    found = _find("Sant Pere")

    assert [c.local_government for c in found] == [lleida, girona]
    assert not any(c.is_certain for c in found)
    assert found[1].reasons == [
        "2 places named Sant Pere in Spain; this one in Girona, Catalonia; 312 inhabitants"
    ]


def test_the_province_column_settles_namesakes(spain):
    _place(spain, "Sant Pere", admin1="Catalonia", admin2="Lleida")
    girona = _place(spain, "Sant Pere", admin1="Catalonia", admin2="Girona")

    found = _find("Sant Pere", region="Província de Girona")

    assert (found[0].local_government, found[0].is_certain) == (girona, True)
    assert "In the region the file gives (Província de Girona)." in found[0].reasons
    assert found[1].is_certain is False


def test_a_place_in_another_region_than_the_file_says_is_never_certain(spain):
    _place(spain, "Valencia", admin1="Valencian Community", admin2="Valencia", population=800000)

    found = _find("Valencia", region="Castilla y León")

    assert found[0].is_certain is False
    assert "Not in the region the file gives (Castilla y León)." in found[0].reasons


def test_a_district_never_wins_over_a_municipality_of_the_same_name(spain):
    district = _place(spain, "Gràcia", admin1="Catalonia", is_district=True, population=120000)
    town = _place(spain, "Gràcia", admin1="Catalonia", population=600)

    found = _find("Gracia")

    assert [(c.local_government, c.is_certain) for c in found] == [(town, True), (district, False)]
    assert "A district of a city, not a municipality." in found[1].reasons


def test_a_district_alone_is_never_certain(spain):
    _place(spain, "Sarrià", is_district=True)

    assert _find("Sarrià")[0].is_certain is False


def test_the_nearest_namesake_wins_when_coordinates_are_given(spain):
    near = _place(spain, "Vilanova", latitude=41.22, longitude=1.72)
    _place(spain, "Vilanova", latitude=42.0, longitude=2.8)

    found = _find("Vilanova", latitude=41.23, longitude=1.73)

    assert (found[0].local_government, found[0].is_certain) == (near, True)
    assert found[0].reasons[-1] == "1.4 km from the file's coordinates."


def test_a_single_namesake_far_from_the_coordinates_is_not_certain(spain):
    _place(spain, "Castelló", latitude=39.98, longitude=-0.05)

    assert _find("Castelló", latitude=41.6, longitude=0.62)[0].is_certain is False


def test_a_bigger_namesake_is_not_taken_for_a_small_town(spain):
    _place(spain, "Mérida", population=59000)

    found = _find("Merida", population=312)

    assert found[0].is_certain is False
    assert "The file gives 312 inhabitants." in found[0].reasons


def test_a_place_known_by_another_name_says_so(spain):
    girona = _place(spain, "Girona", searchable=[("Gerona", "es")])

    found = _find("Gerona")

    assert (found[0].local_government, found[0].is_certain) == (girona, True)
    assert "Known by this name, but its name is Girona." in found[0].reasons


def test_places_of_other_countries_are_not_namesakes(spain):
    mexico = CountryFactory(code="MX", names={"en": "Mexico"})
    _place(mexico, "Mérida")

    assert _find("Mérida") == []


def test_many_rows_cost_a_few_queries(spain, django_assert_max_num_queries):
    for n in range(30):
        _place(spain, f"Town {n}")

    with django_assert_max_num_queries(3):
        matcher = PlaceMatcher([("ES", f"Town {n}") for n in range(30)] + [("ES", "Nowhere")])
        found = [matcher.find(f"Town {n}", "ES") for n in range(30)]

    assert all(len(f) == 1 and f[0].is_certain for f in found)


def test_distance_and_region_helpers():
    place = LocalGovernmentFactory.build(admin1="Catalonia", admin2="")

    assert round(distance_km(41.3874, 2.1686, 40.4168, -3.7038)) == 505
    assert region_matches("catalonia", place) is True
    assert region_matches("Aragon", place) is False
    assert region_matches("Aragon", LocalGovernmentFactory.build(admin1="", admin2="")) is None
