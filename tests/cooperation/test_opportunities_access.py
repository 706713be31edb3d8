"""Every role against every page and endpoint of funding opportunities, and query counts that do
not grow with the data.

Status codes: 200 = shown, 201/204 = written, 302 = sent to log in (or redirected after an allowed
POST), 403 = known but not allowed, 404 = not theirs to know about.
"""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.cooperation.opportunities import matching, services
from municipia.cooperation.opportunities.models import Opportunity, OpportunityImport
from tests.cooperation.opportunities_world import *  # noqa: F403 (fixtures)
from tests.cooperation.opportunities_world import deadline
from tests.factories.knowledge import PublishedExperienceFactory, indexed

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_officer", "other_officer", "staff", "other_staff", "superuser"]
EVERYONE = dict.fromkeys(ROLES, 200)
STAFF = {
    "anonymous": 302,
    "member_officer": 403,
    "other_officer": 403,
    "staff": 200,
    "other_staff": 403,
    "superuser": 200,
}
STAFF_POST = {**STAFF, "staff": 302, "superuser": 302}
HIDDEN = {**dict.fromkeys(ROLES, 404), "staff": 200, "superuser": 200}
HIDDEN_STAFF = {**STAFF, "member_officer": 404, "other_officer": 404, "other_staff": 404}
OFFICERS = {
    "anonymous": 302,
    "member_officer": 200,
    "other_officer": 200,
    "staff": 403,
    "other_staff": 403,
    "superuser": 403,
}
API_WRITE = {
    "anonymous": 403,
    "member_officer": 403,
    "other_officer": 403,
    "staff": 200,
    "other_staff": 403,
    "superuser": 200,
}


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client


@pytest.fixture
def world(
    opportunity,
    hidden_opportunity,
    member_city,
    network,
    network_staff,
    city_officer,
    other_officer,
    other_staff,
    superuser,
    funder,
):
    stored = OpportunityImport.objects.create(
        network=network,
        filename="o.csv",
        data=(
            "funder;programme;title;description;deadline\n"
            f"{funder.name};P;Parks;Money for parks.;2099-05-01 12:00\n"
        ).encode(),
    )
    doomed = services.create_opportunity(
        network,
        language="en",
        title="To be deleted",
        summary="An opportunity the staff delete.",
        funder=funder,
        programme="Doomed",
        deadline=deadline(),
    )
    return {
        "public": opportunity,
        "doomed": doomed,
        "hidden": hidden_opportunity,
        "network": network,
        "import": stored,
        "users": {
            "anonymous": None,
            "member_officer": city_officer,
            "other_officer": other_officer,
            "staff": network_staff,
            "other_staff": other_staff,
            "superuser": superuser,
        },
    }


def _cases(world):
    p, h, n = world["public"].slug, world["hidden"].slug, world["network"].slug
    d = world["doomed"].slug
    token = "invalid-token"
    return [
        ("get", reverse("cooperation:opportunity-list"), EVERYONE),
        ("get", reverse("cooperation:opportunity-list") + "?format=csv", EVERYONE),
        ("get", reverse("cooperation:opportunity-list") + "?format=xlsx", EVERYONE),
        ("get", reverse("cooperation:opportunity-network-list", args=[n]), EVERYONE),
        ("get", reverse("cooperation:opportunity-feed"), EVERYONE),
        ("get", reverse("cooperation:opportunity-feed-atom"), EVERYONE),
        ("get", reverse("cooperation:opportunity-network-feed", args=[n]), EVERYONE),
        ("get", reverse("cooperation:opportunity-network-feed-atom", args=[n]), EVERYONE),
        ("get", reverse("cooperation:opportunity-detail", args=[p]), EVERYONE),
        ("get", reverse("cooperation:opportunity-detail", args=[h]), HIDDEN),
        ("get", reverse("cooperation:opportunity-create", args=[n]), STAFF),
        ("get", reverse("cooperation:opportunity-import", args=[n]), STAFF),
        ("get", reverse("cooperation:opportunity-edit", args=[p]), STAFF),
        ("get", reverse("cooperation:opportunity-edit", args=[h]), HIDDEN_STAFF),
        ("get", reverse("cooperation:opportunity-translate", args=[p]), STAFF),
        ("get", reverse("cooperation:opportunity-translate", args=[h]), HIDDEN_STAFF),
        (
            "get",
            reverse("cooperation:opportunity-import-preview", args=[world["import"].pk]),
            STAFF,
        ),
        ("get", reverse("cooperation:opportunity-mine"), OFFICERS),
        ("get", reverse("cooperation:opportunity-unsubscribe", args=[token]), EVERYONE),
        (
            "post",
            reverse("cooperation:opportunity-unsubscribe", args=[token]),
            dict.fromkeys(ROLES, 400),
        ),
        (
            "post",
            reverse("cooperation:opportunity-import-write", args=[world["import"].pk]),
            STAFF_POST,
        ),
        ("post", reverse("cooperation:opportunity-edit", args=[p]), STAFF),  # invalid: shown again
        ("post", reverse("cooperation:opportunity-delete", args=[d]), STAFF_POST),
        # The API
        ("get", reverse("api:funding-opportunity-list"), EVERYONE),
        ("get", reverse("api:funding-opportunity-detail", args=[p]), EVERYONE),
        ("get", reverse("api:funding-opportunity-detail", args=[h]), {**HIDDEN}),
        ("patch", reverse("api:funding-opportunity-detail", args=[p]), API_WRITE),
        (
            "patch",
            reverse("api:funding-opportunity-detail", args=[h]),
            {**API_WRITE, "member_officer": 404, "other_officer": 404, "other_staff": 404},
        ),
        (
            "post",
            reverse("api:funding-opportunity-list"),
            {**API_WRITE, "staff": 201, "superuser": 201},
        ),
        (
            "delete",
            reverse("api:funding-opportunity-detail", args=[p]),
            {**API_WRITE, "staff": 204, "superuser": 204},
        ),
        (
            "post",
            reverse("cooperation:opportunity-delete", args=[h]),
            {**HIDDEN_STAFF, "staff": 302, "superuser": 302},
        ),
    ]


def _api_body(world):
    return {
        "network": world["network"].slug,
        "funder": world["public"].funder.slug,
        "programme": "Api programme",
        "language": "es",
        "title": "Plazas verdes",
        "summary": "Dinero para plazas más verdes.",
        "deadline": "2099-06-30T17:00:00",
        "time_zone": "Europe/Madrid",
    }


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(world, role):
    user = world["users"][role]
    for method, url, expected in _cases(world):
        client = _client(user)
        if method == "patch":
            response = client.patch(
                url, data=json.dumps({"programme": "Renamed"}), content_type="application/json"
            )
        elif method == "delete":
            response = client.delete(url)
        elif method == "post" and url.startswith("/api/"):
            response = client.post(
                url, data=json.dumps(_api_body(world)), content_type="application/json"
            )
        elif method == "post":
            response = client.post(url)
        else:
            response = client.get(url)
        assert response.status_code == expected[role], (role, method, url, response.status_code)


def test_staff_pages_show_and_write(world):
    client = _client(world["users"]["staff"])
    network = world["network"]
    response = client.post(
        reverse("cooperation:opportunity-create", args=[network.slug]),
        {
            "funder": world["public"].funder.pk,
            "programme": "Form programme",
            "language": "ca",
            "title": "Places verdes",
            "summary": "Diners per a places més verdes.",
            "deadline": "2099-06-30T17:00",
            "time_zone": "Europe/Madrid",
            "cofinancing_rate": "75",
            "currency": "EUR",
            "amount_min": "1000",
            "amount_max": "9000",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Opportunity.objects.get(programme="Form programme")
    assert created.time_zone == "Europe/Madrid"
    assert created.deadline.isoformat() == "2099-06-30T15:00:00+00:00"
    # The service's refusal is shown on the form, and nothing is written.
    count = Opportunity.objects.count()
    response = client.post(
        reverse("cooperation:opportunity-create", args=[network.slug]),
        {
            "funder": world["public"].funder.pk,
            "programme": "Bad",
            "language": "en",
            "title": "Bad",
            "summary": "Bad",
            "deadline": "2099-06-30T17:00",
            "time_zone": "Europe/Madrid",
            "cofinancing_rate": "120",
        },
    )
    assert response.status_code == 200
    assert "between 0 and 100" in response.content.decode()
    assert Opportunity.objects.count() == count


def test_api_refuses_bad_input_and_writes_nothing(world):
    client = _client(world["users"]["staff"])
    count = Opportunity.objects.count()
    for change, message in (
        ({"deadline": "2001-01-01T10:00:00"}, "already passed"),
        ({"cofinancing_rate": "150"}, "between 0 and 100"),
        ({"amount_min": "10", "amount_max": "5", "currency": "EUR"}, "smallest grant"),
        ({"amount_min": "10", "currency": "QQQ"}, "ISO 4217"),
    ):
        response = client.post(
            reverse("api:funding-opportunity-list"),
            data=json.dumps({**_api_body(world), **change}),
            content_type="application/json",
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Opportunity.objects.count() == count
    answer = client.get(reverse("api:funding-opportunity-detail", args=[world["public"].slug]))
    assert answer.json()["deadline"].endswith(("+01:00", "+02:00"))  # Brussels' clock
    assert answer.json()["status"] == "open"


def _many(network, funder, water, n):
    for i in range(n):
        opportunity = services.create_opportunity(
            network,
            language="en",
            title=f"Opportunity {i}",
            summary="Water and sanitation grants.",
            funder=funder,
            programme="Many",
            deadline=deadline(10 + i),
            regions=["150"],
            themes=[water],
        )
        opportunity.countries.set([])


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow(world, water):
    network, funder = world["network"], world["public"].funder
    city = world["users"]["member_officer"].roles.get().local_government
    experience = PublishedExperienceFactory(
        city=city, network=network, texts={"en": ("Water pipes", "New water pipes.", "<p>x</p>")}
    )
    indexed(experience, *Opportunity.objects.all())
    urls = [
        reverse("cooperation:opportunity-list"),
        reverse("cooperation:opportunity-list") + "?format=csv",
        reverse("cooperation:opportunity-network-list", args=[network.slug]),
        reverse("cooperation:opportunity-feed"),
        reverse("cooperation:opportunity-detail", args=[world["public"].slug]),
        reverse("api:funding-opportunity-list"),
        reverse("cooperation:opportunity-mine"),
    ]
    clients = {
        "staff": _client(world["users"]["staff"]),
        "officer": _client(world["users"]["member_officer"]),
    }

    def measure():
        for opportunity in Opportunity.objects.all():
            matching.compute_matches(opportunity)
        return {
            (who, url): _queries(client, url)
            for url in urls
            for who, client in clients.items()
            if not (who == "staff" and url.endswith("/mine/"))
        }

    _many(network, funder, water, 2)
    indexed(*Opportunity.objects.all())
    measure()  # once first: sessions and per-process caches settle
    small = measure()
    _many(network, funder, water, 6)
    indexed(*Opportunity.objects.all())
    large = measure()
    assert large == small
