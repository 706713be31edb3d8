"""A small, messy world for the suggestions: cities in four countries and three languages, an
agreement and a partner's partner, published work and work that must stay hidden (a draft, a
private project, another network's unpublished membership), officers and staff."""

import datetime

import pytest

from municipia.accounts.models import Role
from municipia.cooperation.agreements.models import Agreement, AgreementParty
from municipia.cooperation.models import Partner
from municipia.directory.models import Country, Membership
from tests.factories.accounts import RoleFactory
from tests.factories.cooperation import ProjectFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory
from tests.factories.knowledge import ExperienceFactory, PublishedExperienceFactory, indexed


def country(code, languages, region, sub_region):
    found, _created = Country.objects.update_or_create(
        code=code,
        defaults={
            "names": {"en": code},
            "languages": languages,
            "region": region,
            "sub_region": sub_region,
        },
    )
    return found


def tie(network, a, b, n):
    agreement = Agreement.objects.create(
        network=network,
        kind=Agreement.Kind.COOPERATION,
        reference=f"AG-{n}",
        slug=f"ag-{n}",
        title=f"Agreement {n}",
        status=Agreement.Status.IN_FORCE,
        is_public=True,
        signed_on=datetime.date(2020 + n, 1, 1),
    )
    AgreementParty.objects.create(agreement=agreement, local_government=a, position=0)
    AgreementParty.objects.create(agreement=agreement, local_government=b, position=1)
    return agreement


class World:
    pass


@pytest.fixture(autouse=True)
def _lexical_search(settings):
    """The full-text backend: the embedding models are measured by search's own tests and the
    bench; here they would only slow every test down."""
    settings.MUNICIPIA_SEARCH = {"BACKEND": "lexical", "OPTIONS": {}}


@pytest.fixture
def world(db):
    w = World()
    spain = country("ES", ["es", "ca", "eu", "gl"], "150", "039")
    argentina = country("AR", ["es"], "019", "419")
    france = country("FR", ["fr"], "150", "155")
    senegal = country("SN", ["fr", "wo"], "002", "202")
    brazil = country("BR", ["pt"], "019", "419")
    w.network = NetworkFactory(name="Cities for Learning", slug="learning")
    w.hidden_network = NetworkFactory(name="Quiet Circle", slug="quiet", is_published=False)
    made = {
        "home": ("Alcalá", spain, 40.48, -3.36, 195_000),
        "rosario": ("Rosario", argentina, -32.95, -60.65, 1_200_000),
        "cordoba": ("Córdoba", argentina, -31.42, -64.18, 1_300_000),
        "lyon": ("Lyon", france, 45.76, 4.83, 520_000),
        "dakar": ("Dakar", senegal, 14.69, -17.44, 1_100_000),
        "recife": ("Recife", brazil, -8.05, -34.9, 1_600_000),
        "lonely": ("Aldeia Quieta", brazil, None, None, None),
    }
    for key, (name, where, lat, lon, population) in made.items():
        city = LocalGovernmentFactory(
            name=name, country=where, latitude=lat, longitude=lon, population=population
        )
        setattr(w, key, city)
        if key != "lonely":
            setattr(
                w, f"{key}_membership", MembershipFactory(network=w.network, local_government=city)
            )
    # A new member (an applicant) for the mentor suggestions.
    w.newcomer = LocalGovernmentFactory(
        name="Nova Vila", country=brazil, latitude=-8.1, longitude=-35.0, population=40_000
    )
    w.newcomer_membership = MembershipFactory(
        network=w.network, local_government=w.newcomer, status=Membership.Status.APPLICANT
    )
    # Ties: home with Rosario; Rosario with Córdoba (so Córdoba is a partner of a partner).
    tie(w.network, w.home, w.rosario, 1)
    tie(w.network, w.rosario, w.cordoba, 2)
    # Published work on waste in Lyon; a draft on the same in Dakar (never shown nor counted).
    w.waste = PublishedExperienceFactory(
        city=w.lyon,
        network=w.network,
        texts={
            "fr": (
                "Zéro déchet dans les marchés de quartier",
                "Tri et compostage des déchets des marchés.",
                "<p>La ville réduit les déchets des marchés par le compostage.</p>",
            )
        },
        original_language="fr",
    )
    w.draft = ExperienceFactory(
        city=w.dakar,
        network=w.network,
        texts={"en": ("Secret waste plan", "Waste sorting draft.", "<p>Waste.</p>")},
    )
    indexed(w.waste, w.draft)
    # A private project of Recife with Rosario (never a tie for those who may not see it).
    w.private = ProjectFactory(network=w.network, is_public=False)
    Partner.objects.create(project=w.private, local_government=w.recife, role="lead")
    Partner.objects.create(project=w.private, local_government=w.rosario, role="partner")
    # Another network's unpublished membership of home and Dakar.
    MembershipFactory(network=w.hidden_network, local_government=w.home)
    MembershipFactory(network=w.hidden_network, local_government=w.dakar)
    w.officer = RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=w.home).user
    w.staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=w.network).user
    return w
