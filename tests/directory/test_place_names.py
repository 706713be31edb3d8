import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from municipia.directory import gazetteer, place_names
from municipia.directory.forms import MemberFilterForm
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    LocalisedPlaceName,
)
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

BRUSSELS, ANTWERP, LISBON, MEXICO_CITY, GENEVA, ZARAGOZA, BARCELONA = (
    2800866,
    2803138,
    2267057,
    3530597,
    2660646,
    3104324,
    3128760,
)
KNOWN = [BRUSSELS, ANTWERP, LISBON, MEXICO_CITY, GENEVA, ZARAGOZA, BARCELONA]


@pytest.fixture
def known_places():
    cities = {
        key: city for key, city in gazetteer.all_cities().items() if int(city["geonameid"]) in KNOWN
    }
    gazetteer.import_places(cities=cities)
    return {place.geonames_id: place for place in LocalGovernment.objects.all()}


def _shown(place, language):
    with translation.override(language):
        return place.display_name


@pytest.mark.parametrize(
    ("geonames_id", "names"),
    [
        (BRUSSELS, ["Brussels", "Bruselas", "Bruxelles", "Brussel·les", "Bruxelas"]),
        (LISBON, ["Lisbon", "Lisboa", "Lisbonne", "Lisboa", "Lisboa"]),
        (
            MEXICO_CITY,
            ["Mexico City", "Ciudad de México", "Mexico", "Ciutat de Mèxic", "Cidade do México"],
        ),
        (
            GENEVA,
            ["Geneva", "Ginebra", "Genève", "Geneva", "Geneva"],
        ),  # no Catalan or Portuguese source
        (ANTWERP, ["Antwerp", "Amberes", "Anvers", "Antwerp", "Antwerp"]),
        (ZARAGOZA, ["Zaragoza", "Zaragoza", "Saragosse", "Zaragoza", "Zaragoza"]),
        (BARCELONA, ["Barcelona", "Barcelona", "Barcelone", "Barcelona", "Barcelona"]),
    ],
)
def test_places_are_shown_by_their_name_in_each_interface_language(
    known_places, geonames_id, names
):
    place = known_places[geonames_id]

    shown = [_shown(place, language) for language in ["en", "es", "fr", "ca", "pt"]]

    assert shown == names
    with translation.override("ca"):
        assert str(place) == place.name  # data and other apps keep the gazetteer's name


def test_countries_are_shown_by_their_name_in_each_interface_language(known_places):
    belgium = Country.objects.get(code="BE")

    shown = []
    for language in ["en", "es", "fr", "ca", "pt"]:
        with translation.override(language):
            shown.append(belgium.name)

    assert shown == ["Belgium", "Bélgica", "Belgique", "Bèlgica", "Bélgica"]


def test_names_come_from_cldr_before_geonames_and_only_where_they_differ(known_places):
    brussels = known_places[BRUSSELS]

    rows = dict(
        LocalisedPlaceName.objects.filter(local_government=brussels).values_list(
            "language", "source"
        )
    )

    # Catalan and Portuguese from CLDR only; the official languages of Belgium (de, fr, nl) too.
    assert rows["ca"] == rows["pt"] == rows["nl"] == rows["de"] == "cldr"
    assert "en" not in rows  # "Brussels" is the gazetteer's name already
    antwerp = LocalisedPlaceName.objects.filter(local_government=known_places[ANTWERP])
    assert dict(antwerp.values_list("language", "source")) == {
        "es": "geonames",
        "fr": "geonames",
    }


def test_filling_again_changes_nothing_and_the_command_reports_it(known_places):
    before = list(LocalisedPlaceName.objects.values_list("local_government", "language", "name"))
    names_before = LocalGovernmentName.objects.count()

    report = place_names.fill_localised_names()
    out = io.StringIO()
    call_command("localise_places", stdout=out)

    assert (report.created, report.updated, report.removed) == (0, 0, 0)
    assert report.unchanged == len(before) > 10
    assert "0 created, 0 updated, 0 removed" in out.getvalue()
    assert (
        list(LocalisedPlaceName.objects.values_list("local_government", "language", "name"))
        == before
    )
    assert LocalGovernmentName.objects.count() == names_before


def test_filling_updates_a_changed_name_and_drops_one_no_source_gives(known_places):
    brussels = known_places[BRUSSELS]
    LocalisedPlaceName.objects.filter(local_government=brussels, language="ca").update(
        name="Brussel·la"
    )
    LocalisedPlaceName.objects.create(
        local_government=brussels, language="en", name="Bruxelles-Ville", source="geonames"
    )

    report = place_names.fill_localised_names(LocalGovernment.objects.filter(pk=brussels.pk))

    assert (report.created, report.updated, report.removed) == (0, 1, 1)
    assert _shown(brussels, "ca") == "Brussel·les"
    assert _shown(brussels, "en") == "Brussels"


def test_every_name_stays_searchable_and_localised_ones_become_so(known_places):
    mexico = known_places[MEXICO_CITY]

    for text in ["Ciutat de Mexic", "Mexico", "Mexiko", "Мехико", "Ciudad de México"]:
        assert mexico in LocalGovernment.objects.search(text), text
    assert LocalGovernmentName.objects.filter(
        local_government=mexico, normalised="ciutat de mexic"
    ).exists()


def test_also_known_as_lists_interface_and_official_languages_never_romanisations(known_places):
    brussels = known_places[BRUSSELS]
    searchable = set(brussels.names.values_list("name", flat=True))
    assert {"Brjussel'", "Bryusel", "Briuselis"} <= searchable  # GeoNames' untagged names

    with translation.override("ca"):
        known = place_names.also_known_as(brussels)

    names = [name for name, _language in known]
    assert "Brussel·les" not in names  # the name shown above the list
    assert {"Brussels", "Bruselas", "Bruxelles", "Bruxelas", "Brussel", "Brüssel"} <= set(names)
    assert not {"Brjussel'", "Bryusel", "Briuselis", "bu lu sai er"} & set(names)
    assert len(names) <= 8
    assert {language: name for name, language in known}["nl"] == "Brussel"


def test_also_known_as_keeps_names_added_by_hand_in_the_languages_it_shows(known_places):
    geneva = known_places[GENEVA]
    geneva.sync_names((("Ville de Genève", "fr"), ("Ženevos miestas", "lt"), ("Zhenevskiy", "")))

    with translation.override("en"):
        names = [name for name, _language in place_names.also_known_as(geneva)]

    assert "Ville de Genève" in names  # French is an official language of Switzerland
    assert "Ženevos miestas" not in names
    assert "Zhenevskiy" not in names


def test_collation_of_the_language_sorts_accented_letters_among_theirs():
    names = ["Zàmbia", "Àustria", "Bèlgica", "Alemanya", "Índia", "Islàndia"]

    assert sorted(names)[-1] == "Índia"  # code points put accented capitals last
    assert place_names.sorted_by_name(names, language="ca") == [
        "Alemanya",
        "Àustria",
        "Bèlgica",
        "Índia",
        "Islàndia",
        "Zàmbia",
    ]
    assert place_names.sorted_by_name(["Ñuñoa", "Oruro", "Nazca"], language="es") == [
        "Nazca",
        "Ñuñoa",
        "Oruro",
    ]


def test_country_choices_follow_the_readers_language_and_collation():
    for code in ["AT", "DE", "BE", "ZM", "IS"]:
        gazetteer.ensure_country(code)
    countries = Country.objects.all()

    with translation.override("ca"):
        catalan = [name for _code, name in place_names.country_choices(countries)]
        form = MemberFilterForm(countries=list(countries))
    with translation.override("fr"):
        french = [name for _code, name in place_names.country_choices()]

    assert catalan == ["Alemanya", "Àustria", "Bèlgica", "Islàndia", "Zàmbia"]
    assert [label for _code, label in form.fields["country"].choices][1:] == catalan
    assert french == ["Allemagne", "Autriche", "Belgique", "Islande", "Zambie"]


def test_place_page_shows_the_name_in_the_readers_language(client, known_places):
    brussels = known_places[BRUSSELS]

    with translation.override("ca"):
        url = brussels.get_absolute_url()
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Brussel·les</h1>" in html
    assert '<span lang="fr">Bruxelles</span>' in html
    assert "Brjussel" not in html


def test_places_search_lists_and_exports_localised_names(client, known_places):
    with translation.override("fr"):
        url = reverse("directory:local-government-list")

    response = client.get(url, {"q": "saragossa"})
    export = client.get(url, {"q": "saragossa", "format": "csv"})

    assert "Saragosse" in response.content.decode()
    assert b"".join(export.streaming_content).decode().splitlines()[1].startswith("Saragosse,")


@pytest.mark.parametrize("size", [1, 5])
def test_member_list_in_a_language_costs_no_query_per_localised_member(
    client, network, size, django_assert_num_queries
):
    france = CountryFactory(code="FR")
    for n in range(size):
        member = MembershipFactory(network=network, local_government__country=france)
        LocalisedPlaceName.objects.create(
            local_government=member.local_government,
            language="ca",
            name=f"Ciutat {n}",
            source="cldr",
        )
    with translation.override("ca"):
        url = reverse("directory:member-list", args=[network.slug])

    # The member list's six, one for the map of Catalan names.
    with django_assert_num_queries(7):
        response = client.get(url, {"page_size": size})

    html = response.content.decode()
    assert all(f"Ciutat {n}" in html for n in range(size))


@pytest.mark.parametrize("size", [1, 5])
def test_places_search_costs_no_query_per_localised_place(client, size, django_assert_num_queries):
    for n in range(size):
        place = LocalGovernmentFactory(name=f"Santa {n}")
        LocalisedPlaceName.objects.create(
            local_government=place, language="pt", name=f"Santa {n} (pt)", source="cldr"
        )
    with translation.override("pt"):
        url = reverse("directory:local-government-list")

    # Count and page, then the generations and the map of Portuguese names.
    with django_assert_num_queries(4):
        response = client.get(url, {"q": "santa"})

    assert response.content.decode().count("(pt)") == size


def test_ensure_city_fills_the_names_of_the_place_it_creates():
    lisbon = gazetteer.ensure_city("Lisbon", "PT", min_population=15000)

    assert _shown(lisbon, "fr") == "Lisbonne"
    assert _shown(lisbon, "en") == "Lisbon"


def test_admin_shows_the_names_in_languages_read_only(login, superuser):
    admin_client = login(superuser)
    session = admin_client.session
    session["mfa_ok"] = True  # past the TOTP step: the middleware trusts the session flag
    session.save()
    place = LocalGovernmentFactory(name="Brussels")
    LocalisedPlaceName.objects.create(
        local_government=place, language="ca", name="Brussel·les", source="cldr"
    )

    response = admin_client.get(reverse("admin:directory_localgovernment_change", args=[place.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Brussel·les" in html
    assert 'name="localised_names-0-name"' not in html  # no input: filled by the sources


@pytest.mark.parametrize("size", [1, 5])
def test_member_export_in_a_language_costs_no_query_per_member(
    client, network, size, django_assert_num_queries
):
    france = CountryFactory(code="FR")
    for n in range(size):
        member = MembershipFactory(network=network, local_government__country=france)
        LocalisedPlaceName.objects.create(
            local_government=member.local_government, language="ca", name=f"Vila {n}", source="cldr"
        )
    with translation.override("ca"):
        url = reverse("directory:member-list", args=[network.slug])

    # Streamed after the view returns: the map is read once before, never per row.
    with django_assert_num_queries(7):
        response = client.get(url, {"format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert sorted(line.split(",")[0] for line in lines[1:]) == [f"Vila {n}" for n in range(size)]
