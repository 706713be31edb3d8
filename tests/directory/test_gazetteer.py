import io

import pytest
from django.core.management import call_command

from municipia.directory import gazetteer
from municipia.directory.models import Country, LocalGovernment, LocalGovernmentName

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
