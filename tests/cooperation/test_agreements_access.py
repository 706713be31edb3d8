"""Every role against every page and endpoint of agreements, private agreements kept private, and
query counts that do not grow with the data.

Status codes: 200 = shown, 201 = created, 302 = sent to log in (or redirected after an allowed
POST), 400 = allowed but the input is refused, 403 = known but not allowed, 404 = not theirs to
know about.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipia.cooperation.agreements import services
from municipia.cooperation.agreements.models import AgreementImport
from municipia.search.models import SearchEntry
from tests.cooperation.test_access import _client
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "party_officer", "other_officer", "staff", "other_staff", "superuser"]
EVERYONE = dict.fromkeys(ROLES, 200)
PRIVATE = {
    "anonymous": 404,
    "party_officer": 200,
    "other_officer": 404,
    "staff": 200,
    "other_staff": 404,
    "superuser": 200,
}
KEEPERS = {**PRIVATE, "anonymous": 302, "other_officer": 403, "other_staff": 403}
PRIVATE_KEEPERS = {**KEEPERS, "other_officer": 404, "other_staff": 404}
KEEPERS_POST = {**KEEPERS, "party_officer": 302, "staff": 302, "superuser": 302}
PRIVATE_KEEPERS_POST = {**KEEPERS_POST, "other_officer": 404, "other_staff": 404}
# Anyone who staffs a network or whose city is a member of one records agreements.
AUTHORS = {**KEEPERS, "other_staff": 200}
IMPORTERS = {**AUTHORS, "party_officer": 403}
IMPORT_OWNERS = {**PRIVATE, "anonymous": 302, "party_officer": 404}
IMPORT_POST = {**IMPORT_OWNERS, "staff": 302, "superuser": 302}
API_WRITE = {**KEEPERS, "anonymous": 403}
API_PRIVATE_WRITE = {**API_WRITE, "other_officer": 404, "other_staff": 404}
API_CREATE = {**API_WRITE, "party_officer": 201, "staff": 201, "superuser": 201}


@pytest.fixture
def world(
    agreement,
    private_agreement,
    network,
    city,
    twin_city,
    network_staff,
    city_officer,
    other_officer,
    other_staff,
    superuser,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    MembershipFactory(network=network, local_government=city)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    services.add_agreement_documents(
        agreement, [SimpleUploadedFile("twinning.pdf", pdf)], by=network_staff
    )
    services.add_agreement_documents(
        private_agreement, [SimpleUploadedFile("memo.pdf", pdf)], by=network_staff
    )
    agreement_import = AgreementImport.objects.create(
        network=network, owner=network_staff, filename="a.csv", data=b"x"
    )
    return {
        "public": agreement,
        "private": private_agreement,
        "import": agreement_import,
        "parties": [city, twin_city],
        "users": {
            "anonymous": None,
            "party_officer": city_officer,
            "other_officer": other_officer,
            "staff": network_staff,
            "other_staff": other_staff,
            "superuser": superuser,
        },
    }


def _payload(world) -> dict:
    city, twin = world["parties"]
    return {
        "network": world["public"].network.slug,
        "kind": "friendship",
        "title": "Friendship through the API",
        "starts_on": "2026-01-01",
        "parties": [{"local_government": city.slug}, {"local_government": twin.slug}],
    }


def _cases(world):
    p, q = world["public"], world["private"]
    doc, private_doc = p.documents.get(), q.documents.get()
    pk = world["import"].pk
    return [
        ("get", reverse("cooperation:agreement-list"), None, EVERYONE),
        ("get", reverse("cooperation:agreement-list") + "?format=csv", None, EVERYONE),
        ("get", reverse("cooperation:agreement-list") + "?format=xlsx", None, EVERYONE),
        ("get", reverse("cooperation:agreement-detail", args=[p.slug]), None, EVERYONE),
        ("get", reverse("cooperation:agreement-detail", args=[q.slug]), None, PRIVATE),
        ("get", reverse("cooperation:agreement-document", args=[p.slug, doc.pk]), None, EVERYONE),
        (
            "get",
            reverse("cooperation:agreement-document", args=[q.slug, private_doc.pk]),
            None,
            PRIVATE,
        ),
        ("get", reverse("cooperation:agreement-create"), None, AUTHORS),
        ("get", reverse("cooperation:agreement-edit", args=[p.slug]), None, KEEPERS),
        ("get", reverse("cooperation:agreement-edit", args=[q.slug]), None, PRIVATE_KEEPERS),
        ("post", reverse("cooperation:agreement-status", args=[p.slug]), {}, KEEPERS_POST),
        ("post", reverse("cooperation:agreement-documents", args=[p.slug]), {}, KEEPERS_POST),
        (
            "post",
            reverse("cooperation:agreement-documents", args=[q.slug]),
            {},
            PRIVATE_KEEPERS_POST,
        ),
        ("get", reverse("cooperation:agreement-import"), None, IMPORTERS),
        ("get", reverse("cooperation:agreement-import-detail", args=[pk]), None, IMPORT_OWNERS),
        (
            "post",
            reverse("cooperation:agreement-import-columns", args=[pk]),
            {},
            {**IMPORT_POST, "staff": 400, "superuser": 400},
        ),
        ("post", reverse("cooperation:agreement-import-choose", args=[pk]), {}, IMPORT_POST),
        ("post", reverse("cooperation:agreement-import-write", args=[pk]), {}, IMPORT_POST),
        ("get", reverse("api:agreement-list"), None, EVERYONE),
        ("get", reverse("api:agreement-detail", args=[p.slug]), None, EVERYONE),
        ("get", reverse("api:agreement-detail", args=[q.slug]), None, PRIVATE),
        ("post", reverse("api:agreement-list"), _payload(world), API_CREATE),
        (
            "patch",
            reverse("api:agreement-detail", args=[p.slug]),
            {"title": "Renamed"},
            API_WRITE,
        ),
        (
            "patch",
            reverse("api:agreement-detail", args=[q.slug]),
            {"title": "Renamed"},
            API_PRIVATE_WRITE,
        ),
        (
            "post",
            reverse("api:agreement-change-status", args=[p.slug]),
            {"to": "terminated"},
            API_WRITE,
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_endpoint_answers_each_role_as_expected(world, role):
    client = _client(world["users"][role])
    found, expected = {}, {}

    for method, url, data, answers in _cases(world):
        if url.startswith("/api/") and data is not None:
            response = getattr(client, method)(url, data, content_type="application/json")
        elif data is not None:
            response = getattr(client, method)(url, data)
        else:
            response = getattr(client, method)(url)
        found[(method, url)] = response.status_code
        expected[(method, url)] = answers[role]

    assert found == expected


def test_private_agreements_never_reach_the_public(world, city):
    client = Client()
    private = world["private"]

    listed = [a["slug"] for a in client.get(reverse("api:agreement-list")).json()["results"]]
    page = client.get(reverse("cooperation:agreement-list")).content.decode()
    export = client.get(reverse("cooperation:agreement-list") + "?format=csv")
    city_page = client.get(city.get_absolute_url()).content.decode()

    assert listed == [world["public"].slug]
    assert private.title not in page
    assert private.title.encode() not in b"".join(export.streaming_content)
    assert world["public"].title in city_page
    assert private.title not in city_page
    assert not SearchEntry.objects.filter(title=private.title).exists()


def test_a_draft_is_not_public_even_when_marked_public(world, network_staff, agreement_values):
    draft = services.save_agreement(
        world["public"].network,
        by=network_staff,
        values={**agreement_values, "title": "Draft of a friendship"},
        parties=[LocalGovernmentFactory(), LocalGovernmentFactory()],
    )

    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_the_api_refuses_bad_input_in_words_and_writes_nothing(world, network_staff):
    client = _client(network_staff)
    city, _twin = world["parties"]
    payload = {**_payload(world), "ends_on": "2025-01-01"}
    before = world["public"].__class__.objects.count()

    ends_early = client.post(
        reverse("api:agreement-list"), payload, content_type="application/json"
    )
    twice = client.post(
        reverse("api:agreement-list"),
        {**_payload(world), "parties": [{"local_government": city.slug}] * 2},
        content_type="application/json",
    )
    unknown = client.post(
        reverse("api:agreement-list"),
        {
            **_payload(world),
            "parties": [{"organisation": "nobody"}, {"local_government": city.slug}],
        },
        content_type="application/json",
    )

    assert ends_early.status_code == 400
    assert "ends before it starts" in ends_early.json()["detail"]
    assert twice.status_code == 400
    assert "named twice" in twice.json()["detail"]
    assert unknown.status_code == 400
    assert world["public"].__class__.objects.count() == before


def test_the_schema_documents_the_endpoint():
    schema = Client().get(reverse("api:schema")).content.decode()

    assert "/api/v1/cooperation/agreements/" in schema
    assert "AgreementWrite" in schema


def _more_agreements(network, network_staff, agreement_values, count):
    for n in range(count):
        services.save_agreement(
            network,
            by=network_staff,
            values={
                **agreement_values,
                "title": f"Agreement {n}",
                "signed_on": datetime.date(2020 + n % 5, 1, 1),
            },
            parties=[LocalGovernmentFactory(), LocalGovernmentFactory(), LocalGovernmentFactory()],
            status="in_force",
        )


def test_list_page_export_and_api_queries_do_not_grow_with_the_data(
    world, network, network_staff, agreement_values
):
    client = _client(network_staff)
    urls = [
        reverse("cooperation:agreement-list"),
        reverse("cooperation:agreement-list") + "?country=" + world["parties"][0].country.code,
        reverse("api:agreement-list"),
    ]

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(queries)

    few = [count(url) for url in urls]
    _more_agreements(network, network_staff, agreement_values, 12)
    many = [count(url) for url in urls]

    assert many == few


def test_an_agreement_page_and_the_city_section_cost_the_same_with_more_parties(
    world, network_staff, city
):
    client = _client(network_staff)
    agreement = world["public"]
    urls = [agreement.get_absolute_url(), reverse("api:agreement-detail", args=[agreement.slug])]

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = [count(url) for url in urls]
    parties = [city, world["parties"][1], *(LocalGovernmentFactory() for _n in range(6))]
    services.save_agreement(
        agreement.network,
        by=network_staff,
        values={"kind": agreement.kind, "title": agreement.title, "is_public": True},
        parties=parties,
        signatories=[(PersonFactory(), "Mayor", party) for party in parties[:4]],
        agreement=agreement,
    )
    many = [count(url) for url in urls]

    assert many == few
