import datetime
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from municipia.directory.models import LocalGovernment, Membership, Mentoring
from tests.factories.directory import (
    ConsentFactory,
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
    MentoringFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def _names(response):
    return [str(m.member) for m in response.context["page"]]


# --- Public pages ---


def test_network_page_shows_active_members_counts_and_sub_networks(client, network, sub_network):
    france = CountryFactory(code="FR", names={"en": "France"}, region="150", sub_region="155")
    senegal = CountryFactory(
        code="SN",
        names={"en": "Senegal"},
        region="002",
        sub_region="202",
        intermediate_region="011",
    )
    MembershipFactory(
        network=network, local_government__name="Paris", local_government__country=france
    )
    MembershipFactory(
        network=network, local_government__name="Lyon", local_government__country=france
    )
    MembershipFactory(
        network=network, local_government__name="Dakar", local_government__country=senegal
    )
    MembershipFactory(network=network, local_government__name="Applicant", status="applicant")

    response = client.get(network.get_absolute_url())

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["total"] == 3
    assert [(c.code, n) for c, n in figures["by_country"]] == [("FR", 2), ("SN", 1)]
    assert [
        (code, n, [(a, m) for a, _, m in areas]) for code, _, n, areas in figures["by_region"]
    ] == [
        ("150", 2, [("155", 2)]),
        ("002", 1, [("011", 1)]),
    ]
    assert _names(response) == ["Dakar", "Lyon", "Paris"]
    assert list(response.context["sub_networks"]) == [sub_network]
    assert b'id="member-map"' in response.content
    assert b"js_lib_leaflet/leaflet.js" in response.content
    assert b"tile" not in response.content.lower()


def test_map_data_lists_countries_and_points(client, network):
    city = LocalGovernmentFactory(
        name="Lisbon", country=CountryFactory(code="PT"), latitude=38.72, longitude=-9.14
    )
    MembershipFactory(network=network, local_government=city)
    MembershipFactory(network=network, status="applicant")

    data = client.get(reverse("directory:network-map", args=[network.slug])).json()

    assert data["countries"] == {"PT": 1}
    assert data["points"] == [[38.72, -9.14, "Lisbon", city.slug]]


def test_unpublished_network_page_is_not_found_for_anonymous_and_other_staff(
    client, login, network, other_network_staff
):
    network.is_published = False
    network.save()
    url = network.get_absolute_url()

    assert client.get(url).status_code == 404
    assert login(other_network_staff).get(url).status_code == 404
    assert client.get(reverse("directory:network-map", args=[network.slug])).status_code == 404


def test_unpublished_network_page_is_shown_to_its_staff(login, network, network_staff):
    network.is_published = False
    network.save()

    assert login(network_staff).get(network.get_absolute_url()).status_code == 200


def test_member_list_filters_by_country_region_category_and_name(client, network):
    france = CountryFactory(code="FR", names={"en": "France"}, region="150", sub_region="155")
    brazil = CountryFactory(
        code="BR", names={"en": "Brazil"}, region="019", sub_region="419", intermediate_region="005"
    )
    MembershipFactory(
        network=network, local_government__name="Paris", local_government__country=france
    )
    MembershipFactory(
        network=network,
        local_government__name="Recife",
        local_government__country=brazil,
        category="associate",
    )
    MembershipFactory(
        network=network,
        local_government=LocalGovernmentFactory(
            name="Geneva",
            searchable=[("Ginebra", "es")],
            country=CountryFactory(code="CH", names={"en": "Switzerland"}, region="150"),
        ),
    )
    url = reverse("directory:member-list", args=[network.slug])

    assert _names(client.get(url, {"country": "BR"})) == ["Recife"]
    assert _names(client.get(url, {"region": "419"})) == ["Recife"]
    assert _names(client.get(url, {"category": "associate"})) == ["Recife"]
    assert _names(client.get(url, {"q": "ginebra"})) == ["Geneva"]


def test_member_name_search_finds_places_by_any_name_and_organisations_by_part_of_theirs(
    client, network
):
    MembershipFactory(network=network, local_government__name="São Paulo")
    for name in ("Fundação Cidade", "Other body"):
        MembershipFactory(
            network=network, local_government=None, organisation=OrganisationFactory(name=name)
        )
    url = reverse("directory:member-list", args=[network.slug])

    response = client.get(url, {"q": "sao"})
    organisations = client.get(url, {"q": "cidade"})

    assert _names(response) == ["São Paulo"]
    assert response.context["page"].paginator.count == 1
    assert _names(organisations) == ["Fundação Cidade"]


def test_member_list_for_htmx_returns_only_the_table(client, network):
    MembershipFactory(network=network)

    response = client.get(
        reverse("directory:member-list", args=[network.slug]), HTTP_HX_REQUEST="true"
    )

    assert response.templates[0].name == "directory/partials/member_table.html"


def test_member_list_never_shows_applicants_to_the_public_even_when_asked(client, network):
    MembershipFactory(network=network, local_government__name="Applicant", status="applicant")

    response = client.get(
        reverse("directory:member-list", args=[network.slug]), {"status": "applicant"}
    )

    assert _names(response) == []


def test_member_list_shows_applicants_to_the_networks_staff(login, network, network_staff):
    MembershipFactory(network=network, local_government__name="Applicant", status="applicant")

    response = login(network_staff).get(
        reverse("directory:member-list", args=[network.slug]), {"status": "applicant"}
    )

    assert _names(response) == ["Applicant"]


def test_other_networks_staff_do_not_see_applicants(login, network, other_network_staff):
    MembershipFactory(network=network, local_government__name="Applicant", status="applicant")

    response = login(other_network_staff).get(
        reverse("directory:member-list", args=[network.slug]), {"status": "applicant"}
    )

    assert _names(response) == []


@pytest.mark.parametrize("size", [1, 3])
def test_network_page_queries_do_not_grow_with_members(
    client, network, size, django_assert_num_queries
):
    for _ in range(size):
        MembershipFactory(network=network)

    # Nothing cached yet (writes not committed): generations, network, figures (2), sub-networks,
    # member counts, ids and rows of the first members (their number is the figures'), the map
    # of names in the reader's language, positions, and two page sections: the network's public
    # cooperation projects and its coming events.
    with django_assert_num_queries(12):
        client.get(network.get_absolute_url())


@pytest.mark.parametrize(("members", "page_size"), [(1, 1), (3, 3), (5, 2)])
def test_member_list_queries_do_not_grow_with_page_size(
    client, network, members, page_size, django_assert_num_queries
):
    for _ in range(members):
        MembershipFactory(network=network, local_government__country=CountryFactory(code="FR"))

    with django_assert_num_queries(7):  # one for the map of names in the reader's language
        response = client.get(
            reverse("directory:member-list", args=[network.slug]), {"page_size": page_size}
        )

    assert len(response.context["page"]) == page_size


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_member_list_exports(client, network, fmt):
    MembershipFactory(
        network=network,
        local_government__name="Porto",
        local_government__country=CountryFactory(code="PT"),
        joined_on=datetime.date(2001, 2, 3),
    )

    response = client.get(reverse("directory:member-list", args=[network.slug]), {"format": fmt})

    assert response.status_code == 200
    if fmt == "csv":
        lines = b"".join(response.streaming_content).decode().splitlines()
        assert lines[0] == "Member,Kind,Country,Region,Category,Status,Joined on,Left on"
        assert lines[1] == "Porto,Municipality,PT,,Full member,Active,2001-02-03,"
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[2]][:3] == ["Porto", "Municipality", "PT"]


def test_experts_directory_lists_only_people_who_consented(client, network):
    network.has_expert_community = True
    network.save()
    listed = ConsentFactory(
        scope="expert_directory", network=network, person__full_name="Listed"
    ).person
    ConsentFactory(
        scope="expert_directory",
        network=network,
        person__full_name="Withdrawn",
        withdrawn_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    ConsentFactory(
        scope="expert_directory", network=NetworkFactory(), person__full_name="Elsewhere"
    )
    PersonFactory(full_name="Never asked")

    response = client.get(reverse("directory:expert-list", args=[network.slug]))

    assert [p.full_name for p in response.context["page"]] == ["Listed"]
    assert listed.email.encode() not in response.content


def test_experts_directory_shows_contact_only_with_contact_consent(client, network):
    network.has_expert_community = True
    network.save()
    person = ConsentFactory(scope="expert_directory", network=network).person
    ConsentFactory(person=person, scope="contact_details")

    response = client.get(reverse("directory:expert-list", args=[network.slug]))

    assert person.email.encode() in response.content


def test_network_without_expert_community_has_no_experts_page(client, network):
    assert client.get(reverse("directory:expert-list", args=[network.slug])).status_code == 404


def test_person_page_hides_contact_details_without_consent(client):
    person = PositionFactory().person

    response = client.get(person.get_absolute_url())

    assert response.status_code == 200
    assert person.email.encode() not in response.content
    assert person.phone.encode() not in response.content


def test_person_page_shows_contact_details_with_consent(client):
    person = PositionFactory().person
    ConsentFactory(person=person)

    response = client.get(person.get_absolute_url())

    assert person.email.encode() in response.content


def test_person_without_office_or_listing_is_not_public(client):
    assert client.get(PersonFactory().get_absolute_url()).status_code == 404


def test_places_search_in_any_language(client):
    geneva = LocalGovernmentFactory(name="Geneva", searchable=[("Ginebra", "es"), ("Genf", "de")])

    response = client.get(reverse("directory:local-government-list"), {"q": "Genf"})

    assert list(response.context["page"]) == [geneva]


def test_city_page_shows_networks_people_and_hides_applications(client, city, network):
    MembershipFactory(network=network, local_government=city)
    MembershipFactory(
        network=NetworkFactory(name="Pending"), local_government=city, status="applicant"
    )
    mayor = PositionFactory(local_government=city, person__full_name="Maria Mayor")
    PositionFactory(
        local_government=city,
        person__full_name="Former Mayor",
        ended_on=datetime.date(2010, 1, 1),
        started_on=datetime.date(2005, 1, 1),
    )

    response = client.get(city.get_absolute_url())

    assert [m.network for m in response.context["memberships"]] == [network]
    assert list(response.context["positions"]) == [mayor]
    assert response.context["can_edit"] is False


def test_city_page_includes_sections_declared_by_other_apps(client, city, monkeypatch, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [Path(__file__).parent / "templates"]}]
    config = apps.get_app_config("knowledge")
    monkeypatch.setattr(
        config,
        "local_government_sections",
        [("directory/partials/test_section.html", "Experiences")],
        raising=False,
    )

    response = client.get(city.get_absolute_url())

    assert [s for s in response.context["sections"] if s["app"] == "knowledge"] == [
        {
            "template": "directory/partials/test_section.html",
            "title": "Experiences",
            "app": "knowledge",
        }
    ]
    assert f"Section for {city.name}".encode() in response.content


# --- Officers ---


def test_officer_edits_their_city_profile(login, city, city_officer):
    response = login(city_officer).post(
        reverse("directory:local-government-edit", args=[city.slug]),
        {
            "description": "A city by the sea.",
            "website": "https://city.example",
            "population": "300000",
            "official_languages": ["es", "ca"],
        },
    )

    assert response.status_code == 302
    city.refresh_from_db()
    assert (city.description, city.population, city.official_languages) == (
        "A city by the sea.",
        300000,
        ["es", "ca"],
    )


@pytest.mark.parametrize("who", ["other_city_officer", "network_staff", "user"])
def test_only_the_citys_officer_edits_its_profile(login, city, who, request):
    person = request.getfixturevalue(who)

    response = login(person).post(
        reverse("directory:local-government-edit", args=[city.slug]), {"description": "Hacked"}
    )

    assert response.status_code == 403
    city.refresh_from_db()
    assert city.description == ""


def test_officer_applies_for_their_city(login, city, city_officer, network):
    response = login(city_officer).post(
        reverse("directory:membership-apply", args=[city.slug]),
        {"network": network.pk, "category": "full", "message": "Hello"},
    )

    assert response.status_code == 302
    assert Membership.objects.get(network=network, local_government=city).status == "applicant"


def test_officer_of_another_city_cannot_apply_for_it(login, city, other_city_officer, network):
    response = login(other_city_officer).post(
        reverse("directory:membership-apply", args=[city.slug]),
        {"network": network.pk, "category": "full"},
    )

    assert response.status_code == 403
    assert Membership.objects.count() == 0


# --- Staff pages ---


def _staff_urls(network, membership, mentoring):
    return [
        ("get", reverse("directory:membership-manage-list", args=[network.slug])),
        ("get", reverse("directory:membership-manage", args=[membership.pk])),
        ("post", reverse("directory:membership-decide", args=[membership.pk])),
        ("get", reverse("directory:mentoring-list", args=[network.slug])),
        ("post", reverse("directory:mentoring-list", args=[network.slug])),
        ("post", reverse("directory:mentoring-end", args=[mentoring.pk])),
        ("get", reverse("directory:member-import", args=[network.slug])),
        ("post", reverse("directory:member-import", args=[network.slug])),
    ]


def test_anonymous_is_sent_to_log_in_from_every_staff_page(client, network):
    mentoring = MentoringFactory(mentee__network=network)
    for method, url in _staff_urls(network, mentoring.mentee, mentoring):
        response = getattr(client, method)(url, {"action": "approve"})
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    assert client.get(reverse("directory:local-government-create")).status_code == 302


@pytest.mark.parametrize("who", ["other_network_staff", "city_officer", "juror", "expert", "user"])
def test_wrong_roles_are_refused_on_every_staff_page(login, network, who, request):
    person = request.getfixturevalue(who)
    mentoring = MentoringFactory(mentee__network=network)
    client = login(person)

    for method, url in _staff_urls(network, mentoring.mentee, mentoring):
        response = getattr(client, method)(url, {"action": "approve", "reason": "x"})
        assert response.status_code == 403, (who, url)
    mentoring.mentee.refresh_from_db()
    mentoring.refresh_from_db()
    assert mentoring.mentee.status == Membership.Status.APPLICANT
    assert mentoring.ended_on is None


@pytest.mark.parametrize("who", ["city_officer", "juror", "user"])
def test_wrong_roles_cannot_create_places(login, who, request):
    response = login(request.getfixturevalue(who)).post(
        reverse("directory:local-government-create"),
        {"name": "X", "kind": "region", "country": "FR"},
    )

    assert response.status_code == 403


def test_staff_approve_an_application(login, network, network_staff):
    membership = MembershipFactory(network=network, status="applicant")

    response = login(network_staff).post(
        reverse("directory:membership-decide", args=[membership.pk]), {"action": "approve"}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "active"


def test_staff_refusal_without_reason_shows_the_error_and_changes_nothing(
    login, network, network_staff
):
    membership = MembershipFactory(network=network, status="applicant")

    response = login(network_staff).post(
        reverse("directory:membership-decide", args=[membership.pk]),
        {"action": "refuse"},
        follow=True,
    )

    assert "Please give a reason" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "applicant"


def test_staff_membership_list_counts_statuses_and_exports(login, network, network_staff):
    MembershipFactory(network=network, status="applicant")
    MembershipFactory(network=network)
    client = login(network_staff)

    response = client.get(reverse("directory:membership-manage-list", args=[network.slug]))
    export = client.get(
        reverse("directory:membership-manage-list", args=[network.slug]),
        {"format": "csv", "status": "applicant"},
    )

    assert [(value, count) for value, _label, count in response.context["statuses"]] == [
        ("applicant", 1),
        ("active", 1),
        ("suspended", 0),
        ("left", 0),
        ("refused", 0),
    ]
    assert len(b"".join(export.streaming_content).decode().splitlines()) == 2


@pytest.mark.parametrize("size", [1, 3])
def test_staff_membership_list_queries_do_not_grow(
    login, network, network_staff, size, django_assert_num_queries
):
    for _ in range(size):
        MembershipFactory(network=network, status="applicant")
    client = login(network_staff)

    # With names in the reader's language: the generations and their map (none per member). The
    # list's length comes from the counts per status: it is not counted again.
    with django_assert_num_queries(9):
        client.get(reverse("directory:membership-manage-list", args=[network.slug]))


def test_staff_membership_list_counts_follow_a_change_of_status(login, network, network_staff):
    applicants = [MembershipFactory(network=network, status="applicant") for _ in range(3)]
    MembershipFactory(network=network, status="active")
    client = login(network_staff)
    url = reverse("directory:membership-manage-list", args=[network.slug])

    page = client.get(url, {"status": "applicant"}).context["page"]
    assert page.paginator.count == 3
    assert client.get(url).context["page"].paginator.count == 4

    applicants[0].status = "active"
    applicants[0].save()

    response = client.get(url, {"status": "applicant"})
    assert response.context["page"].paginator.count == 2
    assert len(response.context["page"].object_list) == 2
    statuses = {value: n for value, _label, n in response.context["statuses"]}
    assert statuses["applicant"] == 2
    assert statuses["active"] == 2


def test_staff_pair_a_mentor(login, network, network_staff):
    mentee = MembershipFactory(network=network, status="applicant")
    mentor = MembershipFactory(network=network)

    response = login(network_staff).post(
        reverse("directory:mentoring-list", args=[network.slug]),
        {"mentee": mentee.pk, "mentor": mentor.pk, "started_on": "2025-01-01"},
    )

    assert response.status_code == 302
    assert Mentoring.objects.get().mentor == mentor


def test_staff_create_a_region_by_hand(login, network_staff):
    CountryFactory(code="ES", names={"en": "Spain"})

    response = login(network_staff).post(
        reverse("directory:local-government-create"),
        {
            "name": "Diputació de Barcelona",
            "kind": "region",
            "country": "ES",
            "other_names": "es: Diputación de Barcelona",
        },
    )

    place = LocalGovernment.objects.get(name="Diputació de Barcelona")
    assert response["Location"] == place.get_absolute_url()
    assert list(LocalGovernment.objects.search("diputacion de barcelona")) == [place]


def test_create_place_refuses_badly_written_other_names(login, network_staff):
    CountryFactory(code="ES")

    response = login(network_staff).post(
        reverse("directory:local-government-create"),
        {"name": "X", "kind": "region", "country": "ES", "other_names": "no language here"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["other_names"] == [
        "Write each other name as “language: name”; this line is not: no language here"
    ]
    assert LocalGovernment.objects.count() == 0


@pytest.mark.parametrize("size", [1, 3])
def test_experts_directory_queries_do_not_grow(client, network, size, django_assert_num_queries):
    network.has_expert_community = True
    network.save()
    for _ in range(size):
        person = ConsentFactory(scope="expert_directory", network=network).person
        PositionFactory(person=person)

    with django_assert_num_queries(7):  # one more for the cache generations
        client.get(reverse("directory:expert-list", args=[network.slug]))


def test_experts_export_leaves_out_contact_details_without_consent(client, network):
    network.has_expert_community = True
    network.save()
    hidden = ConsentFactory(scope="expert_directory", network=network, person__full_name="A").person
    shown = ConsentFactory(scope="expert_directory", network=network, person__full_name="B").person
    ConsentFactory(person=shown)

    response = client.get(reverse("directory:expert-list", args=[network.slug]), {"format": "csv"})

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[1:] == ['A,,,,"es, en",', f'B,,,,"es, en",{shown.email}']
    assert hidden.email not in "".join(lines)


@pytest.mark.parametrize("size", [1, 3])
def test_places_search_queries_do_not_grow(client, size, django_assert_num_queries):
    for n in range(size):
        LocalGovernmentFactory(name=f"Santa {n}")

    # Count and page; the generations and the map of names in the reader's language.
    with django_assert_num_queries(4):
        response = client.get(reverse("directory:local-government-list"), {"q": "santa"})

    assert len(response.context["page"]) == size


@pytest.mark.parametrize("size", [1, 3])
def test_mentoring_list_queries_do_not_grow(
    login, network, network_staff, size, django_assert_num_queries
):
    for _ in range(size):
        MentoringFactory(mentee__network=network)
    client = login(network_staff)

    with django_assert_num_queries(8):  # the generations included (the header is kept per reader)
        client.get(reverse("directory:mentoring-list", args=[network.slug]))


def test_mentoring_list_exports(login, network, network_staff):
    mentoring = MentoringFactory(mentee__network=network, mentee__local_government__name="Maputo")

    response = login(network_staff).get(
        reverse("directory:mentoring-list", args=[network.slug]), {"format": "csv"}
    )

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[1].startswith(f"Maputo,{mentoring.mentor.member},2025-01-01")


def test_network_page_pager_continues_where_its_short_list_stops(client, network):
    for n in range(25):
        MembershipFactory(network=network, local_government__name=f"Place {n:02d}")

    first = client.get(network.get_absolute_url())
    second = client.get(
        reverse("directory:member-list", args=[network.slug]), {"page": 2, "page_size": 20}
    )

    assert len(first.context["page"]) == 20
    assert b"page=2&amp;page_size=20" in first.content
    assert _names(second) == [f"Place {n:02d}" for n in range(20, 25)]
