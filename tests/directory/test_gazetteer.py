import io

import pytest
from django.core.management import CommandError, call_command

from municipia.directory import gazetteer
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    Membership,
    Network,
)

pytestmark = pytest.mark.django_db


def _sample(*codes):
    return {k: c for k, c in gazetteer.all_cities().items() if c["countrycode"] in codes}


def test_country_facts_have_iso_codes_names_regions_and_languages():
    facts = gazetteer.country_facts("BR")

    assert facts["alpha3"] == "BRA"
    assert facts["numeric"] == 76
    assert facts["names"] == {
        "en": "Brazil",
        "es": "Brasil",
        "fr": "Brésil",
        "ca": "Brasil",
        "pt": "Brasil",
    }
    assert (facts["region"], facts["sub_region"], facts["intermediate_region"]) == (
        "019",
        "419",
        "005",
    )
    assert facts["languages"] == ["pt"]


def test_import_places_loads_countries_cities_and_their_names():
    cities = _sample("AD", "LU")

    report = gazetteer.import_places(cities=cities)

    assert report.created == len(cities) == LocalGovernment.objects.count()
    assert report.countries_created == Country.objects.count() == 252
    luxembourg = LocalGovernment.objects.get(geonames_id=2960316)
    assert (luxembourg.name, luxembourg.country.code, luxembourg.slug) == (
        "Luxembourg",
        "LU",
        "luxembourg-lu",
    )
    assert luxembourg.official_languages == ["de", "fr", "lb"]
    assert list(LocalGovernment.objects.search("Luxemburgo")) == [luxembourg]


def test_import_places_twice_adds_nothing_and_updates_changed_facts():
    cities = _sample("AD", "LU")
    gazetteer.import_places(cities=cities)
    names = LocalGovernmentName.objects.count()
    LocalGovernment.objects.filter(geonames_id=2960316).update(population=1, name="Old name")
    LocalGovernmentName.objects.filter(
        local_government__geonames_id=2960316, normalised="luxemburgo"
    ).delete()

    report = gazetteer.import_places(cities=cities)

    assert (report.created, report.updated, report.unchanged) == (0, 1, len(cities) - 1)
    assert (report.countries_created, report.countries_updated) == (0, 0)
    assert report.names_added == 1
    assert LocalGovernment.objects.count() == len(cities)
    assert LocalGovernmentName.objects.count() == names
    luxembourg = LocalGovernment.objects.get(geonames_id=2960316)
    assert (luxembourg.name, luxembourg.population) == (
        "Luxembourg",
        cities["2960316"]["population"],
    )


def test_import_places_drops_names_geonames_no_longer_lists_but_keeps_hand_added_ones():
    cities = _sample("AD")
    gazetteer.import_places(cities=cities)
    place = LocalGovernment.objects.get(geonames_id=3041563)
    place.sync_names((("Andorra la Vella (capital)", "en"),))
    LocalGovernmentName.objects.create(local_government=place, name="Gone", normalised="gone")

    report = gazetteer.import_places(cities=cities)

    assert report.names_removed == 1
    assert set(
        place.names.filter(normalised__in=["gone", "andorra la vella capital"]).values_list(
            "name", flat=True
        )
    ) == {"Andorra la Vella (capital)"}


def test_import_places_keeps_hand_made_places_and_avoids_their_slugs():
    country = gazetteer.ensure_country("LU")
    LocalGovernment.objects.create(
        name="Luxembourg", slug="luxembourg-lu", country=country, kind="region"
    )

    gazetteer.import_places(cities=_sample("LU"))

    assert LocalGovernment.objects.get(geonames_id=2960316).slug == "luxembourg-lu-2960316"
    assert LocalGovernment.objects.filter(geonames_id__isnull=True).count() == 1


def test_import_places_command_prints_rows_and_time():
    out = io.StringIO()

    call_command("import_places", "--country", "AD", "--no-progress", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Countries: 252 created, 0 updated."
    andorra = len([c for c in gazetteer.all_cities().values() if c["countrycode"] == "AD"])
    assert lines[1] == (
        f"Places: {andorra} rows: {andorra} created, 0 updated, 0 unchanged; "
        "0 districts of bigger cities."
    )
    assert lines[-1].startswith("Done in ")


def test_ensure_city_creates_the_place_once_with_its_names():
    first = gazetteer.ensure_city("Ginebra", "CH")
    second = gazetteer.ensure_city("Geneva", "CH")

    assert first == second
    assert (first.name, first.geonames_id) == ("Geneva", 2660646)
    assert list(LocalGovernment.objects.search("Genf")) == [first]


def test_ensure_city_refuses_a_place_that_is_not_in_the_gazetteer():
    with pytest.raises(LookupError):
        gazetteer.ensure_city("Atlantis", "GR")


def test_a_second_import_changes_nothing_and_places_keep_their_ids():
    cities = _sample("AD", "LU")
    gazetteer.import_places(cities=cities)
    ids = dict(LocalGovernment.objects.values_list("geonames_id", "id"))
    names = set(LocalGovernmentName.objects.values_list("id", "local_government_id", "normalised"))

    report = gazetteer.import_places(cities=cities)

    assert (report.created, report.updated, report.unchanged) == (0, 0, len(cities))
    assert (report.names_added, report.names_removed) == (0, 0)
    assert dict(LocalGovernment.objects.values_list("geonames_id", "id")) == ids
    assert (
        set(LocalGovernmentName.objects.values_list("id", "local_government_id", "normalised"))
        == names
    )


def test_a_place_loaded_one_by_one_keeps_its_id_and_members_when_the_extract_is_loaded():
    place = gazetteer.ensure_city("Esch-sur-Alzette", "LU")
    network = Network.objects.create(name="Network", slug="network")
    membership = Membership.objects.create(network=network, local_government=place)

    report = gazetteer.import_places(cities=_sample("LU"))

    assert report.created == len(_sample("LU")) - 1
    assert LocalGovernment.objects.get(geonames_id=place.geonames_id).pk == place.pk
    membership.refresh_from_db()
    assert membership.local_government_id == place.pk


def test_the_extract_follows_the_population_setting(settings):
    settings.MUNICIPIA_GAZETTEER_MIN_POPULATION = 15000
    large = gazetteer.all_cities()
    settings.MUNICIPIA_GAZETTEER_MIN_POPULATION = 500
    small = gazetteer.all_cities()

    assert (len(large), len(small)) == (34006, 234908)
    assert set(large) < set(small)
    assert "3107746" in small  # Torrent, a village of Girona
    assert "3107746" not in large
    with pytest.raises(ValueError, match="No GeoNames extract for 700"):
        gazetteer.all_cities(700)


def test_import_places_command_takes_the_extract_and_a_second_run_changes_nothing():
    first, second = io.StringIO(), io.StringIO()
    arguments = ["import_places", "--country", "AD", "--min-population", "15000", "--no-progress"]

    call_command(*arguments, stdout=first)
    call_command(*arguments, stdout=second)

    assert first.getvalue().splitlines()[1].startswith("Places: 2 rows: 2 created,")
    assert second.getvalue().splitlines()[1:3] == [
        "Places: 2 rows: 0 created, 0 updated, 2 unchanged; 0 districts of bigger cities.",
        "Names: 0 added, 0 removed.",
    ]
    with pytest.raises(CommandError):
        call_command("import_places", "--min-population", "700", "--no-progress")


def test_ensure_city_prefers_the_municipality_and_flags_a_district_as_the_import_does():
    salamanca = gazetteer.ensure_city("Salamanca", "ES")
    chamberi = gazetteer.ensure_city("Chamberí", "ES")

    assert (salamanca.admin1, salamanca.is_district) == ("Castilla y León", False)
    assert salamanca.population < 147707  # Madrid's district of that name has more inhabitants
    assert (chamberi.is_district, chamberi.admin2) == (True, "Madrid")
