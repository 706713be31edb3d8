# ruff: noqa: F811 (the fixtures are imported from missions_fixtures)
"""A city's international action page: only what its officers made public, the dues paid per
year when they chose to show them, projects, missions with cost and outcomes per year; sections
that other apps add with one declaration; a query count that does not grow; five languages."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from municipia.cooperation.missions.models import Mission
from municipia.cooperation.missions.services import publish
from municipia.cooperation.models import Partner
from municipia.cooperation.services import CooperationError, add_partner
from municipia.finance.models import Invoice
from tests.cooperation.missions_fixtures import (  # noqa: F401
    destination,
    hidden_costs_mission,
    make_mission,
    private_mission,
    public_mission,
)
from tests.factories.cooperation import ProjectFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.finance import InvoiceFactory

pytestmark = pytest.mark.django_db


def _url(city):
    return reverse("cooperation:international-page", args=[city.slug])


def _page(city, client=None) -> str:
    response = (client or Client()).get(_url(city))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def dues(city, network):
    membership = MembershipFactory(network=network, local_government=city)
    return InvoiceFactory(
        membership=membership,
        amount=Decimal("4321.00"),
        amount_paid=Decimal("4321.00"),
        status=Invoice.Status.SETTLED,
    )


@pytest.fixture
def projects(city, network):
    shown = ProjectFactory(network=network)
    add_partner(shown, role=Partner.Role.LEAD, local_government=city)
    hidden = ProjectFactory(network=network, is_public=False)
    add_partner(hidden, role=Partner.Role.PARTNER, local_government=city)
    return shown, hidden


def test_only_public_missions_and_public_costs_reach_the_page(
    city, public_mission, private_mission, hidden_costs_mission
):
    page = _page(city)

    assert public_mission.title in page
    assert "A technical exchange on bus lanes agreed." in page
    assert "€1,710.00" in page
    assert hidden_costs_mission.title in page
    assert "Costs not published." in page
    assert "987.65" not in page
    assert private_mission.title not in page


def test_the_page_sums_public_costs_per_year(city, destination, public_mission):
    from tests.cooperation.missions_fixtures import wall

    make_mission(
        city=city,
        destination=destination,
        title="Earlier trip",
        starts_at=wall(2025, 5, 1),
        ends_at=wall(2025, 5, 3),
        costs=[{"category": "travel", "currency": "EUR", "amount": "290"}],
    )

    response = Client().get(_url(city))
    years = {y.year: y for y in response.context["page"].years}

    assert years[2026].missions == 1
    assert years[2026].mission_costs == {"EUR": Decimal("1710.00")}
    assert years[2025].mission_costs == {"EUR": Decimal("290.00")}
    assert response.context["page"].totals["mission_costs"] == [("EUR", Decimal("2000.00"))]


def test_dues_are_shown_only_once_the_officers_choose_to(city, network, dues):
    assert network.name in _page(city)
    assert "4,321.00" not in _page(city)

    publish(city, show_dues=True, introduction="Our city abroad.", missions={})

    page = _page(city)
    assert "€4,321.00" in page
    assert "Dues 2025" in page
    assert "Our city abroad." in page


def test_public_projects_are_listed_with_the_citys_role(city, projects):
    shown, hidden = projects

    page = _page(city)

    assert shown.title in page
    assert "Lead" in page
    assert hidden.title not in page


def test_a_section_is_added_by_one_declaration_on_an_app(city, monkeypatch):
    config = apps.get_app_config("knowledge")
    monkeypatch.setattr(
        config,
        "international_action_sections",
        [("cooperation/missions/sections/city_link.html", "Agreements in force (test)")],
        raising=False,
    )

    assert "Agreements in force (test)" in _page(city)


def test_the_page_answers_in_queries_that_do_not_grow(city, network, destination, dues):
    publish(city, show_dues=True, introduction="", missions={})
    client = Client()

    def queries() -> int:
        client.get(_url(city))  # renews the caches that the writes before it invalidated
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(city)).status_code == 200
        return len(captured)

    make_mission(city=city, destination=destination)
    first = ProjectFactory(network=network)  # one of each: prefetches run from the first row
    add_partner(first, role=Partner.Role.LEAD, local_government=city)
    few = queries()
    for n in range(4):
        project = ProjectFactory(network=network)
        add_partner(project, role=Partner.Role.PARTNER, local_government=city)
        make_mission(city=city, destination=LocalGovernmentFactory(), title=f"Trip {n}")
        other = MembershipFactory(local_government=city)
        InvoiceFactory(membership=other, amount_paid=Decimal("100"), status=Invoice.Status.SETTLED)

    assert queries() == few


@pytest.mark.parametrize("language", ["en", "es", "fr", "ca", "pt"])
def test_the_page_reads_in_five_languages(city, public_mission, language):
    with translation.override(language):
        url = _url(city)
    response = Client().get(url)

    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_the_officer_publishes_a_mission_and_its_costs_from_the_settings_page(
    client, city_officer, city, private_mission
):
    client.force_login(city_officer)
    url = reverse("cooperation:international-settings", args=[city.slug])

    response = client.post(
        url,
        {
            "show_dues": "on",
            "introduction": "",
            "public": [private_mission.pk],
            "costs_public": [private_mission.pk],
        },
    )

    assert response.status_code == 302
    private_mission.refresh_from_db()
    assert private_mission.is_public
    assert private_mission.costs_public
    assert city.international_page.show_dues
    assert private_mission.title in _page(city)


def test_the_settings_page_cannot_publish_another_citys_mission(
    client, city_officer, city, destination
):
    other = make_mission(
        city=LocalGovernmentFactory(), destination=destination, is_public=False, title="Theirs"
    )
    client.force_login(city_officer)

    client.post(
        reverse("cooperation:international-settings", args=[city.slug]),
        {"public": [other.pk], "costs_public": [other.pk]},
    )

    other.refresh_from_db()
    assert not other.is_public
    with pytest.raises(CooperationError):
        publish(city, show_dues=False, introduction="", missions={other.pk: (True, True)})
    assert not Mission.objects.get(pk=other.pk).is_public


def test_private_missions_never_reach_search_nor_open_data(
    client, city, network, destination, private_mission, hidden_costs_mission
):
    project = ProjectFactory(network=network)
    add_partner(project, role=Partner.Role.LEAD, local_government=city)
    private_mission.projects.add(project)

    search = client.get(reverse("search:search"), {"q": "Confidential trip"}).content.decode()
    xml = b"".join(
        client.get(reverse("cooperation:iati", args=[network.slug, "xml"])).streaming_content
    ).decode()
    project_page = client.get(project.get_absolute_url()).content.decode()

    for text in (search, xml, project_page):
        assert private_mission.title not in text
        assert "987.65" not in text
