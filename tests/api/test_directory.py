import pytest
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.directory.models import Membership
from tests.factories.accounts import RoleFactory
from tests.factories.directory import (
    ConsentFactory,
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

MEMBERSHIPS = "/api/v1/memberships/"


@pytest.fixture
def other_city_officer(city):
    other = LocalGovernmentFactory(country=city.country)
    return RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=other).user


@pytest.fixture
def other_network_staff(other_network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_countries_with_codes_names_and_regions(client):
    CountryFactory(
        code="BR",
        alpha3="BRA",
        numeric=76,
        names={"en": "Brazil", "pt": "Brasil"},
        region="019",
        sub_region="419",
        intermediate_region="005",
        languages=["pt"],
    )
    CountryFactory(code="FR", region="150", sub_region="155")

    response = client.get("/api/v1/countries/", {"region": "419"})

    assert response.json()["results"] == [
        {
            "code": "BR",
            "alpha3": "BRA",
            "numeric": 76,
            "name": "Brazil",
            "names": {"en": "Brazil", "pt": "Brasil"},
            "region": "019",
            "region_name": "Americas",
            "sub_region": "419",
            "sub_region_name": "Latin America",
            "intermediate_region": "005",
            "languages": ["pt"],
        }
    ]


def test_local_governments_search_by_name_in_any_language(client):
    geneva = LocalGovernmentFactory(name="Geneva", searchable=[("Ginebra", "es"), ("Женева", "ru")])
    LocalGovernmentFactory(name="Lisbon")

    for q in ("Ginebra", "женева", "gen"):
        response = client.get("/api/v1/local-governments/", {"q": q})
        assert [row["slug"] for row in response.json()["results"]] == [geneva.slug], q


def test_local_governments_filter_by_country_population_and_network(client, network):
    spain, france = CountryFactory(code="ES"), CountryFactory(code="FR")
    small = LocalGovernmentFactory(country=spain, population=20_000)
    big = LocalGovernmentFactory(country=spain, population=2_000_000)
    LocalGovernmentFactory(country=france, population=2_000_000)
    MembershipFactory(network=network, local_government=small)
    MembershipFactory(network=network, local_government=big, status="applicant")

    def slugs(**params):
        return [
            row["slug"]
            for row in client.get("/api/v1/local-governments/", params).json()["results"]
        ]

    assert slugs(country="es") == [big.slug, small.slug]
    assert slugs(country="ES", population_min=100_000) == [big.slug]
    assert slugs(population_max=100_000) == [small.slug]
    assert slugs(network=network.slug) == [small.slug]


def test_local_government_detail_lists_its_other_names(client):
    geneva = LocalGovernmentFactory(name="Geneva", searchable=[("Ginebra", "es")])

    data = client.get(f"/api/v1/local-governments/{geneva.slug}/").json()

    assert data["other_names"] == [{"name": "Ginebra", "language": "es"}]


def test_organisations_list(client):
    organisation = OrganisationFactory(name="Cités Unies France", acronym="CUF")

    data = client.get("/api/v1/organisations/", {"search": "CUF"}).json()

    assert [row["slug"] for row in data["results"]] == [organisation.slug]


def test_people_contact_details_only_with_consent(client):
    private = PositionFactory(person__full_name="A Private").person
    public = PositionFactory(person__full_name="B Public").person
    ConsentFactory(person=public)

    rows = client.get("/api/v1/people/").json()["results"]

    assert [(row["full_name"], row["email"], row["phone"]) for row in rows] == [
        ("A Private", None, None),
        ("B Public", public.email, public.phone),
    ]
    assert private.email not in str(rows)


def test_people_experts_filter_respects_consent(client, network):
    listed = ConsentFactory(scope="expert_directory", network=network).person
    ConsentFactory(scope="expert_directory", network=NetworkFactory())
    PersonFactory()

    rows = client.get("/api/v1/people/", {"expert_in": network.slug}).json()["results"]

    assert [row["slug"] for row in rows] == [listed.slug]


def test_people_not_in_office_nor_listed_are_not_in_the_api(client):
    person = PersonFactory()

    assert client.get(f"/api/v1/people/{person.slug}/").status_code == 404


def test_networks_hide_unpublished_ones_from_others(
    client, login, network, network_staff, other_network_staff
):
    hidden = NetworkFactory(is_published=False)
    network.is_published = False
    network.save()

    def slugs(response):
        return {row["slug"] for row in response.json()["results"]}

    assert network.slug not in slugs(client.get("/api/v1/networks/"))
    assert network.slug not in slugs(login(other_network_staff).get("/api/v1/networks/"))
    assert network.slug in slugs(login(network_staff).get("/api/v1/networks/"))
    assert hidden.slug not in slugs(login(network_staff).get("/api/v1/networks/"))


def test_memberships_unpublished_data_only_for_that_networks_staff(
    client, login, network, network_staff, other_network_staff
):
    active = MembershipFactory(network=network, notes="Pays late.")
    applicant = MembershipFactory(network=network, status="applicant", application_message="Please")

    public = client.get(MEMBERSHIPS, {"network": network.slug}).json()["results"]
    other = login(other_network_staff).get(MEMBERSHIPS, {"network": network.slug}).json()["results"]
    staff = login(network_staff).get(MEMBERSHIPS, {"network": network.slug}).json()["results"]

    assert [row["id"] for row in public] == [active.pk]
    assert "notes" not in public[0]
    assert [row["id"] for row in other] == [active.pk]
    assert "notes" not in other[0]
    assert [row["id"] for row in staff] == [active.pk, applicant.pk]
    assert (staff[0]["notes"], staff[1]["application_message"]) == ("Pays late.", "Please")


def test_applicant_membership_detail_is_not_found_for_other_networks_staff(
    login, network, other_network_staff
):
    applicant = MembershipFactory(network=network, status="applicant")

    response = login(other_network_staff).get(f"{MEMBERSHIPS}{applicant.pk}/")

    assert response.status_code == 404


def test_city_officer_sees_their_own_citys_application(login, city, city_officer, network):
    applicant = MembershipFactory(network=network, local_government=city, status="applicant")

    assert _ids(login(city_officer).get(MEMBERSHIPS)) == [applicant.pk]


def test_officer_applies_through_the_api(login, city, city_officer, network):
    response = login(city_officer).post(
        MEMBERSHIPS,
        {"network": network.slug, "local_government": city.slug, "category": "associate"},
    )

    assert response.status_code == 201
    assert response.json()["status"] == "applicant"


def test_applying_twice_answers_400_with_the_reason(login, city, city_officer, network):
    client = login(city_officer)
    client.post(MEMBERSHIPS, {"network": network.slug, "local_government": city.slug})

    response = client.post(MEMBERSHIPS, {"network": network.slug, "local_government": city.slug})

    assert response.status_code == 400
    assert response.json() == {"detail": f"{city.name} has already applied to {network}."}


def test_anonymous_cannot_use_any_write_endpoint(client, city, network):
    membership = MembershipFactory(network=network, status="applicant")

    responses = [client.post(MEMBERSHIPS, {"network": network.slug, "local_government": city.slug})]
    for verb in ("approve", "refuse", "suspend", "reinstate", "end"):
        responses.append(client.post(f"{MEMBERSHIPS}{membership.pk}/{verb}/", {"reason": "x"}))

    assert {response.status_code for response in responses} in ({401}, {403})
    membership.refresh_from_db()
    assert membership.status == "applicant"
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("who", ["other_city_officer", "network_staff", "juror", "expert", "user"])
def test_wrong_roles_cannot_apply_for_a_city(login, city, network, who, request):
    response = login(request.getfixturevalue(who)).post(
        MEMBERSHIPS, {"network": network.slug, "local_government": city.slug}
    )

    assert response.status_code == 403
    assert Membership.objects.count() == 0


@pytest.mark.parametrize("who", ["other_network_staff", "city_officer", "juror", "expert", "user"])
def test_wrong_roles_cannot_decide_on_memberships(login, network, city, who, request):
    membership = MembershipFactory(network=network, local_government=city, status="applicant")
    client = login(request.getfixturevalue(who))

    codes = {
        client.post(f"{MEMBERSHIPS}{membership.pk}/{verb}/", {"reason": "x"}).status_code
        for verb in ("approve", "refuse")
    }

    assert codes <= {403, 404}
    assert codes != set()
    membership.refresh_from_db()
    assert membership.status == "applicant"


def test_wrong_roles_get_403_on_an_active_membership_they_can_see(login, network, city_officer):
    membership = MembershipFactory(network=network)

    response = login(city_officer).post(f"{MEMBERSHIPS}{membership.pk}/suspend/", {"reason": "x"})

    assert response.status_code == 403


def test_staff_approve_through_the_api(login, network, network_staff):
    membership = MembershipFactory(network=network, status="applicant")

    response = login(network_staff).post(f"{MEMBERSHIPS}{membership.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["status"] == "active"


def test_staff_refusal_without_reason_is_a_400(login, network, network_staff):
    membership = MembershipFactory(network=network, status="applicant")

    response = login(network_staff).post(f"{MEMBERSHIPS}{membership.pk}/refuse/", {"reason": ""})

    assert response.status_code == 400
    assert response.json() == {"detail": "Please give a reason; the member will read it."}


@pytest.mark.parametrize("size", [1, 3])
def test_api_lists_do_not_grow_in_queries(client, network, size, django_assert_num_queries):
    for _ in range(size):
        MembershipFactory(network=network)
        PositionFactory()

    # Each list reads the cache generations its ETag is made from, then its rows.
    with django_assert_num_queries(4):
        client.get(MEMBERSHIPS, {"network": network.slug})
    with django_assert_num_queries(4):
        client.get("/api/v1/local-governments/")
    with django_assert_num_queries(5):
        client.get("/api/v1/people/")


def test_api_schema_builds(client):
    assert client.get(reverse("api:schema")).status_code == 200
