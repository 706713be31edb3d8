"""Every page and endpoint of personal data, asked by every role: a person reaches only their own
requests and copies; the queue only the staff of the request's network and superusers."""

import pytest
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.privacy import services
from municipia.privacy.models import DataExport, PrivacyRequest
from tests.factories.accounts import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "public",
    "requester",
    "officer",
    "juror",
    "staff",
    "other_staff",
    "superuser",
]
OK, FOUND, LOGIN, HIDDEN, REFUSED, CREATED, ACCEPTED = 200, 302, 302, 404, 403, 201, 202


@pytest.fixture
def people(network, other_network, city_officer, juror, network_staff, superuser):
    return {
        "anonymous": None,
        "public": UserFactory(),
        "requester": UserFactory(),
        "officer": city_officer,
        "juror": juror,
        "staff": network_staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user,
        "superuser": superuser,
    }


def _login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client


@pytest.fixture
def setup(people, network, django_capture_on_commit_callbacks):
    requester = people["requester"]
    item = services.submit_request(requester, kind=PrivacyRequest.Kind.ACCESS, network=network)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_export(requester, request=item)
    export = DataExport.objects.exclude(json_file="").get()
    return item, export


def _everyone(value, anonymous=LOGIN, **others):
    return {**dict.fromkeys(ROLES, value), "anonymous": anonymous, **others}


STAFF_PAGE = {**_everyone(HIDDEN), "staff": OK, "other_staff": OK, "superuser": OK}
STAFF_ITEM = {**_everyone(HIDDEN), "staff": OK, "superuser": OK}
DOWNLOAD = {**_everyone(HIDDEN), "requester": OK, "staff": OK, "superuser": OK}


def _cases(item, export):
    return [
        ("get", reverse("privacy:my-data"), {}, _everyone(OK)),
        ("get", reverse("privacy:erasure-preview"), {}, _everyone(OK)),
        ("get", reverse("privacy:export-download", args=[export.pk, "json"]), {}, DOWNLOAD),
        ("get", reverse("privacy:export-download", args=[export.pk, "pdf"]), {}, DOWNLOAD),
        ("get", reverse("privacy:queue"), {}, STAFF_PAGE),
        ("get", reverse("privacy:request-detail", args=[item.pk]), {}, STAFF_ITEM),
        (
            "post",
            reverse("privacy:request-erase", args=[item.pk]),
            {},
            {**STAFF_ITEM, "staff": FOUND, "superuser": FOUND},
        ),
        ("get", "/api/v1/privacy/requests/", {}, _everyone(OK, anonymous=REFUSED)),
        (
            "get",
            f"/api/v1/privacy/requests/{item.pk}/",
            {},
            {**_everyone(HIDDEN, anonymous=REFUSED), "requester": OK},
        ),
        ("get", "/api/v1/privacy/erasure-preview/", {}, _everyone(OK, anonymous=REFUSED)),
        ("get", "/api/v1/privacy/queue/", {}, _everyone(OK, anonymous=REFUSED)),
        (
            "get",
            f"/api/v1/privacy/queue/{item.pk}/",
            {},
            {**_everyone(HIDDEN, anonymous=REFUSED), "staff": OK, "superuser": OK},
        ),
        (
            "get",
            f"/api/v1/privacy/queue/{item.pk}/erasure-preview/",
            {},
            {**_everyone(HIDDEN, anonymous=REFUSED), "staff": OK, "superuser": OK},
        ),
        (
            "post",
            f"/api/v1/privacy/queue/{item.pk}/erase/",
            {},
            {**_everyone(HIDDEN, anonymous=REFUSED), "staff": 400, "superuser": 400},
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, people, setup, client):
    item, export = setup
    for method, url, data, expected in _cases(item, export):
        response = getattr(_login(client, people[role]), method)(url, data)
        assert response.status_code == expected[role], (role, method, url)


@pytest.mark.parametrize("role", ROLES)
def test_writing_endpoints(role, people, setup, client, django_capture_on_commit_callbacks):
    item, _export = setup
    user = _login(client, people[role]) and people[role]
    created = client.post("/api/v1/privacy/requests/", {"kind": "objection", "details": "No"})
    assert created.status_code == (REFUSED if user is None else CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/v1/privacy/export/")
    assert started.status_code == (REFUSED if user is None else ACCEPTED)
    answered = client.post(
        f"/api/v1/privacy/queue/{item.pk}/answer/", {"status": "done", "answer": "Sent."}
    )
    expected = OK if role in ("staff", "superuser") else (REFUSED if user is None else HIDDEN)
    assert answered.status_code == expected
    item.refresh_from_db()
    assert (item.status == PrivacyRequest.Status.DONE) == (expected == OK)


def test_the_api_refuses_bad_input_with_a_message(people, client):
    _login(client, people["public"])
    response = client.post("/api/v1/privacy/requests/", {"kind": "rectification"})
    assert response.status_code == 400
    assert "Say what should be corrected" in response.json()["detail"]
    assert client.post("/api/v1/privacy/requests/", {"kind": "gossip"}).status_code == 400
    assert not PrivacyRequest.objects.filter(user=people["public"]).exists()


def test_own_requests_list_in_few_queries(people, client, django_assert_max_num_queries):
    user = people["public"]
    for _ in range(6):
        services.submit_request(user, kind=PrivacyRequest.Kind.ACCESS)
    _login(client, user)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/privacy/requests/").json()["results"]) == 6
    with django_assert_max_num_queries(12):
        client.get(reverse("privacy:my-data"))
