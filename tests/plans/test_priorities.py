"""A plan's geographic priorities for cooperation: the form on the plan's edit pages."""

import pytest
from django.test import Client
from django.urls import reverse

from municipia.plans.models import GeographicPriority
from tests.factories.directory import CountryFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def countries(db):
    return [
        CountryFactory(code="SN", region="002", sub_region="202", intermediate_region="011"),
        CountryFactory(code="BR", region="019", sub_region="419", intermediate_region="005"),
    ]


def test_staff_name_countries_and_regions_then_change_them(plan, network_staff, countries):
    client = _client(network_staff)
    url = reverse("plans:plan-priorities", args=[plan.slug])

    first = client.post(url, {"countries": ["SN", "BR"], "regions": ["419"]})
    second = client.post(url, {"countries": ["SN"], "regions": ["011"]})
    page = client.get(url)

    assert (first.status_code, second.status_code, page.status_code) == (302, 302, 200)
    assert sorted(
        (p.country.code if p.country else p.region) for p in plan.geographic_priorities.all()
    ) == ["011", "SN"]
    assert page.context["form"].initial == {"countries": ["SN"], "regions": ["011"]}


def test_an_unknown_region_is_refused_and_nothing_changes(plan, network_staff, countries):
    client = _client(network_staff)
    url = reverse("plans:plan-priorities", args=[plan.slug])
    client.post(url, {"countries": ["SN"]})
    before = list(GeographicPriority.objects.values_list("pk", "country_id", "region"))

    response = client.post(url, {"countries": ["BR"], "regions": ["999"]})

    assert response.status_code == 200
    assert "999" in response.content.decode()
    assert list(GeographicPriority.objects.values_list("pk", "country_id", "region")) == before


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("network_staff", 200),
        ("other_staff", 404),
        ("city_officer", 404),
        ("superuser", 200),
    ],
)
def test_only_the_plans_editors_reach_the_form_and_outsiders_do_not_learn_of_a_draft(
    plan, role, expected, request
):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = _client(user)
    if role == "superuser":
        session = client.session
        session["mfa_ok"] = True
        session.save()

    response = client.get(reverse("plans:plan-priorities", args=[plan.slug]))

    assert response.status_code == expected
