"""Every role against every page and endpoint of cooperation.

The world: a network with a fund; a public running project led by a city and a private one, each
with a commitment and a planned tranche; an accepted report; a funded application. Status codes:
200 = shown, 302 = sent to log in (or redirected after an allowed POST), 403 = known but not
allowed, 404 = not theirs to know about.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from municipia.cooperation.services import add_indicator, commit_funds, plan_tranche

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "partner_officer", "other_officer", "staff", "other_staff", "superuser"]
EVERYONE = dict.fromkeys(ROLES, 200)
PARTNERS = {
    "anonymous": 302,
    "partner_officer": 200,
    "other_officer": 403,
    "staff": 200,
    "other_staff": 403,
    "superuser": 200,
}
STAFF = {**PARTNERS, "partner_officer": 403}
PRIVATE = {
    "anonymous": 404,
    "partner_officer": 200,
    "other_officer": 404,
    "staff": 200,
    "other_staff": 404,
    "superuser": 200,
}
# Private project pages for the staff: outsiders do not learn that it exists.
PRIVATE_STAFF = {**STAFF, "other_officer": 404, "other_staff": 404}
STAFF_POST = {**STAFF, "staff": 302, "superuser": 302}
PRIVATE_PARTNERS = {**PARTNERS, "other_officer": 404, "other_staff": 404}
# The staff's forms that add to a project; an empty POST shows the form again with its errors.
ADD_TO_PROJECT = [
    "budget-line-create",
    "partner-create",
    "co-funding-create",
    "milestone-create",
    "indicator-create",
]
API_STAFF = {
    "anonymous": 403,
    "partner_officer": 404,
    "other_officer": 404,
    "staff": 200,
    "other_staff": 404,
    "superuser": 200,
}


@pytest.fixture
def world(
    project,
    private_project,
    funded,
    accepted_report,
    network_staff,
    city_officer,
    other_officer,
    other_staff,
    superuser,
):
    commitment = commit_funds(funded, project, amount="1000", currency="EUR")
    private_commitment = commit_funds(funded, private_project, amount="1000", currency="EUR")
    tranche = plan_tranche(
        commitment, label="First", amount="500", planned_on=datetime.date(2026, 3, 1)
    )
    private_tranche = plan_tranche(
        private_commitment, label="First", amount="500", planned_on=datetime.date(2026, 3, 1)
    )
    return {
        "project": project,
        "private": private_project,
        "indicator": add_indicator(project, name="Households", target=100),
        "private_indicator": add_indicator(private_project, name="Households", target=100),
        "fund": funded,
        "report": accepted_report,
        "tranche": tranche,
        "private_tranche": private_tranche,
        "users": {
            "anonymous": None,
            "partner_officer": city_officer,
            "other_officer": other_officer,
            "staff": network_staff,
            "other_staff": other_staff,
            "superuser": superuser,
        },
    }


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client


def _cases(world):
    p, q, fund = world["project"].slug, world["private"].slug, world["fund"]
    i, j = world["indicator"].pk, world["private_indicator"].pk
    network = fund.network.slug
    return [
        ("get", reverse("cooperation:project-list"), EVERYONE),
        ("get", reverse("cooperation:project-list") + "?format=csv", EVERYONE),
        ("get", reverse("cooperation:project-list") + "?priority=on", EVERYONE),
        ("get", reverse("cooperation:project-detail", args=[p]), EVERYONE),
        ("get", reverse("cooperation:project-map", args=[p]), EVERYONE),
        ("get", reverse("cooperation:iati-project", args=[p]), EVERYONE),
        ("get", reverse("cooperation:iati", args=[network, "xml"]), EVERYONE),
        ("get", reverse("cooperation:iati", args=[network, "csv"]), EVERYONE),
        ("get", reverse("cooperation:iati", args=[network, "json"]), EVERYONE),
        ("get", reverse("cooperation:project-detail", args=[q]), PRIVATE),
        ("get", reverse("cooperation:project-map", args=[q]), PRIVATE),
        ("get", reverse("cooperation:project-finances", args=[p]), STAFF),
        ("get", reverse("cooperation:project-finances", args=[q]), PRIVATE_STAFF),
        ("get", reverse("cooperation:report-create", args=[p]), PARTNERS),
        ("get", reverse("cooperation:report-detail", args=[p, world["report"].pk]), PARTNERS),
        ("get", reverse("cooperation:fund-statement", args=[network, fund.slug]), STAFF),
        (
            "get",
            reverse("cooperation:fund-statement", args=[network, fund.slug]) + "?lang=pt",
            STAFF,
        ),
        (
            "get",
            reverse("cooperation:fund-statement-file", args=[network, fund.slug, "pdf"]),
            STAFF,
        ),
        (
            "get",
            reverse("cooperation:fund-statement-file", args=[network, fund.slug, "xlsx"]),
            STAFF,
        ),
        (
            "get",
            reverse("cooperation:fund-statement-file", args=[network, fund.slug, "pdf"])
            + "?lang=fr",
            STAFF,
        ),
        *[("get", reverse(f"cooperation:{name}", args=[p]), STAFF) for name in ADD_TO_PROJECT],
        *[
            ("get", reverse(f"cooperation:{name}", args=[q]), PRIVATE_STAFF)
            for name in ADD_TO_PROJECT
        ],
        *[("post", reverse(f"cooperation:{name}", args=[p]), STAFF) for name in ADD_TO_PROJECT],
        ("get", reverse("cooperation:indicator-value-create", args=[p, i]), PARTNERS),
        ("post", reverse("cooperation:indicator-value-create", args=[p, i]), PARTNERS),
        ("get", reverse("cooperation:indicator-value-create", args=[q, j]), PRIVATE_PARTNERS),
        ("get", reverse("cooperation:income-create", args=[network, fund.slug]), STAFF),
        ("post", reverse("cooperation:income-create", args=[network, fund.slug]), STAFF),
        ("get", reverse("cooperation:iati-publisher", args=[network]), STAFF),
        ("post", reverse("cooperation:iati-publisher", args=[network]), STAFF),
        ("post", reverse("cooperation:project-status", args=[p]), STAFF_POST),
        ("post", reverse("cooperation:commitment-create", args=[p]), STAFF_POST),
        ("post", reverse("cooperation:tranche-create", args=[p]), STAFF_POST),
        (
            "post",
            reverse("cooperation:tranche-release", args=[p, world["tranche"].pk]),
            STAFF_POST,
        ),
        (
            "post",
            reverse("cooperation:tranche-release", args=[q, world["private_tranche"].pk]),
            {**STAFF_POST, "other_officer": 404, "other_staff": 404},
        ),
        ("get", reverse("api:fund-detail", args=[fund.pk]), API_STAFF),
        ("get", reverse("api:project-detail", args=[p]), EVERYONE),
        ("get", reverse("api:project-detail", args=[q]), {**PRIVATE, "anonymous": 404}),
        ("get", reverse("api:project-partner-list"), EVERYONE),
        ("get", reverse("api:project-indicator-list"), EVERYONE),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_endpoint_answers_each_role_as_expected(world, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client(world["users"][role])
    found = {}
    expected = {}

    for method, url, answers in _cases(world):
        found[(method, url)] = getattr(client, method)(url).status_code
        expected[(method, url)] = answers[role]

    assert found == expected


@pytest.mark.parametrize("role", ROLES)
def test_fund_money_reaches_the_api_for_its_staff_only(world, role):
    client = _client(world["users"][role])
    expected = 1 if role in ("staff", "superuser") else 0

    for name in ("api:fund-list", "api:fund-income-list", "api:fund-commitment-list"):
        response = client.get(reverse(name))
        if role == "anonymous":
            assert response.status_code == 403
        else:
            assert response.json()["count"] >= expected
            assert (response.json()["count"] > 0) == bool(expected)


def test_private_projects_never_reach_the_api_list_or_open_data(world):
    client = Client()

    listed = [p["slug"] for p in client.get(reverse("api:project-list")).json()["results"]]
    xml = b"".join(
        client.get(
            reverse("cooperation:iati", args=[world["fund"].network.slug, "xml"])
        ).streaming_content
    ).decode()

    assert listed == [world["project"].slug]
    assert world["private"].code not in xml
    assert world["project"].code in xml
